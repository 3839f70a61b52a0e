import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createScheduler } from '../../../src/scheduler/index.js';
import { pruneBackups } from '../../../src/scheduler/backup.js';
import { makeWorld, msk, type World } from './env.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.database.close()));

describe('daily backups and retention', () => {
  it('writes one file a day at backups.time and keeps backups.keepDays of them', async () => {
    const w = makeWorld('kanash-2020', '2026-11-01T02:00');
    worlds.push(w);
    w.app.org.backups.keepDays = 3;
    const dir = path.resolve(w.app.orgDir, w.app.org.backups.dir);
    expect(w.app.org.backups.time).toBe('02:30');
    const id = w.register({ topic: 'Дороги' });
    const sched = createScheduler(w.app);
    await sched.tick(); // 1 Nov 02:00: the scheduler's first run, nothing due yet
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    for (let day = 1; day <= 6; day++) {
      w.at(`2026-11-0${day}T02:31`);
      const r = await sched.tick();
      expect(r.jobs.backup).toBe('done');
      await sched.tick(); // once a day
    }
    // 6 November, keepDays 3: 4, 5 and 6 November stay; 1–3 November were deleted day by day.
    expect(readdirSync(dir).sort()).toEqual(['otklik-2026-11-04.db', 'otklik-2026-11-05.db', 'otklik-2026-11-06.db']);
    const file = path.join(dir, 'otklik-2026-11-06.db');
    expect(statSync(file).mode & 0o077).toBe(0); // citizens' messages: owner only
    const copy = new Database(file, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT id FROM cases').all() as { id: number }[]).map((r) => r.id)).toEqual([id]);
    } finally {
      copy.close();
    }
    const runs = w.database.sqlite.prepare(`SELECT period, status FROM job_runs WHERE job = 'backup' ORDER BY period`).all();
    expect(runs).toEqual(['01', '02', '03', '04', '05', '06'].map((d) => ({ period: `2026-11-${d}`, status: 'done' })));
  });

  it('prunes by the date in the name: manual copies too, other files never', () => {
    const w = makeWorld('akhty-2021', '2026-11-10T12:00');
    worlds.push(w);
    const dir = path.join(w.dir, 'b');
    const names = ['otklik-2026-11-01.db', 'otklik-2026-11-08T101500.db', 'otklik-2026-11-09.db', 'otklik-2026-11-10.db', 'otklik.db', 'notes.txt', 'otklik-2026-11-01.db.part'];
    mkdirSync(dir);
    for (const n of names) writeFileSync(path.join(dir, n), '');
    expect(pruneBackups(dir, msk('2026-11-10T12:00'), 2)).toEqual(['otklik-2026-11-01.db', 'otklik-2026-11-08T101500.db']);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'otklik-2026-11-01.db.part', 'otklik-2026-11-09.db', 'otklik-2026-11-10.db', 'otklik.db']);
  });
});
