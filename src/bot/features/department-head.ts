import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import { decodeCallback } from '../callbacks/codec.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { actorOf, runCommand, runFromButton } from '../run-command.js';
import { agreesFor } from '../../domain/workflow/index.js';
import { endConversation, getConversation, startConversation } from '../../db/repositories/conversations.js';
import { clip, roleName } from './executor.js';
import { decisionButtons } from './work-buttons.js';
import { caseOf, currentDraft, departmentExecutors, lastVersion, localeOf, originalOf, recipientsOf, sendDraftPreview, sendHtml, toMedia, type NotifyHandler } from './work-common.js';

/**
 * The department head (К7, К11): designates the executor when a case is sent to the
 * department without one, and — when the regulation asks (Канаш К11) — approves or returns the draft
 * before it reaches the administrator. Callback data `dh.<what>:<caseId>[:<arg>]`.
 */
export const HEAD_ACTION = { designate: 'dh.des', approve: 'dh.ok', returnDraft: 'dh.ret' } as const;
export const HEAD_CONVERSATION = { returnComment: 'dept-return-comment' } as const;

export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = decodeCallback(ctx.callbackQuery.data);
    if (!cb || !cb.action.startsWith('dh.') || !ctx.staff) return next();
    const s = caseOf(app.db, cb.caseId);
    if (!s) return void (await ctx.answerCallbackQuery({ text: ctx.t('work-case-not-found'), show_alert: true }));
    const locale = localeOf(app, ctx.staff);
    switch (cb.action) {
      case HEAD_ACTION.designate: {
        const m = /^(\d+)\.(\d+)$/.exec(cb.arg ?? '');
        if (!m) return void (await ctx.answerCallbackQuery({ text: ctx.t('work-button-unknown'), show_alert: true }));
        // Only an active executor of the assignment's department: anyone else would leave the case with a deadline owner nobody is.
        const target = s.assignments.find((a) => a.seq === Number(m[1]));
        if (target && !departmentExecutors(app.db, target.departmentId).some((p) => p.id === Number(m[2]))) {
          return void (await ctx.answerCallbackQuery({ text: ctx.t('dept-designate-not-executor'), show_alert: true }));
        }
        const r = await runFromButton(ctx, s.id, { type: 'designateExecutor', assignmentSeq: Number(m[1]), executorId: Number(m[2]) }, ctx.t('dept-designated-toast'));
        if (r.ok && ctx.callbackQuery.message) {
          const who = r.state.assignments.find((a) => a.seq === Number(m[1]))?.executorId;
          sendHtml(app, ctx.chat!.id, app.t(locale, 'dept-designated', { case: s.number, name: escapeHtml(staffName(app, who ?? null)) }), { caseId: s.id });
          app.enqueue({
            channel: 'telegram',
            action: 'editMessageReplyMarkup',
            payload: { chat_id: ctx.chat!.id, message_id: ctx.callbackQuery.message.message_id, reply_markup: { inline_keyboard: [] } },
            throttleKey: `tgedit:${ctx.chat!.id}`,
            caseId: s.id,
          });
        }
        return;
      }
      case HEAD_ACTION.approve: {
        const r = await runFromButton(ctx, s.id, { type: 'approveAtDepartment' }, ctx.t('dept-approved-toast'));
        if (r.ok) sendHtml(app, ctx.chat!.id, app.t(locale, 'dept-approved', { case: s.number, role: roleName(app, 'administrator', locale) }), { caseId: s.id });
        return;
      }
      case HEAD_ACTION.returnDraft: {
        const d = currentDraft(s);
        const resp = s.assignments.find((a) => a.role === 'responsible' && (a.status === 'assigned' || a.status === 'accepted'));
        if (!resp || !agreesFor(actorOf(ctx.staff), resp.departmentId)) {
          return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_department'), show_alert: true }));
        }
        if (!d || d.status !== 'dept_review') return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_state'), show_alert: true }));
        startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff.id, kind: HEAD_CONVERSATION.returnComment, caseId: s.id });
        await ctx.answerCallbackQuery();
        sendHtml(app, ctx.chat!.id, app.t(locale, 'review-comment-ask', { case: s.number }), { forceReply: true });
        return;
      }
      default:
        await ctx.answerCallbackQuery({ text: ctx.t('work-button-unknown'), show_alert: true });
    }
  });

  composer.on('message', async (ctx, next) => {
    if (!ctx.staff || ctx.chat.type !== 'private') return next();
    const conv = getConversation(app.db, ctx.chat.id);
    if (!conv || conv.kind !== HEAD_CONVERSATION.returnComment || ctx.msg.text?.startsWith('/')) return next();
    const locale = localeOf(app, ctx.staff);
    const comment = ctx.msg.text?.trim();
    if (!comment) return void sendHtml(app, ctx.chat.id, app.t(locale, 'review-comment-need-text'));
    const r = runCommand(app, ctx.staff, conv.caseId!, { type: 'returnAtDepartment', comment });
    endConversation(app.db, ctx.chat.id);
    sendHtml(app, ctx.chat.id, r.ok ? app.t(locale, 'review-returned', { case: r.state.number }) : escapeHtml(r.text), { caseId: conv.caseId });
  });
  return composer;
}

function staffName(app: AppContext, id: number | null): string {
  if (id === null) return '—';
  return recipientsOf(app.db, { staffId: id })[0]?.name ?? `#${id}`;
}

export const departmentHeadNotifications: Partial<Record<import('../../domain/workflow/index.js').NotifyKind, NotifyHandler>> = {
  draft_for_department_review: (tx, e, app) => {
    const s = caseOf(tx, e.caseId);
    if (!s) return;
    const d = currentDraft(s);
    const v = lastVersion(d);
    if (!d || !v) return;
    for (const p of recipientsOf(tx, e.to, app.clock.now().toMillis())) {
      const locale = localeOf(app, p);
      const header = app.t(locale, 'review-dept-title', { case: s.number, kind: app.t(locale, `executor-kind-${d.kind}`), question: escapeHtml(clip(originalOf(tx, s).text, 600)) });
      sendDraftPreview(app, p.telegramId, { text: v.text, media: toMedia(v.attachments) }, header, {
        tx,
        caseId: s.id,
        keyboard: decisionButtons(app, locale, s.id, 'department_head'),
      });
    }
  },
};
