import type Database from 'better-sqlite3';
import { stem, tokens, words } from '../domain/assist/stem.js';

/**
 * Full-text search over cases with Russian morphology: an SQLite FTS5 table of stems (rowid = case
 * id) — every message of the case, the author's name, the topic and the location, each word reduced
 * by the Snowball stemmer — ranked by bm25. A query's words are stemmed the same way and matched as
 * prefixes, so «ям» finds «яма», «ямы», «ямочный» and «Ленина» finds «ул. Ленина».
 *
 * The table is derived data: it is created when first needed and caught up before each search from
 * the cases changed since the last one (a watermark kept beside it), so it never needs a migration
 * of its own and a lost table is simply rebuilt.
 */

const TABLE = 'case_search';
const META = 'case_search_meta';
const ready = new WeakSet<Database.Database>();

function ensure(sqlite: Database.Database): void {
  if (ready.has(sqlite)) return;
  sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${TABLE} USING fts5(stems, tokenize = 'unicode61 remove_diacritics 0');
    CREATE TABLE IF NOT EXISTS ${META} (id INTEGER PRIMARY KEY CHECK (id = 1), updated_at INTEGER NOT NULL, message_id INTEGER NOT NULL);
    INSERT OR IGNORE INTO ${META} (id, updated_at, message_id) VALUES (1, -1, 0);`);
  ready.add(sqlite);
}

/** The stems of a text as stored in the index (numbers kept: house numbers, case numbers). */
export function indexStems(text: string): string {
  return words(text)
    .map((w) => (/^\d+$/.test(w) ? w : stem(w)))
    .join(' ');
}

/** Re-indexes the cases changed (or given new messages) since the last catch-up. */
export function catchUpIndex(sqlite: Database.Database): number {
  ensure(sqlite);
  const meta = sqlite.prepare(`SELECT updated_at AS updatedAt, message_id AS messageId FROM ${META} WHERE id = 1`).get() as { updatedAt: number; messageId: number };
  const changed = sqlite
    .prepare(
      `SELECT id FROM cases WHERE updated_at >= ?
       UNION SELECT case_id FROM case_messages WHERE message_id > ?`,
    )
    .all(meta.updatedAt, meta.messageId) as { id: number }[];
  if (!changed.length) return 0;
  const caseRow = sqlite.prepare('SELECT topic, location, updated_at AS updatedAt FROM cases WHERE id = ?');
  const texts = sqlite.prepare(
    `SELECT m.id, m.text, m.author_name AS authorName FROM case_messages cm JOIN messages m ON m.id = cm.message_id WHERE cm.case_id = ? ORDER BY cm.position`,
  );
  const del = sqlite.prepare(`DELETE FROM ${TABLE} WHERE rowid = ?`);
  const ins = sqlite.prepare(`INSERT INTO ${TABLE} (rowid, stems) VALUES (?, ?)`);
  let updatedAt = meta.updatedAt;
  let messageId = meta.messageId;
  sqlite.transaction(() => {
    for (const { id } of changed) {
      const c = caseRow.get(id) as { topic: string | null; location: string | null; updatedAt: number } | undefined;
      if (!c) continue;
      const ms = texts.all(id) as { id: number; text: string; authorName: string }[];
      del.run(id);
      ins.run(id, indexStems([...ms.flatMap((m) => [m.text, m.authorName]), c.topic ?? '', c.location ?? ''].join(' ')));
      updatedAt = Math.max(updatedAt, c.updatedAt);
      for (const m of ms) messageId = Math.max(messageId, m.id);
    }
    sqlite.prepare(`UPDATE ${META} SET updated_at = ?, message_id = ? WHERE id = 1`).run(updatedAt, messageId);
  })();
  return changed.length;
}

/** The FTS5 query for a user's text: each content word's stem (or number) as a quoted prefix, all required. */
export function ftsQuery(query: string): string | null {
  const numbers = words(query).filter((w) => /^\d+$/.test(w));
  const terms = [...new Set([...tokens(query).map((t) => t.stem).filter((s) => s.length >= 2), ...numbers])];
  return terms.length ? terms.map((t) => `"${t.replace(/"/g, '')}"*`).join(' AND ') : null;
}

/** Cases having every word of `query`, best first (bm25), `limit` of them from `offset`, and how many match in all. */
export function searchCaseIds(sqlite: Database.Database, query: string, offset: number, limit: number): { ids: number[]; total: number } {
  const q = ftsQuery(query);
  if (!q) return { ids: [], total: 0 };
  catchUpIndex(sqlite);
  const total = (sqlite.prepare(`SELECT count(*) AS n FROM ${TABLE} WHERE ${TABLE} MATCH ?`).get(q) as { n: number }).n;
  if (!total) return { ids: [], total: 0 };
  const ids = (sqlite.prepare(`SELECT rowid AS id FROM ${TABLE} WHERE ${TABLE} MATCH ? ORDER BY bm25(${TABLE}), rowid DESC LIMIT ? OFFSET ?`).all(q, limit, offset) as { id: number }[]).map((r) => r.id);
  return { ids, total };
}
