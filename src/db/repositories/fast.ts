import type Database from 'better-sqlite3';
import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * Hot-path writes without drizzle's query builder (building the SQL of every insert anew was
 * about a fifth of the ingest path). The rows are the same objects drizzle takes (property names of
 * the table's columns); each value goes through the column's own `mapToDriverValue` (JSON, booleans)
 * exactly as drizzle would send it, and the statement — one per table and set of columns present —
 * is compiled once per connection. A column left out (or undefined) takes its SQL default, as with
 * drizzle (no table written here has a JS-side default).
 */

/** The better-sqlite3 handle under a drizzle database or transaction (both keep their session's client). */
export function clientOf(conn: unknown): Database.Database | null {
  const client = (conn as { session?: { client?: Database.Database } }).session?.client;
  return client && typeof client.prepare === 'function' ? client : null;
}

interface TableInfo {
  name: string;
  columns: Record<string, Column>;
  sql: Map<string, { text: string; keys: string[] }>;
}
const tables = new WeakMap<SQLiteTable, TableInfo>();

function infoOf(table: SQLiteTable): TableInfo {
  let info = tables.get(table);
  if (!info) tables.set(table, (info = { name: getTableName(table), columns: getTableColumns(table) as Record<string, Column>, sql: new Map() }));
  return info;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface FastInsertOptions {
  /** e.g. `ON CONFLICT ("idempotency_key") DO NOTHING` */
  onConflict?: string;
  /** e.g. `id`: the statement returns that column of the inserted row. */
  returning?: string;
}

function statementFor(client: Database.Database, info: TableInfo, row: Record<string, unknown>, opts: FastInsertOptions): { stmt: Database.Statement; keys: string[] } {
  const present = Object.keys(row).filter((k) => row[k] !== undefined && info.columns[k] !== undefined);
  const cacheKey = `${present.join(',')}|${opts.onConflict ?? ''}|${opts.returning ?? ''}`;
  let entry = info.sql.get(cacheKey);
  if (!entry) {
    const cols = present.map((k) => quote(info.columns[k]!.name));
    const text =
      `INSERT INTO ${quote(info.name)} (${cols.join(', ')}) VALUES (${present.map(() => '?').join(', ')})` +
      (opts.onConflict ? ` ${opts.onConflict}` : '') +
      (opts.returning ? ` RETURNING ${quote(opts.returning)}` : '');
    entry = { text, keys: present };
    info.sql.set(cacheKey, entry);
  }
  return { stmt: client.prepare(entry.text), keys: entry.keys };
}

function params(info: TableInfo, keys: string[], row: Record<string, unknown>): unknown[] {
  return keys.map((k) => {
    const v = row[k];
    return v === null ? null : info.columns[k]!.mapToDriverValue(v);
  });
}

/**
 * Inserts rows one statement each (cached), in order. Falls back to drizzle's builder when `conn` has no
 * better-sqlite3 client underneath. Returns the `returning` column of each inserted row (conflicts skipped).
 */
export function insertRows(conn: unknown, table: SQLiteTable, rows: readonly Record<string, unknown>[], opts: FastInsertOptions = {}): unknown[] {
  const client = clientOf(conn);
  if (!client) throw new Error('insertRows: not a better-sqlite3 connection');
  const info = infoOf(table);
  const out: unknown[] = [];
  for (const row of rows) {
    const { stmt, keys } = statementFor(client, info, row, opts);
    const p = params(info, keys, row);
    if (opts.returning) {
      const r = stmt.get(...p) as Record<string, unknown> | undefined;
      if (r) out.push(r[opts.returning]);
    } else stmt.run(...p);
  }
  return out;
}
