import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/** Structural units (подразделения) and the topics they own. Imported from the organization file. */
export const departments = sqliteTable('departments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  topics: text('topics', { mode: 'json' }).$type<string[]>().notNull().default([]),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
});

/** Staff: everyone who may use the bot. Never deleted, only deactivated, so history stays. */
export const staff = sqliteTable(
  'staff',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The workspace id of the chosen messenger (kernel/workspace-id.ts): the Telegram user id, or 2^52 + the MAX user id. */
    telegramId: integer('telegram_id').notNull().unique(),
    /** The person's MAX user id, kept whichever messenger he uses now, so he can switch. */
    maxUserId: integer('max_user_id').unique(),
    /** The person's Telegram user id, kept while he works in MAX, so he can switch back. */
    telegramUserId: integer('telegram_user_id'),
    name: text('name').notNull(),
    roles: text('roles', { mode: 'json' }).$type<string[]>().notNull(),
    departmentId: text('department_id').references(() => departments.id),
    /** A deputy head's supervised departments (К11: he may agree their drafts; А15: their violations). */
    supervises: text('supervises', { mode: 'json' }).$type<string[]>().notNull().default([]),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** 'config' when it comes from the organization file, 'invite' when it joined through the bot. */
    origin: text('origin').notNull().default('config'),
    locale: text('locale'),
    /**
     * Digest of this person's entry in the organization file when it was last applied. At start the
     * entry is applied again only when it changed, so a change made in the bot (/staff) survives restarts.
     */
    configDigest: text('config_digest'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('staff_department_idx').on(t.departmentId)],
);

/** Bodies outside the administration to which a not-competent message is referred (А7.12). */
export const outsideBodies = sqliteTable('outside_bodies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  contacts: text('contacts').notNull().default(''),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
});

/** A person away (sick leave, holiday, trip) and who stands in (А6.3). Instants are epoch ms. */
export const absences = sqliteTable(
  'absences',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id),
    fromTs: integer('from_ts').notNull(),
    untilTs: integer('until_ts').notNull(),
    substituteId: integer('substitute_id').references(() => staff.id),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('absences_staff_idx').on(t.staffId, t.untilTs)],
);
