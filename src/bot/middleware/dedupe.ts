import type { MiddlewareFn } from 'grammy';
import { processedUpdates } from '../../db/schema/system.js';
import type { BotContext } from '../context.js';

/**
 * An update is acted on once: its id is recorded before the handlers run. If the process dies
 * before Telegram learns the offset, the redelivered update is skipped here.
 */
export const dedupeUpdates: MiddlewareFn<BotContext> = async (ctx, next) => {
  const inserted = ctx.app.db
    .insert(processedUpdates)
    .values({ updateId: ctx.update.update_id, handledAt: Date.now() })
    .onConflictDoNothing()
    .run().changes;
  if (inserted === 0) {
    ctx.app.logger.debug({ update: ctx.update.update_id }, 'bot: update already handled, skipped');
    return;
  }
  await next();
};
