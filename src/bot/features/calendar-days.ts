import { Composer } from 'grammy';
import { DateTime } from 'luxon';
import type { AppContext } from '../../kernel/context.js';
import { recomputeAfterCalendarChange } from '../../kernel/calendar-watch.js';
import { declareDay, declaredDaysByDate } from '../../db/repositories/calendar.js';
import { movableHolidaysUndeclared } from '../../domain/time/calendar.js';
import { parseDayDeclaration } from '../../domain/time/declaration.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { peopleWithRole, tellStaff, uniqueStaff } from '../../kernel/staff-notices.js';
import { Priority } from '../../outbox/queue.js';
import { localeOf, sendHtml } from './work-common.js';

/**
 * Regional days off declared in the bot: `/day 20.03.2026 — нерабочий, Ураза-байрам` (also «рабочий»,
 * «сокращённый»). The administrator's declaration is stored, the working time rebuilt, and every open
 * deadline recomputed at once; whoever's deadline moved is told (notify `deadline_moved`). Without
 * arguments the command lists the declared days. A region whose movable holidays of the year are not
 * declared yet (Дагестан: Ураза-байрам, Курбан-байрам) is announced to the administrator and the
 * coordinator at start.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('day', async (ctx) => {
    if (!ctx.staff || ctx.chat.type !== 'private') return;
    const locale = localeOf(app, ctx.staff);
    if (!ctx.staff.roles.includes('administrator')) return void sendHtml(app, ctx.chat.id, app.t(locale, 'workflow-refusal-wrong_role'));
    const arg = ctx.match.trim();
    if (!arg) {
      const rows = declaredDaysByDate(app.db);
      const list = rows.map((r) => app.t(locale, 'day-line', { date: isoToRu(r.date), kind: app.t(locale, `day-kind-${r.kind}`), note: escapeHtml(r.note ?? '') }));
      return void sendHtml(app, ctx.chat.id, [app.t(locale, 'day-usage'), ...list].join('\n'));
    }
    const d = parseDayDeclaration(arg);
    if (!d) return void sendHtml(app, ctx.chat.id, app.t(locale, 'day-bad'));
    const now = app.clock.now().toMillis();
    declareDay(app.db, d, ctx.staff.id, now);
    const r = recomputeAfterCalendarChange(app, `calendar: ${d.date} ${d.kind}${d.note ? ` (${d.note})` : ''}`);
    app.logger.info({ date: d.date, kind: d.kind, by: ctx.staff.id, ...r }, 'calendar: day declared in the bot');
    sendHtml(app, ctx.chat.id, app.t(locale, 'day-declared', { date: isoToRu(d.date), kind: app.t(locale, `day-kind-${d.kind}`), note: escapeHtml(d.note ?? ''), changed: r.changed }));
  });
  return composer;
}

/** At start: the region's movable holidays of this year not declared → the administrator and the coordinator are told, once a year. */
export function warnUndeclaredHolidays(app: AppContext, region: string | null): void {
  const year = DateTime.fromMillis(app.clock.now().toMillis(), { zone: app.org.organization.timezone }).year;
  if (!movableHolidaysUndeclared(region, year)) return;
  const declared = declaredDaysByDate(app.db).some((r) => r.kind === 'off' && r.date.startsWith(`${year}-`));
  if (declared) return;
  const people = uniqueStaff([...peopleWithRole(app.db, 'administrator'), ...peopleWithRole(app.db, 'coordinator')]);
  tellStaff(app, app.db, people, (locale) => app.t(locale, 'day-undeclared', { year, region: region ?? '' }), {
    key: (p) => `calendar-undeclared:${region}:${year}:${p.id}`,
    parseMode: 'HTML',
    priority: Priority.normal,
  });
}

const isoToRu = (iso: string) => iso.split('-').reverse().join('.');
