import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/outbox.js';
import { prepared } from '../../db/prepared.js';
import { insertRows } from '../../db/repositories/fast.js';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { caseCards } from '../../db/schema/bot.js';
import { Priority } from '../../outbox/queue.js';

/**
 * The registry of card messages per chat (table `case_cards`): a case has at most one live card per
 * chat, and every change of the case edits it in place. Rendering happens when the outbox sends
 * (`sendCard` / `editCard` senders in ./senders.ts), so a queued edit always shows the current state.
 */

export function cardOf(db: Db, caseId: number, chatId: number) {
  const q = prepared(db, 'cards.cardOf', () =>
    db
      .select()
      .from(caseCards)
      .where(and(eq(caseCards.caseId, sql.placeholder('caseId')), eq(caseCards.chatId, sql.placeholder('chatId'))))
      .prepare(),
  );
  return q.get({ caseId, chatId }) ?? null;
}

/**
 * Makes sure `chatId` has the case's card: queues a new card when it has none (or `fresh`: a new
 * message at the bottom of the chat, e.g. `/case N`), else an edit in place. Returns 'new' | 'edit'.
 */
export function queueCard(
  app: AppContext,
  tx: Db,
  o: { caseId: number; chatId: number; staffId: number | null; fresh?: boolean; priority?: number },
): 'new' | 'edit' {
  const now = Date.now();
  const row = cardOf(tx, o.caseId, o.chatId);
  if (!row) {
    insertRows(tx, caseCards, [{ caseId: o.caseId, chatId: o.chatId, staffId: o.staffId, messageIds: [], createdAt: now, updatedAt: now }]);
  }
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
  const n = exceptChats.length;
  const q = prepared(tx, `cards.refreshCards.${n}`, () => {
    const except = exceptChats.map((_, i) => sql.placeholder(`c${i}`));
    const where = n ? and(eq(caseCards.caseId, sql.placeholder('caseId')), notInArray(caseCards.chatId, except)) : eq(caseCards.caseId, sql.placeholder('caseId'));
    return tx.select().from(caseCards).where(where).prepare();
  });
  const values: Record<string, unknown> = { caseId };
  exceptChats.forEach((c, i) => (values[`c${i}`] = c));
  const rows = q.all(values);
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

function cardSendInFlight(tx: Db, caseId: number, chatId: number): boolean {
  return (
    prepared(tx, 'cards.sendInFlight', () =>
      tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            inArray(outbox.status, ['pending', 'sending']),
            eq(outbox.caseId, sql.placeholder('caseId')),
            eq(outbox.channel, 'telegram'),
            eq(outbox.action, 'sendCard'),
            sql`json_extract(${outbox.payload}, '$.chatId') = ${sql.placeholder('chatId')}`,
          ),
        )
        .prepare(),
    ).get({ caseId, chatId }) !== undefined
  );
}

/**
 * A card send or edit of this case in this chat is still waiting in the outbox: it renders the case as
 * of sending, so another edit would only repeat it (and, at 1 message/s per chat, flood the chat's lane).
 */
function cardUpdatePending(tx: Db, caseId: number, chatId: number): boolean {
  return (
    prepared(tx, 'cards.updatePending', () =>
      tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.status, 'pending'),
            eq(outbox.caseId, sql.placeholder('caseId')),
            eq(outbox.channel, 'telegram'),
            inArray(outbox.action, ['sendCard', 'editCard']),
            sql`json_extract(${outbox.payload}, '$.chatId') = ${sql.placeholder('chatId')}`,
          ),
        )
        .prepare(),
    ).get({ caseId, chatId }) !== undefined
  );
}

export function recordCardMessages(db: Db, caseId: number, chatId: number, messageIds: number[]): void {
  db.update(caseCards)
    .set({ messageIds, updatedAt: Date.now() })
    .where(and(eq(caseCards.caseId, caseId), eq(caseCards.chatId, chatId)))
    .run();
}
