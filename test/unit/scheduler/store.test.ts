import { afterEach, describe, expect, it } from 'vitest';
import { dueDeadlines } from '../../../src/db/repositories/index.js';
import { STORE_SQL, sqliteCaseStore } from '../../../src/db/repositories/deadline-store.js';
import { makeWorld, msk, type World } from './env.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.database.close()));

describe('the scheduler reads the workflow storage through indexes', () => {
  it('the open deadlines it watches are exactly the repositories’ dueDeadlines', () => {
    const w = makeWorld('kanash-2020', '2026-10-05T10:00');
    worlds.push(w);
    for (let i = 0; i < 3; i++) {
      w.at(`2026-10-05T1${i}:00`);
      const id = w.register({ topic: 'Дороги' });
      if (i === 0)
        w.run(id, { type: 'reject', actor: w.actor(101), reasonId: 'obscene_or_offensive' }); // closes its deadlines
      else w.run(id, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
    }
    const store = sqliteCaseStore(w.database.sqlite);
    const until = msk('2026-10-31T00:00').toMillis();
    const watched = store.openDeadlinesDueBefore(until).map((d) => `${d.caseId}:${d.seq}:${d.dueAt}`);
    const stored = dueDeadlines(w.database.db, until).map((d) => `${d.caseId}:${d.seq}:${d.dueAt}`);
    expect(watched.length).toBeGreaterThan(0);
    expect(watched).toEqual(stored);
    expect(watched.some((k) => k.startsWith('1:'))).toBe(false);
  });

  it('every statement of the minute tick searches an index (no SCAN of cases or deadlines)', () => {
    const w = makeWorld('akhty-2021', '2026-10-05T10:00');
    worlds.push(w);
    const plans: Record<string, string> = {};
    for (const [name, sql] of Object.entries(STORE_SQL)) {
      const args = (sql.match(/\?/g) ?? []).map(() => 1);
      plans[name] = (w.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
    }
    for (const [name, plan] of Object.entries(plans)) {
      expect(plan, name).not.toMatch(/\bSCAN (d|c|cases|deadlines)\b/);
    }
    expect(plans.dueSoon).toContain('deadlines_due_idx');
    expect(plans.between).toContain('cases_detected_idx');
  });
});
