import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { AppContext } from '../kernel/context.js';

export type { StaffRow } from '../db/repositories/staff.js';
import type { StaffRow } from '../db/repositories/staff.js';

/** grammY context of the workspace: the app, and the staff member behind the update (null: unknown). */
export type BotContext = Context &
  I18nFlavor & {
    app: AppContext;
    staff: StaffRow | null;
  };
