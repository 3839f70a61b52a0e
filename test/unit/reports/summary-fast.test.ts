import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { SYSTEM_ACTOR, type Actor } from '../../../src/domain/workflow/index.js';
import { departmentConcerned } from '../../../src/db/repositories/summary-figures.js';
import { buildMonthlyReport, monthlyReportFromRecords, reportSettings, type MonthlyReport } from '../../../src/reports/index.js';
import { makeWorld, msk, type World } from '../scheduler/env.js';

/**
 * The summary as delivered (index ranges over each case's summary facts, kept by `saveCase`) against the
 * reference computation over every record of the two months, on a generated October–November driven
 * through the workflow's own storage: reassignments after a return, rejections, repeats, intermediate
 * answers after a rework, answers on time and late (across the month boundary), cases left open.
 */

const ASOF = '2026-12-01T09:00';
let w: World;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(world: World, seed: number, count: number): Record<string, number> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const admin = world.actor(101);
  const heads: Record<string, Actor> = { roads: world.actor(104), zhkh: world.actor(108) };
  const executors: Record<string, Actor[]> = { roads: [world.actor(105), world.actor(106)], zhkh: [world.actor(107)] };
  const tally: Record<string, number> = {};
  const start = msk('2026-10-05T08:00').toMillis();
  const span = msk('2026-11-29T20:00').toMillis() - start;
  const times = Array.from({ length: count }, () => start + Math.floor(r() * span)).sort((a, b) => a - b);
  const ids: number[] = [];
  for (const t0 of times) {
    let t = t0;
    const setClock = () => world.clock.set(DateTime.fromMillis(Math.round(t / 60_000) * 60_000));
    const step = (minutes: number) => {
      t += minutes * 60_000;
      setClock();
    };
    setClock();
    const id = world.register({ topic: pick(['Дороги', 'Свет', undefined] as const), location: pick(['Центр', undefined] as const), kind: pick(['vk_comment', 'vk_message'] as const) });
    const scenario = pick(['answered', 'answered', 'returned', 'rejected', 'repeat', 'open', 'unrouted', 'intermediate'] as const);
    tally[scenario] = (tally[scenario] ?? 0) + 1;
    if (scenario === 'rejected') {
      step(5 + r() * 60);
      world.run(id, { type: 'reject', actor: admin, reasonId: 'obscene_or_offensive' });
      ids.push(id);
      continue;
    }
    if (scenario === 'unrouted') {
      ids.push(id);
      continue;
    }
    const repeat = scenario === 'repeat' && ids.length > 0;
    if (repeat) {
      step(2);
      world.run(id, { type: 'markRepeat', actor: admin, repeatOf: pick(ids) });
    }
    let dept = pick(['roads', 'zhkh'] as const);
    let ex = pick(executors[dept]!);
    step(5 + r() * 120);
    world.run(id, { type: 'assign', actor: admin, assignments: [{ departmentId: dept, executorId: ex.staffId }] });
    if (scenario === 'returned') {
      step(1 + r() * 3); // within the return window (К9)
      world.run(id, { type: 'returnCase', actor: ex, reason: 'не наша компетенция' });
      if (r() < 0.3) {
        // Left with the administrator: the case counts for the department that returned it.
        ids.push(id);
        continue;
      }
      dept = dept === 'roads' ? 'zhkh' : 'roads';
      ex = pick(executors[dept]!);
      step(5 + r() * 60);
      world.run(id, { type: 'reassign', actor: admin, departmentId: dept, executorId: ex.staffId });
    }
    step(5 + r() * 30);
    world.run(id, { type: 'accept', actor: ex });
    ids.push(id);
    if (scenario === 'open' || (scenario === 'returned' && r() < 0.4)) continue;
    // From minutes to a few days (some answers late, some across the month boundary).
    const answer = (kind: 'final' | 'intermediate', rework: boolean) => {
      step(r() < 0.3 ? 600 + r() * 4000 : 20 + r() * 300);
      const extra = kind === 'intermediate' ? { promisedBy: t + 3 * 86_400_000 } : repeat ? { measures: 'Приняты меры' } : {};
      world.run(id, { type: 'submitDraft', actor: ex, text: 'Ответ', kind, ...extra } as never);
      step(5 + r() * 30);
      world.run(id, { type: 'approveAtDepartment', actor: heads[dept]! });
      if (rework) {
        step(5);
        world.run(id, { type: 'sendToRework', actor: admin, comment: 'Уточните' });
        step(10 + r() * 60);
        // Reworked at the administrator's request: it goes back to him, not through the department head.
        world.run(id, { type: 'submitDraft', actor: ex, text: 'Ответ уточнён', kind, ...extra } as never);
      }
      step(5 + r() * 30);
      world.run(id, { type: 'approve', actor: admin });
      step(5 + r() * 20);
      world.run(id, { type: 'publish', actor: ex });
      step(2 + r() * 10);
      world.run(id, { type: 'recordPublication', actor: SYSTEM_ACTOR });
    };
    if (scenario === 'intermediate') answer('intermediate', r() < 0.5);
    answer('final', r() < 0.2);
  }
  return tally;
}

function reports(world: World): { fast: MonthlyReport; reference: MonthlyReport }[] {
  const asOf = msk(ASOF).toMillis();
  const src = { ...reportSettings(world.app), workingTime: world.app.workingTime, db: world.app.db, sqlite: world.database.sqlite };
  return ['2026-10', '2026-11'].map((month) => ({ fast: buildMonthlyReport(world.app, month, asOf), reference: monthlyReportFromRecords(src, month, asOf) }));
}

describe('monthly summary by index ranges', () => {
  let tally: Record<string, number>;
  beforeAll(() => {
    w = makeWorld('kanash-2020', '2026-10-05T08:00');
    tally = generate(w, 20261130, 160);
  });
  afterAll(() => w?.database.close());

  it('equals the reference computation over every record, month by month', () => {
    // The generated data has every kind of flow the fast figures take apart.
    for (const k of ['answered', 'returned', 'rejected', 'repeat', 'open', 'unrouted', 'intermediate']) expect(tally[k], k).toBeGreaterThan(0);
    for (const { fast, reference } of reports(w)) {
      expect(fast).toEqual(reference);
      const t = fast.totals;
      // Not an empty month: the figures compared are the ones that can differ.
      expect(t.received).toBeGreaterThan(30);
      expect(t.answered).toBeGreaterThan(10);
      expect(t.returns + t.reworks + t.intermediate + t.repeats).toBeGreaterThan(3);
      expect(t.overdue).toBeGreaterThan(0);
      expect(fast.departments.find((d) => d.departmentId === null)?.received).toBeGreaterThan(0);
    }
  });

  it('a department no longer active keeps its row while a case of the months is with it, and only then', () => {
    w.database.sqlite.exec("UPDATE departments SET active = 0 WHERE id IN ('zhkh', 'culture')");
    try {
      for (const { fast, reference } of reports(w)) {
        expect(fast).toEqual(reference);
        const ids = fast.departments.map((d) => d.departmentId);
        expect(ids).toContain('zhkh');
        expect(ids).not.toContain('culture');
      }
      // The check for a department none of whose figures was read (here: any case of it concerns the months).
      const [from, to] = [msk('2026-10-01T00:00').toMillis(), msk('2026-12-01T00:00').toMillis()];
      expect(departmentConcerned(w.database.sqlite, 'zhkh', from, to)).toBe(true);
      expect(departmentConcerned(w.database.sqlite, 'culture', from, to)).toBe(false);
      expect(departmentConcerned(w.database.sqlite, 'zhkh', msk('2025-01-01T00:00').toMillis(), msk('2025-03-01T00:00').toMillis())).toBe(false);
    } finally {
      w.database.sqlite.exec("UPDATE departments SET active = 1 WHERE id IN ('zhkh', 'culture')");
    }
  });

  it('the migration backfills the facts of rows written before it (same figures)', () => {
    const before = reports(w).map((r) => r.fast);
    w.database.sqlite.exec('UPDATE cases SET summary_department_id = NULL, first_response_at = NULL, final_answer_at = NULL; UPDATE deadlines SET case_department_id = NULL');
    // Without the facts the fast figures lose every department and answer time…
    expect(reports(w)[1]!.fast.totals.avgFirstResponse).toBeNull();
    const migration = readFileSync(new URL('../../../migrations/0013_summary_facts.sql', import.meta.url), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').filter((s) => s.trim().startsWith('UPDATE'));
    expect(backfill).toHaveLength(2);
    w.database.sqlite.exec(backfill.join('\n'));
    // …and the migration's backfill restores them exactly.
    expect(reports(w).map((r) => r.fast)).toEqual(before);
  });
});

describe('monthly summary: open deadlines due on the same minute', () => {
  let same: World;
  beforeAll(() => {
    same = makeWorld('kanash-2020', '2026-11-10T10:00');
    // Five cases registered on the same minute and left as they are: their open deadlines are alike in
    // all the summary reads, so the fast loader counts them as one group of five.
    for (let i = 0; i < 5; i++) same.register({ topic: 'Дороги' });
    same.clock.set(msk('2026-11-12T14:30'));
    for (let i = 0; i < 2; i++) same.register({ topic: 'Свет' });
    // Three more detected on one instant and answered in step, each step on the same instant for all:
    // one final answer time, three cases.
    same.clock.set(msk('2026-11-16T10:00'));
    const answered = [0, 1, 2].map(() => same.register({ topic: 'Дороги' }));
    const [admin, ex, head] = [same.actor(101), same.actor(105), same.actor(104)];
    const steps = [
      { type: 'assign', actor: admin, assignments: [{ departmentId: 'roads', executorId: ex.staffId }] },
      { type: 'accept', actor: ex },
      { type: 'submitDraft', actor: ex, text: 'Ответ', kind: 'final' },
      { type: 'approveAtDepartment', actor: head },
      { type: 'approve', actor: admin },
      { type: 'publish', actor: ex },
      { type: 'recordPublication', actor: SYSTEM_ACTOR },
    ];
    steps.forEach((command, k) => {
      same.clock.set(msk('2026-11-16T10:00').plus({ minutes: 30 * (k + 1) }));
      for (const id of answered) same.run(id, command as never);
    });
  });
  afterAll(() => same?.database.close());

  it('counts each of them: overdue, violations and their minutes equal the reference', () => {
    const [, nov] = reports(same);
    expect(nov!.fast).toEqual(nov!.reference);
    expect(nov!.fast.totals.overdue).toBe(7);
    // The answer deadline (К10) of each, all with the unassigned executor.
    expect(nov!.fast.violations.map((v) => [v.count, v.clauses])).toEqual([[7, 'К10 ×7']]);
  });

  it('counts each of the final answers given on the same instant', () => {
    const [, nov] = reports(same);
    expect(nov!.fast).toEqual(nov!.reference);
    const roads = nov!.fast.departments.find((d) => d.departmentId === 'roads')!;
    expect(roads.answered).toBe(3);
    // One answer time, three times: the average is the median, and the reference above agrees.
    expect(roads.avgFinalAnswer).toBeGreaterThan(0);
    expect(roads.medianFinalAnswer).toBe(roads.avgFinalAnswer);
  });
});
