import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/connection.js';
import { jobRuns } from '../db/schema/scheduler.js';
import { kv } from '../db/schema/system.js';

/**
 * Periodic jobs with catch-up. Each job names, for any instant, its latest scheduled
 * run at or before it (`lastDue`). Every tick (and at start) a job whose latest run has no `done`
 * row in `job_runs` runs now — on time, or LATE when its time passed while the service was down.
 * So a report or digest due during a downtime is sent once on start, marked late, never skipped;
 * a crash in the middle of a run leaves a `running`/`failed` row that is retried.
 * Runs scheduled before the scheduler's first start (kv `scheduler.since`) are not caught up: a
 * fresh installation does not send last month's summary at once.
 */

export interface JobRunContext {
  period: string;
  scheduledFor: DateTime;
  now: DateTime;
  late: boolean;
}

export interface PeriodicJob {
  name: string;
  lastDue(now: DateTime): { period: string; at: DateTime } | null;
  /** Returns a short note for job_runs. Must be idempotent per period (outbox idempotency keys). */
  run(ctx: JobRunContext): Promise<string | void>;
}

/** A run counts as late when it starts more than this after its time. */
export const LATE_AFTER_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;
const SINCE_KEY = 'scheduler.since';

/** The instant the scheduler first ran in this database (set once). */
export function schedulerSince(db: Db, now: number): number {
  const row = db.select().from(kv).where(eq(kv.key, SINCE_KEY)).get();
  if (row) return Number(row.value);
  db.insert(kv).values({ key: SINCE_KEY, value: String(now), updatedAt: now }).onConflictDoNothing().run();
  return Number(db.select().from(kv).where(eq(kv.key, SINCE_KEY)).get()!.value);
}

export type JobOutcome = 'skipped' | 'done' | 'late' | 'failed';

export async function runIfDue(db: Db, job: PeriodicJob, now: DateTime, since: number): Promise<JobOutcome> {
  const due = job.lastDue(now);
  if (!due || due.at.toMillis() < since) return 'skipped';
  const existing = db.select().from(jobRuns).where(and(eq(jobRuns.job, job.name), eq(jobRuns.period, due.period))).get();
  if (existing && (existing.status === 'done' || existing.attempts >= MAX_ATTEMPTS)) return 'skipped';
  const late = now.toMillis() - due.at.toMillis() > LATE_AFTER_MS;
  const t = now.toMillis();
  if (existing) {
    db.update(jobRuns)
      .set({ status: 'running', startedAt: t, attempts: existing.attempts + 1, late: existing.late || late })
      .where(eq(jobRuns.id, existing.id))
      .run();
  } else {
    db.insert(jobRuns).values({ job: job.name, period: due.period, status: 'running', scheduledFor: due.at.toMillis(), startedAt: t, late }).run();
  }
  try {
    const note = await job.run({ period: due.period, scheduledFor: due.at, now, late });
    db.update(jobRuns)
      .set({ status: 'done', finishedAt: Date.now(), note: note ?? null })
      .where(and(eq(jobRuns.job, job.name), eq(jobRuns.period, due.period)))
      .run();
    return late ? 'late' : 'done';
  } catch (err) {
    db.update(jobRuns)
      .set({ status: 'failed', finishedAt: Date.now(), note: err instanceof Error ? err.message.slice(0, 500) : String(err) })
      .where(and(eq(jobRuns.job, job.name), eq(jobRuns.period, due.period)))
      .run();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------------------------

/** Daily at HH:MM in the organization's zone; period = the local date. */
export function dailyAt(hhmm: string): PeriodicJob['lastDue'] {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return (now) => {
    let at = now.set({ hour: h, minute: m, second: 0, millisecond: 0 });
    if (at > now) at = at.minus({ days: 1 });
    return { period: at.toISODate()!, at };
  };
}

/** Monthly on day 1 at HH:MM; period = the PREVIOUS month `YYYY-MM` (the month the report covers). */
export function monthlyOnFirstAt(hhmm: string): PeriodicJob['lastDue'] {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return (now) => {
    let at = now.startOf('month').set({ hour: h, minute: m });
    if (at > now) at = at.minus({ months: 1 });
    return { period: at.minus({ months: 1 }).toFormat('yyyy-MM'), at };
  };
}

