import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import { manualPublicationCallbacks } from '../../kernel/manual-publication.js';
import { refuseUnreadable } from '../callbacks/index.js';
import type { BotContext, StaffRow } from '../context.js';
import { endConversation, getConversation, startConversation } from '../../db/repositories/conversations.js';
import { escapeHtml } from '../format/html.js';
import { actorOf, refusalText, runCommand } from '../run-command.js';
import { caseOf, localeOf, sendHtml } from './work-common.js';
import { MANUAL_CONVERSATION, manualNoLinkKeyboard, manualPublicationRefusal, parseManualLink, publicationInFlight } from '../../kernel/manual-publication.js';

/**
 * «Опубликовал вручную» (owned by the sources, see src/kernel/manual-publication.ts):
 * the network refused the approved answer for good, a person published it by hand and marks it done.
 * `src.man:<caseId>` asks for the link of the published comment (or «без ссылки», `src.nol:<caseId>`);
 * the typed link records the publication (`recordPublication`, the person as actor). Every press and
 * the typed link re-check the person's role and the case's state: a stale or forged press gets an
 * alert and changes nothing.
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  /** Null when the person may mark it now; otherwise the text explaining why not. */
  function refusal(who: StaffRow, caseId: number): string | null {
    const locale = localeOf(app, who);
    if (publicationInFlight(app.db, caseId)) return app.t(locale, 'sources-manual-in-flight');
    const r = manualPublicationRefusal(app, app.db, caseId, actorOf(who));
    return r ? refusalText(app, locale, r) : null;
  }

  function record(who: StaffRow, chatId: number, caseId: number, link: { permalink: string; externalId: string | null } | null): boolean {
    const locale = localeOf(app, who);
    const r = runCommand(app, who, caseId, {
      type: 'recordPublication',
      externalId: link?.externalId ?? null,
      permalink: link?.permalink ?? null,
      comment: 'published by hand',
    });
    endConversation(app.db, chatId);
    if (!r.ok) {
      sendHtml(app, chatId, escapeHtml(r.text), { caseId });
      return false;
    }
    const number = caseOf(app.db, caseId)?.number ?? caseId;
    const text = link ? app.t(locale, 'sources-manual-done', { case: number, link: escapeHtml(link.permalink) }) : app.t(locale, 'sources-manual-done-no-link', { case: number });
    sendHtml(app, chatId, text, { caseId });
    app.logger.info({ caseId, staff: who.id, link: link?.permalink ?? null }, 'sources: publication recorded by hand');
    return true;
  }

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = manualPublicationCallbacks.decode(ctx.callbackQuery.data);
    if (!cb) return manualPublicationCallbacks.claims(ctx.callbackQuery.data) ? refuseUnreadable(ctx) : next();
    if (!ctx.staff || !ctx.chat) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_role'), show_alert: true }));
    const why = refusal(ctx.staff, cb.caseId);
    if (why) return void (await ctx.answerCallbackQuery({ text: why.slice(0, 200), show_alert: true }));
    const locale = localeOf(app, ctx.staff);
    if (cb.name === 'man') {
      startConversation(app.db, { chatId: ctx.chat.id, staffId: ctx.staff.id, kind: MANUAL_CONVERSATION, caseId: cb.caseId });
      await ctx.answerCallbackQuery();
      const number = caseOf(app.db, cb.caseId)?.number ?? cb.caseId;
      sendHtml(app, ctx.chat.id, app.t(locale, 'sources-manual-ask-link', { case: number }), {
        caseId: cb.caseId,
        keyboard: manualNoLinkKeyboard(app, cb.caseId, locale),
      });
      return;
    }
    await ctx.answerCallbackQuery();
    record(ctx.staff, ctx.chat.id, cb.caseId, null);
  });

  composer.on('message', async (ctx, next) => {
    if (!ctx.staff || ctx.chat.type !== 'private' || ctx.msg.text?.startsWith('/')) return next();
    const conv = getConversation(app.db, ctx.chat.id);
    if (!conv || conv.kind !== MANUAL_CONVERSATION || conv.caseId === null) return next();
    const locale = localeOf(app, ctx.staff);
    const link = ctx.msg.text ? parseManualLink(ctx.msg.text) : null;
    if (!link) {
      sendHtml(app, ctx.chat.id, app.t(locale, 'sources-manual-not-a-link'), { caseId: conv.caseId, keyboard: manualNoLinkKeyboard(app, conv.caseId, locale) });
      return;
    }
    const why = refusal(ctx.staff, conv.caseId);
    if (why) {
      endConversation(app.db, ctx.chat.id);
      sendHtml(app, ctx.chat.id, escapeHtml(why), { caseId: conv.caseId });
      return;
    }
    record(ctx.staff, ctx.chat.id, conv.caseId, link);
  });
  return composer;
}
