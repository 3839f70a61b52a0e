import { Composer } from 'grammy';
import { DateTime } from 'luxon';
import type { AppContext } from '../../kernel/context.js';
import { addDuration, liveDeadline, type CaseState } from '../../domain/workflow/index.js';
import { decodeCallback } from '../callbacks/codec.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { endConversation, getConversation, startConversation } from '../../db/repositories/conversations.js';
import { runFromButton } from '../run-command.js';
import { button, caseOf, due, localeOf, recipientsOf, sendHtml } from './work-common.js';

/**
 * Extension of the term (А7.9: at most 30 days, the author is told), only when the regulation
 * provides it (`windows.maxExtension`). The responsible executor asks with a reason; the
 * administrator extends by 7, 14 or 30 days (never beyond the limit) or declines.
 * Callback data `ext.req:<caseId>`, `ext.ok:<caseId>:<days>`, `ext.no:<caseId>`.
 */
export const EXTENSION_ACTION = { request: 'ext.req', grant: 'ext.ok', decline: 'ext.no' } as const;
export const EXTENSION_CONVERSATION = { reason: 'extension-reason' } as const;
const STEPS = [7, 14, 30];

export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = decodeCallback(ctx.callbackQuery.data);
    if (!cb || !cb.action.startsWith('ext.') || !ctx.staff) return next();
    const max = app.regulation.windows.maxExtension;
    if (!max) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-not_provided'), show_alert: true }));
    const s = caseOf(app.db, cb.caseId);
    if (!s) return void (await ctx.answerCallbackQuery({ text: ctx.t('work-case-not-found'), show_alert: true }));
    const locale = localeOf(app, ctx.staff);
    switch (cb.action) {
      case EXTENSION_ACTION.request: {
        const r = s.assignments.find((a) => a.role === 'responsible' && a.status === 'accepted');
        if (!r || r.executorId !== ctx.staff.id) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-not_assignee'), show_alert: true }));
        if (!target(s)) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_state'), show_alert: true }));
        startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff.id, kind: EXTENSION_CONVERSATION.reason, caseId: s.id });
        await ctx.answerCallbackQuery();
        sendHtml(app, ctx.chat!.id, app.t(locale, 'extension-ask-reason', { case: s.number, clause: max.clause }), { forceReply: true });
        return;
      }
      case EXTENSION_ACTION.grant: {
        const days = Number(cb.arg);
        const t = target(s);
        if (!STEPS.includes(days) || !t) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_state'), show_alert: true }));
        const base = s.extension?.baseDueAt ?? t.dueAt;
        const limit = addDuration(app.workingTime, base, max.duration);
        const until = Math.min(DateTime.fromMillis(base).plus({ days }).toMillis(), limit);
        const r = await runFromButton(ctx, s.id, { type: 'extend', until }, ctx.t('extension-granted-toast'));
        if (r.ok) sendHtml(app, ctx.chat!.id, app.t(locale, 'extension-granted', { case: s.number, until: due(app, locale, r.state.extension?.until ?? until) }), { caseId: s.id });
        return;
      }
      case EXTENSION_ACTION.decline: {
        if (!ctx.staff.roles.includes('administrator')) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_role'), show_alert: true }));
        await ctx.answerCallbackQuery();
        const r = s.assignments.find((a) => a.role === 'responsible' && a.status === 'accepted');
        for (const p of r?.executorId ? recipientsOf(app.db, { staffId: r.executorId }) : []) {
          sendHtml(app, p.telegramId, app.t(localeOf(app, p), 'extension-declined', { case: s.number }), { caseId: s.id });
        }
        return;
      }
      default:
        await ctx.answerCallbackQuery({ text: ctx.t('work-button-unknown'), show_alert: true });
    }
  });

  composer.on('message', async (ctx, next) => {
    if (!ctx.staff || ctx.chat.type !== 'private') return next();
    const conv = getConversation(app.db, ctx.chat.id);
    if (!conv || conv.kind !== EXTENSION_CONVERSATION.reason || ctx.msg.text?.startsWith('/')) return next();
    const reason = ctx.msg.text?.trim();
    const locale = localeOf(app, ctx.staff);
    if (!reason) return void sendHtml(app, ctx.chat.id, app.t(locale, 'review-comment-need-text'));
    endConversation(app.db, ctx.chat.id);
    const s = caseOf(app.db, conv.caseId!);
    const t = s ? target(s) : undefined;
    if (!s || !t) return void sendHtml(app, ctx.chat.id, app.t(locale, 'workflow-refusal-wrong_state'));
    const name = ctx.staff.name;
    app.db.transaction((tx) => {
      for (const p of recipientsOf(tx, { role: 'administrator', departmentId: null })) {
        const l = localeOf(app, p);
        sendHtml(app, p.telegramId, app.t(l, 'extension-requested', { case: s.number, name: escapeHtml(name), reason: escapeHtml(reason), due: due(app, l, t.dueAt) }), {
          tx,
          caseId: s.id,
          keyboard: [
            STEPS.map((d) => button(app.t(l, 'extension-btn-days', { days: d }), EXTENSION_ACTION.grant, s.id, d)),
            [button(app.t(l, 'extension-btn-decline'), EXTENSION_ACTION.decline, s.id)],
          ],
        });
      }
    });
    sendHtml(app, ctx.chat.id, app.t(locale, 'extension-request-sent', { case: s.number }), { caseId: s.id });
  });
  return composer;
}

function target(s: CaseState) {
  return liveDeadline(s, 'answer') ?? liveDeadline(s, 'final_answer');
}
