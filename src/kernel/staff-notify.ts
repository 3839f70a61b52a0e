import { DateTime } from 'luxon';
import type { AppContext } from './context.js';
import type { Db } from '../db/connection.js';
import { allStaff, type StaffRow } from '../db/repositories/staff.js';
import { Priority } from '../outbox/queue.js';
import type { Role } from '../domain/regulation/schema.js';

/** Who gets what: staff lookups by role and department, and one outbox row per Telegram message. */

export type { StaffRow };

export function activeStaff(db: Db): StaffRow[] {
  return allStaff(db).filter((s) => s.active);
}

export function hasRole(s: StaffRow, role: string): boolean {
  return (s.roles as string[]).includes(role);
}

/** People with `role`; for department roles (executor, department_head) only those of `departmentId` when given. */
export function staffWithRole(db: Db, role: Role, departmentId?: string | null): StaffRow[] {
  const byDept = role === 'department_head' || role === 'executor';
  return activeStaff(db).filter((s) => hasRole(s, role) && (!byDept || !departmentId || s.departmentId === departmentId));
}

export function uniqueStaff(list: StaffRow[]): StaffRow[] {
  const seen = new Set<number>();
  return list.filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}

export function localeOf(app: AppContext, s: StaffRow | null): string {
  return s?.locale ?? app.org.organization.locale;
}

/** The translator for one person. */
export function trFor(app: AppContext, s: StaffRow | null) {
  const locale = localeOf(app, s);
  return (key: string, vars?: Record<string, string | number>) => app.t(locale, key, vars);
}

export function formatInstant(app: AppContext, ms: number): string {
  return DateTime.fromMillis(ms, { zone: app.org.organization.timezone }).toFormat('dd.MM.yyyy HH:mm');
}

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface SendOptions {
  priority?: number;
  /** One message per key, whatever happens (retries, restarts). */
  idempotencyKey: string;
  caseId?: number | null;
}

/** Queues a Telegram message (HTML) to one staff member. Returns false when it was already queued. */
export function sendToStaff(app: AppContext, db: Db, to: StaffRow, text: string, o: SendOptions): boolean {
  const id = app.enqueue(
    {
      channel: 'telegram',
      action: 'sendMessage',
      payload: { chat_id: to.telegramId, text, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
      priority: o.priority ?? Priority.normal,
      throttleKey: `tg:${to.telegramId}`,
      idempotencyKey: `${o.idempotencyKey}:tg:${to.telegramId}`,
      caseId: o.caseId ?? null,
    },
    db,
  );
  return id !== null;
}
