import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';
import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { forgetSentMessages, recordSentMessages, sentMessagesOfChat } from '../db/repositories/sent-messages.js';
import { staffByTelegramId } from '../db/repositories/staff.js';
import { Priority } from '../outbox/queue.js';
import type { Sender } from '../outbox/worker.js';

/**
 * The record of what the bot sent to each staff member's private chat (table `sent_messages`), so that
 * when his access ends every message that may quote a citizen's text or a draft — not only the case
 * cards — is taken back (bot/access.ts). Filled by a grammY API transformer that sees every successful
 * send, in Telegram and, installed outside the MAX bridge, in MAX; the case id comes from the outbox row
 * being sent (an async scope around each sender).
 */

/** Methods that put a message into a chat; all but sendMessage carry a photo, a video or a file. */
const TEXT_SENDS = new Set(['sendMessage']);
const MEDIA_SENDS = new Set(['sendPhoto', 'sendVideo', 'sendDocument', 'sendAnimation', 'sendAudio', 'sendVoice', 'sendMediaGroup', 'copyMessage']);

/** The outbox row being sent: its case, when it is about one. */
const scope = new AsyncLocalStorage<{ caseId: number | null }>();

/** Runs each sender inside the scope of its row, so the record knows the case of what it sends. */
export function withSendScope(senders: Record<string, Sender>): Record<string, Sender> {
  const scoped: Record<string, Sender> = {};
  for (const [action, send] of Object.entries(senders)) {
    scoped[action] = (payload, row) => {
      const raw = row.caseId ?? payload['caseId'];
      return scope.run({ caseId: typeof raw === 'number' ? raw : null }, () => send(payload, row));
    };
  }
  return scoped;
}

/**
 * The case id a list of several cases is recorded under: a person who loses a role without keeping a
 * wide one (kernel/case-access.ts) has such lists taken back, as they may name cases he may no longer open.
 */
export const SEVERAL_CASES = 0;

/** Runs a direct reply (not an outbox row) as being about `caseId`, so its message is recorded under it. */
export function aboutCase<T>(caseId: number, reply: () => Promise<T>): Promise<T> {
  return scope.run({ caseId }, reply);
}

/**
 * The transformer: records each message a send put into a staff member's private chat, forgets one the
 * bot deleted. A send that lands in the chat of a person whose access ended meanwhile (an outbox row in
 * flight while he was deactivated) is taken back at once. A failure to record never fails the send.
 */
export function recordSends(app: AppContext, now: () => number = Date.now): Transformer {
  return async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (!res.ok || !(TEXT_SENDS.has(method) || MEDIA_SENDS.has(method) || method === 'deleteMessage')) return res;
    try {
      const p = payload as Record<string, unknown>;
      const chatId = Number(p['chat_id']);
      if (!Number.isSafeInteger(chatId) || chatId <= 0) return res;
      if (method === 'deleteMessage') {
        forgetSentMessages(app.db, chatId, [Number(p['message_id'])]);
        return res;
      }
      const person = staffByTelegramId(app.db, chatId);
      const inScope = scope.getStore();
      // Strangers and direct answers to a person without access (the refusal he gets) are not case content.
      if (!person || (!person.active && !inScope)) return res;
      const result = res.result as { message_id?: number } | { message_id?: number }[];
      const ids = (Array.isArray(result) ? result : [result]).map((m) => m?.message_id).filter((id): id is number => typeof id === 'number');
      if (!ids.length) return res;
      const at = now();
      const media = MEDIA_SENDS.has(method);
      recordSentMessages(
        app.db,
        ids.map((messageId) => ({ chatId, messageId, caseId: inScope?.caseId ?? null, media, sentAt: at })),
      );
      if (!person.active) {
        takeBackChat(app, app.db, chatId);
        app.logger.info({ chat: chatId, method }, 'bot: a send reached a chat whose access ended meanwhile: taken back');
      }
    } catch (err) {
      app.logger.error({ err: (err as Error).message, method }, 'bot: recording a sent message failed');
    }
    return res;
  };
}

/** What to take back in one chat: text messages (edited) and media messages (deleted, or caption edited). */
export interface Recorded {
  texts: number[];
  media: { id: number; sentAt: number }[];
}

/**
 * Takes the recorded messages of a chat out of the record (all of them, or those whose case `hide`
 * says he may no longer open) and returns them, for the caller to enqueue their take-back in the same
 * transaction — so a message is either in the record or in a queued take-back.
 */
export function forgetRecorded(tx: Db, chatId: number, hide?: (caseId: number) => boolean): Recorded {
  const rows = sentMessagesOfChat(tx, chatId);
  const taken = hide ? rows.filter((r) => r.caseId !== null && hide(r.caseId)) : rows;
  forgetSentMessages(
    tx,
    chatId,
    taken.map((r) => r.messageId),
  );
  return {
    texts: taken.filter((r) => !r.media).map((r) => r.messageId),
    media: taken.filter((r) => r.media).map((r) => ({ id: r.messageId, sentAt: r.sentAt })),
  };
}

/** Messages per take-back row: a retry after a failure in the middle repeats at most this many calls. */
export const TAKE_BACK_PER_ROW = 50;

/**
 * Enqueues the take-back of the chat's messages: `retireCards` rows (edits and deletions, safe to
 * repeat, sent to a chat whose person has no access) with the card ids and everything recorded — one
 * row for a chat of up to TAKE_BACK_PER_ROW messages, more for a long history.
 */
export function enqueueTakeBack(app: AppContext, tx: Db, chatId: number, cardIds: readonly number[], recorded: Recorded): boolean {
  const texts = [...new Set([...cardIds, ...recorded.texts])];
  const media = recorded.media.filter((m) => !cardIds.includes(m.id));
  if (!texts.length && !media.length) return false;
  for (let t = 0, m = 0; t < texts.length || m < media.length;) {
    const messageIds = texts.slice(t, t + TAKE_BACK_PER_ROW);
    const rowMedia = media.slice(m, m + TAKE_BACK_PER_ROW - messageIds.length);
    t += messageIds.length;
    m += rowMedia.length;
    app.enqueue({ channel: 'telegram', action: 'retireCards', payload: { chatId, messageIds, media: rowMedia }, priority: Priority.interactive, throttleKey: `tgedit:${chatId}` }, tx);
  }
  return true;
}

/** Takes back everything recorded in the chat. */
export function takeBackChat(app: AppContext, tx: Db, chatId: number): boolean {
  return enqueueTakeBack(app, tx, chatId, [], forgetRecorded(tx, chatId));
}
