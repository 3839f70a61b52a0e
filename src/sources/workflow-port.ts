import type { AppContext } from '../app/context.js';
import type { Db } from '../db/connection.js';
import type { Author, IncomingMessage } from '../domain/workflow/model.js';

/**
 * What the sources need from the case workflow's storage (src/db/repositories, another module).
 * Kept as a narrow port so the sources can be tested alone and so the repositories' exact names
 * live in one place: `loadWorkflowPort()` adapts whatever src/db/repositories exports.
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

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Resolves the port from src/db/repositories at run time (the module lands in parallel; its names
 * are matched here, in one place). Returns null, with the reason, when it is not there yet: the
 * collector then stores events as `pending` and ingests them once the port exists (next start).
 */
export async function loadWorkflowPort(): Promise<{ port: SourcesWorkflowPort | null; reason: string | null }> {
  let mod: Record<string, unknown>;
  try {
    const spec = '../db/repositories/index.js';
    mod = (await import(spec)) as Record<string, unknown>;
  } catch (err) {
    return { port: null, reason: `src/db/repositories is not available: ${(err as Error).message}` };
  }
  const pick = (...names: string[]): AnyFn | null => {
    for (const n of names) if (typeof mod[n] === 'function') return mod[n] as AnyFn;
    return null;
  };
  const ingest = pick('ingestMessage');
  const byId = pick('getMessage', 'messageById', 'findMessageById', 'loadMessage');
  const byKey = pick('getMessageBySourceKey', 'messageBySourceKey', 'findMessageBySourceKey');
  const execute = pick('executeCommand');
  const loadCase = pick('loadCase', 'getCase', 'caseById');
  const update = pick('updateMessageContent', 'updateMessage');
  const missing = [
    ['ingestMessage', ingest],
    ['getMessage', byId],
    ['getMessageBySourceKey', byKey],
    ['executeCommand', execute],
  ]
    .filter(([, f]) => !f)
    .map(([n]) => n);
  if (missing.length) return { port: null, reason: `src/db/repositories lacks ${missing.join(', ')}` };

  const asMessage = (m: unknown): StoredMessage | null => (m && typeof m === 'object' ? (m as StoredMessage) : null);
  const port: SourcesWorkflowPort = {
    ingest: (tx, msg, app) => {
      const r = ingest!(tx, msg, app) as Partial<IngestOutcome> & { message?: { id: number }; case?: { id: number } | null };
      return {
        messageId: r.messageId ?? r.message?.id ?? 0,
        caseId: r.caseId ?? r.case?.id ?? null,
        duplicate: Boolean(r.duplicate),
      };
    },
    messageById: (tx, id) => asMessage(byId!(tx, id)),
    messageBySourceKey: (tx, key) => asMessage(byKey!(tx, key)),
    updateMessage: update ? (tx, key, patch) => void update(tx, key, patch) : undefined,
    caseNumber: (tx, caseId) => {
      const c = loadCase?.(tx, caseId) as { number?: number } | null | undefined;
      return c?.number ?? caseId;
    },
    recordPublication: (tx, caseId, input, app) => {
      try {
        const r = execute!(tx, caseId, { type: 'recordPublication', actor: SYSTEM, ...input }, app) as { ok?: boolean } | undefined;
        return r?.ok !== false;
      } catch (err) {
        app.logger.warn({ err: (err as Error).message, caseId }, 'sources: publication not recorded on the case');
        return false;
      }
    },
  };
  return { port, reason: null };
}

const SYSTEM = Object.freeze({ staffId: null, name: 'Отклик', roles: [], departmentId: null });
