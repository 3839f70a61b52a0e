import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/connection.js';
import { backupDatabase } from '../../src/scheduler/backup.js';
import { runCli } from '../support/service.js';

/**
 * Backups hold citizens' messages: the file is owner-only from its first byte, not only once complete;
 * `otklik backup --help` prints its usage and exits 0.
 */
describe('backup files and help', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'otklik-backup-perms-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the temporary .part file is owner-only before SQLite writes into it', async () => {
    const handle = openDatabase(path.join(dir, 'live.db'));
    const out = path.join(dir, 'copy.db');
    const modes: number[] = [];
    const real = handle.sqlite.backup.bind(handle.sqlite);
    // Looks at the .part file at the moment the copy starts (the umask would make a new file 0644).
    (handle.sqlite as unknown as { backup: typeof real }).backup = (file, opts) => {
      modes.push(statSync(file).mode & 0o777);
      return real(file, opts);
    };
    const old = process.umask(0o022);
    try {
      await backupDatabase(handle.sqlite, out);
    } finally {
      process.umask(old);
      handle.close();
    }
    expect(modes).toEqual([0o600]);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('`otklik backup --help` exits 0 with its usage', async () => {
    const r = await runCli(['backup', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('otklik backup [--out FILE]');
  }, 30_000);
});
