import { eq, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { clientOf, insertRows, prepared } from './fast.js';
import { sourceEvents, vkUsers, moderationActions } from '../schema/sources.js';

export type SourceEventRow = typeof sourceEvents.$inferSelect;

/** Stores an event before it is acknowledged. Returns false when the same key was already stored (a redelivery). */
export function storeEvent(db: Db, e: { source: string; eventKey: string; type: string; via: string; payload: unknown; status?: 'pending' | 'failed'; note?: string }, now: number): boolean {
  // A rejected event (malformed, kept for the record) is stored already finished, never processed.
  const row: typeof sourceEvents.$inferInsert = { ...e, status: e.status ?? 'pending', receivedAt: now, ...(e.status === 'failed' ? { processedAt: now } : {}) };
  return insertRows(db, sourceEvents, [row], { onConflict: 'ON CONFLICT ("event_key") DO NOTHING', returning: 'id' }).length > 0;
}

export function pendingEvents(db: Db, source: string, limit = 200): SourceEventRow[] {
  // Once per batch of ingest, a row per event: plain SQL (drizzle maps every column of every row in JS);
  // the payload is the one JSON column.
  const client = clientOf(db);
  if (!client) throw new Error('pendingEvents: not a better-sqlite3 connection');
  const rows = client
    .prepare(
      `SELECT id, source, event_key AS eventKey, type, via, payload, status, note, received_at AS receivedAt, processed_at AS processedAt
         FROM source_events WHERE source = ? AND status = 'pending' ORDER BY id LIMIT ?`,
    )
    .all(source, limit) as (Omit<SourceEventRow, 'payload'> & { payload: string })[];
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
}

export function markEvent(db: Db, id: number, status: 'done' | 'ignored' | 'failed' | 'pending', note: string | null, now: number): void {
  // Once per event: plain SQL on the handle (these columns are plain text/integer, nothing to map).
  const client = clientOf(db);
  if (!client) throw new Error('markEvent: not a better-sqlite3 connection');
  client.prepare('UPDATE source_events SET status = ?, note = ?, processed_at = ? WHERE id = ?').run(status, note, status === 'pending' ? null : now, id);
}

export function cachedUsers(db: Db, ids: number[], maxAgeMs: number, now: number): Map<number, { name: string; screenName: string | null }> {
  const out = new Map<number, { name: string; screenName: string | null }>();
  if (!ids.length) return out;
  // Once per batch, with up to a batch of ids: one statement whatever their number (the ids as a JSON array).
  const client = clientOf(db);
  if (!client) throw new Error('cachedUsers: not a better-sqlite3 connection');
  const rows = client.prepare('SELECT id, name, screen_name AS screenName, fetched_at AS fetchedAt FROM vk_users WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
    id: number;
    name: string;
    screenName: string | null;
    fetchedAt: number;
  }[];
  for (const r of rows) if (now - r.fetchedAt <= maxAgeMs) out.set(r.id, { name: r.name, screenName: r.screenName });
  return out;
}

export function cacheUser(db: Db, u: { id: number; name: string; screenName: string | null }, now: number): void {
  const q = prepared(db, 'sources.cacheUser', () =>
    db
      .insert(vkUsers)
      .values({ id: sql.placeholder('id'), name: sql.placeholder('name'), screenName: sql.placeholder('screenName'), fetchedAt: sql.placeholder('now') })
      .onConflictDoUpdate({ target: vkUsers.id, set: { name: sql`${sql.placeholder('name')}`, screenName: sql`${sql.placeholder('screenName')}`, fetchedAt: sql`${sql.placeholder('now')}` } })
      .prepare(),
  );
  q.run({ id: u.id, name: u.name, screenName: u.screenName, now });
}

export type ModerationInput = Omit<typeof moderationActions.$inferInsert, 'id' | 'status' | 'error' | 'doneAt'>;

export function recordModeration(db: Db, m: ModerationInput): number {
  return db
    .insert(moderationActions)
    .values({ ...m, status: 'queued' })
    .returning({ id: moderationActions.id })
    .get().id;
}

export function finishModeration(db: Db, id: number, ok: boolean, error: string | null, now: number): void {
  db.update(moderationActions)
    .set({ status: ok ? 'done' : 'failed', error, doneAt: now })
    .where(eq(moderationActions.id, id))
    .run();
}

/** The stored event with this key, or null. */
export function eventByKey(db: Db, eventKey: string): SourceEventRow | null {
  return db.select().from(sourceEvents).where(eq(sourceEvents.eventKey, eventKey)).get() ?? null;
}
