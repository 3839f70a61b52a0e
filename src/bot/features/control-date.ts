import { Composer } from 'grammy';
import { DateTime } from 'luxon';
import type { AppContext } from '../../kernel/context.js';
import { findPromisedTerm, promisedInstant } from '../../domain/text/promised-term.js';
import { liveDeadline } from '../../domain/workflow/index.js';
import { controlDateCallbacks, refuseUnreadable } from '../callbacks/index.js';
import type { BotContext } from '../context.js';
import { endConversation, getConversation, startConversation } from '../../db/repositories/conversations.js';
import { runCommand } from '../run-command.js';
import { caseOf, due, localeOf, sendHtml } from './work-common.js';

/**
 * А7.8 «срок или условия»: an intermediate answer that promised conditions («после схода снега»)
 * instead of a date leaves the final answer without a term; the administrator sets its control date
 * here (reminders and the breach count from it). Callback `cd.set:<caseId>`; the date is typed in
 * ordinary Russian («до 15.04.2027», «в течение 20 рабочих дней»).
 */
export const CONTROL_DATE_ACTION = { set: 'cd.set' } as const;
const KIND = 'control-date';

export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = controlDateCallbacks.decode(ctx.callbackQuery.data);
    if (!cb || !ctx.staff) return controlDateCallbacks.claims(ctx.callbackQuery.data) && ctx.staff ? refuseUnreadable(ctx) : next();
    const s = caseOf(app.db, cb.caseId);
    const ok = ctx.staff.roles.includes('administrator') && s && s.status === 'awaiting_final' && !liveDeadline(s, 'final_answer');
    if (!s || !ok) return void (await ctx.answerCallbackQuery({ text: ctx.t(s ? 'workflow-refusal-wrong_state' : 'work-case-not-found'), show_alert: true }));
    startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff.id, kind: KIND, caseId: s.id });
    await ctx.answerCallbackQuery();
    const conditions = [...s.drafts].reverse().find((d) => d.kind === 'intermediate' && d.status === 'published')?.promisedConditions ?? '—';
    sendHtml(app, ctx.chat!.id, app.t(localeOf(app, ctx.staff), 'control-date-ask', { case: s.number, conditions }), { caseId: s.id, forceReply: true });
  });

  composer.on('message', async (ctx, next) => {
    if (!ctx.staff || ctx.chat.type !== 'private') return next();
    const conv = getConversation(app.db, ctx.chat.id);
    if (!conv || conv.kind !== KIND || ctx.msg.text?.startsWith('/')) return next();
    const locale = localeOf(app, ctx.staff);
    const now = DateTime.fromMillis(app.clock.now().toMillis(), { zone: app.org.organization.timezone });
    const term = findPromisedTerm(ctx.msg.text ?? '', now);
    const until = term ? promisedInstant(term, app.workingTime, now) : null;
    if (until === null) return void sendHtml(app, ctx.chat.id, app.t(locale, 'control-date-bad'));
    const r = runCommand(app, ctx.staff, conv.caseId!, { type: 'setControlDate', until });
    endConversation(app.db, ctx.chat.id);
    if (!r.ok) return void sendHtml(app, ctx.chat.id, r.text);
    sendHtml(app, ctx.chat.id, app.t(locale, 'control-date-set', { case: r.state.number, date: due(app, locale, until) }), { caseId: r.state.id });
  });
  return composer;
}
