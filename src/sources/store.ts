import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../kernel/context.js';
import { tellAdministrators } from '../kernel/staff-notices.js';
import type { Db } from '../db/connection.js';

/** The sources' stored events, VK users, moderation and key-value state live in src/db/repositories/sources.ts. */
export * from '../db/repositories/sources.js';

/**
 * Tells every active administrator in Telegram (an outbox row, so it survives a restart).
 * `key` makes it idempotent: the same notice is queued once.
 */
export function notifyAdministrators(
  app: Pick<AppContext, 'db' | 'enqueue' | 'org' | 't'>,
  db: Db,
  text: (locale: string) => string,
  opts: { key: string; caseId?: number | null; priority?: number; keyboard?: (locale: string) => InlineKeyboardButton[][] },
): void {
  tellAdministrators(app, db, text, opts);
}
