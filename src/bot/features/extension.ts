import type { Composer } from 'grammy';
import { DateTime } from 'luxon';
import type { AppContext } from '../../kernel/context.js';
import { addDuration, liveDeadline, type CaseState } from '../../domain/workflow/index.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { runFromButton } from '../run-command.js';
import { askTextPress, caseButtonsFeature } from './review.js';
import { tellAdministrators } from '../../kernel/staff-notices.js';
import { clip } from './executor.js';
import { extensionCallbacks } from '../callbacks/review.js';
import { caseOf, due, localeOf, recipientsOf, sendHtml } from './work-common.js';

/**
 * Extension of the term (А7.9: at most 30 days, the author is told), only when the regulation
 * provides it (`windows.maxExtension`). The responsible executor asks with a reason; the
 * administrator extends by 7, 14 or 30 days (never beyond the limit) or declines — the review flow
 * (review.ts) with a request in place of a draft.
 * Callback data: `extensionCallbacks` (src/bot/callbacks/review.ts).
 */
export const EXTENSION_CONVERSATION = { reason: 'extension-reason' } as const;
const STEPS = [7, 14, 30];
/** The reason as typed, clipped so that the request stays one message (Telegram's 4096). */
const REASON_LIMIT = 3000;

export function feature(app: AppContext): Composer<BotContext> {
  const max = () => app.regulation.windows.maxExtension;
  return caseButtonsFeature(app, {
    callbacks: extensionCallbacks,
    refuseAll: () => (max() ? null : 'workflow-refusal-not_provided'),
    presses: {
      req: askTextPress(
        app,
        EXTENSION_CONVERSATION.reason,
        (who, s) => {
          const r = s.assignments.find((a) => a.role === 'responsible' && a.status === 'accepted');
          if (!r || r.executorId !== who.id) return 'workflow-refusal-not_assignee';
          return target(s) ? null : 'workflow-refusal-wrong_state';
        },
        (locale, s) => app.t(locale, 'extension-ask-reason', { case: s.number, clause: max()!.clause }),
      ),
      ok: async (ctx, s, cb, locale) => {
        const days = cb.arg;
        const t = target(s);
        if (!STEPS.includes(days) || !t) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_state'), show_alert: true }));
        const base = s.extension?.baseDueAt ?? t.dueAt;
        const limit = addDuration(app.workingTime, base, max()!.duration);
        const until = Math.min(DateTime.fromMillis(base).plus({ days }).toMillis(), limit);
        const r = await runFromButton(ctx, s.id, { type: 'extend', until }, ctx.t('extension-granted-toast'));
        if (r.ok) sendHtml(app, ctx.chat!.id, app.t(locale, 'extension-granted', { case: s.number, until: due(app, locale, r.state.extension?.until ?? until) }), { caseId: s.id });
      },
      no: async (ctx, s) => {
        if (!ctx.staff.roles.includes('administrator')) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_role'), show_alert: true }));
        await ctx.answerCallbackQuery();
        const r = s.assignments.find((a) => a.role === 'responsible' && a.status === 'accepted');
        for (const p of r?.executorId ? recipientsOf(app.db, { staffId: r.executorId }) : []) {
          sendHtml(app, p.telegramId, app.t(localeOf(app, p), 'extension-declined', { case: s.number }), { caseId: s.id });
        }
      },
    },
    typed: {
      kind: EXTENSION_CONVERSATION.reason,
      submit: (ctx, caseId, reason, locale) => {
        const s = caseOf(app.db, caseId);
        const t = s ? target(s) : undefined;
        if (!s || !t) return void sendHtml(app, ctx.chat.id, app.t(locale, 'workflow-refusal-wrong_state'));
        const name = ctx.staff.name;
        // Not a workflow step: the request goes to every administrator through the staff notices (one message each, its own term buttons).
        tellAdministrators(app, app.db, (l) => app.t(l, 'extension-requested', { case: s.number, name: escapeHtml(name), reason: escapeHtml(clip(reason, REASON_LIMIT)), due: due(app, l, t.dueAt) }), {
          caseId: s.id,
          parseMode: 'HTML',
          keyboard: (l) => [
            STEPS.map((d) => ({ text: app.t(l, 'extension-btn-days', { days: d }), callback_data: extensionCallbacks.encode('ok', s.id, d) })),
            [{ text: app.t(l, 'extension-btn-decline'), callback_data: extensionCallbacks.encode('no', s.id) }],
          ],
        });
        sendHtml(app, ctx.chat.id, app.t(locale, 'extension-request-sent', { case: s.number }), { caseId: s.id });
      },
    },
  });
}

function target(s: CaseState) {
  return liveDeadline(s, 'answer') ?? liveDeadline(s, 'final_answer');
}
