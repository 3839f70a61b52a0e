import { and, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { AppContext } from '../app/context.js';
import type { Db } from '../db/connection.js';
import { reminderMarks, violations } from '../db/schema/scheduler.js';
import { addWorkingMinutes, workingMinutesBetween } from '../domain/workflow/deadlines.js';
import type { Role } from '../domain/regulation/schema.js';
import { Priority } from '../outbox/queue.js';
import { escapeHtml, formatInstant, sendToStaff, staffWithRole, trFor, uniqueStaff, activeStaff, type StaffRow } from './notify.js';
import type { CaseStore, WatchedDeadline } from './store.js';

/**
 * The deadline watch (issue 7 §1). Looks only at OPEN deadlines whose first reminder point has come
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
/** Former read horizon; the watch now plans every open deadline once (see `plannedDue`). Kept for callers. */
export const WATCH_HORIZON_MS = 31 * 24 * 3_600_000;
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
  out.push({ key: 'breach', at: d.dueAt });
  // A share point at or after the «left» point adds nothing.
  const leftAt = out.find((t) => t.key === 'left')?.at ?? d.dueAt;
  return out.filter((t) => t.key === 'left' || t.key === 'breach' || t.at < leftAt);
}

const passed = (t: Threshold, now: number): boolean => (t.key === 'breach' ? now > t.at : now >= t.at);

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
  const working = app.workingTime.isWorkingTime(DateTime.fromMillis(now, { zone: app.workingTime.zone }));
  const result: WatchResult = { reminders: 0, violations: 0, escalations: 0 };

  for (const d of plannedDue(app, store, shares, now)) {
    const all = thresholdsOf(app, d, shares);
    const reached = all.filter((t) => passed(t, now));
    if (reached.length === 0) continue;
    const breached = reached.some((t) => t.key === 'breach');
    db.transaction((tx) => {
      if (breached) {
        const inserted = tx
          .insert(violations)
          .values({
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
          })
          .onConflictDoNothing()
          .run().changes;
        result.violations += inserted;
      }
      if (!working && !d.urgent) return;
      const done = new Set(
        tx
          .select({ threshold: reminderMarks.threshold })
          .from(reminderMarks)
          .where(and(eq(reminderMarks.caseId, d.caseId), eq(reminderMarks.deadlineSeq, d.seq), eq(reminderMarks.dueAt, d.dueAt)))
          .all()
          .map((r) => r.threshold),
      );
      const pending = reached.filter((t) => !done.has(t.key));
      if (pending.length === 0) return;
      const latest = pending[pending.length - 1]!;
      const late = now - latest.at > LATE_MS && (previousTickAt === null || previousTickAt < latest.at);
      const people = responsibleFor(app, tx, d);
      let sent = 0;
      for (const p of people) {
        if (sendToStaff(app, tx, p, reminderText(app, store, p, d, latest, now, late), {
          idempotencyKey: `remind:${d.caseId}:${d.seq}:${d.dueAt}:${latest.key}`,
          priority: d.urgent ? Priority.interactive : Priority.normal,
          caseId: d.caseId,
        }))
          sent += 1;
      }
      result.reminders += sent;
      if (latest.key === 'breach') result.escalations += escalate(app, tx, store, d, people, late);
      for (const t of pending) {
        tx.insert(reminderMarks)
          .values({ caseId: d.caseId, deadlineSeq: d.seq, dueAt: d.dueAt, threshold: t.key, dueToSendAt: t.at, sentAt: now, late: t === latest && late, recipients: t === latest ? sent : 0 })
          .onConflictDoNothing()
          .run();
      }
    });
  }
  resolveViolations(app, store, now);
  return result;
}

/**
 * The watch's plan: every open deadline with the instant of its first reminder point, computed once per
 * deadline window and kept in memory, so a tick does the working-time arithmetic and the marks check
 * only for windows whose first point has come — its cost follows the due deadlines, not the open cases
 * (bench/watch.ts). Kept in step through the audit log: every change of a case's deadlines is committed
 * together with an audit event (append-only, increasing id), so the cases with events newer than the
 * last one seen are re-read at each tick. Built on the first tick of a store (all open deadlines).
 */
interface Plan {
  byCase: Map<number, { d: WatchedDeadline; firstAt: number }[]>;
  lastAuditId: number;
  shares: string;
}
const plans = new WeakMap<CaseStore, Plan>();

function plannedDue(app: AppContext, store: CaseStore, shares: readonly number[], now: number): WatchedDeadline[] {
  const sqlite = app.database.sqlite;
  const key = shares.join(',');
  const entry = (d: WatchedDeadline) => ({ d, firstAt: Math.min(...thresholdsOf(app, d, shares).map((t) => t.at)) });
  let plan = plans.get(store);
  if (!plan || plan.shares !== key) {
    const lastAuditId = (sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM audit_events').get() as { id: number }).id;
    plan = { byCase: new Map(), lastAuditId, shares: key };
    for (const d of store.openDeadlinesDueBefore(Number.MAX_SAFE_INTEGER)) {
      const list = plan.byCase.get(d.caseId) ?? [];
      list.push(entry(d));
      plan.byCase.set(d.caseId, list);
    }
    plans.set(store, plan);
  } else {
    const changed = sqlite.prepare('SELECT id, case_id AS caseId FROM audit_events WHERE id > ? ORDER BY id').all(plan.lastAuditId) as { id: number; caseId: number }[];
    if (changed.length) {
      plan.lastAuditId = changed[changed.length - 1]!.id;
      const ofCase = sqlite.prepare(
        `SELECT d.case_id AS caseId, d.seq AS seq, d.kind AS kind, d.clause AS clause, d.role AS role, d.staff_id AS staffId,
                d.department_id AS departmentId, d.starts_at AS startsAt, d.due_at AS dueAt, c.number AS caseNumber, c.urgent AS urgent
           FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE d.case_id = ? AND d.status = 'open'`,
      );
      for (const caseId of new Set(changed.map((c) => c.caseId))) {
        const rows = (ofCase.all(caseId) as (Omit<WatchedDeadline, 'urgent'> & { urgent: number })[]).map((r) => entry({ ...r, urgent: Boolean(r.urgent) }));
        if (rows.length) plan.byCase.set(caseId, rows);
        else plan.byCase.delete(caseId);
      }
    }
  }
  const due: WatchedDeadline[] = [];
  for (const list of plan.byCase.values()) for (const p of list) if (p.firstAt <= now) due.push(p.d);
  return due.sort((a, b) => a.dueAt - b.dueAt);
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

/** Brings the overdue minutes of unresolved violations up to date; closes those whose step is done. */
export function resolveViolations(app: AppContext, store: CaseStore, now: number): void {
  const open = app.db.select().from(violations).where(isNull(violations.resolvedAt)).all();
  for (const v of open) {
    const s = store.deadlineState(v.caseId, v.deadlineSeq);
    const closed = !s || s.status === 'met' || s.status === 'cancelled' || s.dueAt !== v.dueAt;
    const end = closed ? (s?.closedAt ?? now) : now;
    app.db
      .update(violations)
      .set({ overdueMinutes: workingMinutesBetween(app.workingTime, v.dueAt, end), resolvedAt: closed ? end : null })
      .where(eq(violations.id, v.id))
      .run();
  }
}
