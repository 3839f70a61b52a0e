import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * Every outgoing action (Telegram message or edit, VK comment, message, ban) is a row here,
 * written in the same transaction as the state change that causes it, and sent by the outbox
 * worker with retries. `idempotencyKey` is unique: the same action queued twice is one row.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Adapter that sends it: 'telegram' | 'vk' | 'telegram_channel' | 'max'. */
    channel: text('channel').notNull(),
    /** Action within the channel, e.g. 'sendMessage', 'editCard', 'wall.createComment'. */
    action: text('action').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** Lower runs first: 0 urgent pushes, 5 normal, 9 bulk. */
    priority: integer('priority').notNull().default(5),
    /** Throttle key, e.g. the Telegram chat id, so one chat gets at most its share. */
    throttleKey: text('throttle_key'),
    idempotencyKey: text('idempotency_key').unique(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    /** What the remote returned (message id, comment id), for the card and the case. */
    result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
    caseId: integer('case_id'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.priority, t.nextAttemptAt)],
);
