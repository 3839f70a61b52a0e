import { and, count, eq, gte, inArray, isNull, lt, lte } from 'drizzle-orm';
import { CASE_STATUSES, TERMINAL_STATUSES } from '../../domain/workflow/index.js';
import type { Db } from '../connection.js';
import { cases, deadlines } from '../schema/cases.js';
import { spikeAlerts, violations } from '../schema/scheduler.js';

/** Statuses of cases still in work: `status IN (…)` searches cases_status_idx (NOT IN would scan every case). */
const OPEN_STATUSES = CASE_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

export interface DayCounts {
  open: number;
  urgent: number;
  dueToday: number;
  overdue: number;
  received: number;
  newViolations: number;
  spikes: { value: string; count: number }[];
}

/** The numbers of the head's `/today` digest for the day [dayStart, dayEnd], as of `now`. */
export function dayCounts(db: Db, dayStart: number, dayEnd: number, now: number): DayCounts {
  const n = (rows: { n: number }[]) => rows[0]?.n ?? 0;
  const openCase = inArray(cases.status, OPEN_STATUSES);
  return {
    open: n(db.select({ n: count() }).from(cases).where(openCase).all()),
    urgent: n(
      db
        .select({ n: count() })
        .from(cases)
        .where(and(openCase, eq(cases.urgent, true)))
        .all(),
    ),
    dueToday: n(
      db
        .select({ n: count() })
        .from(deadlines)
        .where(and(eq(deadlines.status, 'open'), gte(deadlines.dueAt, dayStart), lte(deadlines.dueAt, dayEnd)))
        .all(),
    ),
    overdue: n(
      db
        .select({ n: count() })
        .from(deadlines)
        .where(and(eq(deadlines.status, 'open'), lt(deadlines.dueAt, now)))
        .all(),
    ),
    received: n(
      db
        .select({ n: count() })
        .from(cases)
        .where(and(gte(cases.detectedAt, dayStart), lte(cases.detectedAt, dayEnd)))
        .all(),
    ),
    newViolations: n(db.select({ n: count() }).from(violations).where(gte(violations.breachedAt, dayStart)).all()),
    spikes: db.select({ value: spikeAlerts.value, count: spikeAlerts.count }).from(spikeAlerts).where(isNull(spikeAlerts.endedAt)).all(),
  };
}
