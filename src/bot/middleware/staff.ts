import type { MiddlewareFn } from 'grammy';
import { staffByTelegramId } from '../../db/repositories/staff.js';
import type { BotContext } from '../context.js';
import { isMaxWorkspace, maxUserOf } from '../../kernel/workspace-id.js';

/**
 * Looks the sender up in the database on every update, so a deactivated person loses access at once.
 * Inactive people count as unknown.
 */
export const loadStaff: MiddlewareFn<BotContext> = async (ctx, next) => {
  const fromId = ctx.from?.id;
  const row = fromId === undefined ? undefined : (staffByTelegramId(ctx.app.db, fromId) ?? undefined);
  ctx.staff = row && row.active ? row : null;
  await next();
};

/**
 * Everything below this point is for staff only. Unknown users get a short polite refusal (with their
 * Telegram id, so they can ask to be added) and nothing else. `/start <invite>` is let through.
 */
export const staffOnly: MiddlewareFn<BotContext> = async (ctx, next) => {
  // Group chats (the channel's discussion group): only the open features above serve them, never staff features.
  if (ctx.chat && ctx.chat.type !== 'private') return;
  if (ctx.staff) return next();
  if (/^\/start\s+\S+/.test(ctx.message?.text ?? '')) return next(); // invite links are checked by the invite feature
  ctx.app.logger.info({ from: ctx.from?.id, update: ctx.update.update_id }, 'bot: refused an unknown user');
  // The refusal is best effort: if it cannot be delivered, there is nothing to retry, and the update still
  // counts as handled (a stranger pressing thousands of buttons must not leave updates unfinished).
  // A MAX user learns his MAX id, the one the organization file's maxUserId takes (kernel/workspace-id.ts).
  const fromId = ctx.from?.id;
  const text = isMaxWorkspace(fromId) ? ctx.t('unknown-user-max', { id: String(maxUserOf(fromId!)) }) : ctx.t('unknown-user', { id: String(fromId ?? '') });
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else if (ctx.chat) await ctx.reply(text);
  } catch (err) {
    ctx.app.logger.warn({ err: err instanceof Error ? err.message : String(err), update: ctx.update.update_id }, 'bot: refusal to an unknown user not delivered');
  }
};
