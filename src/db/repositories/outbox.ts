import { and, asc, eq, lte, sql, inArray } from 'drizzle-orm';
import { outbox } from '../schema/outbox.js';
import type { Db } from '../connection.js';
import { insertRows } from './fast.js';

/** The outbox table: queued rows, the worker's claims and outcomes (src/outbox/queue.ts queues, the worker sends). */

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = Omit<typeof outbox.$inferInsert, 'id' | 'status' | 'attempts'>;

/** Inserts a row; null when its idempotency key was already queued. */
export function insertOutboxRow(db: Db, row: NewOutboxRow): number | null {
  // A prepared statement per connection (fast.ts), not drizzle's builder: every card goes through here.
  const ids = insertRows(db, outbox, [row], { onConflict: 'ON CONFLICT ("idempotency_key") DO NOTHING', returning: 'id' });
  return (ids[0] as number | undefined) ?? null;
}

/**
 * Due rows, urgent first, at most the head row of each throttle key: the worker sends one row of a
 * key at a time anyway, and without this a backlog of one busy chat (hundreds of cards to the
 * administrator after a storm of comments) would fill the batch and starve every other chat and VK.
 */
export function dueActions(db: Db, now: number, limit: number, channels?: readonly string[]): OutboxRow[] {
  const due = and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now));
  const heads = db
    .select({
      id: outbox.id,
      priority: outbox.priority,
      rn: sql<number>`row_number() over (partition by coalesce(${outbox.throttleKey}, 'row:' || ${outbox.id}) order by ${outbox.priority}, ${outbox.id})`.as('rn'),
    })
    .from(outbox)
    // Per lane (lanes.ts): one remote's backlog cannot fill the batch another lane reads.
    .where(channels ? and(due, inArray(outbox.channel, [...channels])) : due)
    .as('heads');
  const ids = db
    .select({ id: heads.id })
    .from(heads)
    .where(eq(heads.rn, 1))
    .orderBy(asc(heads.priority), asc(heads.id))
    .limit(limit)
    .all()
    .map((r) => r.id);
  if (ids.length === 0) return [];
  return db.select().from(outbox).where(inArray(outbox.id, ids)).orderBy(asc(outbox.priority), asc(outbox.id)).all();
}

export function markSent(db: Db, id: number, result: Record<string, unknown> | null, now: number): void {
  db.update(outbox).set({ status: 'sent', result, sentAt: now, lastError: null }).where(eq(outbox.id, id)).run();
}

export function markRetry(db: Db, id: number, error: string, nextAttemptAt: number): void {
  db.update(outbox)
    .set({ status: 'pending', attempts: sql`${outbox.attempts} + 1`, lastError: error, nextAttemptAt })
    .where(eq(outbox.id, id))
    .run();
}

export function markFailed(db: Db, id: number, error: string): void {
  db.update(outbox)
    .set({ status: 'failed', attempts: sql`${outbox.attempts} + 1`, lastError: error })
    .where(eq(outbox.id, id))
    .run();
}

/** A crash between "sending" and "sent" leaves rows in `sending`: at start they are due again (idempotent senders make that safe). */
export function resetInFlight(db: Db): number {
  return db.update(outbox).set({ status: 'pending' }).where(eq(outbox.status, 'sending')).run().changes;
}

export function markSending(db: Db, ids: number[]): void {
  if (ids.length) db.update(outbox).set({ status: 'sending' }).where(inArray(outbox.id, ids)).run();
}

export function failedActions(db: Db, limit = 50): OutboxRow[] {
  return db.select().from(outbox).where(eq(outbox.status, 'failed')).orderBy(asc(outbox.id)).limit(limit).all();
}

export function pendingCount(db: Db): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(outbox)
      .where(inArray(outbox.status, ['pending', 'sending']))
      .get()?.n ?? 0
  );
}
