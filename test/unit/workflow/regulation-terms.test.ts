import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { liveDeadline, type Deadline, type DeadlineKind } from '../../../src/domain/workflow/index.js';
import { Driver, ZONE, cast, makeCtx, registerCommand, workingTime, type PresetId } from '../../support/workflow-fixtures.js';

/**
 * Every term of both acts, through the workflow engine, with the number written here from the act
 * (not read from the preset): a changed number, role or trigger in a preset fails the clause's test.
 * The clock starts on Monday 3 March 2025 at 10:00 (Moscow, 09:00–18:00, lunch 13:00–14:00).
 */
const iso = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
const minutes = (d: Deadline) => workingTime().workingMinutesBetween(DateTime.fromMillis(d.startsAt), DateTime.fromMillis(d.dueAt));
const open = (d: Driver, kind: DeadlineKind) => {
  const x = liveDeadline(d.s, kind);
  if (!x) throw new Error(`no open ${kind} deadline`);
  return x;
};
const start = (p: PresetId, withCoExecutor = false) => {
  const d = new Driver(makeCtx(p));
  d.do(registerCommand(), 0);
  const assignments = withCoExecutor
    ? [
        { departmentId: 'roads', executorId: 11, responsible: true },
        { departmentId: 'parks', executorId: 21 },
      ]
    : [{ departmentId: 'roads', executorId: 11 }];
  return d.do({ type: 'assign', actor: cast.admin, assignments }, 0);
};
const toApproval = (d: Driver, p: PresetId, kind: 'final' | 'intermediate' = 'final', promisedBy?: number) => {
  d.do({ type: 'accept', actor: cast.roadsExec }, 5).do({ type: 'submitDraft', actor: cast.roadsExec, kind, text: 'Ответ', ...(promisedBy ? { promisedBy } : {}) }, 5);
  if (p === 'kanash-2020') d.do({ type: 'approveAtDepartment', actor: cast.roadsHead }, 0);
  return d;
};

describe('Канаш 2020: every number, role and trigger', () => {
  const P: PresetId = 'kanash-2020';

  it('К9: the executor returns within 30 working minutes of receiving the case; the curator names a new one within 15', () => {
    const d = start(P);
    d.ctx.clock.advance(30 * 60_000);
    expect(d.try({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }).ok).toBe(true);
    d.ctx.clock.advance(60_000);
    d.refused({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }, 'window_closed');
    const e = start(P);
    e.do({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }, 0);
    expect(open(e, 'reassign')).toMatchObject({ role: 'administrator', clause: 'К9' });
    expect(minutes(open(e, 'reassign'))).toBe(15);
  });

  it('К10: answered and published within 8 working hours of detection, by the executor', () => {
    const d = start(P);
    const a = open(d, 'answer');
    expect([iso(a.startsAt), iso(a.dueAt), minutes(a), a.role, a.staffId, a.clause]).toEqual(['2025-03-03T10:00', '2025-03-04T10:00', 480, 'executor', 11, 'К10']);
  });

  it('К11: the draft reaches the curator 3 working hours before the К10 term, agreed with the department head first', () => {
    const d = start(P).do({ type: 'accept', actor: cast.roadsExec }, 0);
    const ds = open(d, 'draft_submission');
    expect([iso(ds.dueAt), workingTime().workingMinutesBetween(DateTime.fromMillis(ds.dueAt), DateTime.fromMillis(open(d, 'answer').dueAt)), ds.role, ds.clause]).toEqual([
      '2025-03-03T16:00',
      180,
      'executor',
      'К11',
    ]);
    d.do({ type: 'submitDraft', actor: cast.roadsExec, text: 'Ответ' }).status('dept_review');
    d.refused({ type: 'approveAtDepartment', actor: cast.parksHead }, 'wrong_department');
    d.do({ type: 'approveAtDepartment', actor: cast.roadsHead }).status('on_approval');
  });

  it('К12: the curator approves or returns within 1 working hour; К13: rework within 1 working hour', () => {
    const d = toApproval(start(P), P);
    expect(open(d, 'approval')).toMatchObject({ role: 'administrator', clause: 'К12' });
    expect(minutes(open(d, 'approval'))).toBe(60);
    d.do({ type: 'sendToRework', actor: cast.admin, comment: 'уточните' }, 0);
    expect(open(d, 'rework')).toMatchObject({ role: 'executor', staffId: 11, clause: 'К13' });
    expect(minutes(open(d, 'rework'))).toBe(60);
  });

  it('К14: the executor publishes within 30 working minutes of approval; the curator cannot', () => {
    const d = toApproval(start(P), P).do({ type: 'approve', actor: cast.admin }, 0);
    expect(open(d, 'publish')).toMatchObject({ role: 'executor', staffId: 11, clause: 'К14' });
    expect(minutes(open(d, 'publish'))).toBe(30);
    d.refused({ type: 'publish', actor: cast.admin }, 'wrong_role');
  });

  it('К15: the final answer within exactly 7 working days of publishing the intermediate one; a later promise is refused', () => {
    const d = start(P);
    const far = DateTime.fromISO('2025-03-20T12:00', { zone: ZONE }).toMillis();
    d.do({ type: 'accept', actor: cast.roadsExec }, 5).refused({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Ответ', promisedBy: far }, 'term_too_long');
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Разбираемся' }, 0).do({ type: 'approveAtDepartment', actor: cast.roadsHead }, 0);
    d.do({ type: 'approve', actor: cast.admin }, 10).do({ type: 'publish', actor: cast.roadsExec }, 0).do({ type: 'recordPublication', actor: cast.system }, 0);
    const f = open(d, 'final_answer');
    // Published on Monday 3 March at 10:15; 7 working days: 4, 5, 6, 7, 10, 11, 12 March.
    expect([iso(f.startsAt), iso(f.dueAt), f.clause, f.role, f.staffId]).toEqual(['2025-03-03T10:15', '2025-03-12T10:15', 'К15', 'executor', 11]);
  });

  it('К16: each co-executor sends his part within 2 working hours of receipt', () => {
    const d = start(P, true);
    const part = open(d, 'co_executor_part');
    expect([part.role, part.staffId, part.clause, minutes(part)]).toEqual(['executor', 21, 'К16', 120]);
  });

  it('К17: only the final answer to a repeat needs the measures; an intermediate one does not', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand(2))
      .do({ type: 'markRepeat', actor: cast.admin, repeatOf: 1 })
      .do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] });
    d.do({ type: 'accept', actor: cast.roadsExec }).refused({ type: 'submitDraft', actor: cast.roadsExec, text: 'Ответ' }, 'measures_required');
    expect(d.try({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Разбираемся' }).ok).toBe(true);
  });
});

describe('Ахты 2021: every number, role and trigger', () => {
  const P: PresetId = 'akhty-2021';

  it('А7.1: the administrator routes within 30 working minutes of detection', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand(), 0);
    const r = open(d, 'route');
    expect([r.role, r.clause, minutes(r), iso(r.dueAt)]).toEqual(['administrator', 'А7.1', 30, '2025-03-03T10:30']);
  });

  it('А7.2: the executor returns within 30 working minutes; no reassignment window (the act sets none)', () => {
    const d = start(P);
    d.ctx.clock.advance(31 * 60_000);
    d.refused({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }, 'window_closed');
    const e = start(P).do({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }, 0);
    expect(liveDeadline(e.s, 'reassign')).toBeUndefined();
  });

  it('А7.3: «оперативно» (the ordinary level) 2 working days, «срочно» 3 working hours', () => {
    const d = start(P);
    expect([iso(open(d, 'answer').dueAt), open(d, 'answer').clause]).toEqual(['2025-03-05T10:00', 'А7.3']);
    d.do({ type: 'triage', actor: cast.admin, importance: 'urgent' }, 0);
    expect([iso(open(d, 'answer').dueAt), minutes(open(d, 'answer'))]).toEqual(['2025-03-03T13:00', 180]);
  });

  it('А7.4: the draft reaches the administrator 1 working hour before the А7.3 term', () => {
    const d = start(P).do({ type: 'accept', actor: cast.roadsExec }, 0);
    const ds = open(d, 'draft_submission');
    expect([iso(ds.dueAt), ds.clause, ds.role]).toEqual(['2025-03-05T09:00', 'А7.4', 'executor']);
  });

  it('А7.5: approval within 30 working minutes; А7.6: rework within 1 working hour', () => {
    const d = toApproval(start(P), P);
    expect([minutes(open(d, 'approval')), open(d, 'approval').role, open(d, 'approval').clause]).toEqual([30, 'administrator', 'А7.5']);
    d.do({ type: 'sendToRework', actor: cast.admin, comment: 'подробнее' }, 0);
    expect([minutes(open(d, 'rework')), open(d, 'rework').staffId, open(d, 'rework').clause]).toEqual([60, 11, 'А7.6']);
  });

  it('А7.7: the administrator publishes within 30 working minutes; the executor cannot', () => {
    const d = toApproval(start(P), P).do({ type: 'approve', actor: cast.admin }, 0);
    expect([minutes(open(d, 'publish')), open(d, 'publish').role, open(d, 'publish').clause]).toEqual([30, 'administrator', 'А7.7']);
    d.refused({ type: 'publish', actor: cast.roadsExec }, 'wrong_role');
  });

  it('А7.8: an intermediate answer states the term or the conditions; the promised date is the control point', () => {
    const d = start(P).do({ type: 'accept', actor: cast.roadsExec }, 0);
    d.refused({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Разбираемся' }, 'term_required');
    const by = DateTime.fromISO('2025-03-14T18:00', { zone: ZONE }).toMillis();
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'До 14 марта', promisedBy: by }, 0)
      .do({ type: 'approve', actor: cast.admin }, 0)
      .do({ type: 'publish', actor: cast.admin }, 0)
      .do({ type: 'recordPublication', actor: cast.system }, 0);
    expect([open(d, 'final_answer').dueAt, open(d, 'final_answer').clause]).toEqual([by, 'А7.8']);
  });

  it('А7.9: an extension at most 30 days beyond the original term, the author told', () => {
    const d = start(P);
    const base = open(d, 'answer').dueAt;
    d.refused({ type: 'extend', actor: cast.admin, until: DateTime.fromMillis(base).plus({ days: 31 }).toMillis() }, 'term_too_long');
    d.do({ type: 'extend', actor: cast.admin, until: DateTime.fromMillis(base).plus({ days: 30 }).toMillis() });
    expect(d.effects.filter((e) => e.type === 'notifyAuthorExtension')).toHaveLength(1);
  });

  it('А7.10: each co-executor sends his part within 2 working hours of receipt', () => {
    const part = open(start(P, true), 'co_executor_part');
    expect([part.role, part.staffId, part.clause, minutes(part)]).toEqual(['executor', 21, 'А7.10', 120]);
  });
});
