import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { executeCommand, ingestMessage, insertMessage, type Conn } from '../../src/db/repositories/index.js';
import { clientOf, kvValue } from '../../src/db/repositories/fast.js';
import { watchSavepoints } from '../../src/db/connection.js';
import { SYSTEM_ACTOR } from '../../src/domain/workflow/index.js';
import { enqueue } from '../../src/outbox/queue.js';
import { routeNewCase, STORM_ENTER, type StormState } from '../../src/bot/storm.js';
import type { AppContext } from '../../src/kernel/context.js';
import { absencesNow, activeStaff } from '../../src/db/repositories/staff.js';
import { absences, staff } from '../../src/db/schema/org.js';
import { catchUpInBackground, ensureSearchIndex, searchCaseIds } from '../../src/db/search-index.js';
import { inIngestBatch, isBatchRestart } from '../../src/sources/pending.js';
import { resolveNames } from '../../src/sources/vk/users.js';
import type { API } from 'vk-io';
import { MONDAY_10, makeCtx, vkWallComment as comment } from '../support/workflow-fixtures.js';

/**
 * One batch of stored events (src/sources/pending.ts `inIngestBatch`) on a real SQLite file: each
 * event in its own savepoint, the search index written once per case at the batch's end, the staff
 * and absences read once per batch, the savepoints' journal in memory only while the batch runs.
 */

let dir: string;
let h: DatabaseHandle;
let db: Conn;
const logger = pino({ level: 'silent' });
const app = () => ({ db: h.db, database: h, logger });

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'otklik-batch-'));
  h = openDatabase(path.join(dir, 'otklik.db'));
  db = h.db as unknown as Conn;
});
afterEach(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

const indexed = () => (h.sqlite.prepare('SELECT rowid AS id FROM case_search ORDER BY rowid').all() as { id: number }[]).map((r) => r.id);
const caseCount = () => (h.sqlite.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;

describe('a batch of ingest', () => {
  it('indexes its cases at its end; an event rolled back alone leaves no trace in the index, and the others commit', async () => {
    ensureSearchIndex(h.sqlite);
    await catchUpInBackground(h.sqlite);
    const ctx = makeCtx('akhty-2021');
    let seenInside: number[][] = [];
    const runs: { inSavepoint: boolean[]; failures: string[] }[] = [];
    let depth = 0;
    const unwatch = watchSavepoints(clientOf(h.db)!, { begin: () => (depth += 1), release: () => (depth -= 1), rollback: () => (depth -= 1) });
    const outcomes = inIngestBatch(app(), (_batchTx, events) => {
      seenInside = [];
      const run = { inSavepoint: [] as boolean[], failures: [] as string[] };
      runs.push(run);
      const texts = ['Огромные ямы во дворе', 'Не вывозят мусор', 'Сломана скамейка у школы', 'Нет света в подъезде', 'Упало дерево на гараж'];
      return texts.map((text, i) => {
        try {
          return events.event((tx) => {
            run.inSavepoint.push(depth > 0);
            const r = ingestMessage(tx as unknown as Conn, comment(i + 1, text), ctx, { inCallersTransaction: true });
            // The third and the last event fail after their case was written.
            if (i === 2 || i === 4) throw new Error('failed after the case was stored');
            seenInside.push(indexed());
            return r.caseId;
          });
        } catch (err) {
          if (isBatchRestart(err)) throw err;
          run.failures.push((err as Error).message);
          return null;
        }
      });
    });
    unwatch();
    // The first run, straight in the batch's transaction, stopped at the first failure; the second ran
    // each event in its own savepoint, where each failing one was rolled back alone and reported.
    expect(runs).toEqual([
      { inSavepoint: [false, false, false], failures: [] },
      { inSavepoint: [true, true, true, true, true], failures: ['failed after the case was stored', 'failed after the case was stored'] },
    ]);
    // Nothing was indexed while the events ran; at the end, each case that stayed, once.
    expect(seenInside).toEqual([[], [], []]);
    expect(outcomes).toEqual([1, 2, null, 3, null]);
    expect(caseCount()).toBe(3);
    expect(indexed()).toEqual([1, 2, 3]);
    // Case 3 is the fourth message's (the failed one's id was given again): indexed with its text only.
    expect(searchCaseIds(h.sqlite, 'скамейка', 0, 10).ids).toEqual([]);
    expect(searchCaseIds(h.sqlite, 'дерево', 0, 10).ids).toEqual([]);
    expect(searchCaseIds(h.sqlite, 'свет подъезд', 0, 10).ids).toEqual([3]);
    expect(searchCaseIds(h.sqlite, 'яма', 0, 10).ids).toEqual([1]);
    // The watermark moved to the batch's newest case (a restart's catch-up has nothing to redo).
    expect(await catchUpInBackground(h.sqlite)).toBe(0);
  });

  it('a batch that throws commits nothing, indexes nothing, and the next batch runs normally', () => {
    ensureSearchIndex(h.sqlite);
    const ctx = makeCtx('akhty-2021');
    expect(() =>
      inIngestBatch(app(), (tx) => {
        ingestMessage(tx as unknown as Conn, comment(1, 'Яма на дороге'), ctx);
        throw new Error('the database is failing');
      }),
    ).toThrow('the database is failing');
    expect(caseCount()).toBe(0);
    expect(indexed()).toEqual([]);
    inIngestBatch(app(), (tx) => ingestMessage(tx as unknown as Conn, comment(2, 'Яма на дороге'), ctx));
    expect(indexed()).toEqual([1]);
  });

  it('holds the storm counter for the batch, writes it once at the end, and forgets what a rolled-back event counted', () => {
    const now = MONDAY_10.toMillis();
    const chat = 555;
    const stormApp = { database: h, enqueue: (action: Parameters<AppContext['enqueue']>[0], tx?: unknown) => enqueue((tx ?? h.db) as never, action, now) } as unknown as AppContext;
    const summaries = () => (h.sqlite.prepare("SELECT payload FROM outbox WHERE action = 'stormSummary'").all() as { payload: string }[]).map((r) => JSON.parse(r.payload) as { first: number });
    const seenInTable: (string | null)[] = [];
    inIngestBatch(app(), (_tx, events) => {
      for (let id = 1; id <= 20; id++) {
        try {
          events.event((tx) => {
            routeNewCase(stormApp, tx as never, id, chat, now + id);
            // The case that would start the storm fails after it was counted: it is rolled back alone
            // (in the batch's second run, each event in its own savepoint).
            if (id === STORM_ENTER) throw new Error('failed after it was counted');
          });
        } catch (err) {
          if (isBatchRestart(err)) throw err;
        }
        seenInTable.push(kvValue(h.db, `storm:${chat}`));
      }
    });
    // Not written while the batch ran; once at its end.
    expect(seenInTable.every((v) => v === null)).toBe(true);
    const s = JSON.parse(kvValue(h.db, `storm:${chat}`)!) as StormState;
    // The failed one is not counted: the storm begins at the next case, whose summary is the one queued.
    expect(s).toMatchObject({ active: true, first: STORM_ENTER + 1, last: 20, count: 19, queued: true });
    expect(summaries()).toEqual([{ chatId: chat, first: STORM_ENTER + 1 }]);
    // The next batch goes on from the stored state (one more case, still the same storm and summary).
    inIngestBatch(app(), (tx) => routeNewCase(stormApp, tx, 21, chat, now + 21));
    expect(JSON.parse(kvValue(h.db, `storm:${chat}`)!) as StormState).toMatchObject({ first: STORM_ENTER + 1, last: 21, count: 20 });
    expect(summaries()).toHaveLength(1);
  });

  it('indexes a new case from the text at hand, and reads it again when the case changed later in the batch', async () => {
    ensureSearchIndex(h.sqlite);
    await catchUpInBackground(h.sqlite);
    const ctx = makeCtx('akhty-2021');
    inIngestBatch(app(), (tx) => {
      const conn = tx as unknown as Conn;
      ingestMessage(conn, comment(1, 'Яма у подъезда'), ctx);
      const second = ingestMessage(conn, comment(2, 'Сломан фонарь'), ctx);
      // The author writes again and the message joins the second case in the same batch.
      const more = insertMessage(conn, comment(3, 'Фонарь так и не горит, темно на остановке'), MONDAY_10.toMillis());
      expect(executeCommand(conn, second.caseId!, { type: 'attachMessage', actor: SYSTEM_ACTOR, messageId: more }, ctx).ok).toBe(true);
    });
    expect(searchCaseIds(h.sqlite, 'яма', 0, 10).ids).toEqual([1]);
    expect(searchCaseIds(h.sqlite, 'остановка', 0, 10).ids).toEqual([2]);
    expect(searchCaseIds(h.sqlite, 'Житель 3', 0, 10).ids).toEqual([2]);
    // The same rows as a rebuild reading every case from the tables would write.
    const rows = () => h.sqlite.prepare('SELECT rowid, stems FROM case_search ORDER BY rowid').all();
    const written = rows();
    h.sqlite.exec('DELETE FROM case_search; UPDATE case_search_meta SET updated_at = -1, message_id = 0');
    expect(await catchUpInBackground(h.sqlite)).toBe(2);
    expect(rows()).toEqual(written);
  });

  it('runs its events without savepoints unless one fails; the run with savepoints keeps their journal in memory', () => {
    const store = () => h.sqlite.pragma('temp_store', { simple: true });
    const ctx = makeCtx('akhty-2021');
    let savepoints = 0;
    const unwatch = watchSavepoints(clientOf(h.db)!, { begin: () => (savepoints += 1), release: () => undefined, rollback: () => undefined });
    // Nothing fails: one run, no savepoint, the setting untouched.
    const ingest = (tx: unknown, n: number) => ingestMessage(tx as Conn, comment(n, 'Яма'), ctx, { inCallersTransaction: true });
    const calm = inIngestBatch(app(), (_tx, events) => [1, 2].map((n) => events.event((tx) => (ingest(tx, n), store() as number))));
    expect(calm).toEqual([0, 0]);
    expect(savepoints).toBe(0);
    // One fails: the second run has a savepoint per event, its journal in memory, restored after.
    const stores: number[] = [];
    inIngestBatch(app(), (_tx, events) => {
      for (const n of [3, 4]) {
        try {
          events.event((tx) => {
            stores.push(store() as number);
            ingest(tx, n);
            if (n === 3) throw new Error('this one fails');
          });
        } catch (err) {
          if (isBatchRestart(err)) throw err;
        }
      }
    });
    unwatch();
    // The first run stopped at the failing event; the second ran both, each in a savepoint.
    expect(stores).toEqual([0, 2, 2]);
    expect(savepoints).toBe(2);
    expect(store()).toBe(0);
    expect(caseCount()).toBe(3);
    // Inside someone else's transaction the setting cannot change: the batch runs as it is.
    h.sqlite.transaction(() => expect(inIngestBatch(app(), () => store())).toBe(0))();
    expect(store()).toBe(0);
  });

  it('reads the staff and the absences once per batch, and the next batch sees what changed between', () => {
    const now = MONDAY_10.toMillis();
    const hour = 3600_000;
    const [a, b] = [1, 2].map((n) =>
      db
        .insert(staff)
        .values({ telegramId: 100 + n, name: `Сотрудник ${n}`, roles: ['administrator'], createdAt: now, updatedAt: now })
        .returning()
        .get(),
    );
    db.insert(absences)
      .values({ staffId: a!.id, fromTs: now + hour, untilTs: now + 3 * hour, substituteId: b!.id, createdAt: now })
      .run();
    const away = (at: number) => absencesNow(h.db, at).map((x) => x.staffId);
    inIngestBatch(app(), () => {
      const first = activeStaff(h.db);
      expect(first.map((s) => s.id)).toEqual([a!.id, b!.id]);
      // A change made inside the batch's transaction is not seen again within it: nothing in a batch
      // changes staff, and the list is read once.
      h.sqlite.prepare('UPDATE staff SET active = 0 WHERE id = ?').run(b!.id);
      expect(activeStaff(h.db)).toBe(first);
      // Absences: the ones in force at each instant asked, from one read.
      expect(away(now)).toEqual([]);
      expect(away(now + 2 * hour)).toEqual([a!.id]);
      expect(away(now + 4 * hour)).toEqual([]);
      // An instant before the first read is read again.
      expect(away(now - hour)).toEqual([]);
      expect(away(now + hour)).toEqual([a!.id]);
    });
    // Outside a batch, and in the next one, the change is seen.
    expect(activeStaff(h.db).map((s) => s.id)).toEqual([a!.id]);
    inIngestBatch(app(), () => expect(activeStaff(h.db).map((s) => s.id)).toEqual([a!.id]));
    expect(away(now + 2 * hour)).toEqual([a!.id]);
  });

  it('names of a batch’s authors: asked once, cached in one transaction, read back for the next batch; a week-old name is asked again', async () => {
    const asked: string[] = [];
    const api = {
      call: async (method: string, params: Record<string, string>) => {
        asked.push(params.user_ids!);
        return params.user_ids!.split(',').map((id) => ({ id: Number(id), first_name: 'Житель', last_name: `№${id}`, screen_name: `id${id}` }));
      },
    } as unknown as API;
    const now = MONDAY_10.toMillis();
    const first = await resolveNames(h.db, api, [11, 12, 11, 13], now, logger);
    expect(asked).toEqual(['11,12,13']);
    expect(first.get(12)).toEqual({ name: 'Житель №12', profileUrl: 'https://vk.com/id12' });
    const again = await resolveNames(h.db, api, [12, 13, 14], now + 1000, logger);
    expect(asked).toEqual(['11,12,13', '14']);
    expect([...again.keys()].sort()).toEqual([12, 13, 14]);
    expect(again.get(13)?.name).toBe('Житель №13');
    await resolveNames(h.db, api, [11, 14], now + 7 * 24 * 3600_000 + 500, logger);
    expect(asked).toEqual(['11,12,13', '14', '11']);
  });
});
