import { eq } from 'drizzle-orm';
import type { MiddlewareFn } from 'grammy';
import { processedUpdates } from '../../db/schema/system.js';
import type { BotContext } from '../context.js';

/**
 * An update is acted on once. Its id is recorded after its handlers finished, so an update whose
 * handling was cut short (a crash, a failed handler) is handled again when Telegram redelivers it —
 * every command re-checks the case's state, so a repeat is refused, not doubled — while an update that
 * was handled is skipped.
 */
export const dedupeUpdates: MiddlewareFn<BotContext> = async (ctx, next) => {
  const id = ctx.update.update_id;
  if (ctx.app.db.select({ id: processedUpdates.updateId }).from(processedUpdates).where(eq(processedUpdates.updateId, id)).get()) {
    ctx.app.logger.debug({ update: id }, 'bot: update already handled, skipped');
    // A press handled just before a crash, delivered again: its answer may never have reached the person.
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    return;
  }
  await next();
  ctx.app.db.insert(processedUpdates).values({ updateId: id, handledAt: Date.now() }).onConflictDoNothing().run();
};
