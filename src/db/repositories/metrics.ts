import type Database from 'better-sqlite3';

/**
 * The figures `/metrics` reads at scrape time (src/app/observability.ts): counts over the stored events,
 * cases, deadlines and the outbox, always current, nothing kept in step.
 */

export interface StatusCount {
  status: string;
  n: number;
}

/** Incoming events stored, by processing status. */
export function sourceEventsByStatus(sqlite: Database.Database): StatusCount[] {
  return sqlite.prepare('SELECT status, count(*) AS n FROM source_events GROUP BY status').all() as StatusCount[];
}

/** Cases by status. */
export function casesByStatus(sqlite: Database.Database): StatusCount[] {
  return sqlite.prepare('SELECT status, count(*) AS n FROM cases GROUP BY status').all() as StatusCount[];
}

/** Open deadlines. */
export function openDeadlineCount(sqlite: Database.Database): number {
  return (sqlite.prepare("SELECT count(*) AS n FROM deadlines WHERE status = 'open'").get() as { n: number }).n;
}

/** Open deadlines already past due at `now`. */
export function breachedDeadlineCount(sqlite: Database.Database, now: number): number {
  return (sqlite.prepare("SELECT count(*) AS n FROM deadlines WHERE status = 'open' AND due_at < ?").get(now) as { n: number }).n;
}

/** Actions waiting in the outbox (pending or being sent), per lane, with the creation time of the oldest. */
export function waitingOutboxByLane(sqlite: Database.Database): { channel: string; n: number; oldest: number }[] {
  return sqlite.prepare("SELECT channel, count(*) AS n, min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending') GROUP BY channel").all() as {
    channel: string;
    n: number;
    oldest: number;
  }[];
}
