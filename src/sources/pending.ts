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
 * The transaction of one batch of stored events (IMMEDIATE). `fn` runs each event's work through
 * `events.event(work)`:
 * - first every event runs straight in the batch's transaction. A savepoint per event would copy every
 *   page the event changes into its journal (a tenth of the ingest path, bench/ingest.ts), and events
 *   seldom fail;
 * - should one throw, the whole batch is rolled back and run again with each event in its own savepoint:
 *   a failing event is rolled back alone and its error reaches `fn` (which marks it failed), the others
 *   commit. `fn` must let an error `isBatchRestart` recognises through, and keep no state of its own
 *   across the two runs (whatever it writes to the database, and the batch scope below, is rolled back).
 * Three things make a batch cheaper than its events one by one, none visible outside it:
 * - the staff and absences every new case's notice reads are read once, and the storm counter and
 *   the last case number are kept in memory and written once (repositories/fast.ts `withBatchScope`);
 * - the search index is written once per changed case at the end, in the same transaction
 *   (search-index.ts `indexAtEnd`);
 * - in the second run SQLite keeps each savepoint's copy of the pages it changes (the statement journal)
 *   in memory: by default it goes to a temporary file once past 64 KiB, which every new case is. Only for
 *   the batch: outside it this connection's large sorts (the monthly summary from the command line) keep
 *   spilling to disk. The setting can only change outside a transaction.
 */
export interface BatchEvents {
  /** Runs one event's work in the batch (see `inIngestBatch`); returns what it returns. */
  event<T>(work: (tx: Db) => T): T;
}

/** An event of a batch run without savepoints failed: the batch starts again, each event in its own. */
class BatchRestart extends Error {
  constructor(readonly failure: unknown) {
    super('an event of the batch failed; the batch runs again, each event in its own savepoint');
  }
}

/** Whether `err` is the signal to run the batch again (`fn` of `inIngestBatch` must rethrow it). */
export function isBatchRestart(err: unknown): boolean {
  return err instanceof BatchRestart;
}

export function inIngestBatch<T>(app: Pick<AppContext, 'db' | 'database' | 'logger'>, fn: (tx: Db, events: BatchEvents) => T): T {
  try {
    return runBatch(app, fn, false);
  } catch (err) {
    if (!(err instanceof BatchRestart)) throw err;
    app.logger.debug({ err: err.failure }, 'sources: an event of the batch failed; the batch runs again, each event in its own savepoint');
    return runBatch(app, fn, true);
  }
}

function runBatch<T>(app: Pick<AppContext, 'db' | 'database' | 'logger'>, fn: (tx: Db, events: BatchEvents) => T, eachInSavepoint: boolean): T {
  const run = () =>
    app.db.transaction(
      (tx) => {
        const events: BatchEvents = eachInSavepoint
          ? { event: (work) => tx.transaction((sp) => work(sp)) }
          : {
              event: (work) => {
                try {
                  return work(tx);
                } catch (err) {
                  throw new BatchRestart(err);
                }
              },
            };
        return withBatchScope(tx, () =>
          indexAtEnd(
            clientOf(app.db)!,
            () => fn(tx, events),
            (err) => app.logger.error({ err }, 'sources: the search index of a batch not written; its cases are found again once changed'),
          ),
        );
      },
      { behavior: 'immediate' },
    );
  return eachInSavepoint ? withJournalInMemory(app.database.sqlite, run) : run();
}
