import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { SYSTEM_ACTOR, type Actor } from '../../../src/domain/workflow/index.js';
import { buildMonthlyReport, reportWorkbook, type MonthlyReport } from '../../../src/reports/index.js';
import { makeWorld, msk, type World } from '../scheduler/env.js';

/**
 * The monthly summary (К22) of a hand-built November 2026, every case driven through the workflow's
 * own storage (ingestMessage + executeCommand) and read back by the report loader from the database.
 *
 * Calendar (RU-CU, default schedule 09:00–18:00, lunch 13:00–14:00 = 480 working minutes a day):
 * Fri 30 Oct; Sat/Sun 31 Oct–1 Nov off; Tue 3 Nov SHORTENED (ends 17:00, ТК ст.95); Wed 4 Nov HOLIDAY
 * (День народного единства). К10: answer within 8 working hours of detection; К11: draft to the
 * curator 3 working hours before that (met when the department head passes it on); К12 approval
 * 1 h; К13 rework 1 h; К14 publish 30 min. Report taken at asOf = Tue 1 Dec 2026 09:00.
 *
 * Departments: roads (executors И. = 105 and Второй = 106), zhkh (executor 107), culture — nothing.
 */

let w: World;
let nov: MonthlyReport;
let oct: MonthlyReport;

beforeAll(() => {
  w = makeWorld('kanash-2020', '2026-10-30T15:00');
  const admin = w.actor(101);
  const roadsHead = w.actor(104);
  const e1 = w.actor(105);
  const e2 = w.actor(106);
  const e3 = w.actor(107);
  const assign = (id: number, dept: string, ex: Actor, at: string) => {
    w.at(at);
    w.run(id, { type: 'assign', actor: admin, assignments: [{ departmentId: dept, executorId: ex.staffId }] });
  };
  const accept = (id: number, ex: Actor, at: string) => {
    w.at(at);
    w.run(id, { type: 'accept', actor: ex });
  };
  /** submit → department head → curator approves → executor publishes → publication recorded. */
  const answer = (id: number, ex: Actor, [submit, dept, approve, publish, record]: string[], extra: Record<string, unknown> = {}) => {
    w.at(submit!);
    w.run(id, { type: 'submitDraft', actor: ex, text: 'Ответ', ...extra } as never);
    w.at(dept!);
    w.run(id, { type: 'approveAtDepartment', actor: roadsHead });
    w.at(approve!);
    w.run(id, { type: 'approve', actor: admin });
    w.at(publish!);
    w.run(id, { type: 'publish', actor: ex });
    w.at(record!);
    w.run(id, { type: 'recordPublication', actor: SYSTEM_ACTOR, externalId: `vk-${id}` });
  };

  // Case 1 — crosses the month boundary: detected Fri 30 Oct 15:00 (October), answered Mon 2 Nov 10:35.
  // К10 due: Fri 15–18 (3 h) + Mon 9–13 (4 h) + 14–15 (1 h) = Mon 2 Nov 15:00. К11 due 3 h earlier: 14–15, 11–13 → 11:00.
  const c1 = w.register({ topic: 'Дороги' });
  assign(c1, 'roads', e1, '2026-10-30T15:05');
  accept(c1, e1, '2026-10-30T15:10');
  answer(c1, e1, ['2026-11-02T10:00', '2026-11-02T10:10', '2026-11-02T10:20', '2026-11-02T10:30', '2026-11-02T10:35']);

  // Case 2 — over the holiday, answered late by executor 106: detected Tue 3 Nov 15:00 (short day).
  // К10 due: 3 Nov 15–17 (2 h), 4 Nov holiday, 5 Nov 9–13 (4 h) + 14–16 (2 h) = Thu 5 Nov 16:00.
  // К11 due: 3 h before → 14–16 (2 h) + 12–13 (1 h) = 5 Nov 12:00. Draft reaches the curator at 17:05.
  w.at('2026-11-03T15:00');
  const c2 = w.register({ topic: 'Дороги', kind: 'vk_message' });
  assign(c2, 'roads', e2, '2026-11-03T15:05');
  accept(c2, e2, '2026-11-03T15:10');
  answer(c2, e2, ['2026-11-05T17:00', '2026-11-05T17:05', '2026-11-05T17:10', '2026-11-05T17:15', '2026-11-05T17:20']);

  // Case 3 — an intermediate answer after a rework, then the final one: detected Mon 9 Nov 10:00,
  // К10 due Tue 10 Nov 10:00; intermediate published 9 Nov 11:50, final 12 Nov 10:20.
  w.at('2026-11-09T10:00');
  const c3 = w.register({ topic: 'Дороги' });
  assign(c3, 'roads', e1, '2026-11-09T10:05');
  accept(c3, e1, '2026-11-09T10:10');
  w.at('2026-11-09T11:00');
  w.run(c3, { type: 'submitDraft', actor: e1, kind: 'intermediate', text: 'Ответим до 12.11', promisedBy: msk('2026-11-12T18:00').toMillis() });
  w.at('2026-11-09T11:05');
  w.run(c3, { type: 'approveAtDepartment', actor: roadsHead });
  w.at('2026-11-09T11:10');
  w.run(c3, { type: 'sendToRework', actor: admin, comment: 'Уточните срок' });
  w.at('2026-11-09T11:30');
  w.run(c3, { type: 'submitDraft', actor: e1, kind: 'intermediate', text: 'Ответим до 12.11 включительно' });
  w.at('2026-11-09T11:40');
  w.run(c3, { type: 'approve', actor: admin });
  w.at('2026-11-09T11:45');
  w.run(c3, { type: 'publish', actor: e1 });
  w.at('2026-11-09T11:50');
  w.run(c3, { type: 'recordPublication', actor: SYSTEM_ACTOR });
  answer(c3, e1, ['2026-11-12T10:00', '2026-11-12T10:05', '2026-11-12T10:10', '2026-11-12T10:15', '2026-11-12T10:20'], { kind: 'final' });

  // Case 4 — a return (routing error by zhkh), reassigned to roads, then never answered:
  // detected Tue 10 Nov 10:00, К10 due Wed 11 Nov 10:00, К11 due 3 h before = Tue 10 Nov 16:00 (16–18, 9–10).
  w.at('2026-11-10T10:00');
  const c4 = w.register({ topic: 'Свет' });
  assign(c4, 'zhkh', e3, '2026-11-10T10:05');
  w.at('2026-11-10T10:10');
  w.run(c4, { type: 'returnCase', actor: e3, reason: 'не наша компетенция' });
  w.at('2026-11-10T10:15');
  w.run(c4, { type: 'reassign', actor: admin, departmentId: 'roads', executorId: e1.staffId });
  accept(c4, e1, '2026-11-10T10:20');

  // Case 5 — a repeat of case 1, answered in 90 minutes with the measures taken (К17).
  w.at('2026-11-11T11:00');
  const c5 = w.register({ topic: 'Дороги' });
  w.run(c5, { type: 'markRepeat', actor: admin, repeatOf: c1 });
  assign(c5, 'roads', e1, '2026-11-11T11:05');
  accept(c5, e1, '2026-11-11T11:10');
  answer(c5, e1, ['2026-11-11T12:00', '2026-11-11T12:05', '2026-11-11T12:10', '2026-11-11T12:20', '2026-11-11T12:30'], { measures: 'Яму заделали 02.11' });

  // Case 6 — rejected (К19) before any department saw it: the «Не распределено» row.
  w.at('2026-11-12T09:30');
  const c6 = w.register();
  w.at('2026-11-12T09:40');
  w.run(c6, { type: 'reject', actor: admin, reasonId: 'obscene_or_offensive' });

  const asOf = msk('2026-12-01T09:00').toMillis();
  nov = buildMonthlyReport(w.app, '2026-11', asOf);
  oct = buildMonthlyReport(w.app, '2026-10', asOf);
});
afterAll(() => w?.database.close());

const dept = (r: MonthlyReport, id: string | null) => r.departments.find((d) => d.departmentId === id)!;

describe('monthly summary of a hand-built November 2026 (К22, from the database)', () => {
  it('the deadlines the workflow stored are the ones the arithmetic below assumes', () => {
    const due = (id: number, kind: string) => w.load(id).deadlines.find((d) => d.kind === kind)!.dueAt;
    expect(due(1, 'answer')).toBe(msk('2026-11-02T15:00').toMillis());
    expect(due(2, 'answer')).toBe(msk('2026-11-05T16:00').toMillis()); // holiday skipped, short day counted 2 h
    expect(due(2, 'draft_submission')).toBe(msk('2026-11-05T12:00').toMillis());
    expect(due(4, 'answer')).toBe(msk('2026-11-11T10:00').toMillis());
    expect(due(4, 'draft_submission')).toBe(msk('2026-11-10T16:00').toMillis());
  });

  it('roads: received, answered, on time, overdue, times to answer', () => {
    const roads = dept(nov, 'roads');
    // received in November: cases 2, 3, 4 (routed to roads after zhkh returned it), 5 → 4. Case 1 is October's.
    expect(roads.received).toBe(4);
    // answer deadlines met in November: 1 (10:35 ≤ 15:00), 2 (17:20 > 16:00: late), 3 (at the
    // intermediate answer 9 Nov 11:50 ≤ 10 Nov 10:00), 5 (12:30 ≤ 12 Nov 11:00) → 4 answered, 3 on time = 75 %.
    expect([roads.answered, roads.answeredOnTime, roads.onTimePct]).toEqual([4, 3, 75]);
    // answer deadlines due in November and missed at 1 Dec: case 2 (met late), case 4 (still open) → 2.
    expect(roads.overdue).toBe(2);
    // First response, working minutes from detection:
    //   case 1: 30 Oct 15:00–18:00 = 180 + 2 Nov 09:00–10:35 = 95 → 275 (spans the month boundary)
    //   case 2: 3 Nov 15:00–17:00 = 120 (short day) + 4 Nov 0 (holiday) + 5 Nov 9–13 = 240 + 14:00–17:20 = 200 → 560
    //   case 3: 9 Nov 10:00–11:50 → 110 (the intermediate answer)
    //   case 5: 11 Nov 11:00–12:30 → 90
    // average (275 + 560 + 110 + 90) / 4 = 1035 / 4 = 258.75 → 259; median of 90, 110, 275, 560 = (110 + 275) / 2 = 192.5 → 193
    expect([roads.avgFirstResponse, roads.medianFirstResponse]).toEqual([259, 193]);
    // Final answer: cases 1 (275), 2 (560), 5 (90) as above; case 3 final 12 Nov 10:20:
    //   9 Nov 10–13 = 180 + 14–18 = 240, 10 Nov 480, 11 Nov 480, 12 Nov 09:00–10:20 = 80 → 1460
    // average (275 + 560 + 1460 + 90) / 4 = 2385 / 4 = 596.25 → 596; median of 90, 275, 560, 1460 = (275 + 560) / 2 = 417.5 → 418
    expect([roads.avgFinalAnswer, roads.medianFinalAnswer]).toEqual([596, 418]);
    // intermediate answers: case 3 (1); reworks: case 3 sent back once (1); repeats: case 5 (1); returns charged to zhkh.
    expect([roads.intermediate, roads.reworks, roads.repeats, roads.returns]).toEqual([1, 1, 1, 0]);
  });

  it('zhkh is charged with the return; culture has a row with nothing; the rejected case is unrouted', () => {
    expect(dept(nov, 'zhkh')).toMatchObject({ received: 0, answered: 0, returns: 1, overdue: 0 });
    expect(dept(nov, 'culture')).toMatchObject({
      received: 0,
      answered: 0,
      answeredOnTime: 0,
      onTimePct: null,
      overdue: 0,
      avgFirstResponse: null,
      medianFinalAnswer: null,
      intermediate: 0,
      reworks: 0,
      returns: 0,
      repeats: 0,
    });
    // case 6: received, its answer deadline cancelled at rejection (9:40 < due): neither answered nor overdue.
    expect(dept(nov, null)).toMatchObject({ name: 'Не распределено', received: 1, answered: 0, overdue: 0 });
    // totals: 4 + 1 received, 4 answered (3 on time), 2 overdue, 1 return.
    expect(nov.totals).toMatchObject({ received: 5, answered: 4, answeredOnTime: 3, onTimePct: 75, overdue: 2, returns: 1 });
    expect(nov.headline).toEqual({ received: 5, answered: 4, onTimePct: 75, overdue: 2, avgFirstResponse: 259, avgFinalAnswer: 596 });
  });

  it('October holds case 1 as received and nothing answered; November compares against it', () => {
    // case 1 detected 30 Oct: received in October; its answer (2 Nov) and its due (2 Nov) belong to November.
    expect(dept(oct, 'roads')).toMatchObject({ received: 1, answered: 0, overdue: 0, avgFirstResponse: null });
    expect(nov.previousHeadline).toMatchObject({ received: 1, answered: 0, onTimePct: null });
    // dynamics by topic: Дороги 3 (cases 2, 3, 5) vs 1 (case 1) → +2, +200 %; Свет 1 (case 4) vs 0; unset 1 (case 6).
    const topic = nov.dynamics.filter((r) => r.dimension === 'topic');
    expect(topic).toEqual([
      { dimension: 'topic', value: 'Дороги', current: 3, previous: 1, delta: 2, deltaPct: 200 },
      { dimension: 'topic', value: '', current: 1, previous: 0, delta: 1, deltaPct: null },
      { dimension: 'topic', value: 'Свет', current: 1, previous: 0, delta: 1, deltaPct: null },
    ]);
    // by source: VK comments 4 (cases 3, 4, 5, 6) vs 1; VK messages 1 (case 2) vs 0.
    expect(nov.dynamics.filter((r) => r.dimension === 'source').map((r) => [r.value, r.current, r.previous])).toEqual([
      ['vk_comment', 4, 1],
      ['vk_message', 1, 0],
    ]);
  });

  it('violations by person, with the working minutes late', () => {
    // Исполнитель И. (105), case 4, both still open at asOf 1 Dec 09:00:
    //   К10 due 11 Nov 10:00: 11 Nov 10–13 = 180 + 14–18 = 240 → 420; then 12, 13, 16–20, 23–27, 30 Nov
    //   = 13 full days × 480 = 6240; 1 Dec 09:00 → 0. Total 6660.
    //   К11 due 10 Nov 16:00: 10 Nov 16–18 = 120, 11 Nov 480, + 6240 → 6840.   6660 + 6840 = 13500.
    // Исполнитель Второй (106), case 2:
    //   К11 due 5 Nov 12:00, met 17:05 (the department head passed it on): 12–13 = 60 + 14:00–17:05 = 185 → 245
    //   К10 due 5 Nov 16:00, met 17:20 → 80.   245 + 80 = 325.
    // Nobody else: every approval (К12), rework (К13), publish (К14) and the reassignment (К9) was in time.
    expect(nov.violations).toEqual([
      { staffId: w.staffId(105), name: 'Исполнитель И.', departmentId: 'roads', count: 2, overdueMinutes: 13500, clauses: 'К10, К11' },
      { staffId: w.staffId(106), name: 'Исполнитель Второй', departmentId: 'roads', count: 2, overdueMinutes: 325, clauses: 'К10, К11' },
    ]);
  });

  it('the workbook carries the same figures', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(nov, (k, v) => w.app.t('ru', k, v), 'ru')) as unknown as ArrayBuffer);
    const rows = wb.getWorksheet('Подразделения')!;
    // Durations are [h]:mm cells (fractions of a day), which ExcelJS reads back as dates: back to minutes.
    const minutes = (v: unknown) => (v instanceof Date ? Math.round((v.getTime() - Date.UTC(1899, 11, 30)) / 60_000) : v);
    const values = (n: number) => (rows.getRow(n).values as unknown[]).slice(1).map(minutes);
    // name, received, answered, on time, %, overdue, avg/median first, avg/median final, intermediate, reworks, returns, repeats
    expect(values(2)).toEqual(['Дорожное хозяйство', 4, 3 + 1, 3, 75, 2, 259, 193, 596, 418, 1, 1, 0, 1]);
    expect(values(3).slice(0, 2)).toEqual(['Отдел культуры', 0]);
    expect((wb.getWorksheet('Нарушения')!.getRow(2).values as unknown[]).slice(1).map(minutes)).toEqual(['Исполнитель И.', 'Дорожное хозяйство', 2, 13500, 'К10, К11']);
  });
});

describe('the summary in a worker thread', () => {
  it('on its own read-only connection equals the summary built on the calling thread', async () => {
    const { buildMonthlyReportInWorker } = await import('../../../src/reports/thread.js');
    const asOf = msk('2026-12-01T09:00').toMillis();
    const threaded = await buildMonthlyReportInWorker(w.app, '2026-11', asOf);
    expect(threaded).toEqual(nov);
    expect(threaded.departments.length).toBeGreaterThan(1);
    expect(await buildMonthlyReportInWorker(w.app, '2026-10', asOf)).toEqual(oct);
  });
});
