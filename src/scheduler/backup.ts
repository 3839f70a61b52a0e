import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { DateTime } from 'luxon';

/**
 * Online SQLite backups (issue 7): better-sqlite3's backup API copies a consistent snapshot while
 * the service keeps writing (WAL). The copy is written to a temporary name and renamed when
 * complete, so a crash never leaves a half file that looks like a backup. Files are owner-only:
 * they hold citizens' messages. Restore steps: docs/backup.md.
 */

export const BACKUP_PREFIX = 'otklik-';
const NAME = /^otklik-(\d{4}-\d{2}-\d{2})(T\d{6})?\.db$/;

export interface BackupResult {
  file: string;
  bytes: number;
  removed: string[];
}

/** `otklik-2026-11-02.db` for the daily backup; with a time for manual ones. */
export function backupFileName(at: DateTime, withTime = false): string {
  return `${BACKUP_PREFIX}${at.toFormat(withTime ? "yyyy-MM-dd'T'HHmmss" : 'yyyy-MM-dd')}.db`;
}

export async function backupDatabase(sqlite: Database.Database, file: string): Promise<number> {
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.part`;
  if (existsSync(tmp)) unlinkSync(tmp);
  // Owner-only from the first byte: SQLite writes into this empty file, which keeps its mode.
  closeSync(openSync(tmp, 'wx', 0o600));
  chmodSync(tmp, 0o600); // whatever the umask
  await sqlite.backup(tmp);
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return statSync(file).size;
}

/** Deletes backups (by the date in their name) older than `keepDays` days before `now`. */
export function pruneBackups(dir: string, now: DateTime, keepDays: number): string[] {
  if (!existsSync(dir)) return [];
  const oldest = now.startOf('day').minus({ days: keepDays - 1 });
  const removed: string[] = [];
  for (const f of readdirSync(dir)) {
    const m = NAME.exec(f);
    if (!m) continue;
    const day = DateTime.fromISO(m[1]!, { zone: now.zone });
    if (day.isValid && day < oldest) {
      unlinkSync(path.join(dir, f));
      removed.push(f);
    }
  }
  return removed.sort();
}

/** The daily backup: today's file in `dir`, then retention. */
export async function dailyBackup(sqlite: Database.Database, dir: string, now: DateTime, keepDays: number): Promise<BackupResult> {
  const file = path.join(dir, backupFileName(now));
  const bytes = await backupDatabase(sqlite, file);
  return { file, bytes, removed: pruneBackups(dir, now, keepDays) };
}
