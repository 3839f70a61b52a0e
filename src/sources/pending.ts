import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { clientOf, withBatchScope, withJournalInMemory } from '../db/repositories/fast.js';
import { indexAtEnd } from '../db/search-index.js';

/**
 * Drains a source's pending events: `batch` processes the next batch and returns how many it did (0 when
 * nothing is left or nothing moved). Calls while a drain runs join it, and it makes one more pass for them.
 */
export function coalescingDrain(batch: () => Promise<number> | number): () => Promise<number> {
  let running: Promise<number> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        for (;;) {
          const done = await batch();
          total += done;
          if (done === 0) break;
        }
      } while (again);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  };
}

/**
 * The transaction of one batch of stored events (IMMEDIATE; each event in its own savepoint inside
 * `fn`, so a failing event is rolled back alone). Three things make a batch cheaper than its events
 * one by one, none visible outside it:
 * - the staff and absences every new case's notice reads are read once, and the storm counter and
 *   the last case number are kept in memory and written once (repositories/fast.ts `withBatchScope`);
 * - the search index is written once per changed case at the end, in the same transaction
 *   (search-index.ts `indexAtEnd`);
 * - SQLite keeps each savepoint's copy of the pages it changes (the statement journal) in memory: by
 *   default it goes to a temporary file once past 64 KiB, which every new case is. Only for the batch:
 *   outside it this connection's large sorts (the monthly summary from the command line) keep spilling
 *   to disk. The setting can only change outside a transaction.
 */
export function inIngestBatch<T>(app: Pick<AppContext, 'db' | 'database' | 'logger'>, fn: (tx: Db) => T): T {
  return withJournalInMemory(app.database.sqlite, () =>
    app.db.transaction(
      (tx) =>
        withBatchScope(tx, () =>
          indexAtEnd(
            clientOf(app.db)!,
            () => fn(tx),
            (err) => app.logger.error({ err }, 'sources: the search index of a batch not written; its cases are found again once changed'),
          ),
        ),
      { behavior: 'immediate' },
    ),
  );
}
