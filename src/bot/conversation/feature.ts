import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import { loadCase, loadEvents } from '../../db/repositories/case-store.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { endConversation, getConversation } from '../../db/repositories/conversations.js';
import { conversationAllowed, conversationFits } from './stale.js';
import { actorOf, workflowContext } from '../run-command.js';

/**
 * `/cancel`: leaves whatever the person was typing into (a draft, a reason, a comment). Nothing that
 * was already sent is undone; the collected draft text and media are dropped.
 *
 * A conversation ends when its case moves on: before any feature sees a typed message,
 * the chat's conversation is checked against the case as it is now (`conversationFits`); a stale one
 * is ended and the person gets a short explanation (the case's status now and who acted last) instead
 * of an action applied to a step that is gone.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('cancel', async (ctx) => {
    if (!ctx.chat) return;
    const ended = endConversation(app.db, ctx.chat.id);
    await ctx.reply(ctx.t(ended ? 'conversation-cancelled' : 'conversation-nothing-to-cancel'));
  });

  composer.on('message', async (ctx, next) => {
    if (!ctx.staff || ctx.chat.type !== 'private' || ctx.msg.text?.startsWith('/')) return next();
    const conv = getConversation(app.db, ctx.chat.id);
    if (!conv || conv.caseId === null) return next();
    const s = loadCase(app.db, conv.caseId);
    if (s && !conversationAllowed(conv, ctx.staff, s)) {
      endConversation(app.db, ctx.chat.id);
      app.logger.info({ chat: ctx.chat.id, kind: conv.kind, caseId: conv.caseId, staff: ctx.staff.id }, 'bot: input ended, the person no longer has the rights');
      return void (await ctx.reply(ctx.t('input-role-changed')));
    }
    if (s && conversationFits(conv, s, actorOf(ctx.staff), workflowContext(app))) return next();
    endConversation(app.db, ctx.chat.id);
    app.logger.info({ chat: ctx.chat.id, kind: conv.kind, caseId: conv.caseId, status: s?.status ?? null }, 'bot: stale conversation ended');
    if (!s) return void (await ctx.reply(ctx.t('work-case-not-found')));
    const last = loadEvents(app.db, s.id).at(-1);
    await ctx.reply(
      ctx.t('conversation-stale', {
        number: s.number,
        status: ctx.t(`case-status-${s.status}`),
        by: escapeHtml(last?.actor.name ?? '—'),
      }),
      { parse_mode: 'HTML' },
    );
  });
  return composer;
}
