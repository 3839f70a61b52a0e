import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { moveStaffWorkspace, staffById } from '../../db/repositories/staff.js';
import { isMaxWorkspace, maxWorkspaceId } from '../../kernel/workspace-id.js';
import { Priority } from '../../outbox/queue.js';
import { messengerCallbacks, refuseUnreadable } from '../callbacks/index.js';
import type { BotContext, StaffRow } from '../context.js';
import { retireCardsOutsideStaff } from '../access.js';
import { queueCommands } from './commands.js';

/** Where a person could move: the other messenger, when the organization knows his id there. */
function otherWorkspace(me: StaffRow): { name: 'Telegram' | 'MAX'; workspaceId: number } | null {
  if (isMaxWorkspace(me.telegramId)) return me.telegramUserId ? { name: 'Telegram', workspaceId: me.telegramUserId } : null;
  return me.maxUserId ? { name: 'MAX', workspaceId: maxWorkspaceId(me.maxUserId) } : null;
}

/**
 * `/messenger`: a person known in both Telegram and MAX moves his workspace to the other one after a
 * confirmation. His cards in this chat are retired like on access end (the chat is no longer his) and
 * the other chat greets him; the ids of both stay stored, so he can move back (docs/max.md).
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('messenger', async (ctx) => {
    const other = otherWorkspace(ctx.staff!);
    if (!other) return void (await ctx.reply(ctx.t('messenger-unknown-other')));
    await ctx.reply(ctx.t('messenger-confirm', { other: other.name }), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t('messenger-switch-button', { other: other.name }), callback_data: messengerCallbacks.encode('sw', 0) }]] },
    });
  });

  composer.on('callback_query:data', async (ctx, next) => {
    const data = ctx.callbackQuery.data;
    if (!messengerCallbacks.claims(data)) return next();
    if (!messengerCallbacks.decode(data)) return refuseUnreadable(ctx);
    // Re-checked on the press: the row may have moved since the question was asked.
    const me = staffById(app.db, ctx.staff!.id);
    const other = me && me.telegramId === ctx.chat?.id ? otherWorkspace(me) : null;
    if (!me || !other) return void (await ctx.answerCallbackQuery({ text: ctx.t('messenger-unknown-other'), show_alert: true }));
    const now = Date.now();
    app.db.transaction((tx) => {
      const moved = moveStaffWorkspace(tx as unknown as Db, me.id, other.workspaceId, isMaxWorkspace(other.workspaceId) ? { telegramUserId: me.telegramId } : {}, now);
      retireCardsOutsideStaff(app, tx as unknown as Db);
      queueCommands(app, tx as unknown as Db, moved);
      app.enqueue(
        {
          channel: 'telegram',
          action: 'sendMessage',
          payload: { chat_id: other.workspaceId, text: app.t(me.locale ?? app.org.organization.locale, 'messenger-welcome', { name: me.name }) },
          priority: Priority.interactive,
          throttleKey: `tg:${other.workspaceId}`,
        },
        tx as unknown as Db,
      );
    });
    app.logger.info({ staff: me.id, to: other.name }, 'bot: a person moved his workspace to another messenger');
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('messenger-switched', { other: other.name }));
  });
  return composer;
}
