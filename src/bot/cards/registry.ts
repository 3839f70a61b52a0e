import { cardOf, cardSendInFlight, cardsOfCase, cardUpdatePending, insertCard } from '../../db/repositories/cards.js';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { Priority } from '../../outbox/queue.js';

export { cardOf, recordCardMessages } from '../../db/repositories/cards.js';

/**
 * The registry of card messages per chat (table `case_cards`): a case has at most one live card per
 * chat, and every change of the case edits it in place. Rendering happens when the outbox sends
 * (`sendCard` / `editCard` senders in ./senders.ts), so a queued edit always shows the current state.
 */

/**
 * Makes sure `chatId` has the case's card: queues a new card when it has none (or `fresh`: a new
 * message at the bottom of the chat, e.g. `/case N`), else an edit in place. Returns 'new' | 'edit'.
 */
export function queueCard(app: AppContext, tx: Db, o: { caseId: number; chatId: number; staffId: number | null; fresh?: boolean; priority?: number }): 'new' | 'edit' {
  const now = Date.now();
  const row = cardOf(tx, o.caseId, o.chatId);
  if (!row) insertCard(tx, { caseId: o.caseId, chatId: o.chatId, staffId: o.staffId }, now);
  const fresh = !row || o.fresh === true;
  if (!fresh && cardUpdatePending(tx, o.caseId, o.chatId)) return 'edit';
  app.enqueue(
    {
      channel: 'telegram',
      action: fresh ? 'sendCard' : 'editCard',
      payload: { caseId: o.caseId, chatId: o.chatId, ...(row && o.fresh ? { replace: true } : {}) },
      priority: o.priority ?? Priority.interactive,
      throttleKey: fresh ? `tg:${o.chatId}` : cardEditLane(tx, o.caseId, o.chatId, row?.messageIds ?? []),
      caseId: o.caseId,
    },
    tx,
  );
  return fresh ? 'new' : 'edit';
}

/** Queues an in-place edit of every card of the case (except in `exceptChats`). */
export function refreshCards(app: AppContext, caseId: number, tx: Db = app.db, exceptChats: readonly number[] = []): number {
  const rows = cardsOfCase(tx, caseId, exceptChats);
  for (const r of rows) {
    if (cardUpdatePending(tx, caseId, r.chatId)) continue;
    app.enqueue(
      {
        channel: 'telegram',
        action: 'editCard',
        payload: { caseId, chatId: r.chatId },
        priority: Priority.normal,
        throttleKey: cardEditLane(tx, caseId, r.chatId, r.messageIds),
        caseId,
      },
      tx,
    );
  }
  return rows.length;
}

/**
 * The outbox lane of a card edit. Telegram's one-message-a-second rule of a private chat is about
 * messages sent; an edit of a card already in the chat goes in the chat's edit lane (`tgedit:<chat>`,
 * spaced on its own), so a step's card edit and its one notification do not wait for each other.
 * While the card is not sent yet (or a fresh copy is being sent), the edit stays behind the send in
 * the chat's message lane, so it cannot overtake it.
 */
export function cardEditLane(tx: Db, caseId: number, chatId: number, messageIds: readonly number[]): string {
  if (messageIds.length === 0 || cardSendInFlight(tx, caseId, chatId)) return `tg:${chatId}`;
  return `tgedit:${chatId}`;
}
