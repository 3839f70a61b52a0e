import { and, asc, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { violations } from '../schema/scheduler.js';

/** Recorded violations (К21; А12, А13, А15) and the daily digest's mark on them. */

export type ViolationRow = typeof violations.$inferSelect;

/** Violations not digested yet, breached up to `upTo`, oldest first. */
export function undigestedViolations(db: Db, upTo: number): ViolationRow[] {
  return db
    .select()
    .from(violations)
    .where(and(isNull(violations.digestedAt), lte(violations.breachedAt, upTo)))
    .orderBy(asc(violations.breachedAt))
    .all();
}

export function markViolationsDigested(db: Db, ids: readonly number[], upTo: number): void {
  if (ids.length) db.update(violations).set({ digestedAt: upTo }).where(inArray(violations.id, [...ids])).run();
}
