import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * Updates of the MAX staff bot, stored before they are acknowledged (the polling marker advances, or
 * the webhook answers 200, only after the insert): a crash between storing and handling loses nothing,
 * the row is handled at the next start. `updateKey` makes a redelivered update one row.
 */
export const maxUpdates = sqliteTable(
  'max_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    updateKey: text('update_key').notNull().unique(),
    update: text('update', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    receivedAt: integer('received_at').notNull(),
    handledAt: integer('handled_at'),
  },
  (t) => [index('max_updates_pending_idx').on(t.handledAt)],
);

/**
 * MAX message ids are strings; the workspace speaks Telegram's integer message ids. Each MAX message of
 * a workspace chat gets the row id here as its integer id.
 */
export const maxMessages = sqliteTable('max_messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  mid: text('mid').notNull().unique(),
  chatId: integer('chat_id').notNull(),
  createdAt: integer('created_at').notNull(),
});
