import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * The bot's own bookkeeping.
 *
 * `case_cards`: the card message of a case in a chat, so the card is edited in place as the case moves
 * instead of a new message each time. One row per (case, chat); `messageIds` are the
 * message(s) the card occupies (a long citizen text is split beyond 4096 characters: the last one
 * carries the buttons and is the one edited). `messageIds` is empty until the outbox has sent it.
 */
export const caseCards = sqliteTable(
  'case_cards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').notNull(),
    chatId: integer('chat_id').notNull(),
    /** The staff member the card is shown to (its buttons depend on his roles). */
    staffId: integer('staff_id'),
    messageIds: text('message_ids', { mode: 'json' }).$type<number[]>().notNull().default([]),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('case_cards_case_chat_uq').on(t.caseId, t.chatId), index('case_cards_chat_idx').on(t.chatId)],
);

/**
 * One-time invite links (`t.me/<bot>?start=<token>`) for a role and a department. Used once, expiring.
 */
export const invites = sqliteTable(
  'invites',
  {
    token: text('token').primaryKey(),
    role: text('role').notNull(),
    departmentId: text('department_id'),
    createdBy: integer('created_by'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedBy: integer('used_by'),
    usedAt: integer('used_at'),
  },
  (t) => [index('invites_expires_idx').on(t.expiresAt)],
);

/**
 * What the bot sent to each staff member's private chat (Telegram or MAX), so that every message
 * quoting case text can be taken back when his access ends (bot/sent-record.ts). One row per message;
 * `caseId` when the send was an outbox row about a case; `media` for a photo/video/document (deleted
 * while Telegram allows, else its caption neutralized). A row goes when the message is taken back or the
 * bot deletes it; nothing expires by age, since a bot can edit its private messages indefinitely.
 */
export const sentMessages = sqliteTable(
  'sent_messages',
  {
    chatId: integer('chat_id').notNull(),
    messageId: integer('message_id').notNull(),
    caseId: integer('case_id'),
    media: integer('media', { mode: 'boolean' }).notNull().default(false),
    sentAt: integer('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.messageId] })],
);
