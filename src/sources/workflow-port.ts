import type { AppContext } from '../app/context.js';
import type { Db } from '../db/connection.js';
import { eq } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Author, type IncomingMessage, type Message } from '../domain/workflow/model.js';
import type { WorkflowContext } from '../domain/workflow/commands.js';
import { caseMessages, cases, messages } from '../db/schema/cases.js';
import { executeCommand, ingestMessage, loadMessage } from '../db/repositories/index.js';

/**
 * What the sources need from the case workflow's storage (src/db/repositories, another module).
 * Kept as a narrow port so the sources can be tested alone and so the repositories' exact names
 * live in one place.
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

export interface IngestOutcome {
  messageId: number;
  caseId: number | null;
  /** The same sourceKey was already stored: nothing was written. */
  duplicate: boolean;
}

export interface SourcesWorkflowPort {
  /** Stores the message (dedupe on sourceKey) and registers or attaches a case, in the caller's transaction. */
  ingest(tx: Db, msg: IncomingMessage, app: AppContext): IngestOutcome;
  messageById(tx: Db, id: number): StoredMessage | null;
  messageBySourceKey(tx: Db, sourceKey: string): StoredMessage | null;
  /** An edit/delete/restore in the network: keep the stored message in step (the raw original stays). */
  updateMessage?(tx: Db, sourceKey: string, patch: { text?: string; deleted?: boolean }): void;
  /** The human-friendly number of a case (№ 42). */
  caseNumber(tx: Db, caseId: number): number | null;
  /** Records that the approved answer is published (command recordPublication, by the system). */
  recordPublication(tx: Db, caseId: number, input: { externalId: string | null; permalink: string | null }, app: AppContext): boolean;
}

/** The port over src/db/repositories (issue 4's command runner and ingest). */
export function repositoriesPort(): SourcesWorkflowPort {
  const ctx = (app: AppContext): WorkflowContext => ({ regulation: app.regulation, workingTime: app.workingTime, clock: app.clock });
  const caseOf = (tx: Db, messageId: number): number | null =>
    tx.select({ caseId: caseMessages.caseId }).from(caseMessages).where(eq(caseMessages.messageId, messageId)).get()?.caseId ?? null;
  const toStored = (tx: Db, m: Message | null): StoredMessage | null =>
    m
      ? { id: m.id, caseId: caseOf(tx, m.id), sourceKey: m.sourceKey, kind: m.kind, network: m.network, threadKey: m.threadKey, author: m.author, text: m.text, permalink: m.permalink }
      : null;
  return {
    ingest: (tx, msg, app) => {
      const r = ingestMessage(tx, msg, ctx(app), { onEffects: (t, effects) => app.applyEffects(t as Db, effects) });
      return { messageId: r.messageId, caseId: r.caseId, duplicate: r.duplicate };
    },
    messageById: (tx, id) => toStored(tx, loadMessage(tx, id)),
    messageBySourceKey: (tx, key) => {
      const row = tx.select({ id: messages.id }).from(messages).where(eq(messages.sourceKey, key)).get();
      return row ? toStored(tx, loadMessage(tx, row.id)) : null;
    },
    caseNumber: (tx, caseId) => tx.select({ n: cases.number }).from(cases).where(eq(cases.id, caseId)).get()?.n ?? null,
    recordPublication: (tx, caseId, input, app) => {
      const r = executeCommand(tx, caseId, { type: 'recordPublication', actor: SYSTEM_ACTOR, ...input }, ctx(app), {
        onEffects: (t, effects) => app.applyEffects(t as Db, effects),
      });
      if (!r.ok) app.logger.warn({ caseId, refusal: r.refusal.message }, 'sources: publication not recorded on the case');
      return r.ok;
    },
  };
}

export async function loadWorkflowPort(): Promise<{ port: SourcesWorkflowPort | null; reason: string | null }> {
  return { port: repositoriesPort(), reason: null };
}
