import { GrammyError, type Api } from 'grammy';
import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { allCards, cardsInChat, forgetCards, forgetCardsOfChat } from '../db/repositories/cards.js';
import { maySee } from '../kernel/case-access.js';
import type { StaffRow } from '../db/repositories/staff.js';
import { conversationChats, endConversationsOfChats } from '../db/repositories/conversations.js';
import { activeStaff, staffByTelegramId } from '../db/repositories/staff.js';
import { enqueueTakeBack, forgetRecorded } from './sent-record.js';
import { chatsWithSentMessages } from '../db/repositories/sent-messages.js';
import type { Sender } from '../outbox/worker.js';
import { isMaxWorkspace } from '../kernel/workspace-id.js';

/**
 * Case text goes only to staff who hold the case, in private chats. When a person's access ends
 * (deactivated in the bot, removed from the organization file) every card in his chat, and every other
 * message the bot recorded sending there (bot/sent-record.ts), is taken back (edited to a neutral text,
 * a photo deleted) and forgotten — so no later change of the case edits it again — and his open input ends.
 * Cards that ever reached a group chat are retired the same way. Idempotent: run at start and after a
 * deactivation.
 */
export function retireCardsOutsideStaff(app: AppContext, tx: Db = app.db): number {
  const allowed = new Set(activeStaff(tx).map((r) => r.telegramId));
  const cards = allCards(tx).filter((c) => !allowed.has(c.chatId));
  const byChat = new Map<number, number[]>();
  for (const c of cards) byChat.set(c.chatId, [...(byChat.get(c.chatId) ?? []), ...c.messageIds]);
  // Every other message the bot sent there (draft previews, notices quoting the citizen, search results, photos) too.
  for (const chatId of chatsWithSentMessages(tx)) if (!allowed.has(chatId) && !byChat.has(chatId)) byChat.set(chatId, []);
  let messages = 0;
  for (const [chatId, cardIds] of byChat) {
    const recorded = forgetRecorded(tx, chatId);
    messages += recorded.texts.length + recorded.media.length;
    enqueueTakeBack(app, tx, chatId, cardIds, recorded);
    forgetCardsOfChat(tx, chatId);
  }
  const stale = conversationChats(tx).filter((c) => !allowed.has(c));
  endConversationsOfChats(tx, stale);
  if (byChat.size || stale.length) app.logger.info({ chats: [...byChat.keys()], cards: cards.length, messages, inputs: stale.length }, 'bot: access ended: cards and messages taken back');
  return cards.length;
}

/**
 * A person who lost a role (an administrator made an executor) keeps only the cards of the cases he may
 * still open (kernel/case-access.ts, the rule behind /case): the others are neutralized and forgotten, so
 * no later change of those cases reaches his chat. Returns how many cards were retired.
 */
export function retireCardsNoLongerVisible(app: AppContext, tx: Db, person: StaffRow): number {
  const visible = new Map<number, boolean>();
  const hides = (caseId: number) => !(visible.get(caseId) ?? visible.set(caseId, maySee(tx, person, caseId)).get(caseId)!);
  const hidden = cardsInChat(tx, person.telegramId).filter((c) => hides(c.caseId));
  // Every other recorded message about those cases (previews, notices, photos) goes with the cards.
  enqueueTakeBack(
    app,
    tx,
    person.telegramId,
    hidden.flatMap((c) => c.messageIds),
    forgetRecorded(tx, person.telegramId, hides),
  );
  forgetCards(
    tx,
    person.telegramId,
    hidden.map((c) => c.caseId),
  );
  if (hidden.length) app.logger.info({ staff: person.id, cards: hidden.length }, 'bot: role removed: cards of cases no longer visible retired');
  return hidden.length;
}

/**
 * Outbox sender `retireCards {chatId, messageIds, media?}`: each text message becomes the neutral text,
 * without buttons; each media message is deleted while Telegram allows it, else its caption becomes the
 * neutral text. Safe to repeat: «gone» and «not modified» are done.
 */
export function accessSenders(app: AppContext, api: Api): Record<string, Sender> {
  return {
    retireCards: async (payload) => {
      const chatId = Number(payload['chatId']);
      const ids = (payload['messageIds'] as number[] | undefined) ?? [];
      const media = (payload['media'] as { id: number; sentAt: number }[] | undefined) ?? [];
      const retired = await neutralizeMessages(app, api, chatId, ids);
      return { retired, media: await takeBackMedia(app, api, chatId, media) };
    },
  };
}

/** Telegram deletes a bot's message only within 48 hours of sending; an hour of margin for clocks and queues. MAX has no such limit. */
const DELETABLE_MS = 47 * 3_600_000;

/** Deletes each media message while allowed, else (or when deleting fails) edits its caption to the neutral text. */
async function takeBackMedia(app: AppContext, api: Api, chatId: number, media: readonly { id: number; sentAt: number }[]): Promise<number> {
  const text = neutralText(app, chatId);
  const max = isMaxWorkspace(chatId);
  let done = 0;
  for (const [i, m] of media.entries()) {
    // MAX deletes a bot's message at any age, at most two a second in one dialog (dev.max.ru DELETE /messages).
    if (i && max) await new Promise((r) => setTimeout(r, 500));
    if ((max || Date.now() - m.sentAt < DELETABLE_MS) && (await ignoringBadRequest(() => api.deleteMessage(chatId, m.id)))) {
      done++;
      continue;
    }
    if (await ignoringBadRequest(() => api.editMessageCaption(chatId, m.id, { caption: text, reply_markup: { inline_keyboard: [] } }))) done++;
  }
  return done;
}

/**
 * Runs a call; a 400 (gone, not modified, no longer editable) or a 404 (MAX: a message already deleted)
 * is false, anything else is thrown for the outbox to retry.
 */
async function ignoringBadRequest(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (err instanceof GrammyError && (err.error_code === 400 || err.error_code === 404)) return false;
    throw err;
  }
}

function neutralText(app: AppContext, chatId: number): string {
  const person = staffByTelegramId(app.db, chatId);
  return app.t(person?.locale ?? app.org.organization.locale, 'card-access-ended');
}

/** Edits each message to the neutral «access ended» text without buttons; returns how many were edited. */
export async function neutralizeMessages(app: AppContext, api: Api, chatId: number, ids: readonly number[]): Promise<number> {
  const text = neutralText(app, chatId);
  let retired = 0;
  // Gone, already neutral, or no longer editable (then at least its buttons are gone): nothing more to do.
  for (const id of ids) if (await ignoringBadRequest(() => api.editMessageText(chatId, id, text, { reply_markup: { inline_keyboard: [] } }))) retired++;
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
