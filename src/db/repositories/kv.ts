import { eq } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { kv } from '../schema/system.js';

/** The key-value table: small pieces of state (cursors, flags, pending inputs) that need no table of their own. */

export function getKv(db: Db, key: string): string | null {
  return db.select({ value: kv.value }).from(kv).where(eq(kv.key, key)).get()?.value ?? null;
}

export function setKv(db: Db, key: string, value: string, now: number): void {
  db.insert(kv)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: kv.key, set: { value, updatedAt: now } })
    .run();
}

/** Sets the key only when it is not set yet. */
export function setKvOnce(db: Db, key: string, value: string, now: number): void {
  db.insert(kv).values({ key, value, updatedAt: now }).onConflictDoNothing().run();
}

export function deleteKv(db: Db, key: string): void {
  db.delete(kv).where(eq(kv.key, key)).run();
}
