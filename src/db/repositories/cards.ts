import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { prepared } from './fast.js';
import { caseCards } from '../schema/bot.js';
import { outbox } from '../schema/outbox.js';
import { insertRows } from './fast.js';

/** Queries of the card registry (table `case_cards`) and of the card messages waiting in the outbox. */

export type CardRow = typeof caseCards.$inferSelect;

export function cardOf(db: Db, caseId: number, chatId: number): CardRow | null {
  const q = prepared(db, 'cards.cardOf', () =>
    db
      .select()
      .from(caseCards)
      .where(and(eq(caseCards.caseId, sql.placeholder('caseId')), eq(caseCards.chatId, sql.placeholder('chatId'))))
      .prepare(),
  );
  return q.get({ caseId, chatId }) ?? null;
}

/** Registers a card (no message yet) of the case in the chat. */
export function insertCard(tx: Db, card: { caseId: number; chatId: number; staffId: number | null }, now: number): void {
  insertRows(tx, caseCards, [{ ...card, messageIds: [], createdAt: now, updatedAt: now }]);
}

/** The cards of a case, except those in `exceptChats`. */
export function cardsOfCase(tx: Db, caseId: number, exceptChats: readonly number[] = []): CardRow[] {
  const n = exceptChats.length;
  const q = prepared(tx, `cards.refreshCards.${n}`, () => {
    const except = exceptChats.map((_, i) => sql.placeholder(`c${i}`));
    const where = n ? and(eq(caseCards.caseId, sql.placeholder('caseId')), notInArray(caseCards.chatId, except)) : eq(caseCards.caseId, sql.placeholder('caseId'));
    return tx.select().from(caseCards).where(where).prepare();
  });
  const values: Record<string, unknown> = { caseId };
  exceptChats.forEach((c, i) => (values[`c${i}`] = c));
  return q.all(values);
}

/** A card send of this case to this chat is still queued or being sent. */
export function cardSendInFlight(tx: Db, caseId: number, chatId: number): boolean {
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
export function cardUpdatePending(tx: Db, caseId: number, chatId: number): boolean {
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

/** The cards in one chat. */
export function cardsInChat(db: Db, chatId: number): CardRow[] {
  return db.select().from(caseCards).where(eq(caseCards.chatId, chatId)).all();
}

export function allCards(db: Db): CardRow[] {
  return db.select().from(caseCards).all();
}

/** Forgets every card of the chat. */
export function forgetCardsOfChat(db: Db, chatId: number): void {
  db.delete(caseCards).where(eq(caseCards.chatId, chatId)).run();
}

/** Forgets the cards of these cases in the chat. */
export function forgetCards(db: Db, chatId: number, caseIds: readonly number[]): void {
  if (caseIds.length)
    db.delete(caseCards)
      .where(and(eq(caseCards.chatId, chatId), inArray(caseCards.caseId, [...caseIds])))
      .run();
}
