import type { InlineKeyboardButton } from 'grammy/types';
import type { Db } from '../db/connection.js';
import { activeStaff, type StaffRow } from '../db/repositories/staff.js';
import { Priority } from '../outbox/queue.js';
import { openCaseKeyboard } from './case-link.js';
import type { AppContext } from './context.js';

/**
 * The one way to tell staff something outside a workflow step: a Telegram message per person, queued in
 * the outbox (in the caller's transaction when `db` is one, so it survives a restart and goes only if
 * the change is kept), in each person's language. A notice about a case without buttons of its own
 * opens the case.
 */

export type NoticeApp = Pick<AppContext, 'enqueue' | 'org' | 't'>;

export interface NoticeOptions {
  /** Makes the notice idempotent: the same key is queued once per person. */
  key?: string;
  caseId?: number | null;
  priority?: number;
  keyboard?: (locale: string) => InlineKeyboardButton[][];
  parseMode?: 'HTML';
  /** Extra payload fields the sender reads (e.g. `otklikKind`). */
  extra?: Record<string, unknown>;
}

/** Active people with the role (in the department when one is named). */
export function peopleWithRole(db: Db, role: string, departmentId?: string | null): StaffRow[] {
  return activeStaff(db).filter((s) => s.roles.includes(role) && (departmentId == null || s.departmentId === departmentId));
}

/** Tells each of `people`. */
export function tellStaff(app: NoticeApp, db: Db, people: readonly StaffRow[], text: (locale: string) => string, opts: NoticeOptions = {}): void {
  for (const person of people) {
    const locale = person.locale ?? app.org.organization.locale;
    const keyboard = opts.keyboard?.(locale) ?? (opts.caseId ? openCaseKeyboard(app, locale, opts.caseId) : undefined);
    app.enqueue(
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
        ...(opts.key ? { idempotencyKey: `${opts.key}:${person.telegramId}` } : {}),
        caseId: opts.caseId ?? null,
      },
      db,
    );
  }
}

/** Tells every active holder of the role (in the department when one is named). */
export function tellRole(app: NoticeApp, db: Db, role: string, departmentId: string | null, text: (locale: string) => string, opts: NoticeOptions = {}): void {
  tellStaff(app, db, peopleWithRole(db, role, departmentId), text, opts);
}

/** Tells every active administrator. */
export function tellAdministrators(app: NoticeApp, db: Db, text: (locale: string) => string, opts: NoticeOptions = {}): void {
  tellRole(app, db, 'administrator', null, text, opts);
}
