import type Database from 'better-sqlite3';
import { stem, tokens, words } from '../domain/assist/stem.js';
import { handleOf } from './connection.js';

/**
 * Full-text search over cases with Russian morphology: an SQLite FTS5 table of stems (rowid = case
 * id) — every message of the case, the author's name, the topic and the location, each word reduced
 * by the Snowball stemmer — ranked by bm25. A query's words are stemmed the same way and matched as
 * prefixes, so «ям» finds «яма», «ямы», «ямочный» and «Ленина» finds «ул. Ленина».
 *
 * The table is derived data, kept current where the data changes: a case is (re)indexed in the very
 * transaction that stores its message, a reply, its topic or location, or a joined message
 * (`indexCaseInTx`, from the command runner), so a search never indexes anything. An older database
 * (or one written while the table did not exist) is caught up by `catchUpInBackground` when the
 * service starts — in small transactions, yielding between them — from a watermark kept beside the
 * table (every case updated up to it, and every message up to its id, is indexed). The table needs no migration: a lost one is
 * simply rebuilt.
 */

const TABLE = 'case_search';
const META = 'case_search_meta';
const ready = new WeakSet<Database.Database>();
/** Handles whose start-up catch-up finished: from then on each in-transaction index moves the watermark. */
const caughtUp = new WeakSet<Database.Database>();

/** Creates the table and its watermark (outside any transaction: the service calls it at start). */
export function ensureSearchIndex(handle: Database.Database): void {
  // The service passes the handle, the command runner drizzle's (behind the statement cache): one key.
  const sqlite = handleOf(handle);
  if (ready.has(sqlite)) return;
  sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${TABLE} USING fts5(stems, tokenize = 'unicode61 remove_diacritics 0');
    CREATE TABLE IF NOT EXISTS ${META} (id INTEGER PRIMARY KEY CHECK (id = 1), updated_at INTEGER NOT NULL, message_id INTEGER NOT NULL);
    INSERT OR IGNORE INTO ${META} (id, updated_at, message_id) VALUES (1, -1, 0);`);
  ready.add(sqlite);
}

/** Whether the table exists (created by the service at start); checked once per connection. */
function exists(sqlite: Database.Database): boolean {
  if (ready.has(sqlite)) return true;
  const row = sqlite.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name IN ('${TABLE}', '${META}')`).get() as { n: number };
  if (row.n === 2) ready.add(sqlite);
  return row.n === 2;
}

/** The stems of a text as stored in the index (numbers kept: house numbers, case numbers). */
export function indexStems(text: string): string {
  return words(text)
    .map((w) => (/^\d+$/.test(w) ? w : stemOf(w)))
    .join(' ');
}

/**
 * `stem`, remembered: every new message is indexed, and citizens' messages repeat their words (street
 * names, «яма», «мусор»), so most words were stemmed before. Bounded: emptied when full.
 */
const STEMS_KEPT = 20_000;
const stemsKept = new Map<string, string>();
function stemOf(word: string): string {
  let s = stemsKept.get(word);
  if (s === undefined) {
    if (stemsKept.size >= STEMS_KEPT) stemsKept.clear();
    stemsKept.set(word, (s = stem(word)));
  }
  return s;
}

interface Statements {
  caseRow: Database.Statement;
  updatedAt: Database.Statement;
  texts: Database.Statement;
  del: Database.Statement;
  ins: Database.Statement;
  advance: Database.Statement;
}
/** Compiled once per connection: the index is written in every ingest transaction. */
const statements = new WeakMap<Database.Database, Statements>();
function stmts(sqlite: Database.Database): Statements {
  let st = statements.get(sqlite);
  if (!st) {
    st = {
      caseRow: sqlite.prepare('SELECT topic, location, updated_at AS updatedAt FROM cases WHERE id = ?'),
      updatedAt: sqlite.prepare('SELECT updated_at AS u FROM cases WHERE id = ?'),
      texts: sqlite.prepare(`SELECT m.id, m.text, m.author_name AS authorName FROM case_messages cm JOIN messages m ON m.id = cm.message_id WHERE cm.case_id = ? ORDER BY cm.position`),
      del: sqlite.prepare(`DELETE FROM ${TABLE} WHERE rowid = ?`),
      ins: sqlite.prepare(`INSERT INTO ${TABLE} (rowid, stems) VALUES (?, ?)`),
      advance: sqlite.prepare(`UPDATE ${META} SET updated_at = max(updated_at, ?), message_id = max(message_id, ?) WHERE id = 1`),
    };
    statements.set(sqlite, st);
  }
  return st;
}

/**
 * Writes one case's row; returns its updated_at and its highest message id (null when the case is gone).
 * `fresh`: the case was registered in this transaction, so it has no row to replace (a row is written in
 * the transaction of its case's change; an id given again after a rolled-back registration had none).
 */
function writeCase(sqlite: Database.Database, caseId: number, fresh = false, known?: CaseText): { updatedAt: number; messageId: number } | null {
  const st = stmts(sqlite);
  // Text given by the caller is used only while the case is as it was then (and still there: the
  // savepoint that registered it may have been rolled back since).
  const c =
    known && (st.updatedAt.get(caseId) as { u: number } | undefined)?.u === known.updatedAt
      ? known
      : (st.caseRow.get(caseId) as { topic: string | null; location: string | null; updatedAt: number } | undefined);
  if (!c) return null;
  const ms = known && c === known ? known.messages : (st.texts.all(caseId) as { id: number; text: string; authorName: string }[]);
  if (!fresh) st.del.run(caseId);
  st.ins.run(caseId, indexStems([...ms.flatMap((m) => [m.text, m.authorName]), c.topic ?? '', c.location ?? ''].join(' ')));
  return { updatedAt: c.updatedAt, messageId: Math.max(0, ...ms.map((m) => m.id)) };
}

function advance(sqlite: Database.Database, updatedAt: number, messageId: number): void {
  stmts(sqlite).advance.run(updatedAt, messageId);
}

/**
 * (Re)indexes one case inside the caller's transaction. Does nothing while the table does not exist
 * (a tool writing before the service ever started): the start-up catch-up indexes those.
 */
/** What the index holds of a case, when the caller has it at hand (a case just registered): no reads. */
export interface CaseText {
  topic: string | null;
  location: string | null;
  updatedAt: number;
  messages: { id: number; text: string; authorName: string }[];
}

/**
 * `fresh`: the case was registered in this transaction. `text`: the case as the index would read it,
 * given by the caller that has it at hand (used only if the case does not change again before it is written).
 */
export function indexCaseInTx(handle: Database.Database, caseId: number, opts: { fresh?: boolean; text?: CaseText } = {}): void {
  const sqlite = handleOf(handle);
  if (!exists(sqlite)) return;
  const fresh = opts.fresh === true;
  const later = deferred.get(sqlite);
  if (later) {
    // Registered earlier in the batch: still no row (the batch writes them at its end). Changed again:
    // the text given before is out of date, so it is read.
    const before = later.get(caseId);
    later.set(caseId, { fresh: fresh || before?.fresh === true, text: before ? undefined : opts.text });
    return;
  }
  const w = writeCase(sqlite, caseId, fresh, opts.text);
  if (w && caughtUp.has(sqlite)) advance(sqlite, w.updatedAt, w.messageId);
}

/** Per handle, while a batch of ingest runs (`indexAtEnd`): the cases it changed (and whether registered in it), indexed at its end. */
const deferred = new WeakMap<Database.Database, Map<number, { fresh: boolean; text: CaseText | undefined }>>();

/**
 * Runs `fn` — the body of a transaction that stores a batch of messages, each in its own savepoint —
 * and then indexes the cases it changed, once each, still in that transaction. FTS5 writes its pending
 * terms out at every savepoint's release (a new segment per message, merged later), so indexing each
 * case in its message's savepoint cost more than the message itself. A case rolled back with its
 * savepoint is no longer there and is skipped. Should the index write fail, the batch still commits
 * (its messages matter more than their searchability): `onError` hears it, and the cases stay
 * unindexed until their next change.
 */
export function indexAtEnd<T>(handle: Database.Database, fn: () => T, onError: (err: unknown) => void): T {
  const sqlite = handleOf(handle);
  if (deferred.has(sqlite)) return fn();
  const ids = new Map<number, { fresh: boolean; text: CaseText | undefined }>();
  deferred.set(sqlite, ids);
  let out: T;
  try {
    out = fn();
  } finally {
    deferred.delete(sqlite);
  }
  if (ids.size && exists(sqlite)) {
    try {
      sqlite.transaction(() => {
        // The watermark only grows (max): moved once, to the newest of the batch.
        let updatedAt = -1;
        let messageId = 0;
        for (const [id, { fresh, text }] of ids) {
          const w = writeCase(sqlite, id, fresh, text);
          if (w) [updatedAt, messageId] = [Math.max(updatedAt, w.updatedAt), Math.max(messageId, w.messageId)];
        }
        if (updatedAt >= 0 && caughtUp.has(sqlite)) advance(sqlite, updatedAt, messageId);
      })();
    } catch (err) {
      onError(err);
    }
  }
  return out;
}

/** The cases changed (or given new messages) since the watermark, in update order: those the catch-up re-indexes. */
function pending(sqlite: Database.Database): { id: number; u: number }[] {
  const meta = sqlite.prepare(`SELECT updated_at AS updatedAt, message_id AS messageId FROM ${META} WHERE id = 1`).get() as { updatedAt: number; messageId: number };
  return sqlite
    .prepare(
      `SELECT id, updated_at AS u FROM cases WHERE updated_at > ?
       UNION SELECT c.id, c.updated_at FROM case_messages cm JOIN cases c ON c.id = cm.case_id WHERE cm.message_id > ?
       ORDER BY 2, 1`,
    )
    .all(meta.updatedAt, meta.messageId) as { id: number; u: number }[];
}

/**
 * The start-up catch-up for an older database: the cases changed since the watermark, `chunk` per
 * transaction, yielding to the event loop between chunks so the bot keeps answering. Resolves with
 * how many cases were indexed; `shouldStop` ends it early (the watermark then stays where the last
 * finished chunk left it, and the next start goes on from there).
 */
export async function catchUpInBackground(handle: Database.Database, opts: { chunk?: number; shouldStop?: () => boolean } = {}): Promise<number> {
  const sqlite = handleOf(handle);
  ensureSearchIndex(sqlite);
  const sorted = pending(sqlite);
  const chunk = opts.chunk ?? 200;
  let done = 0;
  let messageId = 0;
  // In update order: the watermark may then advance after each chunk.
  for (let i = 0; i < sorted.length; i += chunk) {
    if (opts.shouldStop?.()) return done;
    const part = sorted.slice(i, i + chunk);
    const last = i + chunk >= sorted.length;
    sqlite.transaction(() => {
      for (const { id } of part) messageId = Math.max(messageId, writeCase(sqlite, id)?.messageId ?? 0);
      // Everything updated up to the watermark is indexed: stop short of a time the next chunk still has.
      // The message watermark moves only at the end (messages are not in update order).
      const u = part[part.length - 1]!.u;
      advance(sqlite, last || sorted[i + chunk]!.u > u ? u : u - 1, last ? messageId : 0);
    })();
    done += part.length;
    await new Promise((r) => setImmediate(r));
  }
  caughtUp.add(sqlite);
  return done;
}

/** The FTS5 query for a user's text: each content word's stem (or number) as a quoted prefix, all required. */
export function ftsQuery(query: string): string | null {
  const numbers = words(query).filter((w) => /^\d+$/.test(w));
  const terms = [
    ...new Set([
      ...tokens(query)
        .map((t) => t.stem)
        .filter((s) => s.length >= 2),
      ...numbers,
    ]),
  ];
  return terms.length ? terms.map((t) => `"${t.replace(/"/g, '')}"*`).join(' AND ') : null;
}

/** Cases having every word of `query`, best first (bm25), `limit` of them from `offset`, and how many match in all. */
export function searchCaseIds(sqlite: Database.Database, query: string, offset: number, limit: number): { ids: number[]; total: number } {
  const q = ftsQuery(query);
  if (!q) return { ids: [], total: 0 };
  ensureSearchIndex(sqlite);
  const total = (sqlite.prepare(`SELECT count(*) AS n FROM ${TABLE} WHERE ${TABLE} MATCH ?`).get(q) as { n: number }).n;
  if (!total) return { ids: [], total: 0 };
  const ids = (sqlite.prepare(`SELECT rowid AS id FROM ${TABLE} WHERE ${TABLE} MATCH ? ORDER BY bm25(${TABLE}), rowid DESC LIMIT ? OFFSET ?`).all(q, limit, offset) as { id: number }[]).map(
    (r) => r.id,
  );
  return { ids, total };
}
