import { GrammyError, type Api } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import { isMaxWorkspace, MAX_TEXT_LIMIT } from '../../kernel/workspace-id.js';
import { staffByTelegramId } from '../../db/repositories/staff.js';
import type { Sender } from '../../outbox/worker.js';
import { cardKeyboard } from '../keyboards/card.js';
import { localeOf } from './format.js';
import { cardOf, recordCardMessages } from './registry.js';
import { renderCard, type RenderedCard } from './render.js';
import { loadCardView } from './view.js';
import { assistLines } from '../assist.js';
import { neutralizeMessages } from '../access.js';
import { caseNumberOf } from '../../db/repositories/case-store.js';

/** Renders the card of `caseId` for the person behind `chatId`, as of now. */
export function cardFor(app: AppContext, caseId: number, chatId: number): RenderedCard | null {
  const view = loadCardView(app.db, caseId);
  if (!view) return null;
  const viewer = staffByTelegramId(app.db, chatId);
  const active = viewer && viewer.active ? viewer : null;
  const locale = localeOf(app, viewer);
  // A MAX chat takes at most 4000 characters a message (kernel/workspace-id.ts), Telegram 4096.
  const limit = isMaxWorkspace(chatId) ? MAX_TEXT_LIMIT : undefined;
  return renderCard(app, view, locale, active ? cardKeyboard(app, view, active) : [], active ? assistLines(app, view, active, locale) : [], limit);
}

/**
 * Outbox senders of the Telegram channel for cards (wired in src/app/service.ts):
 * - `sendCard {caseId, chatId, replace?}`: sends the card (rendered now) and records its message ids;
 *   with `replace`, the earlier card message becomes a short pointer to the new one (no case text);
 * - `editCard {caseId, chatId}`: edits the live card in place (rendered now); a card the person deleted
 *   is sent again.
 * Both are safe to repeat (the outbox may retry after a crash).
 */
export function cardSenders(app: AppContext, api: Api): Record<string, Sender> {
  const send = async (caseId: number, chatId: number, card: RenderedCard): Promise<number[]> => {
    const ids: number[] = [];
    for (let i = 0; i < card.parts.length; i++) {
      const last = i === card.parts.length - 1;
      const m = await api.sendMessage(chatId, card.parts[i]!, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(last && card.keyboard.length ? { reply_markup: { inline_keyboard: card.keyboard } } : {}),
      });
      ids.push(m.message_id);
    }
    if (!cardOf(app.db, caseId, chatId)) {
      // The card was forgotten while it was being sent: the person's access to the case ended meanwhile
      // (deactivated, a role removed). What just arrived in his chat is taken back at once.
      await neutralizeMessages(app, api, chatId, ids);
      return [];
    }
    recordCardMessages(app.db, caseId, chatId, ids);
    return ids;
  };

  /**
   * An earlier copy of the card that is no longer the live one keeps no case text: it becomes a short
   * pointer to the live card (so a later end of access has nothing left to take back in it).
   */
  const retireCopy = async (caseId: number, chatId: number, ids: readonly number[]) => {
    const text = app.t(localeOf(app, staffByTelegramId(app.db, chatId)), 'card-moved', { number: caseNumberOf(app.db, caseId) ?? caseId });
    for (const id of ids) {
      try {
        await api.editMessageText(chatId, id, text, { reply_markup: { inline_keyboard: [] } });
      } catch {
        // Already gone or already short: nothing to take back.
      }
    }
  };

  const sendCard: Sender = async (payload) => {
    const caseId = Number(payload['caseId']);
    const chatId = Number(payload['chatId']);
    const card = cardFor(app, caseId, chatId);
    if (!card) return { skipped: 'no such case' };
    const row = cardOf(app.db, caseId, chatId);
    const previous = row?.messageIds ?? [];
    if (previous.length && !payload['replace']) {
      // A retry after the card was already sent: edit it instead of sending a second one.
      return edit(caseId, chatId, card, previous);
    }
    const ids = await send(caseId, chatId, card);
    if (payload['replace'] && previous.length && ids.length) await retireCopy(caseId, chatId, previous);
    return { messageIds: ids };
  };

  /**
   * Edits the card in place. When the number of its messages changed (a card that grew past 4096
   * characters now needs its text split off, or a long one became short), editing only the last message
   * would lose text: the whole card is sent again, split as it is now, and the old messages are deleted
   * (or, when Telegram no longer lets the bot delete them, left without buttons).
   */
  const edit = async (caseId: number, chatId: number, card: RenderedCard, ids: number[]) => {
    if (card.parts.length !== ids.length) {
      const fresh = await send(caseId, chatId, card);
      for (const old of ids) {
        try {
          await api.deleteMessage(chatId, old);
        } catch {
          // Telegram no longer lets the bot delete it (older than 48 h): it keeps no case text instead.
          await retireCopy(caseId, chatId, [old]);
        }
      }
      return { messageIds: fresh, resent: true, reason: 'parts changed' };
    }
    // Same number of messages: the citizen's text parts first (unchanged usually: «not modified»), then the card.
    for (let i = 0; i < ids.length - 1; i++) {
      try {
        await api.editMessageText(chatId, ids[i]!, card.parts[i]!, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      } catch (err) {
        if (err instanceof GrammyError && err.error_code === 400 && /not modified/i.test(err.description)) continue;
        if (err instanceof GrammyError && err.error_code === 400 && /not found|can't be edited/i.test(err.description)) {
          return { messageIds: await send(caseId, chatId, card), resent: true };
        }
        throw err;
      }
    }
    const messageId = ids[ids.length - 1]!;
    try {
      await api.editMessageText(chatId, messageId, card.parts[card.parts.length - 1]!, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: { inline_keyboard: card.keyboard },
      });
      return { messageId, edited: true };
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400 && /not modified/i.test(err.description)) return { messageId, notModified: true };
      if (err instanceof GrammyError && err.error_code === 400 && /not found|can't be edited/i.test(err.description)) {
        return { messageIds: await send(caseId, chatId, card), resent: true };
      }
      throw err;
    }
  };

  const editCard: Sender = async (payload) => {
    const caseId = Number(payload['caseId']);
    const chatId = Number(payload['chatId']);
    const row = cardOf(app.db, caseId, chatId);
    // Not sent yet: the queued sendCard (earlier in this chat's lane) renders the current state anyway.
    if (!row || row.messageIds.length === 0) return { skipped: 'card not sent yet' };
    const card = cardFor(app, caseId, chatId);
    if (!card) return { skipped: 'no such case' };
    return edit(caseId, chatId, card, row.messageIds);
  };

  return { sendCard, editCard };
}
