import { asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { maxMessages, maxUpdates } from '../schema/max.js';
import { setKv } from './kv.js';

/** The MAX staff bot's stored updates and message-id map (src/max). */

export type StoredMaxUpdate = typeof maxUpdates.$inferSelect;

/**
 * Stores a batch of updates and, in the same transaction, the polling marker past them: the marker is
 * what acknowledges them to MAX, so it moves only once they are on disk. A redelivered update (same key)
 * is one row. Returns how many were new.
 */
export function storeMaxUpdates(db: Db, updates: readonly { key: string; update: Record<string, unknown> }[], marker: { kvKey: string; value: number } | null, now: number): number {
  return db.transaction((tx) => {
    let added = 0;
    for (const u of updates) added += tx.insert(maxUpdates).values({ updateKey: u.key, update: u.update, receivedAt: now }).onConflictDoNothing().run().changes;
    if (marker) setKv(tx, marker.kvKey, String(marker.value), now);
    return added;
  });
}

/** Updates stored and not yet handled, oldest first. */
export function pendingMaxUpdates(db: Db, limit = 100): StoredMaxUpdate[] {
  return db.select().from(maxUpdates).where(isNull(maxUpdates.handledAt)).orderBy(asc(maxUpdates.id)).limit(limit).all();
}

export function markMaxUpdateHandled(db: Db, id: number, now: number): void {
  db.update(maxUpdates).set({ handledAt: now }).where(eq(maxUpdates.id, id)).run();
}

/** The integer message id of a MAX message (given on first sight, the same ever after). */
export function maxMessageNumber(db: Db, mid: string, chatId: number, now: number): number {
  db.insert(maxMessages).values({ mid, chatId, createdAt: now }).onConflictDoNothing().run();
  return db.select({ id: maxMessages.id }).from(maxMessages).where(eq(maxMessages.mid, mid)).get()!.id;
}

/** The MAX message behind an integer message id, or null when it was never a MAX message. */
export function maxMessageOf(db: Db, id: number): { mid: string; chatId: number } | null {
  return db.select({ mid: maxMessages.mid, chatId: maxMessages.chatId }).from(maxMessages).where(eq(maxMessages.id, id)).get() ?? null;
}
