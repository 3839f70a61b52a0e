import { eq } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { processedUpdates } from '../schema/system.js';

/** The Telegram updates already acted on (an update is acted on once, even when delivered again). */

export function updateHandled(db: Db, updateId: number): boolean {
  return db.select({ id: processedUpdates.updateId }).from(processedUpdates).where(eq(processedUpdates.updateId, updateId)).get() !== undefined;
}

export function markUpdateHandled(db: Db, updateId: number, at: number): void {
  db.insert(processedUpdates).values({ updateId, handledAt: at }).onConflictDoNothing().run();
}
