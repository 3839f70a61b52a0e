import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';

/**
 * The workspace is private chats only: case text, phone numbers and the staff list must never be posted
 * where people other than the entitled staff member read them. In a group the bot answers no command and
 * no button; the one exception is the configured discussion group of the administration's channel, where
 * citizens' comments (not commands) reach the channel feature, which only collects them. A press on a
 * message sent in inline mode has no chat at all: it is answered and dropped.
 */
export const privateChatsOnly: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.callbackQuery && !ctx.callbackQuery.message) {
    ctx.app.logger.info({ from: ctx.from?.id, update: ctx.update.update_id }, 'bot: press without a chat (inline mode) ignored');
    return void (await ctx.answerCallbackQuery().catch(() => undefined));
  }
  const chat = ctx.chat;
  if (!chat || chat.type === 'private') return next();
  const discussion = ctx.app.org.telegramChannel?.discussionChatId;
  const m = ctx.message ?? ctx.editedMessage;
  if (chat.id === discussion && m && !startsWithCommand(m)) return next();
  ctx.app.logger.debug({ chat: chat.id, from: ctx.from?.id, update: ctx.update.update_id }, 'bot: group chat update ignored');
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
};

function startsWithCommand(m: { text?: string; entities?: { type: string; offset: number }[] }): boolean {
  if (m.entities?.some((e) => e.type === 'bot_command' && e.offset === 0)) return true;
  return /^\/[A-Za-z]/.test(m.text ?? '');
}
