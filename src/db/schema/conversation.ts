import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * What a person is typing into, per private chat: a draft for case N, a rejection
 * comment, a return reason… Kept in the database so a restart mid-draft loses nothing; `/cancel`
 * deletes the row. `kind` names the input (e.g. `draft`, `return-reason`, `reject-reason`), `caseId`
 * the case it belongs to (a plain integer, no foreign key, so it never blocks the case storage), and
 * `data` whatever the feature collected so far (text, media file_ids, the chosen kind…).
 */
export const conversations = sqliteTable(
  'conversations',
  {
    chatId: integer('chat_id').primaryKey(),
    /** The staff member typing (staff.id); null for a chat that is not a staff member's yet. */
    staffId: integer('staff_id'),
    kind: text('kind').notNull(),
    caseId: integer('case_id'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    /** Epoch ms of the last change; stale conversations can be swept by age. */
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('conversations_case_idx').on(t.caseId)],
);
