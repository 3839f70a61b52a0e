import { Composer } from 'grammy';
import { draftCheckLines } from '../assist.js';
import type { AppContext } from '../../kernel/context.js';
import { decodeCallback } from '../callbacks/codec.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { runCommand, runFromButton } from '../run-command.js';
import { endConversation, getConversation, startConversation } from '../../db/repositories/conversations.js';
import { clip, roleName } from './executor.js';
import { decisionButtons } from './work-buttons.js';
import { caseOf, currentDraft, due, lastVersion, localeOf, originalOf, recipientsOf, sendDraftPreview, sendHtml, staffById, toMedia, type NotifyHandler } from './work-common.js';

/**
 * Approval and publication (К12–К14, А7.5–А7.7): the administrator sees the draft exactly
 * as it will be published (media by file_id, then the text), approves it or returns it with a comment.
 * Then, per `regulation.rules.publisher`: the executor gets «Опубликовать» (К14), the administrator
 * gets it (А7.7), or the bot publishes on approval. Callback data `ap.<what>:<caseId>`.
 */
export const APPROVAL_ACTION = { approve: 'ap.ok', rework: 'ap.rw', publish: 'ap.pub' } as const;
export const APPROVAL_CONVERSATION = { reworkComment: 'rework-comment' } as const;

export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = decodeCallback(ctx.callbackQuery.data);
    if (!cb || !cb.action.startsWith('ap.') || !ctx.staff) return next();
    const s = caseOf(app.db, cb.caseId);
    if (!s) return void (await ctx.answerCallbackQuery({ text: ctx.t('work-case-not-found'), show_alert: true }));
    const locale = localeOf(app, ctx.staff);
    switch (cb.action) {
      case APPROVAL_ACTION.approve: {
        const r = await runFromButton(ctx, s.id, { type: 'approve' }, ctx.t('approval-approved-toast'));
        if (r.ok) sendHtml(app, ctx.chat!.id, app.t(locale, `approval-approved-${app.regulation.rules.publisher}`, { case: s.number, role: roleName(app, 'executor', locale) }), { caseId: s.id });
        return;
      }
      case APPROVAL_ACTION.rework: {
        if (!ctx.staff.roles.includes('administrator')) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_role'), show_alert: true }));
        const d = currentDraft(s);
        if (s.status !== 'on_approval' || !d || d.status !== 'on_approval') return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_state'), show_alert: true }));
        startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff.id, kind: APPROVAL_CONVERSATION.reworkComment, caseId: s.id });
        await ctx.answerCallbackQuery();
        sendHtml(app, ctx.chat!.id, app.t(locale, 'review-comment-ask', { case: s.number }), { forceReply: true });
        return;
      }
      case APPROVAL_ACTION.publish: {
        await runFromButton(ctx, s.id, { type: 'publish' }, ctx.t('work-publish-requested'));
        return;
      }
      default:
        await ctx.answerCallbackQuery({ text: ctx.t('work-button-unknown'), show_alert: true });
    }
  });

  composer.on('message', async (ctx, next) => {
    if (!ctx.staff || ctx.chat.type !== 'private') return next();
    const conv = getConversation(app.db, ctx.chat.id);
    if (!conv || conv.kind !== APPROVAL_CONVERSATION.reworkComment || ctx.msg.text?.startsWith('/')) return next();
    const locale = localeOf(app, ctx.staff);
    const comment = ctx.msg.text?.trim();
    if (!comment) return void sendHtml(app, ctx.chat.id, app.t(locale, 'review-comment-need-text'));
    const r = runCommand(app, ctx.staff, conv.caseId!, { type: 'sendToRework', comment });
    endConversation(app.db, ctx.chat.id);
    sendHtml(app, ctx.chat.id, r.ok ? app.t(locale, 'review-returned', { case: r.state.number }) : escapeHtml(r.text), { caseId: conv.caseId });
  });
  return composer;
}

export const approvalNotifications: Partial<Record<import('../../domain/workflow/index.js').NotifyKind, NotifyHandler>> = {
  draft_for_approval: (tx, e, app) => {
    const s = caseOf(tx, e.caseId);
    if (!s) return;
    const d = currentDraft(s);
    const v = lastVersion(d);
    if (!d || !v) return;
    const author = staffById(tx, v.by)?.name ?? '—';
    for (const p of recipientsOf(tx, e.to, app.clock.now().toMillis())) {
      const locale = localeOf(app, p);
      const lines = [
        app.t(locale, 'approval-title', { case: s.number, kind: app.t(locale, `executor-kind-${d.kind}`), by: escapeHtml(author) }),
        app.t(locale, 'approval-question', { text: escapeHtml(clip(originalOf(tx, s).text, 600)) }),
      ];
      if (d.kind === 'intermediate' && d.promisedBy) lines.push(app.t(locale, 'approval-promised', { date: due(app, locale, d.promisedBy) }));
      if (d.versions.length > 1) lines.push(app.t(locale, 'approval-version', { n: d.versions.length }));
      lines.push(...draftCheckLines(app, locale, s, { text: v.text, kind: d.kind }));
      lines.push(app.t(locale, 'approval-as-published'));
      // The decision buttons go under the draft (after an album, on the text right after it).
      sendDraftPreview(app, p.telegramId, { text: v.text, media: toMedia(v.attachments) }, lines.join('\n'), {
        tx,
        caseId: s.id,
        keyboard: decisionButtons(app, locale, s.id, 'administrator'),
      });
    }
  },
};
