import { Composer } from 'grammy';
import type { AppContext } from '../../app/context.js';
import type { BotContext } from '../context.js';
import { endConversation } from './store.js';

/**
 * `/cancel`: leaves whatever the person was typing into (a draft, a reason, a comment). Nothing that
 * was already sent is undone; the collected draft text and media are dropped.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('cancel', async (ctx) => {
    if (!ctx.chat) return;
    const ended = endConversation(app.db, ctx.chat.id);
    await ctx.reply(ctx.t(ended ? 'conversation-cancelled' : 'conversation-nothing-to-cancel'));
  });
  return composer;
}
