import { DateTime } from 'luxon';
import type { AppContext } from '../../kernel/context.js';
import type { Role } from '../../domain/regulation/schema.js';

/** The language of a person (or the organization's). */
export function localeOf(app: Pick<AppContext, 'org'>, s: { locale?: string | null } | null | undefined): string {
  return s?.locale ?? app.org.organization.locale;
}

/**
 * A moment as staff read it, in the organization's zone: «14:30, пт 4 дек.» (ru) / «14:30, Fri 4 Dec» (en).
 * The year is added when it is not the current one.
 */
export function formatMoment(ms: number, zone: string, locale: string, now?: number): string {
  const d = DateTime.fromMillis(ms, { zone }).setLocale(locale === 'en' ? 'en' : 'ru');
  const sameYear = now === undefined || DateTime.fromMillis(now, { zone }).year === d.year;
  return d.toFormat(sameYear ? 'HH:mm, ccc d MMM' : 'HH:mm, ccc d MMM yyyy');
}

/** The regulation's local title of a role (in Канаш the administrator is «куратор»). */
export function roleTitle(app: Pick<AppContext, 'regulation'>, role: string, locale: string): string {
  const t = app.regulation.roleTitles[role as Role];
  return t ? (locale === 'en' ? t.en : t.ru) : role;
}

export function localized(v: { ru: string; en: string }, locale: string): string {
  return locale === 'en' ? v.en : v.ru;
}
