import { DateTime } from 'luxon';
import type { Duration } from '../time/duration.js';
import type { WorkingTime } from '../time/types.js';
import type { Regulation } from '../regulation/schema.js';
import type { Assignment, CaseState, Deadline, DeadlineKind, Millis } from './model.js';

/** Deadline arithmetic on top of the working-time engine. Pure. */

/** The deadline kind whose keeping is «answered on time» (К10, А7.3): the monthly summary counts it. */
export const ANSWER_KIND: DeadlineKind = 'answer';

/**
 * An instant for the working-time engine. The engine works in its own zone whatever zone an instant
 * carries (see WorkingTime), so instants go in as UTC: no time-zone lookup for each of the many
 * computations of the deadline watch and the reports.
 */
export function at(_wt: WorkingTime, ms: Millis): DateTime {
  return DateTime.fromMillis(ms, { zone: 'utc' });
}

export function addDuration(wt: WorkingTime, from: Millis, d: Duration): Millis {
  return wt.add(at(wt, from), d).toMillis();
}

export function addWorkingMinutes(wt: WorkingTime, from: Millis, minutes: number): Millis {
  const m = Math.round(minutes);
  if (m <= 0) return from;
  return wt.add(at(wt, from), { amount: m, unit: 'minutes', basis: 'working' }).toMillis();
}

export function workingMinutesBetween(wt: WorkingTime, from: Millis, to: Millis): number {
  if (to <= from) return 0;
  if (wt.workingMinutesBetweenMillis) return Math.floor(wt.workingMinutesBetweenMillis(from, to));
  return Math.floor(wt.workingMinutesBetween(at(wt, from), at(wt, to)));
}

function durationMinutes(d: Duration): number {
  // Lead times are stated in minutes or hours; a «day» of lead time counts as 8 working hours.
  const perUnit = d.unit === 'minutes' ? 1 : d.unit === 'hours' ? 60 : d.basis === 'working' ? 8 * 60 : 24 * 60;
  return d.amount * perUnit;
}

/**
 * «Не позднее чем за N часов до истечения срока» (К11, А7.4): the instant `lead` before `due`,
 * counted from `start`. With a working lead: the moment that leaves exactly `lead` working time
 * until `due`; never before `start`.
 */
export function beforeDue(wt: WorkingTime, start: Millis, due: Millis, lead: Duration): Millis {
  if (lead.basis === 'calendar') return Math.max(start, due - durationMinutes(lead) * 60_000);
  // Counted back from the due (as the CLI's timeline does), so a due on a whole minute gives a whole
  // minute whatever the seconds of `start`, and both agree at day boundaries.
  return Math.max(start, wt.subtract(at(wt, due), lead).toMillis());
}

/** A window's due, counting the working time spent paused. */
export function dueOf(wt: WorkingTime, d: Pick<Deadline, 'startsAt' | 'duration' | 'pausedMinutes' | 'dueAt'>): Millis {
  if (!d.duration) return d.dueAt;
  return wholeMinute(addWorkingMinutes(wt, addDuration(wt, d.startsAt, d.duration), d.pausedMinutes));
}

/**
 * Deadlines fall on whole minutes, as people read them: a message detected at 10:00:37 shows
 * «выявлено 10:00» and its 8-hour term ends at 10:00 (the CLI's `--from 10:00` gives the same).
 */
export function wholeMinute(ms: Millis): Millis {
  return Math.floor(ms / 60_000) * 60_000;
}

/**
 * Lateness is judged in working time (К20, А11): done at `at` is late when at least one working minute
 * passed after the due — an answer published at 18:30 for an 18:00 due is on time. The one rule of the
 * deadline watch (breach), the violations register and the monthly report.
 */
export function isLate(wt: WorkingTime, dueAt: Millis, at: Millis): boolean {
  return lateBy((a, b) => workingMinutesBetween(wt, a, b), dueAt, at);
}

/** `isLate` with the working-minutes function given (the report builder gets one injected). */
export function lateBy(workingMinutes: (from: Millis, to: Millis) => number, dueAt: Millis, at: Millis): boolean {
  return at > dueAt && workingMinutes(dueAt, at) >= 1;
}

/** The first moment `isLate` holds: one working minute after the due. */
export function lateFrom(wt: WorkingTime, dueAt: Millis): Millis {
  return addWorkingMinutes(wt, dueAt, 1);
}

/** `t` itself in working time, else the end of the last working period before it (a term never ends on a day off). */
export function workingEndAtOrBefore(wt: WorkingTime, t: Millis): Millis {
  if (wt.isWorkingTime(at(wt, t))) return t;
  return addWorkingMinutes(wt, wt.subtract(at(wt, t), { amount: 1, unit: 'minutes', basis: 'working' }).toMillis(), 1);
}

export function isLive(d: Deadline): boolean {
  return d.status === 'open' || d.status === 'paused';
}

export function liveDeadlines(s: CaseState, kind?: DeadlineKind): Deadline[] {
  return s.deadlines.filter((d) => isLive(d) && (kind === undefined || d.kind === kind));
}

export function liveDeadline(s: CaseState, kind: DeadlineKind): Deadline | undefined {
  const l = liveDeadlines(s, kind);
  return l[l.length - 1];
}

/** Deadlines overdue at `now` (for the watcher and reports that work on a loaded case). */
export function overdue(s: CaseState, now: Millis): Deadline[] {
  return s.deadlines.filter((d) => d.status === 'open' && d.dueAt < now);
}

/** Until when the executor may return an assignment (К9 · А7.2): the regulation's window from the assignment. */
export function returnWindowEnd(regulation: Regulation, workingTime: WorkingTime, a: Pick<Assignment, 'assignedAt'>): Millis {
  return addDuration(workingTime, a.assignedAt, regulation.windows.executorReturn.duration);
}
