import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync, readFileSync, existsSync, chmodSync, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;
export interface DatabaseHandle {
  sqlite: Database.Database;
  db: Db;
  close(): void;
}

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export class DatabaseTooNewError extends Error {}

/**
 * Opens (creating when absent) the SQLite file: WAL, foreign keys, a busy timeout, and every
 * migration applied. A database written by a newer Otklik refuses to open rather than be damaged.
 * The file and its folder are created readable by the owner only: they hold citizens' messages.
 */
export function openDatabase(file: string, opts: { migrate?: boolean } = {}): DatabaseHandle {
  if (file !== ':memory:') {
    const dir = path.dirname(path.resolve(file));
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(file)) {
      closeSync(openSync(file, 'a', 0o600));
      chmodSync(file, 0o600);
    }
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema });
  if (opts.migrate !== false) {
    try {
      refuseNewerDatabase(sqlite);
      migrate(db, { migrationsFolder });
    } catch (err) {
      sqlite.close();
      throw err;
    }
  }
  return { sqlite, db, close: () => sqlite.close() };
}

/** Compares the newest applied migration with the newest this code knows. */
function refuseNewerDatabase(sqlite: Database.Database): void {
  const table = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return;
  const row = sqlite.prepare('SELECT MAX(created_at) AS last FROM __drizzle_migrations').get() as { last: number | null };
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { when: number; tag: string }[];
  };
  const known = Math.max(0, ...journal.entries.map((e) => e.when));
  if (row.last !== null && row.last > known) {
    throw new DatabaseTooNewError(
      `The database was written by a newer version of Otklik (migration of ${new Date(row.last).toISOString()}, ` +
        `this code knows up to ${new Date(known).toISOString()}). Update Otklik or restore a backup; refusing to start.`,
    );
  }
}
