import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { executeCommand, ingestMessage, insertMessage, type IngestResult, type ReplyFinder } from '../db/repositories/index.js';
export { insertMessageIfNew } from '../db/repositories/index.js';
import { SYSTEM_ACTOR, type Command, type IncomingMessage } from '../domain/workflow/index.js';
import { Priority } from '../outbox/queue.js';
import { tellCaseHolders } from '../kernel/staff-notices.js';
import { workflowContext } from '../kernel/workflow-context.js';

/**
 * What the sources need from the case storage (src/db/repositories), as plain functions over the
 * caller's transaction: store a message and register/attach its case, record a publication; the
 * look-ups are in repositories/source-messages.ts (re-exported here). Static imports: the repositories
 * are part of the service (no port to swap); tests run against a real SQLite file instead.
 */
export * from '../db/repositories/source-messages.js';

const effectsHook = (app: AppContext) => ({ onEffects: (t: unknown, effects: Parameters<AppContext['applyEffects']>[1]) => app.applyEffects(t as Db, effects) });

/**
 * Stores the message (dedupe on sourceKey) and registers a case, or joins the case awaiting the author.
 * `messageId`: the caller stored it already (`insertMessageIfNew`); `inCallersTransaction`: see ingestMessage.
 */
export function ingest(tx: Db, msg: IncomingMessage, app: AppContext, findCaseForReply?: ReplyFinder, opts: { messageId?: number; inCallersTransaction?: boolean } = {}): IngestResult {
  return ingestMessage(tx, msg, workflowContext(app), {
    ...effectsHook(app),
    ...(findCaseForReply ? { findCaseForReply } : {}),
    ...(opts.messageId !== undefined ? { messageId: opts.messageId } : {}),
    ...(opts.inCallersTransaction ? { inCallersTransaction: true } : {}),
  });
}

/** Runs a workflow command as Otklik itself (the system actor). */
export function runSystemCommand(tx: Db, app: AppContext, caseId: number, command: Omit<Command, 'actor'> & { type: Command['type'] }) {
  return executeCommand(tx, caseId, { ...command, actor: SYSTEM_ACTOR } as Command, workflowContext(app), effectsHook(app));
}

/**
 * Stores a message without registering a case (unless the caller stored it: `storedId`), then attaches
 * it to an open case (a follow-up by the author: `attachMessage`). Returns the message id, or null when
 * the case refused it.
 */
export function attachFollowUp(tx: Db, msg: IncomingMessage, caseId: number, app: AppContext, storedId?: number): { messageId: number; ok: boolean; refusal?: string } {
  const now = app.clock.now().toMillis();
  const messageId = storedId ?? insertMessage(tx, msg, now);
  const r = runSystemCommand(tx, app, caseId, { type: 'attachMessage', messageId, comment: 'follow-up by the author' } as never);
  return r.ok ? { messageId, ok: true } : { messageId, ok: false, refusal: r.refusal.message };
}

/** Records that the approved answer is published (command recordPublication, by the system). */
export function recordPublication(tx: Db, caseId: number, input: { externalId: string | null; permalink: string | null }, app: AppContext): boolean {
  const r = runSystemCommand(tx, app, caseId, { type: 'recordPublication', ...input } as never);
  if (!r.ok) app.logger.warn({ caseId, refusal: r.refusal.message }, 'sources: publication not recorded on the case');
  return r.ok;
}

/** Tells whoever holds the case, through the staff notices (tellCaseHolders); `key` makes it idempotent. Returns how many people. */
export function notifyCaseHolders(app: AppContext, tx: Db, caseId: number, text: (locale: string) => string, key: string, priority: number = Priority.interactive): number {
  return tellCaseHolders(app, tx, caseId, text, { key, priority });
}
