import { and, eq } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { jobRuns } from '../schema/scheduler.js';

/** Runs of the periodic jobs, one row per job and period (a period is done once). */

export type JobRunRow = typeof jobRuns.$inferSelect;

export function jobRunOf(db: Db, job: string, period: string): JobRunRow | null {
  return (
    db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period)))
      .get() ?? null
  );
}

/** Marks a run started: a new row, or another attempt of an earlier one. */
export function startJobRun(db: Db, run: { job: string; period: string; scheduledFor: number; late: boolean }, existing: JobRunRow | null, now: number): void {
  if (existing) {
    db.update(jobRuns)
      .set({ status: 'running', startedAt: now, attempts: existing.attempts + 1, late: existing.late || run.late })
      .where(eq(jobRuns.id, existing.id))
      .run();
  } else {
    db.insert(jobRuns).values({ job: run.job, period: run.period, status: 'running', scheduledFor: run.scheduledFor, startedAt: now, late: run.late }).run();
  }
}

export function finishJobRun(db: Db, job: string, period: string, status: 'done' | 'failed', note: string | null, now: number): void {
  db.update(jobRuns)
    .set({ status, finishedAt: now, note })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period)))
    .run();
}
