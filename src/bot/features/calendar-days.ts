import { createHash } from 'node:crypto';
import { Composer } from 'grammy';
import { DateTime } from 'luxon';
import type { AppContext } from '../../kernel/context.js';
import { buildWorkingTime } from '../../kernel/working-time.js';
import type { Db } from '../../db/connection.js';
import { recomputeOpenDeadlines } from '../../db/repositories/runner.js';
import { declareDay, declaredDaysByDate, storedCalendarYears, swapCalendarDigest } from '../../db/repositories/calendar.js';
import { movableHolidaysUndeclared } from '../../domain/time/calendar.js';
import { parseDayDeclaration } from '../../domain/time/declaration.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { workflowContext } from '../run-command.js';
import { staffWithRole } from '../effects.js';
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

/** Rebuilds the working time from the calendar sources and recomputes every open deadline (notifying). */
export function recomputeAfterCalendarChange(app: AppContext, reason: string): { cases: number; changed: number } {
  app.workingTime = buildWorkingTime(app.org, app.regulation, app.database.sqlite, app.logger);
  return recomputeOpenDeadlines(app.db, workflowContext(app), reason, { onEffects: (tx, effects) => app.applyEffects(tx as Db, effects) });
}

/**
 * At start: when the calendar sources changed since the last start (`otklik calendar import` while the
 * service was stopped, a new calendar section in the organization file), every open deadline is
 * recomputed and whoever's deadline moved is told. The first start only records the state.
 */
export function recomputeIfCalendarChanged(app: AppContext, region: string | null): { cases: number; changed: number } | null {
  const years = storedCalendarYears(app.database.sqlite);
  const digest = createHash('sha256')
    .update(JSON.stringify({ years, calendar: app.org.calendar, region, schedule: app.org.schedule }))
    .digest('hex');
  const previous = swapCalendarDigest(app.db, digest, Date.now());
  if (previous === null || previous === digest) return null;
  const r = recomputeOpenDeadlines(app.db, workflowContext(app), 'calendar changed (import or organization file)', { onEffects: (tx, effects) => app.applyEffects(tx as Db, effects) });
  app.logger.info(r, 'calendar: changed since the last start, open deadlines recomputed');
  return r;
}

/** At start: the region's movable holidays of this year not declared → the administrator and the coordinator are told, once a year. */
export function warnUndeclaredHolidays(app: AppContext, region: string | null): void {
  const year = DateTime.fromMillis(app.clock.now().toMillis(), { zone: app.org.organization.timezone }).year;
  if (!movableHolidaysUndeclared(region, year)) return;
  const declared = declaredDaysByDate(app.db).some((r) => r.kind === 'off' && r.date.startsWith(`${year}-`));
  if (declared) return;
  const people = [...staffWithRole(app.db, 'administrator'), ...staffWithRole(app.db, 'coordinator')];
  for (const p of new Map(people.map((x) => [x.id, x])).values()) {
    app.enqueue({
      channel: 'telegram',
      action: 'sendMessage',
      payload: { chat_id: p.telegramId, parse_mode: 'HTML', text: app.t(localeOf(app, p), 'day-undeclared', { year, region: region ?? '' }) },
      throttleKey: `tg:${p.telegramId}`,
      idempotencyKey: `calendar-undeclared:${region}:${year}:${p.id}`,
    });
  }
}

const isoToRu = (iso: string) => iso.split('-').reverse().join('.');
