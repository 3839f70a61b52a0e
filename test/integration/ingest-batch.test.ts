import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { ingestMessage, type Conn } from '../../src/db/repositories/index.js';
import { absencesNow, activeStaff } from '../../src/db/repositories/staff.js';
import { absences, staff } from '../../src/db/schema/org.js';
import { catchUpInBackground, ensureSearchIndex, searchCaseIds } from '../../src/db/search-index.js';
import { inIngestBatch } from '../../src/sources/pending.js';
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
    const seenInside: number[][] = [];
    const outcomes = inIngestBatch(app(), (batchTx) => {
      const texts = ['Огромные ямы во дворе', 'Не вывозят мусор', 'Сломана скамейка у школы', 'Нет света в подъезде'];
      return texts.map((text, i) => {
        try {
          return batchTx.transaction((tx) => {
            const r = ingestMessage(tx as unknown as Conn, comment(i + 1, text), ctx);
            // The third event fails after its case was written: its savepoint is rolled back alone.
            if (i === 2) throw new Error('failed after the case was stored');
            seenInside.push(indexed());
            return r.caseId;
          });
        } catch {
          return null;
        }
      });
    });
    // Nothing was indexed while the events ran; at the end, each case that stayed, once.
    expect(seenInside).toEqual([[], [], []]);
    expect(outcomes).toEqual([1, 2, null, 3]);
    expect(caseCount()).toBe(3);
    expect(indexed()).toEqual([1, 2, 3]);
    // Case 3 is the fourth message's (the failed one's id was given again): indexed with its text only.
    expect(searchCaseIds(h.sqlite, 'скамейка', 0, 10).ids).toEqual([]);
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

  it('keeps the savepoints’ journal in memory only while the batch runs', () => {
    const store = () => h.sqlite.pragma('temp_store', { simple: true });
    expect(store()).toBe(0);
    expect(inIngestBatch(app(), () => store())).toBe(2);
    expect(store()).toBe(0);
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
