import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Sources: the VK event log, the VK author-name cache and the moderation record.
 *
 * `source_events` holds every event as received, BEFORE it is acknowledged to VK (long-poll `ts`
 * advanced, Callback API answered `ok`). `eventKey` is unique: VK's `event_id` when it has one,
 * otherwise a key built from the object (owner/post/comment), so a redelivery is one row.
 * Events are then processed (normalized and ingested) and marked; a crash in between leaves
 * them `pending` and they are processed at the next start.
 */
export const sourceEvents = sqliteTable(
  'source_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** vk | external_page | telegram */
    source: text('source').notNull(),
    eventKey: text('event_key').notNull().unique(),
    /** VK event type (wall_reply_new …) or the synthetic type of a catch-up scan. */
    type: text('type').notNull(),
    /** longpoll | callback | catchup | poll | telegram */
    via: text('via').notNull(),
    payload: text('payload', { mode: 'json' }).$type<unknown>().notNull(),
    status: text('status', { enum: ['pending', 'done', 'ignored', 'failed'] })
      .notNull()
      .default('pending'),
    /** What processing decided (ingested, duplicate, own comment …) or the error. */
    note: text('note'),
    receivedAt: integer('received_at').notNull(),
    processedAt: integer('processed_at'),
  },
  (t) => [index('source_events_status_idx').on(t.status, t.id)],
);

/** users.get cache: names and profile links of VK authors. */
export const vkUsers = sqliteTable('vk_users', {
  /** VK id: positive for users, negative for communities. */
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  screenName: text('screen_name'),
  fetchedAt: integer('fetched_at').notNull(),
});

/**
 * Every moderation action (А10): deleting a comment, banning, unbanning; who asked for it, why,
 * and what VK answered.
 */
export const moderationActions = sqliteTable(
  'moderation_actions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    network: text('network').notNull(),
    action: text('action', { enum: ['delete_comment', 'ban', 'unban'] }).notNull(),
    /** The author acted upon (VK user id). */
    targetId: text('target_id').notNull(),
    /** For delete_comment: owner id and comment id. */
    ownerId: integer('owner_id'),
    commentId: integer('comment_id'),
    /** For ban: the regulation's reason id, VK's reason code, end (epoch ms, null = without end). */
    reasonId: text('reason_id'),
    vkReason: integer('vk_reason'),
    endDate: integer('end_date'),
    comment: text('comment'),
    caseId: integer('case_id'),
    staffId: integer('staff_id'),
    staffName: text('staff_name').notNull(),
    status: text('status', { enum: ['queued', 'done', 'failed'] })
      .notNull()
      .default('queued'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    doneAt: integer('done_at'),
  },
  (t) => [index('moderation_target_idx').on(t.network, t.targetId)],
);

/**
 * Edits, deletions and restorations of a collected message (VK `*_edit`, `*_delete`, `*_restore`;
 * edited Telegram comments). The `messages` row — and its raw payload as first collected — never
 * changes; each change is one revision here, numbered per message from 1, with the new text (null
 * for a deletion), attachments and the raw event.
 */
export const messageRevisions = sqliteTable(
  'message_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id').notNull(),
    n: integer('n').notNull(),
    sourceKey: text('source_key').notNull(),
    action: text('action', { enum: ['edit', 'delete', 'restore'] }).notNull(),
    text: text('text'),
    attachments: text('attachments', { mode: 'json' }).$type<unknown[] | null>(),
    raw: text('raw', { mode: 'json' }).$type<unknown>(),
    at: integer('at').notNull(),
  },
  (t) => [uniqueIndex('message_revisions_message_n_uq').on(t.messageId, t.n)],
);
