import type { Composer } from 'grammy';
import { draftCheckLines } from '../assist.js';
import type { AppContext } from '../../kernel/context.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { runFromButton } from '../run-command.js';
import { clip, roleName } from './executor.js';
import { draftForReview, reviewFeature } from './review.js';
import { approvalCallbacks } from '../callbacks/review.js';
import { currentDraft, due, originalOf, staffById } from './work-common.js';

/**
 * Approval and publication (К12–К14, А7.5–А7.7): the administrator sees the draft exactly
 * as it will be published (media by file_id, then the text), approves it or returns it with a comment.
 * Then, per `regulation.rules.publisher`: the executor gets «Опубликовать» (К14), the administrator
 * gets it (А7.7), or the bot publishes on approval. Callback data: `approvalCallbacks` (src/bot/callbacks/review.ts).
 */
export const APPROVAL_CONVERSATION = { reworkComment: 'rework-comment' } as const;

export function feature(app: AppContext): Composer<BotContext> {
  return reviewFeature(app, {
    reviewer: 'administrator',
    callbacks: approvalCallbacks,
    approve: {
      action: 'ok',
      command: { type: 'approve' },
      toastKey: 'approval-approved-toast',
      done: (locale, s) => app.t(locale, `approval-approved-${app.regulation.rules.publisher}`, { case: s.number, role: roleName(app, 'executor', locale) }),
    },
    sendBack: {
      action: 'rw',
      kind: APPROVAL_CONVERSATION.reworkComment,
      command: (comment) => ({ type: 'sendToRework', comment }),
      refusal: (who, s) => {
        if (!who.roles.includes('administrator')) return 'workflow-refusal-wrong_role';
        const d = currentDraft(s);
        return s.status !== 'on_approval' || !d || d.status !== 'on_approval' ? 'workflow-refusal-wrong_state' : null;
      },
    },
    presses: {
      pub: async (ctx, s) => void (await runFromButton(ctx, s.id, { type: 'publish' }, ctx.t('work-publish-requested'))),
    },
  });
}

export const approvalNotifications = draftForReview('draft_for_approval', 'administrator', (tx, app, locale, s, d, v) => {
  const author = staffById(tx, v.by)?.name ?? '—';
  const lines = [
    app.t(locale, 'approval-title', { case: s.number, kind: app.t(locale, `executor-kind-${d.kind}`), by: escapeHtml(author) }),
    app.t(locale, 'approval-question', { text: escapeHtml(clip(originalOf(tx, s).text, 600)) }),
  ];
  if (d.kind === 'intermediate' && d.promisedBy) lines.push(app.t(locale, 'approval-promised', { date: due(app, locale, d.promisedBy) }));
  if (d.versions.length > 1) lines.push(app.t(locale, 'approval-version', { n: d.versions.length }));
  lines.push(...draftCheckLines(app, locale, s, { text: v.text, kind: d.kind }));
  lines.push(app.t(locale, 'approval-as-published'));
  // The decision buttons go under the draft (after an album, on the text right after it).
  return lines.join('\n');
});
