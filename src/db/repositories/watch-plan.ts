import type Database from 'better-sqlite3';

/**
 * The deadline watch's plan (table `watch_plan`): hand-tuned statements on the better-sqlite3 handle,
 * prepared once per connection (see docs/performance.md and scheduler/watch.ts).
 */

// CROSS JOIN fixes the order (SQLite never reorders it): the plan's index first, whatever the statistics —
// otherwise an un-ANALYZEd database may walk every open deadline through deadlines_due_idx.
export const WATCH_DUE_SQL = `SELECT d.case_id AS caseId, d.seq AS seq, d.kind AS kind, d.clause AS clause, d.role AS role, d.staff_id AS staffId,
            d.department_id AS departmentId, d.starts_at AS startsAt, d.due_at AS dueAt, c.number AS caseNumber, c.urgent AS urgent
       FROM watch_plan p INDEXED BY watch_plan_next_idx CROSS JOIN deadlines d ON d.case_id = p.case_id AND d.seq = p.deadline_seq
       CROSS JOIN cases c ON c.id = p.case_id
      WHERE p.next_at <= ? AND d.status = 'open'
      ORDER BY d.due_at, d.case_id, d.seq`;

function makePlanStatements(sqlite: Database.Database) {
  return {
    due: sqlite.prepare(WATCH_DUE_SQL),
    setNext: sqlite.prepare('UPDATE watch_plan SET next_at = ? WHERE case_id = ? AND deadline_seq = ?'),
    remove: sqlite.prepare('DELETE FROM watch_plan WHERE case_id = ? AND deadline_seq = ?'),
    insert: sqlite.prepare('INSERT OR REPLACE INTO watch_plan (case_id, deadline_seq, due_at, next_at) VALUES (?, ?, ?, ?)'),
    maxAudit: sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM audit_events'),
    clearChanged: sqlite.prepare('DELETE FROM watch_plan WHERE case_id IN (SELECT case_id FROM audit_events WHERE id > ? AND id <= ?)'),
    openOfChanged: sqlite.prepare(
      `SELECT case_id AS caseId, seq, starts_at AS startsAt, due_at AS dueAt FROM deadlines
        WHERE status = 'open' AND case_id IN (SELECT case_id FROM audit_events WHERE id > ? AND id <= ?)`,
    ),
    clearAll: sqlite.prepare('DELETE FROM watch_plan'),
    openAll: sqlite.prepare(`SELECT case_id AS caseId, seq, starts_at AS startsAt, due_at AS dueAt FROM deadlines WHERE status = 'open'`),
    getKv: sqlite.prepare('SELECT value FROM kv WHERE key = ?'),
    setKv: sqlite.prepare('INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
    years: sqlite.prepare('SELECT year, region, imported_at AS importedAt FROM calendar_years ORDER BY year'),
  };
}
const statements = new WeakMap<Database.Database, ReturnType<typeof makePlanStatements>>();
export function planStatements(sqlite: Database.Database): ReturnType<typeof makePlanStatements> {
  let s = statements.get(sqlite);
  if (!s) statements.set(sqlite, (s = makePlanStatements(sqlite)));
  return s;
}
