import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { deadlinesOf } from '../../../src/db/repositories/work-lists.js';
import { loadReportRecords } from '../../../src/db/repositories/report-records.js';
import { periodOf } from '../../../src/reports/index.js';
import { makeWorld, ZONE, type World } from '../scheduler/env.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.database.close()));

/** The statements `fn` prepares on the handle, each with its EXPLAIN QUERY PLAN. */
function plansOf(sqlite: Database.Database, fn: () => void): { sql: string; plan: string }[] {
  const seen: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  (sqlite as { prepare: unknown }).prepare = (text: string) => {
    seen.push(text);
    return prepare(text);
  };
  try {
    fn();
  } finally {
    (sqlite as { prepare: unknown }).prepare = prepare;
  }
  return seen
    .filter((s) => /^\s*(SELECT|INSERT|WITH)/i.test(s))
    .map((s) => ({ sql: s, plan: (prepare(`EXPLAIN QUERY PLAN ${s}`).all(...(s.match(/\?/g) ?? []).map(() => 1)) as { detail: string }[]).map((r) => r.detail).join(' | ') }));
}

// A new comment writes no entry into indexes no query reads: messages.detected_at and audit_events.at
// have none, and deadlines_staff_idx holds only deadlines that name a person. These reads must still
// find their rows through an index.
describe('the indexes a new comment writes', () => {
  it('the work list finds both the deadline naming the executor and his role’s unnamed ones, through deadlines_due_idx', () => {
    const w = makeWorld('kanash-2020', '2026-10-05T10:00');
    worlds.push(w);
    const named = w.register({ topic: 'Дороги' });
    w.run(named, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
    const unnamed = w.register({});
    // The assignment names the executor on the case's deadlines: they are the partial index's entries.
    expect((w.database.sqlite.prepare('SELECT count(*) AS n FROM deadlines WHERE staff_id IS NOT NULL').get() as { n: number }).n).toBeGreaterThan(0);
    expect((w.database.sqlite.prepare('SELECT count(*) AS n FROM deadlines WHERE case_id = ? AND staff_id IS NULL').get(unnamed) as { n: number }).n).toBeGreaterThan(0);
    const executor = w.actor(105);
    let mine: number[] = [];
    const plans = plansOf(w.database.sqlite, () => {
      mine = deadlinesOf(w.database.db, { id: executor.staffId!, roles: [...executor.roles], departmentId: executor.departmentId }).map((d) => d.caseId);
    });
    expect(mine).toContain(named);
    // The new case's deadlines name no one: found by the executor's role (staff_id IS NULL, outside the partial index).
    expect(mine).toContain(unnamed);
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) {
      expect(p.plan, p.sql).toContain('deadlines_due_idx');
      expect(p.plan, p.sql).not.toMatch(/\bSCAN deadlines\b/);
    }
  });

  it('the monthly records read audit events of a period through audit_events_type_at_idx, never by scanning', () => {
    const w = makeWorld('kanash-2020', '2026-10-05T10:00');
    worlds.push(w);
    w.register({ topic: 'Дороги' });
    const plans = plansOf(w.database.sqlite, () => {
      loadReportRecords(w.database.sqlite, periodOf('2026-10', ZONE), periodOf('2026-09', ZONE));
    });
    const audit = plans.filter((p) => /FROM audit_events/i.test(p.sql));
    expect(audit.length).toBeGreaterThan(0);
    for (const p of plans) expect(p.plan, p.sql).not.toMatch(/\bSCAN (audit_events|e|messages|m)\b/);
    expect(audit.map((p) => p.plan).join('\n')).toContain('audit_events_type_at_idx');
  });
});
