import { randomBytes } from 'node:crypto';
import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { createInvite, upsertInvitedStaff, useInvite } from '../../db/repositories/staff.js';
import { isMaxWorkspace, maxUserOf } from '../../kernel/workspace-id.js';
import { roleSchema } from '../../domain/regulation/schema.js';
import { inviteCallbacks } from '../callbacks/index.js';
import type { BotContext } from '../context.js';
import { formatMoment, roleTitle } from '../cards/format.js';
import { escapeHtml } from '../format/html.js';
import { queueCommands } from './commands.js';

export const INVITE_TTL_HOURS = 48;
// A deputy's departments are set in the organization file (`supervises`), not by an invite.
const ROLES = roleSchema.options.filter((r) => r !== 'deputy');
const NEEDS_DEPARTMENT = ['executor', 'department_head'];

/**
 * Invites: an administrator creates a one-time, expiring deep link
 * `t.me/<bot>?start=<token>` for a role (and a department for executors and department heads);
 * `/start <token>` by a person the bot does not know yet makes him staff. An open feature: it runs
 * before the staff gate.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('invite', async (ctx, next) => {
    if (!ctx.staff) return next();
    if (!ctx.staff.roles.includes('administrator')) return void (await ctx.reply(ctx.t('workflow-refusal-wrong_role')));
    const loc = ctx.staff.locale ?? app.org.organization.locale;
    const rows = ROLES.map((r, i) => [{ text: roleTitle(app, r, loc), callback_data: inviteCallbacks.encode('role', 0, String(i)) }]);
    await ctx.reply(ctx.t('invite-choose-role'), { reply_markup: { inline_keyboard: rows } });
  });

  composer.on('callback_query:data', async (ctx, next) => {
    if (!inviteCallbacks.claims(ctx.callbackQuery.data)) return next();
    const d = inviteCallbacks.decode(ctx.callbackQuery.data);
    if (!ctx.staff || !ctx.staff.roles.includes('administrator')) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_role'), show_alert: true }));
    }
    const loc = ctx.staff.locale ?? app.org.organization.locale;
    const m = d ? /^(\d{1,2})(?:\.(\d{1,3}))?$/.exec(d.arg) : null;
    const role = m ? ROLES[Number(m[1])] : undefined;
    const dept = m?.[2] !== undefined ? app.org.departments[Number(m[2])] : undefined;
    if (!role || (m?.[2] !== undefined && !dept)) return void (await ctx.answerCallbackQuery({ text: ctx.t('admin-bad-choice'), show_alert: true }));
    if (NEEDS_DEPARTMENT.includes(role) && !dept) {
      const rows = app.org.departments.map((dep, j) => [{ text: dep.name, callback_data: inviteCallbacks.encode('role', 0, `${m![1]}.${j}`) }]);
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t('invite-choose-department', { role: roleTitle(app, role, loc) }), { reply_markup: { inline_keyboard: rows } });
      return;
    }
    const now = app.clock.now();
    const token = randomBytes(12).toString('base64url');
    const expiresAt = now.plus({ hours: INVITE_TTL_HOURS }).toMillis();
    createInvite(app.db, { token, role, departmentId: dept?.id ?? null, createdBy: ctx.staff.id, createdAt: now.toMillis(), expiresAt });
    // With the MAX staff bot configured the invite has two links: the messenger whose link the person opens is where he works.
    const telegramLink = `https://t.me/${ctx.me.username}?start=${token}`;
    // Without BOT_TOKEN the workspace is in MAX only: the MAX link alone.
    const link = !app.env.BOT_TOKEN && app.maxStaffLink ? app.maxStaffLink(token) : app.maxStaffLink ? `Telegram: ${telegramLink}\nMAX: ${app.maxStaffLink(token)}` : telegramLink;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(
      ctx.t('invite-created', {
        role: roleTitle(app, role, loc),
        department: escapeHtml(dept?.name ?? '—'),
        link,
        until: formatMoment(expiresAt, app.org.organization.timezone, loc, now.toMillis()),
      }),
      { parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
    );
  });

  composer.command('start', async (ctx, next) => {
    const token = ctx.match.trim();
    if (ctx.staff || !token || ctx.chat.type !== 'private') return next();
    const from = ctx.from!;
    const now = app.clock.now().toMillis();
    const joined = app.db.transaction((tx) => {
      const inv = useInvite(tx as unknown as Db, token, from.id, now);
      if (!inv) return null;
      const name = [from.first_name, from.last_name].filter(Boolean).join(' ') || `id${from.id}`;
      const values = {
        telegramId: from.id,
        name,
        roles: [inv.role],
        departmentId: inv.departmentId,
        active: true,
        origin: 'invite',
        locale: from.language_code === 'en' ? 'en' : null,
        createdAt: now,
        updatedAt: now,
      };
      const row = upsertInvitedStaff(tx as unknown as Db, values, now);
      queueCommands(app, tx as unknown as Db, row);
      return row;
    });
    if (!joined) {
      app.logger.info({ from: from.id }, 'bot: invite refused (unknown, used or expired)');
      // In MAX the person's id is his MAX id (the one the organization file takes), not the workspace id.
      return void (await ctx.reply(isMaxWorkspace(from.id) ? ctx.t('invite-invalid-max', { id: String(maxUserOf(from.id)) }) : ctx.t('invite-invalid', { id: String(from.id) })));
    }
    app.logger.info({ staff: joined.id, role: joined.roles[0] }, 'bot: joined by invite');
    const loc = joined.locale ?? app.org.organization.locale;
    await ctx.reply(app.t(loc, 'invite-welcome', { name: joined.name, role: roleTitle(app, joined.roles[0]!, loc) }));
  });

  return composer;
}
