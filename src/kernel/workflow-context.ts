import type { WorkflowContext } from '../domain/workflow/index.js';
import type { AppContext } from './context.js';

/** The workflow context the sources decide with: regulation, working time, clock (no absences). */
export const workflowContext = (app: Pick<AppContext, 'regulation' | 'workingTime' | 'clock'>): WorkflowContext => ({
  regulation: app.regulation,
  workingTime: app.workingTime,
  clock: app.clock,
});
