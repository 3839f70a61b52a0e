import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync, readFileSync, existsSync, chmodSync, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/**
 * Without drizzle's relational API (`db.query.*`, unused here): given the schema, drizzle builds a query
 * builder for every table at every transaction and savepoint — a tenth of the ingest path's CPU.
 */
export type Db = BetterSQLite3Database;
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
  const db = drizzle(withStatementCache(sqlite));
  shareClientWithTransactions(db, db.$client);
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

/**
 * The connection drizzle uses: the same better-sqlite3 handle, but `prepare` reuses the statement
 * already compiled for the same SQL text (drizzle asks for a new statement on every query and
 * SQLite compiled each anew — about a third of the ingest path). Bounded (oldest out),
 * since texts with variable-length lists or multi-row VALUES differ. drizzle only calls get / all / run
 * and `raw()` (never iterate), so a statement is never busy when handed out again; the modes a previous
 * caller set are reset first. Code calling `sqlite.prepare` directly is not affected.
 */
export const STATEMENT_CACHE_SIZE = 500;
/** The handle itself behind the statement cache (`handleOf`): per-handle state is kept on one object. */
const UNDERLYING = Symbol('better-sqlite3 handle');
export function handleOf(sqlite: Database.Database): Database.Database {
  return ((sqlite as unknown as Record<symbol, Database.Database | undefined>)[UNDERLYING] ?? sqlite) as Database.Database;
}
function withStatementCache(sqlite: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let stmt = cache.get(source);
    if (stmt) {
      if (stmt.reader) stmt.raw(false);
    } else {
      stmt = sqlite.prepare(source);
      // The oldest compiled goes first (not the least recently used: reordering on every hit cost more
      // than compiling again the rare hot statement pushed out by many one-off texts).
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(source, stmt);
    }
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      if (prop === UNDERLYING) return target;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * A drizzle transaction runs on its database's better-sqlite3 handle but does not expose it; the hot
 * paths (repositories/fast.ts) need it, and reading drizzle's private session would break silently on
 * an upgrade. So every transaction begun here carries the database's public `$client`.
 *
 * A transaction begun inside one is a savepoint, run here on the handle's cached statements with the
 * same transaction object: drizzle builds a new transaction object and the SAVEPOINT's SQL in JS for
 * each, which was a twentieth of the ingest path (two savepoints per new comment). Like drizzle's, the
 * body is synchronous, and an error (or `tx.rollback()`) rolls the savepoint back and is rethrown.
 * `watchSavepoints` lets a cache kept beside the transaction (repositories/fast.ts, a batch's state)
 * follow the savepoints: what a rolled-back savepoint did is forgotten by it too.
 */
export interface SavepointWatcher {
  begin(): void;
  release(): void;
  rollback(): void;
}
const watchers = new WeakMap<object, Set<SavepointWatcher>>();

/** Calls `w` at every savepoint begun, released or rolled back on the handle, until the returned function is called. */
export function watchSavepoints(client: object, w: SavepointWatcher): () => void {
  let set = watchers.get(client);
  if (!set) watchers.set(client, (set = new Set()));
  set.add(w);
  return () => set.delete(w);
}

type Transactional = { transaction: (fn: (tx: never) => unknown, config?: unknown) => unknown };
function shareClientWithTransactions(conn: object, client: Database.Database): void {
  const target = conn as Transactional;
  const begin = target.transaction.bind(target);
  target.transaction = ((fn: (tx: object) => unknown, config?: unknown) =>
    begin(
      ((tx: object) => {
        if ((tx as { $client?: unknown }).$client === undefined) {
          Object.assign(tx, { $client: client });
          nestAsSavepoints(tx as Transactional, client);
        }
        return fn(tx);
      }) as (tx: never) => unknown,
      config,
    )) as Transactional['transaction'];
}

function nestAsSavepoints(tx: Transactional, client: Database.Database): void {
  let depth = 0;
  const notify = (what: keyof SavepointWatcher) => watchers.get(client)?.forEach((w) => w[what]());
  tx.transaction = ((fn: (tx: object) => unknown) => {
    const name = `sp${depth}`;
    client.prepare(`SAVEPOINT ${name}`).run();
    notify('begin');
    depth += 1;
    try {
      const out = fn(tx);
      client.prepare(`RELEASE ${name}`).run();
      notify('release');
      return out;
    } catch (err) {
      client.prepare(`ROLLBACK TO ${name}`).run();
      client.prepare(`RELEASE ${name}`).run();
      notify('rollback');
      throw err;
    } finally {
      depth -= 1;
    }
  }) as Transactional['transaction'];
}

/** A drizzle database over a handle opened elsewhere (the report worker's read-only connection). */
export function drizzleOver(sqlite: Database.Database): Db {
  // No schema: the relational query API is not used, and drizzle builds a query builder per table at
  // every transaction when it has one.
  return drizzle(sqlite);
}

/** An existing database opened read-only with the busy timeout (the report worker), no migration. */
export function openReadOnlyDatabase(file: string): DatabaseHandle {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return { sqlite, db: drizzleOver(sqlite), close: () => sqlite.close() };
}

/** Compares the newest applied migration with the newest this code knows. */
function refuseNewerDatabase(sqlite: Database.Database): void {
  const table = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
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
