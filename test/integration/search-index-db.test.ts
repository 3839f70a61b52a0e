import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { executeCommand, ingestMessage, type Conn } from '../../src/db/repositories/index.js';
import { catchUpInBackground, ensureSearchIndex, searchCaseIds } from '../../src/db/search-index.js';
import { cast, makeCtx, vkWallComment as comment } from '../support/workflow-fixtures.js';

/**
 * The search index on a real SQLite file: filled in the transaction that stores the message (no
 * search indexes anything), and an older database — written while the table did not exist — caught
 * up by the start-up catch-up in small transactions, from a watermark, once.
 */

let dir: string;
let h: DatabaseHandle;
let db: Conn;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'otklik-search-'));
  h = openDatabase(path.join(dir, 'otklik.db'));
  db = h.db as unknown as Conn;
});
afterEach(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () => (h.sqlite.prepare('SELECT count(*) AS n FROM case_search').get() as { n: number }).n;

describe('the search index', () => {
  it('is filled at ingest, in the message’s transaction, and follows the topic and location set later', () => {
    ensureSearchIndex(h.sqlite); // the service creates it at start
    const ctx = makeCtx('akhty-2021');
    const { caseId } = ingestMessage(db, comment(1, 'Огромные ямы во дворе, не пройти'), ctx) as { caseId: number };
    expect(rows()).toBe(1);
    const stems = (h.sqlite.prepare('SELECT stems FROM case_search WHERE rowid = ?').get(caseId) as { stems: string }).stems;
    expect(stems).toContain('ям');
    // The search itself indexes nothing: the row is already there.
    expect(searchCaseIds(h.sqlite, 'яма', 0, 10)).toEqual({ ids: [caseId], total: 1 });
    const r = executeCommand(db, caseId, { type: 'triage', actor: cast.admin, location: 'мкр. Восточный' }, ctx);
    expect(r.ok).toBe(true);
    expect(searchCaseIds(h.sqlite, 'Восточный', 0, 10).ids).toEqual([caseId]);
  });

  it('an older database is caught up at start in small transactions, once; an interrupted catch-up goes on next time', async () => {
    const ctx = makeCtx('akhty-2021');
    // Written before the table existed (e.g. by an earlier version): nothing indexed.
    for (let i = 1; i <= 25; i++) ingestMessage(db, comment(i, i % 5 === 0 ? `Яма у дома ${i}` : `Не горит фонарь у дома ${i}`), ctx);
    expect(h.sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'case_search'").get()).toEqual({ n: 0 });
    let chunks = 0;
    const first = await catchUpInBackground(h.sqlite, { chunk: 10, shouldStop: () => ++chunks > 2 });
    expect(first).toBe(20); // stopped after two chunks
    expect(rows()).toBe(20);
    expect(await catchUpInBackground(h.sqlite, { chunk: 10 })).toBeGreaterThanOrEqual(5);
    expect(rows()).toBe(25);
    expect(searchCaseIds(h.sqlite, 'ям', 0, 10).total).toBe(5);
    // Caught up: a restart finds nothing to do, and a new message is indexed at once.
    expect(await catchUpInBackground(h.sqlite, { chunk: 10 })).toBe(0);
    ingestMessage(db, comment(26, 'Яма на ул. Ленина'), ctx);
    expect(rows()).toBe(26);
    expect(searchCaseIds(h.sqlite, 'ям Ленина', 0, 10).total).toBe(1);
  });
});
