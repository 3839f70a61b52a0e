import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { ServiceProcess, people, runCli } from '../support/service.js';
import { openDatabase } from '../../src/db/connection.js';
import { executeCommand, ingestMessage } from '../../src/db/repositories/index.js';
import { staff } from '../../src/db/schema/org.js';
import { manualClock } from '../../src/domain/clock.js';
import { getPreset } from '../../src/domain/regulation/load.js';
import { createWorkingTime } from '../../src/domain/time/working-time.js';

/**
 * `otklik backup` while the service runs, then the restore steps of docs/backup.md, then the service
 * started on the restored file serves what the backup held.
 */
const ZONE = 'Europe/Moscow';
let tg: FakeTelegram;
let service: ServiceProcess | undefined;
let restored: ServiceProcess | undefined;

afterAll(async () => {
  await restored?.stop();
  await service?.dispose();
  await tg?.stop();
});

/** A case written by the workflow repositories into the running service's database (WAL: a second writer is fine). */
function storeCase(dbPath: string): void {
  const handle = openDatabase(dbPath);
  try {
    const clock = manualClock(DateTime.fromISO('2026-11-02T10:00', { zone: ZONE }));
    const ctx = { regulation: getPreset('kanash-2020')!, workingTime: createWorkingTime({ zone: ZONE, calendar: { region: 'RU-CU' } }), clock };
    const now = clock.now().toMillis();
    const r = ingestMessage(
      handle.db,
      {
        sourceKey: 'vk:backup-test',
        kind: 'vk_comment',
        network: 'vk',
        threadKey: 't',
        author: { externalId: '9', name: 'Житель', profileUrl: null },
        text: 'Не горит фонарь',
        attachments: [],
        permalink: null,
        publishedAt: now,
        detectedAt: now,
        raw: null,
      },
      ctx,
    );
    if (r.duplicate) throw new Error('duplicate');
    const admin = handle.db
      .select()
      .from(staff)
      .all()
      .find((s) => s.telegramId === people.admin.id)!;
    const res = executeCommand(
      handle.db,
      r.caseId,
      { type: 'triage', actor: { staffId: admin.id, name: admin.name, roles: ['administrator'], departmentId: null }, topic: 'ЖКХ', location: null },
      ctx,
    );
    if (!res.ok) throw new Error(JSON.stringify(res.refusal));
  } finally {
    handle.close();
  }
}

describe('backup and restore', () => {
  it('`otklik backup` copies the live database; the documented restore steps bring the service back on it', async () => {
    tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
    service = await new ServiceProcess({ telegram: tg, env: { OTKLIK_FAKE_NOW: '2026-11-02T10:00', LOG_LEVEL: 'info' } }).start();
    storeCase(service.dbPath);

    // `npx otklik backup` while the service runs: into the organization's backups.dir, named with the time.
    const env = { DATABASE_PATH: service.dbPath, CONFIG_PATH: service.configPath };
    const out = await runCli(['backup'], env, service.dir);
    expect(out.code, out.stderr).toBe(0);
    const backups = path.join(service.dir, 'data', 'backups');
    const made = readdirSync(backups).filter((f) => /^otklik-\d{4}-\d{2}-\d{2}T\d{6}\.db$/.test(f));
    expect(made).toHaveLength(1);
    const backup = path.join(backups, made[0]!);
    expect(out.stdout).toContain(backup);
    expect(statSync(backup).mode & 0o077).toBe(0);

    // Disaster: the service stops and its database is damaged.
    await service.stop();
    writeFileSync(service.dbPath, 'not a database any more');

    // Restore, step by step as in docs/backup.md:
    // 2. keep the damaged file aside, remove -wal and -shm
    renameSync(service.dbPath, `${service.dbPath}.broken`);
    for (const ext of ['-wal', '-shm']) rmSync(`${service.dbPath}${ext}`, { force: true });
    // 3. copy the backup in place, owner-only
    copyFileSync(backup, service.dbPath);
    chmodSync(service.dbPath, 0o600);
    // 4. check it
    const check = new Database(service.dbPath, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 1 });
    } finally {
      check.close();
    }
    // 5. start the service
    restored = await new ServiceProcess({ telegram: tg, dir: service.dir, env: { OTKLIK_FAKE_NOW: '2026-11-02T10:05', LOG_LEVEL: 'info' } }).start();
    expect(existsSync(`${service.dbPath}.broken`)).toBe(true);
    tg.userSendsText(people.head, '/today');
    const today = await tg.waitForMessage(people.head.id, 'На 02.11.2026', 15_000);
    expect(today.text).toContain('В работе: 1'); // the case from the backup
    expect(today.text).toContain('Поступило сегодня: 1');
  }, 60_000);
});
