import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/scheduler/index.js';
import { WATCH_DUE_SQL, thresholdsOf } from '../../../src/scheduler/watch.js';
import { makeWorld, msk, type World } from './env.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.database.close()));

/** The watch's plan: due windows under an index, planned once, kept across restarts. */
describe('the deadline watch plan', () => {
  it('reads due windows through watch_plan_next_idx (no SCAN of cases or deadlines)', () => {
    const w = makeWorld('akhty-2021', '2026-10-05T10:00');
    worlds.push(w);
    const plan = (w.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${WATCH_DUE_SQL}`).all(1) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toContain('watch_plan_next_idx');
    expect(plan).not.toMatch(/\bSCAN (p|d|c|cases|deadlines|watch_plan)\b/);
  });

  it('plans each open window at its first point, persists the plan for a new scheduler, and re-plans a changed case', async () => {
    const w = makeWorld('kanash-2020', '2026-10-05T10:00');
    worlds.push(w);
    const id = w.register({ topic: 'Дороги' });
    const rows = () =>
      w.database.sqlite.prepare('SELECT case_id AS caseId, deadline_seq AS seq, due_at AS dueAt, next_at AS nextAt FROM watch_plan ORDER BY deadline_seq').all() as {
        caseId: number;
        seq: number;
        dueAt: number;
        nextAt: number;
      }[];
    await createScheduler(w.app).tick();
    const open = w.load(id).deadlines.filter((d) => d.status === 'open');
    expect(rows().map((r) => `${r.caseId}:${r.seq}:${r.dueAt}`)).toEqual(open.map((d) => `${id}:${d.seq}:${d.dueAt}`));
    for (const r of rows()) {
      const d = open.find((x) => x.seq === r.seq)!;
      expect(r.nextAt).toBe(Math.min(...thresholdsOf(w.app, d, [0.5]).map((t) => t.at)));
    }
    // A second scheduler (a restart) finds the plan as it was: nothing re-planned.
    const before = JSON.stringify(rows());
    await createScheduler(w.app).tick();
    expect(JSON.stringify(rows())).toBe(before);
    // A command changes the case's deadlines: its windows are re-planned at the next tick.
    w.at('2026-10-05T11:00');
    w.run(id, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
    await createScheduler(w.app).tick();
    const now = w.load(id).deadlines.filter((d) => d.status === 'open');
    expect(rows().map((r) => `${r.seq}:${r.dueAt}`)).toEqual(now.map((d) => `${d.seq}:${d.dueAt}`));
    expect(msk('2026-10-05T11:00').toMillis()).toBeLessThan(Math.min(...rows().map((r) => r.nextAt)));
  });
});
