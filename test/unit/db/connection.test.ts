import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, DatabaseTooNewError, watchSavepoints } from '../../../src/db/connection.js';
import { kv } from '../../../src/db/schema/index.js';
import { clientOf } from '../../../src/db/repositories/fast.js';

describe('opening the database', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otklik-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file owner-only with WAL and foreign keys, and applies every migration once', () => {
    const file = path.join(dir, 'nested', 'otklik.db');
    const first = openDatabase(file);
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    const applied = (first.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    first.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const again = openDatabase(file);
    expect((again.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(applied);
    again.close();
  });

  it('refuses a database written by a newer Otklik, with a clear message, and leaves it untouched', () => {
    const file = path.join(dir, 'otklik.db');
    const db = openDatabase(file);
    const future = Date.now() + 365 * 24 * 3600_000;
    db.sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', ?)").run(future);
    db.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer version of Otklik/);
    const check = openDatabase(file, { migrate: false });
    expect((check.sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations WHERE hash = 'from-the-future'").get() as { n: number }).n).toBe(1);
    check.close();
  });

  it('runs a transaction inside a transaction as a savepoint: rolled back alone on an error or tx.rollback(), watched', () => {
    const h = openDatabase(path.join(dir, 'otklik.db'));
    const seen: string[] = [];
    const unwatch = watchSavepoints(clientOf(h.db)!, { begin: () => seen.push('begin'), release: () => seen.push('release'), rollback: () => seen.push('rollback') });
    const put = (tx: typeof h.db, key: string) => tx.insert(kv).values({ key, value: key, updatedAt: 0 }).run();
    h.db.transaction((tx) => {
      put(tx, 'outer');
      tx.transaction((inner) => {
        put(inner, 'kept');
        // Nested twice: released with its parent.
        inner.transaction((deeper) => put(deeper, 'deeper'));
      });
      expect(() =>
        tx.transaction((inner) => {
          put(inner, 'failed');
          throw new Error('this event fails');
        }),
      ).toThrow('this event fails');
      expect(() =>
        tx.transaction((inner) => {
          put(inner, 'rolled back');
          inner.rollback();
        }),
      ).toThrow();
      put(tx, 'after');
    });
    unwatch();
    h.db.transaction((tx) => tx.transaction((inner) => put(inner, 'unwatched')));
    const keys = (h.sqlite.prepare('SELECT key FROM kv ORDER BY key').all() as { key: string }[]).map((r) => r.key);
    expect(keys).toEqual(['after', 'deeper', 'kept', 'outer', 'unwatched']);
    expect(seen).toEqual(['begin', 'begin', 'release', 'release', 'begin', 'rollback', 'begin', 'rollback']);
    // Nothing left open: the connection is outside any transaction.
    expect(h.sqlite.inTransaction).toBe(false);
    h.close();
  });
});
