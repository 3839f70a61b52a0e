/**
 * drizzle prepared queries built once per connection (drizzle builds a query's SQL in JS on
 * every call — most of what was left of the ingest path's cost). `prepared(conn, key, build)` returns the
 * query `build` made the first time `key` was asked for on that connection; values vary through
 * `sql.placeholder(...)`. Memoized per drizzle session: a transaction (and its savepoints) shares its
 * database's session, hence the same better-sqlite3 handle, so a query prepared on `db` runs inside
 * `db.transaction` as part of that transaction, and one built inside a transaction keeps working after it.
 */
const memo = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(conn: unknown, key: string, build: () => T): T {
  const session = (conn as { session?: object }).session;
  if (!session) return build();
  let byKey = memo.get(session);
  if (!byKey) memo.set(session, (byKey = new Map()));
  let q = byKey.get(key) as T | undefined;
  if (q === undefined) byKey.set(key, (q = build()));
  return q;
}
