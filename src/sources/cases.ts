import { desc, eq } from 'drizzle-orm';
import type { AppContext } from '../app/context.js';
import type { Db } from '../db/connection.js';
import { caseMessages, cases, messages, publications } from '../db/schema/cases.js';
import { executeCommand, ingestMessage, loadMessage, type IngestResult, type ReplyFinder } from '../db/repositories/index.js';
import { SYSTEM_ACTOR, type Author, type Command, type IncomingMessage, type Message } from '../domain/workflow/index.js';
import type { WorkflowContext } from '../domain/workflow/commands.js';

/**
 * What the sources need from the case storage (src/db/repositories), as plain functions over the
 * caller's transaction: store a message and register/attach its case, look messages up, record a
 * publication. Static imports: the repositories are part of the service (no port to swap); tests
 * run against a real SQLite file instead.
 */
export interface StoredMessage {
  id: number;
  caseId: number | null;
  sourceKey: string;
  kind: string;
  network: string;
  threadKey: string | null;
  author: Author;
  text: string;
  permalink: string | null;
}

export const workflowContext = (app: Pick<AppContext, 'regulation' | 'workingTime' | 'clock'>): WorkflowContext => ({
  regulation: app.regulation,
  workingTime: app.workingTime,
  clock: app.clock,
});

const effectsHook = (app: AppContext) => ({ onEffects: (t: unknown, effects: Parameters<AppContext['applyEffects']>[1]) => app.applyEffects(t as Db, effects) });

export function caseOfMessage(tx: Db, messageId: number): number | null {
  return tx.select({ caseId: caseMessages.caseId }).from(caseMessages).where(eq(caseMessages.messageId, messageId)).orderBy(desc(caseMessages.caseId)).get()?.caseId ?? null;
}

const toStored = (tx: Db, m: Message | null): StoredMessage | null =>
  m
    ? {
        id: m.id,
        caseId: caseOfMessage(tx, m.id),
        sourceKey: m.sourceKey,
        kind: m.kind,
        network: m.network,
        threadKey: m.threadKey,
        author: m.author,
        text: m.text,
        permalink: m.permalink,
      }
    : null;

export function messageById(tx: Db, id: number): StoredMessage | null {
  return toStored(tx, loadMessage(tx, id));
}

export function messageBySourceKey(tx: Db, key: string): StoredMessage | null {
  const row = tx.select({ id: messages.id }).from(messages).where(eq(messages.sourceKey, key)).get();
  return row ? toStored(tx, loadMessage(tx, row.id)) : null;
}

export function caseNumber(tx: Db, caseId: number): number | null {
  return tx.select({ n: cases.number }).from(cases).where(eq(cases.id, caseId)).get()?.n ?? null;
}

export function caseStatus(tx: Db, caseId: number): string | null {
  return tx.select({ s: cases.status }).from(cases).where(eq(cases.id, caseId)).get()?.s ?? null;
}

/** Stores the message (dedupe on sourceKey) and registers a case, or joins the case awaiting the author. */
export function ingest(tx: Db, msg: IncomingMessage, app: AppContext, findCaseForReply?: ReplyFinder): IngestResult {
  return ingestMessage(tx, msg, workflowContext(app), { ...effectsHook(app), ...(findCaseForReply ? { findCaseForReply } : {}) });
}

/** Runs a workflow command as Otklik itself (the system actor). */
export function runSystemCommand(tx: Db, app: AppContext, caseId: number, command: Omit<Command, 'actor'> & { type: Command['type'] }) {
  return executeCommand(tx, caseId, { ...command, actor: SYSTEM_ACTOR } as Command, workflowContext(app), effectsHook(app));
}

/**
 * Stores a message without registering a case, then attaches it to an open case (a follow-up by the
 * author: `attachMessage`). Returns the message id, or null when the case refused it.
 */
export function attachFollowUp(tx: Db, msg: IncomingMessage, caseId: number, app: AppContext): { messageId: number; ok: boolean; refusal?: string } {
  const now = app.clock.now().toMillis();
  const messageId = tx
    .insert(messages)
    .values({
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
    })
    .returning({ id: messages.id })
    .get().id;
  const r = runSystemCommand(tx, app, caseId, { type: 'attachMessage', messageId, comment: 'follow-up by the author' } as never);
  return r.ok ? { messageId, ok: true } : { messageId, ok: false, refusal: r.refusal.message };
}

/** Records that the approved answer is published (command recordPublication, by the system). */
export function recordPublication(tx: Db, caseId: number, input: { externalId: string | null; permalink: string | null }, app: AppContext): boolean {
  const r = runSystemCommand(tx, app, caseId, { type: 'recordPublication', ...input } as never);
  if (!r.ok) app.logger.warn({ caseId, refusal: r.refusal.message }, 'sources: publication not recorded on the case');
  return r.ok;
}

/** External ids (comment ids) of what Otklik published on a case. */
export function publishedIds(tx: Db, caseId: number): string[] {
  return tx
    .select({ id: publications.externalId })
    .from(publications)
    .where(eq(publications.caseId, caseId))
    .all()
    .flatMap((r) => (r.id ? [r.id] : []));
}

