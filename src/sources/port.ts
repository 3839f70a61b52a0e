import { loadWorkflowPort, type SourcesWorkflowPort } from './workflow-port.js';

/**
 * The workflow port, resolved once when the sources are first imported (the repositories module
 * may land later than this code; see workflow-port.ts). Tests replace it with `setWorkflowPort`.
 */
const loaded = await loadWorkflowPort();
let current: SourcesWorkflowPort | null = loaded.port;
export const workflowPortProblem: string | null = loaded.reason;

export function workflowPort(): SourcesWorkflowPort | null {
  return current;
}

export function setWorkflowPort(port: SourcesWorkflowPort | null): void {
  current = port;
}
