import type Database from 'better-sqlite3';
import { Column, getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { watchSavepoints } from '../connection.js';

/**
 * The hand-tuned hot paths of the ingest and notice paths (measured in docs/performance.md), in one
 * place with one cache per connection:
 * - `prepared(conn, key, build)`: a drizzle prepared query (values through `sql.placeholder`) built
 *   once per connection — drizzle otherwise builds a query's SQL in JS on every call;
 * - `insertRows`: inserts without drizzle's query builder (building the SQL of every insert anew was
 *   about a fifth of the ingest path); each value goes through the column's own `mapToDriverValue`
 *   (JSON, booleans) exactly as drizzle would send it; a column left out (or undefined) takes its SQL
 *   default, as with drizzle (no table written here has a JS-side default);
 * - three SELECTs every new message asks, as plain SQL on the connection's better-sqlite3 handle;
 * - the key-value reads and writes of the storm counter, asked in the transaction of every new case.
 * The handle is drizzle's public `$client`; connection.ts gives every transaction (and savepoint) of a
 * database the same `$client`, so a query prepared on `db` runs inside `db.transaction` as part of it,
 * and one built inside a transaction keeps working after it. Statements themselves are compiled once by
 * the handle's statement cache (connection.ts).
 */

/** The better-sqlite3 handle under a drizzle database or one of its transactions. */
export function clientOf(conn: unknown): Database.Database | null {
  const client = (conn as { $client?: Database.Database }).$client;
  return client && typeof client.prepare === 'function' ? client : null;
}

function clientFor(conn: unknown, what: string): Database.Database {
  const client = clientOf(conn);
  if (!client) throw new Error(`${what}: not a better-sqlite3 connection`);
  return client;
}

/** Per connection: drizzle prepared queries by key, and insert SQL by table and set of columns. */
interface ConnectionCache {
  queries: Map<string, unknown>;
  inserts: WeakMap<SQLiteTable, TableInfo>;
}
const caches = new WeakMap<object, ConnectionCache>();

function cacheOf(client: Database.Database): ConnectionCache {
  let cache = caches.get(client);
  if (!cache) caches.set(client, (cache = { queries: new Map(), inserts: new WeakMap() }));
  return cache;
}

/** The query `build` made the first time `key` was asked for on this connection. */
export function prepared<T>(conn: unknown, key: string, build: () => T): T {
  const client = clientOf(conn);
  if (!client) return build();
  const { queries } = cacheOf(client);
  let query = queries.get(key) as T | undefined;
  if (query === undefined) queries.set(key, (query = build()));
  return query;
}

interface TableInfo {
  name: string;
  columns: Record<string, Column>;
  sql: Map<string, InsertShape>;
  /** The shapes met so far, to find a row's without building its key (a table is written in one or two shapes). */
  shapes: InsertShape[];
}
interface InsertShape {
  text: string;
  keys: string[];
  /** Per key, the column's conversion to the driver's value, or null where drizzle passes it as is. */
  maps: (((v: unknown) => unknown) | null)[];
  onConflict: string;
  returning: string;
}
function infoOf(client: Database.Database, table: SQLiteTable): TableInfo {
  const tables = cacheOf(client).inserts;
  let info = tables.get(table);
  if (!info) tables.set(table, (info = { name: getTableName(table), columns: getTableColumns(table) as Record<string, Column>, sql: new Map(), shapes: [] }));
  return info;
}

/** Whether `row` has exactly the columns `keys`, in that order, as `statementFor` would list them. */
function sameShape(info: TableInfo, row: Record<string, unknown>, shape: InsertShape): boolean {
  let i = 0;
  for (const k in row) {
    if (row[k] === undefined || info.columns[k] === undefined) continue;
    if (shape.keys[i] !== k) return false;
    i += 1;
  }
  return i === shape.keys.length;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface FastInsertOptions {
  /** e.g. `ON CONFLICT ("idempotency_key") DO NOTHING` */
  onConflict?: string;
  /** e.g. `id`: the statement returns that column of the inserted row. */
  returning?: string;
}

function statementFor(client: Database.Database, info: TableInfo, row: Record<string, unknown>, opts: FastInsertOptions): { stmt: Database.Statement; shape: InsertShape } {
  const onConflict = opts.onConflict ?? '';
  const returning = opts.returning ?? '';
  let entry = info.shapes.find((e) => e.onConflict === onConflict && e.returning === returning && sameShape(info, row, e));
  if (!entry) {
    const present = Object.keys(row).filter((k) => row[k] !== undefined && info.columns[k] !== undefined);
    const cacheKey = `${present.join(',')}|${onConflict}|${returning}`;
    entry = info.sql.get(cacheKey);
    if (!entry) {
      const cols = present.map((k) => quote(info.columns[k]!.name));
      const text =
        `INSERT INTO ${quote(info.name)} (${cols.join(', ')}) VALUES (${present.map(() => '?').join(', ')})` +
        (onConflict ? ` ${onConflict}` : '') +
        (returning ? ` RETURNING ${quote(returning)}` : '');
      const maps = present.map((k) => {
        const col = info.columns[k]!;
        return col.mapToDriverValue === Column.prototype.mapToDriverValue ? null : (v: unknown) => col.mapToDriverValue(v);
      });
      entry = { text, keys: present, maps, onConflict, returning };
      info.sql.set(cacheKey, entry);
      // A handful of shapes are searched first; a table written in many keeps to the keyed map.
      if (info.shapes.length < 8) info.shapes.push(entry);
    }
  }
  return { stmt: client.prepare(entry.text), shape: entry };
}

function params(shape: InsertShape, row: Record<string, unknown>): unknown[] {
  const out = new Array<unknown>(shape.keys.length);
  for (let i = 0; i < out.length; i++) {
    const v = row[shape.keys[i]!];
    const map = shape.maps[i];
    out[i] = v === null || !map ? v : map(v);
  }
  return out;
}

/** Inserts rows one statement each (cached), in order. Returns the `returning` column of each inserted row (conflicts skipped). */
export function insertRows(conn: unknown, table: SQLiteTable, rows: readonly Record<string, unknown>[], opts: FastInsertOptions = {}): unknown[] {
  const client = clientFor(conn, 'insertRows');
  const info = infoOf(client, table);
  const out: unknown[] = [];
  for (const row of rows) {
    const { stmt, shape } = statementFor(client, info, row, opts);
    const p = params(shape, row);
    if (opts.returning) {
      const r = stmt.get(...p) as Record<string, unknown> | undefined;
      if (r) out.push(r[opts.returning]);
    } else stmt.run(...p);
  }
  return out;
}

/** The open case awaiting this author's answer in this thread (newest first), or null. */
export function caseAwaitingAuthor(conn: unknown, threadKey: string, authorExternalId: string): number | null {
  const row = clientFor(conn, 'caseAwaitingAuthor')
    .prepare(
      `SELECT c.id AS id FROM messages m JOIN case_messages cm ON cm.message_id = m.id JOIN cases c ON c.id = cm.case_id
        WHERE m.thread_key = ? AND m.author_external_id = ? AND c.status = 'awaiting_author' ORDER BY c.id DESC LIMIT 1`,
    )
    .get(threadKey, authorExternalId) as { id: number } | undefined;
  return row?.id ?? null;
}

/** The id of the stored message with this source key, or null. */
export function messageIdBySourceKey(conn: unknown, sourceKey: string): number | null {
  const row = clientFor(conn, 'messageIdBySourceKey').prepare('SELECT id FROM messages WHERE source_key = ?').get(sourceKey) as { id: number } | undefined;
  return row?.id ?? null;
}

/** The highest case id and number so far (0 when none). */
export function lastCaseIdentity(conn: unknown): { id: number; number: number } {
  // Two subqueries, not max(id), max(number) in one SELECT: SQLite answers a lone max() from the index
  // (rowid, cases_number_unique) but scans the whole table for two aggregates together — a cost that
  // grew with every stored case (bench/ingest.ts).
  const row = clientFor(conn, 'lastCaseIdentity').prepare('SELECT coalesce((SELECT max(id) FROM cases), 0) AS id, coalesce((SELECT max(number) FROM cases), 0) AS number').get() as
    { id: number; number: number } | undefined;
  return { id: row?.id ?? 0, number: row?.number ?? 0 };
}

/** The value stored under `key` in the key-value table, or null (repositories/kv.ts without the query builder). */
export function kvValue(conn: unknown, key: string): string | null {
  const row = clientFor(conn, 'kvValue').prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Stores `value` under `key`, replacing what was there. */
export function storeKvValue(conn: unknown, key: string, value: string, now: number): void {
  clientFor(conn, 'storeKvValue')
    .prepare('INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
    .run(key, value, now);
}

/**
 * The scope of one batch of ingest (`withBatchScope`, src/sources/pending.ts): one synchronous
 * transaction that stores messages and cases and queues notices (its events in savepoints of their own
 * only when the batch runs again after one failed).
 * - `batchScope`: reads memoized for the batch — the staff and the absences every new case's notice
 *   reads. Nothing in a batch changes them, so a read taken at its start stays true to its end.
 * - `batchValue` / `setBatchValue`: values the batch itself changes, kept in memory and written once at
 *   its end (still in its transaction) — the storm counter every new case updates, the last case
 *   number. They follow the savepoints (connection.ts `watchSavepoints`): a rolled-back event's
 *   changes are forgotten with its rows.
 * Outside a batch `batchScope` is null and callers read and write the tables themselves.
 */
interface BatchState {
  values: Map<string, unknown>;
  /** Per changed key, how to write its latest value (null: the rows themselves are the record). */
  writes: Map<string, ((value: never) => void) | null>;
}
interface Batch {
  reads: Map<string, unknown>;
  state: BatchState;
  saved: BatchState[];
}
const batches = new WeakMap<Database.Database, Batch>();

export function batchScope(conn: unknown): Map<string, unknown> | null {
  const client = clientOf(conn);
  return client ? (batches.get(client)?.reads ?? null) : null;
}

/** In a batch: `{ value }` when the batch holds a value under `key`, else undefined (also outside a batch). */
export function batchValue<T>(conn: unknown, key: string): { value: T } | undefined {
  const client = clientOf(conn);
  const state = client ? batches.get(client)?.state : undefined;
  return state?.values.has(key) ? { value: state.values.get(key) as T } : undefined;
}

/**
 * In a batch: keeps `value` under `key` (treat it as immutable: a savepoint's copy shares it) and,
 * when `write` is given, writes it at the batch's end. Returns false outside a batch (nothing kept).
 */
export function setBatchValue<T>(conn: unknown, key: string, value: T, write: ((value: T) => void) | null = null): boolean {
  const client = clientOf(conn);
  const state = client ? batches.get(client)?.state : undefined;
  if (!state) return false;
  state.values.set(key, value);
  if (write || !state.writes.has(key)) state.writes.set(key, write as ((value: never) => void) | null);
  return true;
}

/** Runs `fn` in a batch scope on the connection's handle (a scope already open is kept); call it inside the batch's transaction. */
export function withBatchScope<T>(conn: unknown, fn: () => T): T {
  const client = clientFor(conn, 'withBatchScope');
  if (batches.has(client)) return fn();
  const batch: Batch = { reads: new Map(), state: { values: new Map(), writes: new Map() }, saved: [] };
  const copy = (s: BatchState): BatchState => ({ values: new Map(s.values), writes: new Map(s.writes) });
  const unwatch = watchSavepoints(client, {
    begin: () => batch.saved.push(copy(batch.state)),
    release: () => void batch.saved.pop(),
    rollback: () => {
      batch.state = batch.saved.pop() ?? batch.state;
    },
  });
  batches.set(client, batch);
  try {
    const out = fn();
    for (const [key, write] of batch.state.writes) write?.(batch.state.values.get(key) as never);
    return out;
  } finally {
    unwatch();
    batches.delete(client);
  }
}

/**
 * Runs `fn` with SQLite's temporary files (a savepoint's statement journal among them) kept in memory,
 * then restores the setting. Only the outermost call changes it: the setting can only change outside a
 * transaction (src/sources/pending.ts: an ingest batch).
 */
export function withJournalInMemory<T>(sqlite: Database.Database, fn: () => T): T {
  const outermost = !sqlite.inTransaction;
  const tempStore = outermost ? (sqlite.pragma('temp_store', { simple: true }) as number) : null;
  if (outermost) sqlite.pragma('temp_store = MEMORY');
  try {
    return fn();
  } finally {
    if (tempStore !== null) sqlite.pragma(`temp_store = ${tempStore}`);
  }
}
