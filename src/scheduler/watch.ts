import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { markThresholdSent, openViolations, recordViolation, sentThresholds, updateViolation } from '../db/repositories/violations.js';
import { WATCH_DUE_SQL, planStatements } from '../db/repositories/watch-plan.js';
import { addWorkingMinutes, lateFrom, workingMinutesBetween } from '../domain/workflow/deadlines.js';
import type { Role } from '../domain/regulation/schema.js';
import { Priority } from '../outbox/queue.js';
import { escapeHtml, formatInstant, sendToStaff, staffWithRole, trFor, uniqueStaff, activeStaff, type StaffRow } from '../kernel/staff-notices.js';
import type { CaseStore, WatchedDeadline } from '../db/repositories/deadline-store.js';

/**
 * The deadline watch. Looks only at OPEN deadlines whose first reminder point has come
 * (planned once per window, kept in step through the audit log: `plannedDue`), and for each:
 * - reminds the people responsible for that step at the configured points of the window
 *   (default: half the window gone; one working hour left, or a third of a window shorter than
 *   three hours; the breach), each point once (`reminder_marks`), only in working time unless the
 *   case is urgent;
 * - at the breach records a violation (К21; А12, А13, А15) at once, whatever the hour, and
 *   escalates to the department head and the administrator (in working time, or at once when urgent).
 * Several points passed together (after a downtime or a night) send only the latest; one whose time
 * came while the scheduler was not running is marked late.
 */

export const DEFAULT_REMINDER_SHARES = [0.5];
/** A point whose time came more than this before the tick that sends it, with no tick in between, is late. */
const LATE_MS = 3 * 60_000;

export interface Threshold {
  key: string;
  at: number;
  /** Share of the window gone, for the text. */
  pct?: number;
}

/** The reminder points of one window. Pure. */
export function thresholdsOf(app: Pick<AppContext, 'workingTime'>, d: Pick<WatchedDeadline, 'startsAt' | 'dueAt'>, shares: readonly number[]): Threshold[] {
  const wt = app.workingTime;
  const total = workingMinutesBetween(wt, d.startsAt, d.dueAt);
  const out: Threshold[] = [];
  if (total > 0) {
    for (const s of [...shares].sort()) {
      out.push({ key: `share:${s}`, at: addWorkingMinutes(wt, d.startsAt, Math.round(total * s)), pct: Math.round(s * 100) });
    }
    const left = total >= 180 ? 60 : Math.floor(total / 3);
    if (left > 0) out.push({ key: 'left', at: addWorkingMinutes(wt, d.startsAt, total - left) });
  }
  // The breach is the first moment the step is late in working time (the report counts the same way).
  out.push({ key: 'breach', at: lateFrom(wt, d.dueAt) });
  // A share point at or after the «left» point adds nothing.
  const leftAt = out.find((t) => t.key === 'left')?.at ?? d.dueAt;
  return out.filter((t) => t.key === 'left' || t.key === 'breach' || t.at < leftAt);
}

const passed = (t: Threshold, now: number): boolean => now >= t.at;

export interface WatchResult {
  reminders: number;
  violations: number;
  escalations: number;
}

/** The people who must act at this step. */
export function responsibleFor(app: AppContext, db: Db, d: Pick<WatchedDeadline, 'staffId' | 'role' | 'departmentId'>): StaffRow[] {
  if (d.staffId !== null) {
    const s = activeStaff(db).find((x) => x.id === d.staffId);
    if (s) return [s];
  }
  if (d.role) return staffWithRole(db, d.role as Role, d.departmentId);
  return [];
}

export function watchDeadlines(app: AppContext, store: CaseStore, now: number, previousTickAt: number | null): WatchResult {
  const db = app.db;
  const shares = app.org.options.reminderShares ?? DEFAULT_REMINDER_SHARES;
  const nowAt = DateTime.fromMillis(now, { zone: app.workingTime.zone });
  const working = app.workingTime.isWorkingTime(nowAt);
  // Out of working time a non-urgent reminder waits for this moment: the window is looked at again then,
  // not at every tick of the night (after a weekend a region has thousands of such windows).
  const workingAgainAt = working ? now : app.workingTime.nextWorkingMoment(nowAt).toMillis();
  const result: WatchResult = { reminders: 0, violations: 0, escalations: 0 };

  const plan = planStatements(app.database.sqlite);
  const due = plannedDue(app, shares, now);
  // The windows of a tick in transactions of WATCH_CHUNK (one commit per window made a backlog slow).
  for (let i = 0; i < due.length; i += WATCH_CHUNK) {
    db.transaction((chunkTx) => {
      for (const d of due.slice(i, i + WATCH_CHUNK)) watchWindow(chunkTx, d);
    });
  }
  function watchWindow(tx: Db, d: WatchedDeadline): void {
    const all = thresholdsOf(app, d, shares);
    const reached = all.filter((t) => passed(t, now));
    // The next look at this window: its first point not reached yet; none left (breach passed): done.
    const upcoming = all.filter((t) => !passed(t, now));
    const advance = () => {
      if (upcoming.length) plan.setNext.run(Math.min(...upcoming.map((t) => t.at)), d.caseId, d.seq);
      else plan.remove.run(d.caseId, d.seq);
    };
    if (reached.length === 0) {
      advance();
      return;
    }
    const breached = reached.some((t) => t.key === 'breach');
    if (breached) {
      const inserted = recordViolation(tx, {
        caseId: d.caseId,
        deadlineSeq: d.seq,
        kind: d.kind,
        clause: d.clause,
        role: d.role,
        staffId: d.staffId,
        departmentId: d.departmentId ?? store.responsibleDepartment(d.caseId),
        dueAt: d.dueAt,
        breachedAt: now,
        overdueMinutes: workingMinutesBetween(app.workingTime, d.dueAt, now),
        createdAt: now,
      });
      result.violations += inserted;
    }
    // Out of working time a non-urgent reminder waits: the window is looked at again at `workingAgainAt`.
    if (!working && !d.urgent) {
      plan.setNext.run(workingAgainAt, d.caseId, d.seq);
      return;
    }
    const done = new Set(sentThresholds(tx, d.caseId, d.seq, d.dueAt));
    const pending = reached.filter((t) => !done.has(t.key));
    if (pending.length === 0) {
      advance();
      return;
    }
    const latest = pending[pending.length - 1]!;
    const late = now - latest.at > LATE_MS && (previousTickAt === null || previousTickAt < latest.at);
    const people = responsibleFor(app, tx, d);
    let sent = 0;
    for (const p of people) {
      if (
        sendToStaff(app, tx, p, reminderText(app, store, p, d, latest, now, late), {
          idempotencyKey: `remind:${d.caseId}:${d.seq}:${d.dueAt}:${latest.key}`,
          priority: d.urgent ? Priority.interactive : Priority.normal,
          caseId: d.caseId,
        })
      )
        sent += 1;
    }
    result.reminders += sent;
    if (latest.key === 'breach') result.escalations += escalate(app, tx, store, d, people, late);
    for (const t of pending) {
      markThresholdSent(tx, {
        caseId: d.caseId,
        deadlineSeq: d.seq,
        dueAt: d.dueAt,
        threshold: t.key,
        dueToSendAt: t.at,
        sentAt: now,
        late: t === latest && late,
        recipients: t === latest ? sent : 0,
      });
    }
    advance();
  }
  // Overdue minutes grow only in working time: since the last tick (or now) some working minute passed.
  const minutesGrew = working || previousTickAt === null || workingMinutesBetween(app.workingTime, previousTickAt, now) > 0;
  resolveViolations(app, now, minutesGrew);
  return result;
}

/** Windows per transaction in a tick. */
const WATCH_CHUNK = 500;

/**
 * The watch's plan (table `watch_plan`): for every open deadline window the instant the watch
 * must next look at it (its first reminder point not yet handled), under an index, so a tick — also the
 * first one after a start — reads only the windows whose instant has come: its cost follows the due
 * deadlines, not the open cases (bench/watch.ts). Kept in step through the audit log: every change of a
 * case's deadlines is committed together with an audit event (append-only, increasing id), so the cases
 * with events newer than the last one planned are re-planned at each tick, in one transaction. The plan
 * depends on the working-time engine and the reminder shares: when their fingerprint differs from the
 * one the plan was made with (a calendar import, a new schedule), every open window is planned again.
 */
const PLAN_AUDIT_KEY = 'watch.plan.auditId';
const PLAN_FINGERPRINT_KEY = 'watch.plan.fingerprint';

export { WATCH_DUE_SQL };

/** What the planned instants depend on, besides the deadlines: the working-time engine and the shares. */
const engineFingerprints = new WeakMap<AppContext, string>();
function planFingerprint(app: AppContext, shares: readonly number[]): string {
  let engine = engineFingerprints.get(app);
  if (engine === undefined) {
    // Taken once per process (the engine is built at start, with the calendar years imported by then).
    const years = planStatements(app.database.sqlite).years.all();
    engine = JSON.stringify({ zone: app.workingTime.zone, calendar: app.org.calendar, schedule: app.org.schedule, years });
    engineFingerprints.set(app, engine);
  }
  return createHash('sha1')
    .update(engine)
    .update(JSON.stringify([...shares].sort()))
    .digest('hex');
}

/** Brings the plan up to date with the deadlines (changed cases only) and returns the windows due now. */
export function plannedDue(app: AppContext, shares: readonly number[], now: number): WatchedDeadline[] {
  const sqlite = app.database.sqlite;
  const st = planStatements(sqlite);
  const firstAt = (d: Pick<WatchedDeadline, 'startsAt' | 'dueAt'>) => Math.min(...thresholdsOf(app, d, shares).map((t) => t.at));
  const fingerprint = planFingerprint(app, shares);
  sqlite.transaction(() => {
    const upTo = (st.maxAudit.get() as { id: number }).id;
    const known = st.getKv.get(PLAN_FINGERPRINT_KEY) as { value: string } | undefined;
    const from = Number((st.getKv.get(PLAN_AUDIT_KEY) as { value: string } | undefined)?.value ?? -1);
    let rows: { caseId: number; seq: number; startsAt: number; dueAt: number }[];
    if (known?.value !== fingerprint || from < 0) {
      st.clearAll.run();
      rows = st.openAll.all() as typeof rows;
      st.setKv.run(PLAN_FINGERPRINT_KEY, fingerprint, now);
    } else if (upTo > from) {
      st.clearChanged.run(from, upTo);
      rows = st.openOfChanged.all(from, upTo) as typeof rows;
    } else return;
    for (const d of rows) st.insert.run(d.caseId, d.seq, d.dueAt, firstAt(d));
    st.setKv.run(PLAN_AUDIT_KEY, String(upTo), now);
  })();
  return (st.due.all(now) as (Omit<WatchedDeadline, 'urgent'> & { urgent: number })[]).map((r) => ({ ...r, urgent: Boolean(r.urgent) }));
}

function caseRef(app: AppContext, store: CaseStore, who: StaffRow | null, caseId: number, number?: number): string {
  const n = number ?? store.caseSummary(caseId)?.number ?? caseId;
  return trFor(app, who)('case-ref', { number: n });
}

function reminderText(app: AppContext, store: CaseStore, who: StaffRow, d: WatchedDeadline, t: Threshold, now: number, late: boolean): string {
  const tr = trFor(app, who);
  const vars = {
    case: caseRef(app, store, who, d.caseId, d.caseNumber),
    step: tr(`deadline-kind-${d.kind}`),
    clause: d.clause,
    due: formatInstant(app, d.dueAt),
    left: formatLeft(app, tr, now, d.dueAt),
    pct: t.pct ?? 0,
  };
  const key = t.key === 'breach' ? 'reminder-breach' : t.key === 'left' ? 'reminder-left' : 'reminder-progress';
  let text = tr(key, vars);
  if (d.urgent) text = `${tr('urgent-mark')} · ${text}`;
  return late ? `${text}\n${tr('late-note')}` : text;
}

function formatLeft(app: AppContext, tr: (k: string, v?: Record<string, string | number>) => string, now: number, due: number): string {
  const m = workingMinutesBetween(app.workingTime, now, due);
  const h = Math.floor(m / 60);
  if (h === 0) return tr('duration-minutes', { m });
  return m % 60 === 0 ? tr('duration-hours', { h }) : tr('duration-hours-minutes', { h, m: m % 60 });
}

/** К21, А13, А15: the department head and the administrator learn of the breach. */
function escalate(app: AppContext, tx: Db, store: CaseStore, d: WatchedDeadline, responsible: StaffRow[], late: boolean): number {
  const dept = d.departmentId ?? store.responsibleDepartment(d.caseId);
  const skip = new Set(responsible.map((s) => s.id));
  const to = uniqueStaff([...(dept ? staffWithRole(tx, 'department_head', dept) : []), ...staffWithRole(tx, 'administrator')]).filter((s) => !skip.has(s.id));
  const person = responsible.map((s) => s.name).join(', ') || (d.role ? (app.regulation.roleTitles[d.role as Role]?.ru ?? d.role) : '—');
  let n = 0;
  for (const s of to) {
    const tr = trFor(app, s);
    let text = tr('escalation-breach', {
      clause: d.clause,
      case: caseRef(app, store, s, d.caseId, d.caseNumber),
      step: tr(`deadline-kind-${d.kind}`),
      person: escapeHtml(person),
      due: formatInstant(app, d.dueAt),
    });
    if (late) text += `\n${tr('late-note')}`;
    if (sendToStaff(app, tx, s, text, { idempotencyKey: `escalate:${d.caseId}:${d.seq}:${d.dueAt}`, priority: d.urgent ? Priority.urgent : Priority.interactive, caseId: d.caseId })) n += 1;
  }
  return n;
}

/**
 * Brings the overdue minutes of unresolved violations up to date; closes those whose step is done. When no
 * working minute passed since the last tick (a night, a weekend) the minutes have not grown: only the
 * closed ones are read.
 */
export function resolveViolations(app: AppContext, now: number, minutesGrew: boolean): void {
  // One transaction for all (one commit per tick, not one per violation); a row is written only when it changes.
  app.db.transaction((tx) => {
    for (const v of openViolations(tx as unknown as Db, { onlyDone: !minutesGrew })) {
      const s = v.deadline;
      const closed = !s || s.status === 'met' || s.status === 'cancelled' || s.dueAt !== v.dueAt;
      const end = closed ? (s?.closedAt ?? now) : now;
      const overdueMinutes = workingMinutesBetween(app.workingTime, v.dueAt, end);
      if (!closed && overdueMinutes === v.overdueMinutes) continue;
      updateViolation(tx as unknown as Db, v.id, overdueMinutes, closed ? end : null);
    }
  });
}
