import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { sentMessages } from '../schema/bot.js';

/** The record of the bot's messages in staff chats (table `sent_messages`, bot/sent-record.ts). */

export type SentMessageRow = typeof sentMessages.$inferSelect;

export function recordSentMessages(db: Db, rows: SentMessageRow[]): void {
  if (rows.length) db.insert(sentMessages).values(rows).onConflictDoNothing().run();
}

export function sentMessagesOfChat(db: Db, chatId: number): SentMessageRow[] {
  return db.select().from(sentMessages).where(eq(sentMessages.chatId, chatId)).all();
}

export function forgetSentMessages(db: Db, chatId: number, messageIds: readonly number[]): void {
  for (let i = 0; i < messageIds.length; i += 500) {
    db.delete(sentMessages)
      .where(and(eq(sentMessages.chatId, chatId), inArray(sentMessages.messageId, messageIds.slice(i, i + 500))))
      .run();
  }
}

/** The chats that have recorded messages. */
export function chatsWithSentMessages(db: Db): number[] {
  return db
    .selectDistinct({ chatId: sentMessages.chatId })
    .from(sentMessages)
    .all()
    .map((r) => r.chatId);
}
