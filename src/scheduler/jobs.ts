import { DateTime } from 'luxon';
import type { Db } from '../db/connection.js';
import { finishJobRun, jobRunOf, startJobRun } from '../db/repositories/job-runs.js';
import { getKv, setKvOnce } from '../db/repositories/kv.js';

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
  const stored = getKv(db, SINCE_KEY);
  if (stored !== null) return Number(stored);
  setKvOnce(db, SINCE_KEY, String(now), now);
  return Number(getKv(db, SINCE_KEY)!);
}

export type JobOutcome = 'skipped' | 'done' | 'late' | 'failed';

export async function runIfDue(db: Db, job: PeriodicJob, now: DateTime, since: number): Promise<JobOutcome> {
  const due = job.lastDue(now);
  if (!due || due.at.toMillis() < since) return 'skipped';
  const existing = jobRunOf(db, job.name, due.period);
  if (existing && (existing.status === 'done' || existing.attempts >= MAX_ATTEMPTS)) return 'skipped';
  const late = now.toMillis() - due.at.toMillis() > LATE_AFTER_MS;
  const t = now.toMillis();
  startJobRun(db, { job: job.name, period: due.period, scheduledFor: due.at.toMillis(), late }, existing, t);
  try {
    const note = await job.run({ period: due.period, scheduledFor: due.at, now, late });
    finishJobRun(db, job.name, due.period, 'done', note ?? null, Date.now());
    return late ? 'late' : 'done';
  } catch (err) {
    finishJobRun(db, job.name, due.period, 'failed', err instanceof Error ? err.message.slice(0, 500) : String(err), Date.now());
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
