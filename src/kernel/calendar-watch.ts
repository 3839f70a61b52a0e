import { createHash } from 'node:crypto';
import type { AppContext } from './context.js';
import { buildWorkingTime } from './working-time.js';
import { workflowContext } from './workflow-context.js';
import type { Db } from '../db/connection.js';
import { recomputeOpenDeadlines } from '../db/repositories/runner.js';
import { storedCalendarYears, swapCalendarDigest } from '../db/repositories/calendar.js';

/** Rebuilds the working time from the calendar sources and recomputes every open deadline (notifying). */
export function recomputeAfterCalendarChange(app: AppContext, reason: string): { cases: number; changed: number } {
  app.workingTime = buildWorkingTime(app.org, app.regulation, app.database.sqlite, app.logger);
  return recomputeOpenDeadlines(app.db, workflowContext(app), reason, { onEffects: (tx, effects) => app.applyEffects(tx as Db, effects) });
}

/**
 * At start and at every scheduler tick: when the calendar sources changed (`otklik calendar import` —
 * while the service was stopped or while it runs —, a new calendar section in the organization file),
 * the working time is rebuilt, every open deadline is recomputed and whoever's deadline moved is told.
 * The first start only records the state.
 */
export function recomputeIfCalendarChanged(app: AppContext, region: string | null): { cases: number; changed: number } | null {
  const years = storedCalendarYears(app.database.sqlite);
  const digest = createHash('sha256')
    .update(JSON.stringify({ years, calendar: app.org.calendar, region, schedule: app.org.schedule }))
    .digest('hex');
  const previous = swapCalendarDigest(app.db, digest, Date.now());
  if (previous === null || previous === digest) return null;
  const r = recomputeAfterCalendarChange(app, 'calendar changed (import or organization file)');
  app.logger.info(r, 'calendar: changed, open deadlines recomputed');
  return r;
}
