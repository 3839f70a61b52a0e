import { Composer } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { activeColleaguesOf, allStaff, insertAbsence, staffById, updateStaff } from '../../db/repositories/staff.js';
import { offerOpenWorkOnAbsence } from './absence-offer.js';
import { roleSchema } from '../../domain/regulation/schema.js';
import { staffCallbacks } from '../callbacks/index.js';
import type { BotContext, StaffRow } from '../context.js';
import { formatMoment, roleTitle } from '../cards/format.js';
import { escapeHtml } from '../format/html.js';
import { retireCardsNoLongerVisible, retireCardsOutsideStaff } from '../access.js';
import { queueCommands } from './commands.js';
import { editPage, replyPage, type ListSpec } from '../paging.js';

// A deputy's departments are set in the organization file (`supervises`), not in the bot.
const ROLES = roleSchema.options.filter((r) => r !== 'deputy');
const AWAY_DAYS = [1, 3, 7, 14];
type Btn = InlineKeyboardButton;

/**
 * People: `/staff` lists everyone; the administrator changes a person's roles,
 * deactivates him (access is lost at once: the staff gate reads the database on every update) or sets
 * his absence with a substitute (А6.3). `/away` sets one's own absence. Callback data:
 * `stf.<what>:0:<staffId>[.<n>[.<m>]]`; every press re-reads both people from the database.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('staff', (ctx) => replyPage(ctx, staffList(app, ctx)));

  composer.command('away', async (ctx) => {
    const me = ctx.staff!;
    await ctx.reply(ctx.t('staff-away-choose-days'), { reply_markup: { inline_keyboard: [daysRow(me.id)] } });
  });

  composer.on('callback_query:data', async (ctx, next) => {
    if (!staffCallbacks.claims(ctx.callbackQuery.data)) return next();
    const d = staffCallbacks.decode(ctx.callbackQuery.data);
    if (d?.name === 'list') return editPage(ctx, staffList(app, ctx), d.arg);
    const me = ctx.staff!;
    const loc = me.locale ?? app.org.organization.locale;
    // The person first, then the role index or the days, then the substitute or the page.
    const nums = d ? (typeof d.arg === 'number' ? [d.arg] : typeof d.arg === 'string' ? d.arg.split('.').map(Number) : d.arg) : null;
    const target = nums ? (staffById(app.db, nums[0]!) ?? undefined) : undefined;
    if (!d || !target) return void (await ctx.answerCallbackQuery({ text: ctx.t('admin-bad-choice'), show_alert: true }));
    const admin = me.roles.includes('administrator');
    const own = target.id === me.id;
    // Only an administrator manages others; anyone sets his own absence.
    const awayAction = d.name === 'awd' || d.name === 'aws';
    if (!admin && !(own && awayAction)) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_role'), show_alert: true }));
    }
    const n = nums?.[1] ?? null;
    const k = nums?.[2] ?? null;
    const edit = async (text: string, rows: Btn[][]) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: { inline_keyboard: rows } });
    };

    switch (d.name) {
      case 'p':
        return edit(personCard(app, target, loc), personRows(app, target, loc));
      case 'role': {
        const role = n !== null ? ROLES[n] : undefined;
        if (!role) return void (await ctx.answerCallbackQuery({ text: ctx.t('admin-bad-choice'), show_alert: true }));
        const has = target.roles.includes(role);
        const roles = has ? target.roles.filter((r) => r !== role) : [...target.roles, role];
        if (roles.length === 0) return void (await ctx.answerCallbackQuery({ text: ctx.t('staff-needs-a-role'), show_alert: true }));
        if (!has && ['executor', 'department_head'].includes(role) && !target.departmentId) {
          return void (await ctx.answerCallbackQuery({ text: ctx.t('staff-needs-department'), show_alert: true }));
        }
        const updated = save(app, target.id, { roles });
        if (has) retireCardsNoLongerVisible(app, app.db, updated);
        app.logger.info({ by: me.id, staff: target.id, roles }, 'bot: roles changed');
        return edit(personCard(app, updated, loc), personRows(app, updated, loc));
      }
      case 'off':
        return edit(ctx.t('staff-confirm-deactivate', { name: escapeHtml(target.name) }), [
          [{ text: ctx.t('btn-confirm-deactivate'), callback_data: staffCallbacks.encode('offok', 0, target.id) }],
          [{ text: ctx.t('btn-back'), callback_data: staffCallbacks.encode('p', 0, target.id) }],
        ]);
      case 'offok': {
        if (own) return void (await ctx.answerCallbackQuery({ text: ctx.t('staff-not-yourself'), show_alert: true }));
        const updated = save(app, target.id, { active: false });
        retireCardsOutsideStaff(app);
        app.logger.info({ by: me.id, staff: target.id }, 'bot: person deactivated');
        return edit(ctx.t('staff-deactivated', { name: escapeHtml(updated.name) }), [[{ text: ctx.t('btn-reactivate'), callback_data: staffCallbacks.encode('on', 0, target.id) }]]);
      }
      case 'on': {
        const updated = save(app, target.id, { active: true });
        return edit(personCard(app, updated, loc), personRows(app, updated, loc));
      }
      case 'away':
        return edit(ctx.t('staff-away-choose-days-for', { name: escapeHtml(target.name) }), [daysRow(target.id)]);
      case 'awd': {
        if (n === null || !AWAY_DAYS.includes(n)) return void (await ctx.answerCallbackQuery({ text: ctx.t('admin-bad-choice'), show_alert: true }));
        const colleagues = substitutesFor(app.db, target);
        return editPage(
          ctx,
          {
            title: ctx.t('staff-away-choose-substitute'),
            lines: colleagues.map((c) => `• ${escapeHtml(c.name)}`),
            rows: colleagues.map((c) => [[{ text: c.name, callback_data: staffCallbacks.encode('aws', 0, [target.id, n, c.id]) }]]),
            footer: [[{ text: ctx.t('btn-no-substitute'), callback_data: staffCallbacks.encode('aws', 0, [target.id, n, 0]) }]],
            nav: (page) => staffCallbacks.encode('awd', 0, `${target.id}.${n}.${page}`),
          },
          k ?? 0,
        );
      }
      case 'aws': {
        if (n === null || !AWAY_DAYS.includes(n) || k === null) return void (await ctx.answerCallbackQuery({ text: ctx.t('admin-bad-choice'), show_alert: true }));
        // Only one of the people offered (substitutesFor): a forged id must not make another department's head a substitute.
        const sub = k === 0 ? null : substitutesFor(app.db, target).find((c) => c.id === k);
        if (k !== 0 && (!sub || sub.id === target.id)) return void (await ctx.answerCallbackQuery({ text: ctx.t('admin-bad-choice'), show_alert: true }));
        const now = app.clock.now();
        const until = now.plus({ days: n }).endOf('day').toMillis();
        const absence = { staffId: target.id, from: now.toMillis(), until, substituteId: sub?.id ?? null };
        app.db.transaction((tx) => {
          insertAbsence(tx as unknown as Db, { ...absence, note: own ? 'away' : `by ${me.id}` }, now.toMillis());
          offerOpenWorkOnAbsence(app, tx as unknown as Db, target, absence, sub ?? null);
        });
        app.logger.info({ by: me.id, staff: target.id, until, substitute: sub?.id ?? null }, 'bot: absence set');
        return edit(
          ctx.t('staff-away-set', {
            name: escapeHtml(target.name),
            until: formatMoment(until, app.org.organization.timezone, loc, now.toMillis()),
            substitute: escapeHtml(sub?.name ?? '—'),
          }),
          [],
        );
      }
      default:
        return void (await ctx.answerCallbackQuery({ text: ctx.t('admin-bad-choice'), show_alert: true }));
    }
  });

  return composer;
}

function daysRow(staffId: number): Btn[] {
  return AWAY_DAYS.map((days) => ({ text: `${days}`, callback_data: staffCallbacks.encode('awd', 0, `${staffId}.${days}`) }));
}

function save(app: AppContext, id: number, patch: Partial<Pick<StaffRow, 'roles' | 'active'>>): StaffRow {
  return app.db.transaction((tx) => {
    const row = updateStaff(tx as unknown as Db, id, patch, Date.now());
    queueCommands(app, tx as unknown as Db, row);
    return row;
  });
}

/**
 * Who can stand in: active people of the same department (or, without one, with a shared role); when
 * there is nobody such — the only administrator, the only person of a department — everyone else active.
 * Only a person offered here is accepted (another department's head never stands in for an executor who
 * has colleagues). The list pages in the bot.
 */
export function substitutesFor(db: Db, s: StaffRow): StaffRow[] {
  const others = activeColleaguesOf(db, s.id);
  const near = (o: StaffRow) => (s.departmentId ? o.departmentId === s.departmentId : o.roles.some((r) => s.roles.includes(r)));
  const colleagues = others.filter(near);
  return colleagues.length ? colleagues : others;
}

/** `/staff`: everyone, by name; the administrator gets a button per person (on the same page as his line). */
function staffList(app: AppContext, ctx: BotContext): ListSpec {
  const me = ctx.staff!;
  const loc = me.locale ?? app.org.organization.locale;
  const people = allStaff(app.db, 'name');
  const admin = me.roles.includes('administrator');
  return {
    title: ctx.t('staff-title', { count: people.filter((p) => p.active).length }),
    lines: people.map((p) => personLine(app, p, loc)),
    rows: people.map((p) => (admin && p.id !== me.id ? [[{ text: `${p.active ? '' : '⛔ '}${p.name}`, callback_data: staffCallbacks.encode('p', 0, p.id) }]] : [])),
    nav: (page) => staffCallbacks.encode('list', 0, page),
  };
}

function personLine(app: AppContext, p: StaffRow, loc: string): string {
  const roles = p.roles.map((r) => roleTitle(app, r, loc)).join(', ');
  const dept = p.departmentId ? ` · ${escapeHtml(app.org.departments.find((d) => d.id === p.departmentId)?.name ?? p.departmentId)}` : '';
  return `${p.active ? '•' : '⛔'} ${escapeHtml(p.name)} — ${escapeHtml(roles)}${dept}`;
}

function personCard(app: AppContext, p: StaffRow, loc: string): string {
  return `<b>${escapeHtml(p.name)}</b>\n${personLine(app, p, loc)}\nTelegram ID: ${p.telegramId}`;
}

function personRows(app: AppContext, p: StaffRow, loc: string): Btn[][] {
  const roleButtons = ROLES.map((r, i) => ({ text: `${p.roles.includes(r) ? '✅' : '▫️'} ${roleTitle(app, r, loc)}`, callback_data: staffCallbacks.encode('role', 0, [p.id, i]) }));
  const rows: Btn[][] = [];
  for (let i = 0; i < roleButtons.length; i += 2) rows.push(roleButtons.slice(i, i + 2));
  rows.push([{ text: app.t(loc, 'btn-set-away'), callback_data: staffCallbacks.encode('away', 0, p.id) }]);
  rows.push([
    p.active
      ? { text: app.t(loc, 'btn-deactivate'), callback_data: staffCallbacks.encode('off', 0, p.id) }
      : { text: app.t(loc, 'btn-reactivate'), callback_data: staffCallbacks.encode('on', 0, p.id) },
  ]);
  return rows;
}
