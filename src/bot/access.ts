import { GrammyError, type Api } from 'grammy';
import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { allCards, forgetCards, forgetCardsOfChat } from '../db/repositories/cards.js';
import { maySee } from '../kernel/case-access.js';
import type { StaffRow } from '../db/repositories/staff.js';
import { conversationChats, endConversationsOfChats } from '../db/repositories/conversations.js';
import { activeStaff, staffByTelegramId } from '../db/repositories/staff.js';
import { Priority } from '../outbox/queue.js';
import type { Sender } from '../outbox/worker.js';

/**
 * Case text goes only to staff who hold the case, in private chats. When a person's access ends
 * (deactivated in the bot, removed from the organization file) every card in his chat is edited to a
 * neutral text and forgotten — so no later change of the case edits it again — and his open input ends.
 * Cards that ever reached a group chat are retired the same way. Idempotent: run at start and after a
 * deactivation.
 */
export function retireCardsOutsideStaff(app: AppContext, tx: Db = app.db): number {
  const allowed = new Set(activeStaff(tx).map((r) => r.telegramId));
  const cards = allCards(tx).filter((c) => !allowed.has(c.chatId));
  const byChat = new Map<number, number[]>();
  for (const c of cards) byChat.set(c.chatId, [...(byChat.get(c.chatId) ?? []), ...c.messageIds]);
  for (const [chatId, messageIds] of byChat) {
    if (messageIds.length) {
      app.enqueue({ channel: 'telegram', action: 'retireCards', payload: { chatId, messageIds }, priority: Priority.interactive, throttleKey: `tgedit:${chatId}` }, tx);
    }
    forgetCardsOfChat(tx, chatId);
  }
  const stale = conversationChats(tx).filter((c) => !allowed.has(c));
  endConversationsOfChats(tx, stale);
  if (byChat.size || stale.length) app.logger.info({ chats: [...byChat.keys()], cards: cards.length, inputs: stale.length }, 'bot: access ended: cards retired');
  return cards.length;
}

/**
 * A person who lost a role (an administrator made an executor) keeps only the cards of the cases he may
 * still open (kernel/case-access.ts, the rule behind /case): the others are neutralized and forgotten, so
 * no later change of those cases reaches his chat. Returns how many cards were retired.
 */
export function retireCardsNoLongerVisible(app: AppContext, tx: Db, person: StaffRow): number {
  const hidden = allCards(tx).filter((c) => c.chatId === person.telegramId && !maySee(tx, person, c.caseId));
  const messageIds = hidden.flatMap((c) => c.messageIds);
  if (messageIds.length) {
    const chatId = person.telegramId;
    app.enqueue({ channel: 'telegram', action: 'retireCards', payload: { chatId, messageIds }, priority: Priority.interactive, throttleKey: `tgedit:${chatId}` }, tx);
  }
  forgetCards(
    tx,
    person.telegramId,
    hidden.map((c) => c.caseId),
  );
  if (hidden.length) app.logger.info({ staff: person.id, cards: hidden.length }, 'bot: role removed: cards of cases no longer visible retired');
  return hidden.length;
}

/** Outbox sender `retireCards {chatId, messageIds}`: each message becomes the neutral text, without buttons. */
export function accessSenders(app: AppContext, api: Api): Record<string, Sender> {
  return {
    retireCards: async (payload) => {
      const chatId = Number(payload['chatId']);
      const ids = (payload['messageIds'] as number[] | undefined) ?? [];
      return { retired: await neutralizeMessages(app, api, chatId, ids) };
    },
  };
}

/** Edits each message to the neutral «access ended» text without buttons; returns how many were edited. */
export async function neutralizeMessages(app: AppContext, api: Api, chatId: number, ids: readonly number[]): Promise<number> {
  const person = staffByTelegramId(app.db, chatId);
  const text = app.t(person?.locale ?? app.org.organization.locale, 'card-access-ended');
  let retired = 0;
  for (const id of ids) {
    try {
      await api.editMessageText(chatId, id, text, { reply_markup: { inline_keyboard: [] } });
      retired++;
    } catch (err) {
      // Gone, already neutral, or no longer editable (then at least its buttons are gone): nothing more to do.
      if (err instanceof GrammyError && err.error_code === 400) continue;
      throw err;
    }
  }
  return retired;
}

/** Actions that must still reach a chat whose person has no access (his menu is removed, his cards retired). */
const ALWAYS = new Set(['setChatCommands', 'retireCards']);

/**
 * The last check before a Telegram action leaves: a row queued before access ended (a card, a notice
 * about a new citizen message) is dropped when its chat is no longer an active staff member's private
 * chat; case content never goes to a group chat.
 */
export function guardRecipients(app: AppContext, senders: Record<string, Sender>): Record<string, Sender> {
  const guarded: Record<string, Sender> = {};
  for (const [action, send] of Object.entries(senders)) {
    guarded[action] = ALWAYS.has(action)
      ? send
      : async (payload, row) => {
          const why = refusedRecipient(app, payload, row.caseId);
          if (why) {
            app.logger.info({ id: row.id, action, why }, 'outbox: not sent, recipient has no access');
            return { skipped: why };
          }
          return send(payload, row);
        };
  }
  return guarded;
}

function refusedRecipient(app: AppContext, payload: Record<string, unknown>, caseId: number | null): string | null {
  const raw = payload['chat_id'] ?? payload['chatId'];
  const chatId = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : null;
  if (chatId === null) return null;
  const aboutCase = caseId !== null || 'caseId' in payload;
  if (chatId < 0) return aboutCase ? 'group chat' : null;
  const person = staffByTelegramId(app.db, chatId);
  if (person) return person.active ? null : 'access ended';
  return aboutCase ? 'not staff' : null;
}
