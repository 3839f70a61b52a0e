import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { prepared } from '../../../src/db/repositories/fast.js';
import { staff } from '../../../src/db/schema/org.js';

describe('prepared queries per connection', () => {
  let dir: string;
  let h: DatabaseHandle;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otklik-prep-'));
    h = openDatabase(path.join(dir, 'o.db'));
  });
  afterEach(() => {
    h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const byTelegram = (conn: DatabaseHandle['db']) =>
    prepared(conn, 'test.byTelegram', () =>
      conn
        .select({ name: staff.name })
        .from(staff)
        .where(eq(staff.telegramId, sql.placeholder('tg')))
        .prepare(),
    );

  it('is built once per connection; one built on db runs inside db.transaction (and its savepoints) as part of it', () => {
    const { db } = h;
    const q = byTelegram(db);
    expect(q.get({ tg: 1 })).toBeUndefined();
    expect(() =>
      db.transaction((tx) => {
        expect(byTelegram(tx)).toBe(q);
        tx.insert(staff).values({ telegramId: 1, name: 'A', roles: [], createdAt: 0, updatedAt: 0 }).run();
        expect(q.get({ tg: 1 })).toEqual({ name: 'A' });
        tx.transaction((sp) => {
          sp.insert(staff).values({ telegramId: 2, name: 'B', roles: [], createdAt: 0, updatedAt: 0 }).run();
          expect(byTelegram(sp).get({ tg: 2 })).toEqual({ name: 'B' });
        });
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(q.get({ tg: 1 })).toBeUndefined();
    expect(q.get({ tg: 2 })).toBeUndefined();

    const other = openDatabase(path.join(dir, 'o2.db'));
    try {
      expect(byTelegram(other.db)).not.toBe(q);
    } finally {
      other.close();
    }
  });
});
