import { DateTime } from 'luxon';
import type { InlineKeyboardButton } from 'grammy/types';
import type { Db } from '../db/connection.js';
import { caseHolders } from '../db/repositories/source-messages.js';
import { activeStaff, type StaffRow } from '../db/repositories/staff.js';
import type { Role } from '../domain/regulation/schema.js';
import { Priority } from '../outbox/queue.js';
import { openCaseKeyboard } from './case-link.js';
import type { AppContext } from './context.js';

/**
 * The one way to tell staff something outside a workflow step: every administrator, the people of a role,
 * the head, whoever holds a case, or a list of people. A Telegram message per person, queued in the outbox
 * (in the caller's transaction when `db` is one, so it survives a restart and goes only if the change is
 * kept), in each person's language. A notice about a case without buttons of its own opens the case.
 * Also who holds which role (the lookups every notice starts from) and the formatting they share.
 */

export type { StaffRow };

export type NoticeApp = Pick<AppContext, 'enqueue' | 'org' | 't'>;

/** Whom a notice goes to: a staff row, or a case holder (caseHolders). */
export type NoticePerson = Pick<StaffRow, 'telegramId' | 'locale'>;

export interface NoticeOptions<P extends NoticePerson = NoticePerson> {
  /** Makes the notice idempotent: `<key>:<telegram id>` is queued once; a function gives each person's whole key. */
  key?: string | ((person: P) => string);
  caseId?: number | null;
  priority?: number;
  /** The buttons; `() => []` for none, not even «open the case». */
  keyboard?: (locale: string) => InlineKeyboardButton[][];
  parseMode?: 'HTML';
  /** Extra payload fields the sender reads (e.g. `otklikKind`). */
  extra?: Record<string, unknown>;
}

// --- who ------------------------------------------------------------------------------------

export function hasRole(s: StaffRow, role: string): boolean {
  return (s.roles as string[]).includes(role);
}

/** Active people with the role (in the department when one is named). */
export function peopleWithRole(db: Db, role: string, departmentId?: string | null): StaffRow[] {
  return activeStaff(db).filter((s) => hasRole(s, role) && (departmentId == null || s.departmentId === departmentId));
}

/** People with `role`; the department narrows only the department roles (executor, department_head). */
export function staffWithRole(db: Db, role: Role, departmentId?: string | null): StaffRow[] {
  return peopleWithRole(db, role, role === 'department_head' || role === 'executor' ? departmentId : null);
}

export function uniqueStaff(list: StaffRow[]): StaffRow[] {
  const seen = new Set<number>();
  return list.filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}

export { activeStaff };

// --- tell ------------------------------------------------------------------------------------

/** Tells each of `people`; returns how many notices were queued (an idempotent one already queued does not count). */
export function tellStaff<P extends NoticePerson>(app: NoticeApp, db: Db, people: readonly P[], text: (locale: string) => string, opts: NoticeOptions<P> = {}): number {
  let queued = 0;
  for (const person of people) {
    const locale = person.locale ?? app.org.organization.locale;
    const keyboard = opts.keyboard?.(locale) ?? (opts.caseId ? openCaseKeyboard(app, locale, opts.caseId) : undefined);
    const key = typeof opts.key === 'function' ? opts.key(person) : opts.key ? `${opts.key}:${person.telegramId}` : undefined;
    const id = app.enqueue(
      {
        channel: 'telegram',
        action: 'sendMessage',
        payload: {
          chat_id: person.telegramId,
          ...(opts.parseMode ? { parse_mode: opts.parseMode } : {}),
          text: text(locale),
          link_preview_options: { is_disabled: true },
          ...opts.extra,
          ...(keyboard?.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        },
        priority: opts.priority ?? Priority.interactive,
        throttleKey: `tg:${person.telegramId}`,
        ...(key ? { idempotencyKey: key } : {}),
        caseId: opts.caseId ?? null,
      },
      db,
    );
    if (id !== null) queued++;
  }
  return queued;
}

/** Tells every active holder of the role (in the department when one is named). */
export function tellRole(app: NoticeApp, db: Db, role: string, departmentId: string | null, text: (locale: string) => string, opts: NoticeOptions<StaffRow> = {}): void {
  tellStaff(app, db, peopleWithRole(db, role, departmentId), text, opts);
}

/** Tells every active administrator. */
export function tellAdministrators(app: NoticeApp, db: Db, text: (locale: string) => string, opts: NoticeOptions<StaffRow> = {}): void {
  tellRole(app, db, 'administrator', null, text, opts);
}

/** Tells the head of the administration (everyone holding the role). */
export function tellHead(app: NoticeApp, db: Db, text: (locale: string) => string, opts: NoticeOptions<StaffRow> = {}): void {
  tellRole(app, db, 'head', null, text, opts);
}

/**
 * Tells whoever holds the case now: its executors, the heads of a department with no executor yet, or,
 * when nobody does, the administrators. Returns how many people that is. The notice opens the case.
 */
export function tellCaseHolders(app: NoticeApp, db: Db, caseId: number, text: (locale: string) => string, opts: Omit<NoticeOptions, 'caseId'> = {}): number {
  const holders = caseHolders(db, caseId);
  tellStaff(app, db, holders, text, { ...opts, caseId });
  return holders.length;
}

/** One HTML message to one person, `key` making it idempotent (the scheduler's reminders and digests). Returns false when already queued. */
export function sendToStaff(app: NoticeApp, db: Db, to: StaffRow, text: string, o: { priority?: number; idempotencyKey: string; caseId?: number | null }): boolean {
  return (
    tellStaff(app, db, [to], () => text, {
      key: (p) => `${o.idempotencyKey}:tg:${p.telegramId}`,
      parseMode: 'HTML',
      priority: o.priority ?? Priority.normal,
      caseId: o.caseId ?? null,
      keyboard: () => [],
    }) === 1
  );
}

// --- wording ---------------------------------------------------------------------------------

export function localeOf(app: Pick<AppContext, 'org'>, s: NoticePerson | null): string {
  return s?.locale ?? app.org.organization.locale;
}

/** The translator for one person. */
export function trFor(app: Pick<AppContext, 'org' | 't'>, s: NoticePerson | null) {
  const locale = localeOf(app, s);
  return (key: string, vars?: Record<string, string | number>) => app.t(locale, key, vars);
}

export function formatInstant(app: Pick<AppContext, 'org'>, ms: number): string {
  return DateTime.fromMillis(ms, { zone: app.org.organization.timezone }).toFormat('dd.MM.yyyy HH:mm');
}

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
