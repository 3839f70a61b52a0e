import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { AppContext } from '../kernel/context.js';
import type { staff } from '../db/schema/org.js';

export type StaffRow = typeof staff.$inferSelect;

/** grammY context of the workspace: the app, and the staff member behind the update (null: unknown). */
export type BotContext = Context &
  I18nFlavor & {
    app: AppContext;
    staff: StaffRow | null;
  };
