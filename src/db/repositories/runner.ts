import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import {
  SYSTEM_ACTOR,
  TERMINAL_STATUSES,
  decide,
  offerReassignmentOnAbsence,
  refusal,
  type Absence,
  type Actor,
  type CaseState,
  type Command,
  type Decision,
  type Effect,
  type IncomingMessage,
  type OpenAssignmentOffer,
  type Refusal,
  type WorkflowContext,
  type WorkflowEvent,
} from '../../domain/workflow/index.js';
import { absences } from '../schema/org.js';
import { assignments, caseMessages, cases, deadlines, messages } from '../schema/cases.js';
import { caseAwaitingAuthor, clientOf, insertRows, messageIdBySourceKey } from './fast.js';
import { indexCaseInTx, type CaseText } from '../search-index.js';
import { VersionConflict, appendEvents, firstActorAfter, loadCase, nextCaseIdentity, saveCase, type Conn } from './case-store.js';

/**
 * The command runner: loads a case, runs the pure command, and in ONE transaction writes the new
 * state, the audit rows, the deadlines, and hands the effects to `onEffects` (the outbox plugs in
 * there, so an effect is queued if and only if its events are committed).
 */

export type EffectsHook = (tx: Conn, effects: readonly Effect[], info: { caseId: number; events: readonly WorkflowEvent[]; state: CaseState }) => void;

export interface RunOptions {
  /** The version the user saw (the card's version): a press on a stale card loses with `already_done_by`. */
  expectedVersion?: number;
  onEffects?: EffectsHook;
}

export type RunResult = Decision & { caseId?: number };

/** `ctx.absences` when given, else the absences in force now, from the organization tables. */
export function loadAbsences(conn: Conn, now: number): Absence[] {
  return conn
    .select()
    .from(absences)
    .where(and(lte(absences.fromTs, now), gt(absences.untilTs, now)))
    .all()
    .map((a) => ({ staffId: a.staffId, from: a.fromTs, until: a.untilTs, substituteId: a.substituteId }));
}

function withAbsences(conn: Conn, ctx: WorkflowContext): WorkflowContext {
  return ctx.absences ? ctx : { ...ctx, absences: loadAbsences(conn, ctx.clock.now().toMillis()) };
}

function alreadyDone(conn: Conn, caseId: number, version: number): Refusal {
  const w = firstActorAfter(conn, caseId, version);
  return refusal('already_done_by', `already done by ${w?.name ?? 'someone else'}`, { by: w?.name ?? null, byStaffId: w?.staffId ?? null, step: w?.type ?? null });
}

/** Events that change what the search index holds of a case (its messages, topic, location). */
const SEARCHED = new Set<string>(['registered', 'message_attached', 'author_replied', 'triaged', 'case_joined']);

/** Writes a decision taken on `before` (version-checked). Throws VersionConflict when `before` is stale. */
export function commitDecision(conn: Conn, before: CaseState | null, d: Extract<Decision, { ok: true }>, onEffects?: EffectsHook, searchText?: CaseText): void {
  if (d.events.length === 0) return;
  saveCase(conn, d.state, before ? before.version : null);
  appendEvents(conn, d.state.id, d.events, before ? before.version : 0);
  const client = d.events.some((e) => SEARCHED.has(e.type)) ? clientOf(conn) : null;
  if (client) indexCaseInTx(client, d.state.id, { fresh: before === null, ...(searchText ? { text: searchText } : {}) });
  if (onEffects && d.effects.length) onEffects(conn, d.effects, { caseId: d.state.id, events: d.events, state: d.state });
}

function runInTx(tx: Conn, caseId: number, command: Command, ctx: WorkflowContext, opts: RunOptions): RunResult {
  const state = loadCase(tx, caseId);
  if (!state) return { ok: false, refusal: refusal('not_found', `case ${caseId} not found`, { caseId }) };
  if (opts.expectedVersion !== undefined && state.version !== opts.expectedVersion) {
    return { ok: false, refusal: alreadyDone(tx, caseId, opts.expectedVersion) };
  }
  if (command.type === 'markRepeat' && !tx.select({ id: cases.id }).from(cases).where(eq(cases.id, command.repeatOf)).get()) {
    return { ok: false, refusal: refusal('not_found', `case ${command.repeatOf} not found`, { repeatOf: command.repeatOf }) };
  }
  const d = decide(state, command, withAbsences(tx, ctx));
  if (!d.ok) return d;
  commitDecision(tx, state, d, opts.onEffects);
  return { ...d, caseId };
}

/**
 * Runs one command against a stored case in one IMMEDIATE transaction. Two presses at once: the
 * second sees the first's version (or loses the version check) and gets `already_done_by`.
 */
export function executeCommand(db: Conn, caseId: number, command: Command, ctx: WorkflowContext, opts: RunOptions = {}): RunResult {
  try {
    return db.transaction((tx) => runInTx(tx, caseId, command, ctx, opts), { behavior: 'immediate' });
  } catch (err) {
    if (err instanceof VersionConflict) return { ok: false, refusal: alreadyDone(db, caseId, err.expected) };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Ingest
// ---------------------------------------------------------------------------------------------

/** Finds the open case a new message replies to (the author answering a clarification), or null. */
export type ReplyFinder = (tx: Conn, msg: IncomingMessage) => number | null;

/** Default: a case awaiting the author, with a message by the same author in the same thread. */
export const findCaseAwaitingAuthor: ReplyFinder = (tx, msg) => {
  if (!msg.threadKey || !msg.author.externalId) return null;
  return caseAwaitingAuthor(tx, msg.threadKey, msg.author.externalId);
};

export interface IngestOptions {
  /** Who registers: the system (collector) or an administrator registering by hand. */
  actor?: Actor;
  importance?: string;
  comment?: string | null;
  /** How a reply is linked to its case; default `findCaseAwaitingAuthor`. Pass `() => null` to always open a new case. */
  findCaseForReply?: ReplyFinder;
  onEffects?: EffectsHook;
  /** The caller stored the message already, in this transaction (`insertMessageIfNew`): its id. */
  messageId?: number;
  /**
   * The caller's transaction (or savepoint) is rolled back whole when this throws, so no savepoint of
   * its own is needed (src/sources/threads.ts: each event in its own). Ignored outside a transaction.
   */
  inCallersTransaction?: boolean;
}

export type IngestResult = { duplicate: true; messageId: number; caseId: number | null } | { duplicate: false; messageId: number; caseId: number; attachedAsReply: boolean; result: RunResult };

/** Stores one collected message (immutable, raw payload kept) and returns its id. */
export function insertMessage(conn: Conn, msg: IncomingMessage, now: number): number {
  return insertRows(conn, messages, [messageRow(msg, now)], { returning: 'id' })[0] as number;
}

/**
 * Stores the message unless one with its source key is stored already: its id, or null (a redelivery).
 * The unique source key answers, so a new message needs no look-up before.
 */
export function insertMessageIfNew(conn: Conn, msg: IncomingMessage, now: number): number | null {
  const [id] = insertRows(conn, messages, [messageRow(msg, now)], { onConflict: 'ON CONFLICT ("source_key") DO NOTHING', returning: 'id' });
  return (id as number | undefined) ?? null;
}

function messageRow(msg: IncomingMessage, now: number) {
  return {
    sourceKey: msg.sourceKey,
    kind: msg.kind,
    network: msg.network,
    threadKey: msg.threadKey,
    authorExternalId: msg.author.externalId,
    authorName: msg.author.name,
    authorProfileUrl: msg.author.profileUrl,
    text: msg.text,
    attachments: msg.attachments,
    permalink: msg.permalink,
    publishedAt: msg.publishedAt,
    detectedAt: msg.detectedAt,
    raw: msg.raw ?? null,
    createdAt: now,
  };
}

/**
 * Stores a normalized message (dedupe on `source_key`) and registers a case for it — or, when it is
 * the author's reply under a case awaiting the author, joins that case (`authorReplied`). One
 * transaction.
 */
export function ingestMessage(db: Conn, msg: IncomingMessage, ctx: WorkflowContext, opts: IngestOptions = {}): IngestResult {
  const body = (tx: Conn): IngestResult => {
    const seen = opts.messageId !== undefined ? null : messageIdBySourceKey(tx, msg.sourceKey);
    if (seen !== null) {
      const cm = tx.select({ caseId: caseMessages.caseId }).from(caseMessages).where(eq(caseMessages.messageId, seen)).get();
      return { duplicate: true, messageId: seen, caseId: cm?.caseId ?? null };
    }
    const messageId = opts.messageId ?? insertMessage(tx, msg, ctx.clock.now().toMillis());
    const actor = opts.actor ?? SYSTEM_ACTOR;
    const replyTo = (opts.findCaseForReply ?? findCaseAwaitingAuthor)(tx, msg);
    if (replyTo !== null) {
      const result = runInTx(tx, replyTo, { type: 'authorReplied', actor: SYSTEM_ACTOR, messageId }, ctx, { onEffects: opts.onEffects });
      if (result.ok) return { duplicate: false, messageId, caseId: replyTo, attachedAsReply: true, result };
    }
    const { id, number } = nextCaseIdentity(tx);
    const d = decide(
      null,
      {
        type: 'register',
        actor,
        caseId: id,
        number,
        message: { id: messageId, author: msg.author, kind: msg.kind, network: msg.network, detectedAt: msg.detectedAt },
        ...(opts.importance ? { importance: opts.importance } : {}),
        comment: opts.comment ?? null,
      },
      ctx,
    );
    if (!d.ok) {
      // e.g. an unknown importance: nothing is stored
      throw new IngestRefused(d.refusal);
    }
    // The new case's searchable text is at hand: the search index need not read it back.
    const { topic, location, updatedAt } = d.state;
    commitDecision(tx, null, d, opts.onEffects, { topic, location, updatedAt, messages: [{ id: messageId, text: msg.text, authorName: msg.author.name }] });
    return { duplicate: false, messageId, caseId: id, attachedAsReply: false, result: { ...d, caseId: id } };
  };
  return opts.inCallersTransaction && clientOf(db)?.inTransaction ? body(db) : db.transaction(body, { behavior: 'immediate' });
}

export class IngestRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

// ---------------------------------------------------------------------------------------------
// Calendar changes, absences, the watcher's read
// ---------------------------------------------------------------------------------------------

/**
 * After a holiday is declared or the regulation changes: recomputes the open deadlines of every
 * case that has any (one logged `deadlines_recomputed` event per case that changed).
 */
export function recomputeOpenDeadlines(db: Conn, ctx: WorkflowContext, reason: string, opts: { onEffects?: EffectsHook } = {}): { cases: number; changed: number } {
  const ids = db
    .selectDistinct({ caseId: deadlines.caseId })
    .from(deadlines)
    .where(inArray(deadlines.status, ['open', 'paused']))
    .all()
    .map((r) => r.caseId);
  let changed = 0;
  for (const id of ids) {
    const r = executeCommand(db, id, { type: 'recomputeDeadlines', actor: SYSTEM_ACTOR, reason }, ctx, opts);
    if (r.ok && r.events.length) changed++;
  }
  return { cases: ids.length, changed };
}

/** А6.3: the open assignments of a person who is away, for the department head to reassign. */
export function offerReassignmentOnAbsenceFromDb(db: Conn, absence: Absence): OpenAssignmentOffer[] {
  const ids = db
    .selectDistinct({ caseId: assignments.caseId })
    .from(assignments)
    .where(and(eq(assignments.executorId, absence.staffId), inArray(assignments.status, ['assigned', 'accepted'])))
    .all()
    .map((r) => r.caseId);
  const states = ids.map((id) => loadCase(db, id)).filter((s): s is CaseState => s !== null && !TERMINAL_STATUSES.includes(s.status));
  return offerReassignmentOnAbsence(states, absence);
}

/** Open deadlines due before `until` (index `deadlines_due_idx`; the watcher's query). */
export function dueDeadlines(db: Conn, until: number, limit = 500) {
  return db
    .select()
    .from(deadlines)
    .where(and(eq(deadlines.status, 'open'), sql`${deadlines.dueAt} <= ${until}`))
    .orderBy(deadlines.dueAt)
    .limit(limit)
    .all();
}
