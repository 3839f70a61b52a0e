import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { reminderMarks, violations } from '../schema/scheduler.js';

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
  if (ids.length)
    db.update(violations)
      .set({ digestedAt: upTo })
      .where(inArray(violations.id, [...ids]))
      .run();
}

/** Records a breach; 0 when this deadline window's breach was recorded already. */
export function recordViolation(db: Db, violation: typeof violations.$inferInsert): number {
  return db.insert(violations).values(violation).onConflictDoNothing().run().changes;
}

export function unresolvedViolations(db: Db): ViolationRow[] {
  return db.select().from(violations).where(isNull(violations.resolvedAt)).all();
}

export function updateViolation(db: Db, id: number, overdueMinutes: number, resolvedAt: number | null): void {
  db.update(violations).set({ overdueMinutes, resolvedAt }).where(eq(violations.id, id)).run();
}

/** The reminder points of this deadline window already sent. */
export function sentThresholds(db: Db, caseId: number, deadlineSeq: number, dueAt: number): string[] {
  return db
    .select({ threshold: reminderMarks.threshold })
    .from(reminderMarks)
    .where(and(eq(reminderMarks.caseId, caseId), eq(reminderMarks.deadlineSeq, deadlineSeq), eq(reminderMarks.dueAt, dueAt)))
    .all()
    .map((r) => r.threshold);
}

export function markThresholdSent(db: Db, mark: typeof reminderMarks.$inferInsert): void {
  db.insert(reminderMarks).values(mark).onConflictDoNothing().run();
}
