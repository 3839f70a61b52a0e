import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** Small durable settings: the VK long-poll `ts`, last run of scheduled jobs, schema info. */
export const kv = sqliteTable('kv', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Production-calendar years imported with `otklik calendar import` (xmlcalendar XML/JSON). */
export const calendarYears = sqliteTable('calendar_years', {
  year: integer('year').primaryKey(),
  region: text('region'),
  data: text('data').notNull(),
  importedAt: integer('imported_at').notNull(),
});

/** Telegram updates already handled, so a redelivered update after a crash is not acted on twice. */
export const processedUpdates = sqliteTable('processed_updates', {
  updateId: integer('update_id').primaryKey(),
  handledAt: integer('handled_at').notNull(),
});

/** Days declared by an administrator in the bot (`/day`): a regional holiday, a moved working day. */
export const declaredDays = sqliteTable('declared_days', {
  date: text('date').primaryKey(),
  /** off | work | short */
  kind: text('kind').notNull(),
  note: text('note'),
  declaredBy: integer('declared_by'),
  declaredAt: integer('declared_at').notNull(),
});
