import type { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { actorOf, runFromButton } from '../run-command.js';
import { agreesFor } from '../../domain/workflow/index.js';
import { clip, roleName } from './executor.js';
import { draftForReview, reviewFeature, type Press } from './review.js';
import { departmentHeadCallbacks } from '../callbacks/review.js';
import { currentDraft, departmentExecutors, originalOf, recipientsOf, sendHtml } from './work-common.js';

/**
 * The department head (К7, К11): designates the executor when a case is sent to the
 * department without one, and — when the regulation asks (Канаш К11) — approves or returns the draft
 * before it reaches the administrator. Callback data: `departmentHeadCallbacks` (src/bot/callbacks/review.ts).
 */
export const HEAD_CONVERSATION = { returnComment: 'dept-return-comment' } as const;

export function feature(app: AppContext): Composer<BotContext> {
  return reviewFeature(app, {
    reviewer: 'department_head',
    callbacks: departmentHeadCallbacks,
    approve: {
      action: 'ok',
      command: { type: 'approveAtDepartment' },
      toastKey: 'dept-approved-toast',
      done: (locale, s) => app.t(locale, 'dept-approved', { case: s.number, role: roleName(app, 'administrator', locale) }),
    },
    sendBack: {
      action: 'ret',
      kind: HEAD_CONVERSATION.returnComment,
      command: (comment) => ({ type: 'returnAtDepartment', comment }),
      refusal: (who, s) => {
        const resp = s.assignments.find((a) => a.role === 'responsible' && (a.status === 'assigned' || a.status === 'accepted'));
        if (!resp || !agreesFor(actorOf(who), resp.departmentId)) return 'workflow-refusal-wrong_department';
        return currentDraft(s)?.status !== 'dept_review' ? 'workflow-refusal-wrong_state' : null;
      },
    },
    presses: { des: designate(app) },
  });
}

/** К7: the head names the executor of his department's assignment. */
function designate(app: AppContext): Press<{ arg: number[] }> {
  return async (ctx, s, cb, locale) => {
    const [seq, executorId] = cb.arg as [number, number];
    // Only an active executor of the assignment's department: anyone else would leave the case with a deadline owner nobody is.
    const target = s.assignments.find((a) => a.seq === seq);
    if (target && !departmentExecutors(app.db, target.departmentId).some((p) => p.id === executorId)) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t('dept-designate-not-executor'), show_alert: true }));
    }
    const r = await runFromButton(ctx, s.id, { type: 'designateExecutor', assignmentSeq: seq, executorId: executorId }, ctx.t('dept-designated-toast'));
    if (r.ok && ctx.callbackQuery.message) {
      const who = r.state.assignments.find((a) => a.seq === seq)?.executorId;
      sendHtml(app, ctx.chat!.id, app.t(locale, 'dept-designated', { case: s.number, name: escapeHtml(staffName(app, who ?? null)) }), { caseId: s.id });
      app.enqueue({
        channel: 'telegram',
        action: 'editMessageReplyMarkup',
        payload: { chat_id: ctx.chat!.id, message_id: ctx.callbackQuery.message.message_id, reply_markup: { inline_keyboard: [] } },
        throttleKey: `tgedit:${ctx.chat!.id}`,
        caseId: s.id,
      });
    }
  };
}

function staffName(app: AppContext, id: number | null): string {
  if (id === null) return '—';
  return recipientsOf(app.db, { staffId: id })[0]?.name ?? `#${id}`;
}

export const departmentHeadNotifications = draftForReview('draft_for_department_review', 'department_head', (tx, app, locale, s, d) =>
  app.t(locale, 'review-dept-title', { case: s.number, kind: app.t(locale, `executor-kind-${d.kind}`), question: escapeHtml(clip(originalOf(tx, s).text, 600)) }),
);
