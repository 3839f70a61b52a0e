import { and, asc, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { reminderMarks, violations } from '../schema/scheduler.js';
import { clientOf, insertRows } from './fast.js';

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

// The watch writes and reads these for every due window of a tick: without drizzle's query builder
// (repositories/fast.ts), which built each statement's SQL in JS.

/** Records a breach; 0 when this deadline window's breach was recorded already. */
export function recordViolation(db: Db, violation: typeof violations.$inferInsert): number {
  return insertRows(db, violations, [violation], { onConflict: 'ON CONFLICT DO NOTHING', returning: 'id' }).length;
}

/** An unresolved violation with the state of its deadline now (null: the deadline is gone). */
export interface OpenViolation {
  id: number;
  caseId: number;
  deadlineSeq: number;
  dueAt: number;
  overdueMinutes: number;
  deadline: { status: string; dueAt: number; closedAt: number | null } | null;
}

/**
 * Unresolved violations with their deadlines, in one read (index `violations_open_idx`); `onlyDone`:
 * only those whose step is done (met, cancelled, the window moved, the deadline gone).
 */
export function openViolations(db: Db, opts: { onlyDone?: boolean } = {}): OpenViolation[] {
  const rows = clientOf(db)!
    .prepare(
      `SELECT v.id, v.case_id AS caseId, v.deadline_seq AS deadlineSeq, v.due_at AS dueAt, v.overdue_minutes AS overdueMinutes,
              d.status AS status, d.due_at AS deadlineDueAt, d.closed_at AS closedAt
         FROM violations v LEFT JOIN deadlines d ON d.case_id = v.case_id AND d.seq = v.deadline_seq
        WHERE v.resolved_at IS NULL
          AND (? = 0 OR d.case_id IS NULL OR d.status IN ('met', 'cancelled') OR d.due_at != v.due_at)`,
    )
    .all(opts.onlyDone ? 1 : 0) as (Omit<OpenViolation, 'deadline'> & { status: string | null; deadlineDueAt: number | null; closedAt: number | null })[];
  return rows.map(({ status, deadlineDueAt, closedAt, ...v }) => ({ ...v, deadline: status === null ? null : { status, dueAt: deadlineDueAt!, closedAt } }));
}

export function updateViolation(db: Db, id: number, overdueMinutes: number, resolvedAt: number | null): void {
  clientOf(db)!.prepare('UPDATE violations SET overdue_minutes = ?, resolved_at = ? WHERE id = ?').run(overdueMinutes, resolvedAt, id);
}

/** The reminder points of this deadline window already sent. */
export function sentThresholds(db: Db, caseId: number, deadlineSeq: number, dueAt: number): string[] {
  const rows = clientOf(db)!.prepare('SELECT threshold FROM reminder_marks WHERE case_id = ? AND deadline_seq = ? AND due_at = ?').all(caseId, deadlineSeq, dueAt) as { threshold: string }[];
  return rows.map((r) => r.threshold);
}

export function markThresholdSent(db: Db, mark: typeof reminderMarks.$inferInsert): void {
  insertRows(db, reminderMarks, [mark], { onConflict: 'ON CONFLICT DO NOTHING' });
}
