import type { MiddlewareFn } from 'grammy';
import { markUpdateHandled, updateHandled } from '../../db/repositories/updates.js';
import type { BotContext } from '../context.js';

/**
 * An update is acted on once. Its id is recorded after its handlers finished, so an update whose
 * handling was cut short (a crash, a failed handler) is handled again when Telegram redelivers it —
 * every command re-checks the case's state, so a repeat is refused, not doubled — while an update that
 * was handled is skipped.
 */
export const dedupeUpdates: MiddlewareFn<BotContext> = async (ctx, next) => {
  const id = ctx.update.update_id;
  if (updateHandled(ctx.app.db, id)) {
    ctx.app.logger.debug({ update: id }, 'bot: update already handled, skipped');
    // A press handled just before a crash, delivered again: its answer may never have reached the person.
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    return;
  }
  await next();
  markUpdateHandled(ctx.app.db, id, Date.now());
};
