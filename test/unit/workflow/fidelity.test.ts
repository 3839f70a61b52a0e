import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkInvariants, isLate, lateFrom, liveDeadline, replay, type Effect } from '../../../src/domain/workflow/index.js';
import { isMissed } from '../../../src/reports/compute.js';
import { thresholdsOf } from '../../../src/scheduler/watch.js';
import { publishedText } from '../../../src/domain/workflow/index.js';
import { regulationTimeline } from '../../../src/domain/regulation/timeline.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';
import { Driver, PRESET_IDS, ZONE, cast, makeCtx, regulation, registerCommand, type PresetId } from '../../support/workflow-fixtures.js';

/**
 * Ordinary situations of a real administration that used to end in a dead end or in a rule the acts
 * do not say, through the workflow engine, on both presets.
 */
const iso = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
const consistent = (d: Driver, p: PresetId) => {
  expect(checkInvariants(d.s, regulation(p))).toEqual([]);
  expect(replay(d.events)).toEqual(d.s);
};
const acks = (effects: Effect[]) => effects.filter((e) => e.type === 'acknowledgeAuthor').length;
const route = (d: Driver, dept = 'roads', executorId: number | null = 11) => d.do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: dept, executorId }] });
const toAdministrator = (d: Driver, p: PresetId) => {
  if (regulation(p).rules.draftAgreedWithDepartmentHead || regulation(p).windows.departmentHeadApproval) d.do({ type: 'approveAtDepartment', actor: cast.roadsHead });
  return d;
};

for (const P of PRESET_IDS) {
  describe(`regulation fidelity (${P})`, () => {
    it('repeat (К17, А7.11): the measures are required and become part of the published answer', () => {
      const d = new Driver(makeCtx(P));
      d.do(registerCommand(2)).do({ type: 'markRepeat', actor: cast.admin, repeatOf: 1 });
      route(d).do({ type: 'accept', actor: cast.roadsExec });
      d.refused({ type: 'submitDraft', actor: cast.roadsExec, text: 'Ответ' }, 'measures_required');
      d.do({ type: 'submitDraft', actor: cast.roadsExec, text: 'Ямочный ремонт выполнен.', measures: 'Приняты меры: подрядчик оштрафован.' });
      toAdministrator(d, P).do({ type: 'approve', actor: cast.admin });
      if (regulation(P).rules.publisher === 'executor') d.do({ type: 'publish', actor: cast.roadsExec });
      else d.do({ type: 'publish', actor: cast.admin });
      const pub = d.effects.find((e) => e.type === 'publishReply');
      expect(pub && pub.type === 'publishReply' ? pub.text : null).toBe('Ямочный ремонт выполнен.\n\nПриняты меры: подрядчик оштрафован.');
      // Measures already in the text are not repeated.
      expect(publishedText({ ...d.s.drafts[0]!, measures: 'ремонт выполнен' })).toBe('Ямочный ремонт выполнен.');
      consistent(d, P);
    });

    it('the return window (К9, А7.2: 30 min) counts from the designation by the department head', () => {
      const d = new Driver(makeCtx(P));
      d.do(registerCommand());
      route(d, 'roads', null);
      d.ctx.clock.advance(120 * 60_000); // the head designates two hours later
      d.do({ type: 'designateExecutor', actor: cast.roadsHead, assignmentSeq: 1, executorId: 11 }, 29);
      expect(d.try({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }).ok).toBe(true);
      d.ctx.clock.advance(2 * 60_000); // 31 working minutes after the designation
      d.refused({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }, 'window_closed');
    });

    it('the administrator moves a misrouted case at any moment, with a reason; the terms keep their start', () => {
      const d = new Driver(makeCtx(P));
      d.do(registerCommand());
      route(d).do({ type: 'accept', actor: cast.roadsExec }, 240).do({ type: 'saveDraft', actor: cast.roadsExec, text: 'Черновик' }).status('drafting');
      const answer = liveDeadline(d.s, 'answer')!;
      d.refused({ type: 'reassign', actor: cast.admin, departmentId: 'parks', executorId: 21 }, 'invalid'); // no reason
      d.refused({ type: 'reassign', actor: cast.roadsHead, departmentId: 'parks', executorId: 21, comment: 'x' }, 'wrong_role');
      d.do({ type: 'reassign', actor: cast.admin, departmentId: 'parks', executorId: 21, comment: 'Это парк, не дорога' }).status('assigned');
      const moved = d.events.at(-1)!;
      expect(moved.type).toBe('reassigned');
      expect(moved.comment).toBe('Это парк, не дорога');
      expect(d.effects.at(-1)).toMatchObject({ type: 'notify', to: { staffId: 21 }, kind: 'assigned' });
      const a = liveDeadline(d.s, 'answer')!;
      expect([a.startsAt, a.dueAt, a.staffId, a.departmentId]).toEqual([answer.startsAt, answer.dueAt, 21, 'parks']);
      expect(d.s.assignments.find((x) => x.seq === 1)!.status).toBe('withdrawn');
      // The new executor can act: accept, return inside his own window, or answer.
      d.do({ type: 'accept', actor: cast.parksExec }).status('in_work');
      expect(liveDeadline(d.s, 'draft_submission')!.staffId).toBe(21);
      consistent(d, P);
    });

    it('a second intermediate answer neither meets nor restarts the final-answer deadline (К15, А7.8)', () => {
      const d = new Driver(makeCtx(P));
      d.do(registerCommand());
      route(d).do({ type: 'accept', actor: cast.roadsExec });
      const first = d.ctx.clock.now().plus({ days: 3 }).toMillis();
      d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Ответим до четверга', promisedBy: first });
      toAdministrator(d, P).do({ type: 'approve', actor: cast.admin }).do({ type: 'recordPublication', actor: cast.admin }, 60).status('awaiting_final');
      const fin = liveDeadline(d.s, 'final_answer')!;
      expect(fin.dueAt).toBe(first);
      d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Ещё разбираемся', promisedBy: d.ctx.clock.now().plus({ days: 4 }).toMillis() });
      toAdministrator(d, P);
      expect(liveDeadline(d.s, 'final_answer')).toMatchObject({ seq: fin.seq, status: 'open', dueAt: first });
      d.do({ type: 'approve', actor: cast.admin }).do({ type: 'recordPublication', actor: cast.admin }).status('awaiting_final');
      expect(d.s.deadlines.filter((x) => x.kind === 'final_answer')).toEqual([expect.objectContaining({ seq: fin.seq, status: 'open', dueAt: first })]);
      d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'final', text: 'Сделано' });
      toAdministrator(d, P);
      expect(d.s.deadlines.find((x) => x.seq === fin.seq)!.status).toBe('met');
      consistent(d, P);
    });

    it('an intermediate answer may state conditions instead of a date (А7.8 «срок или условия»)', () => {
      const d = new Driver(makeCtx(P));
      d.do(registerCommand());
      route(d).do({ type: 'accept', actor: cast.roadsExec });
      d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Отремонтируем после схода снега', promisedConditions: 'после схода снега' });
      toAdministrator(d, P).do({ type: 'approve', actor: cast.admin }).do({ type: 'recordPublication', actor: cast.admin }).status('awaiting_final');
      const fai = regulation(P).windows.finalAfterIntermediate;
      if (fai) {
        // К15 fixes the term itself: 7 working days from the publication.
        expect(liveDeadline(d.s, 'final_answer')!.duration).toEqual(fai.duration);
        d.refused({ type: 'setControlDate', actor: cast.admin, until: d.ctx.clock.now().plus({ days: 5 }).toMillis() }, 'already_done');
      } else {
        // Ахты: the administrator is asked for a control date; reminders and the breach count from it.
        expect(liveDeadline(d.s, 'final_answer')).toBeUndefined();
        expect(d.effects.filter((e) => e.type === 'notify' && e.kind === 'control_date_needed')).toEqual([expect.objectContaining({ to: { role: 'administrator', departmentId: null } })]);
        const until = DateTime.fromISO('2025-04-15T18:00', { zone: ZONE }).toMillis();
        d.refused({ type: 'setControlDate', actor: cast.roadsExec, until }, 'wrong_role');
        d.refused({ type: 'setControlDate', actor: cast.admin, until: d.ctx.clock.now().minus({ days: 1 }).toMillis() }, 'invalid');
        d.do({ type: 'setControlDate', actor: cast.admin, until });
        expect(liveDeadline(d.s, 'final_answer')).toMatchObject({ dueAt: until, clause: 'А7.8', staffId: 11 });
        d.refused({ type: 'setControlDate', actor: cast.admin, until: until + 86400_000 }, 'already_done');
      }
      consistent(d, P);
    });

    it('acknowledgement (А7.1) exactly once, at the first of triage or routing; no rejection after it (А9)', () => {
      const provided = regulation(P).rules.acknowledgeAuthor;
      // Routed without a triage.
      const a = new Driver(makeCtx(P));
      a.do(registerCommand());
      route(a);
      expect(acks(a.effects)).toBe(provided ? 1 : 0);
      a.do({ type: 'triage', actor: cast.admin, topic: 'Дороги' });
      expect(acks(a.effects)).toBe(provided ? 1 : 0);
      a.do({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }).status('returned');
      if (provided) a.refused({ type: 'reject', actor: cast.admin, reasonId: regulation(P).rejectionReasons[0]!.id }, 'already_accepted');
      else a.do({ type: 'reject', actor: cast.admin, reasonId: regulation(P).rejectionReasons[0]!.id }).status('rejected');
      // Rejected straight away: never acknowledged.
      const b = new Driver(makeCtx(P));
      b.do(registerCommand())
        .do({ type: 'reject', actor: cast.admin, reasonId: regulation(P).rejectionReasons[0]!.id })
        .status('rejected');
      expect(acks(b.effects)).toBe(0);
      // Triaged first, routed next: once.
      const c = new Driver(makeCtx(P));
      c.do(registerCommand()).do({ type: 'triage', actor: cast.admin, topic: 'Дороги' });
      route(c);
      expect(acks(c.effects)).toBe(provided ? 1 : 0);
      expect(iso(c.events[0]!.at)).toBe('2025-03-03T10:00');
    });
  });
}

describe('working time: the CLI timeline and the workflow agree (К11 draft deadline)', () => {
  const wtCu = createWorkingTime({ zone: ZONE, calendar: { region: 'RU-CU', warn: () => {} } });
  for (const detected of ['2026-06-23T12:00:00', '2026-06-23T15:00:00', '2026-03-02T10:00:00']) {
    it(`detected ${detected}, accepted 37 s later: the same whole-minute draft deadline`, () => {
      const at = DateTime.fromISO(detected, { zone: ZONE });
      const ctx = { ...makeCtx('kanash-2020', at), workingTime: wtCu };
      const d = new Driver(ctx);
      d.do(registerCommand(1, at.toMillis()), 0);
      ctx.clock.advance(37_000);
      route(d).do({ type: 'accept', actor: cast.roadsExec }, 0);
      const ds = liveDeadline(d.s, 'draft_submission')!;
      const tl = regulationTimeline(regulation('kanash-2020'), wtCu, at);
      expect(iso(ds.dueAt)).toBe(iso(tl.stages.find((s) => s.id === 'draft')!.at!.toMillis()));
      expect(ds.dueAt % 60_000).toBe(0);
      expect(liveDeadline(d.s, 'answer')!.dueAt).toBe(tl.answerDeadline.toMillis());
    });
  }

  it('a message detected at 10:00:37: every window falls on a whole minute, as the card shows the detection (10:00)', () => {
    const at = DateTime.fromISO('2026-03-02T10:00:37', { zone: ZONE });
    const d = new Driver({ ...makeCtx('kanash-2020', at), workingTime: wtCu });
    d.do(registerCommand(1, at.toMillis()), 0);
    route(d).do({ type: 'accept', actor: cast.roadsExec }, 0);
    for (const x of d.s.deadlines) expect(x.dueAt % 60_000, x.kind).toBe(0);
    expect(iso(liveDeadline(d.s, 'answer')!.dueAt)).toBe('2026-03-03T10:00');
  });

  it('24 June is a day off in Чувашия: an answer found on 23 June 12:00 is due on 25 June at 12:00, the draft at 09:00', () => {
    const at = DateTime.fromISO('2026-06-23T12:00', { zone: ZONE });
    const tl = regulationTimeline(regulation('kanash-2020'), wtCu, at);
    expect(iso(tl.answerDeadline.toMillis())).toBe('2026-06-25T12:00');
    expect(iso(tl.stages.find((s) => s.id === 'draft')!.at!.toMillis())).toBe('2026-06-25T09:00');
  });
});

describe('lateness is judged in working time, by one rule (watch, violations register, monthly report)', () => {
  const wt = createWorkingTime({ zone: ZONE, calendar: { warn: () => {} } });
  const t = (s: string) => DateTime.fromISO(s, { zone: ZONE }).toMillis();
  const due = t('2026-10-09T18:00'); // Friday, the end of the working day
  const minutes = (a: number, b: number) => wt.workingMinutesBetween(DateTime.fromMillis(a), DateTime.fromMillis(b));

  it('published after 18:00 on the wall clock at the working-time deadline: on time; one working minute later: late', () => {
    for (const at of ['2026-10-09T17:59', '2026-10-09T18:00', '2026-10-09T18:30', '2026-10-11T23:00', '2026-10-12T09:00']) expect(isLate(wt, due, t(at)), at).toBe(false);
    expect(isLate(wt, due, t('2026-10-12T09:01'))).toBe(true);
    expect(iso(lateFrom(wt, due))).toBe('2026-10-12T09:01');
  });

  it('the report counts the same: an answer met at 18:30 is on time, one met at 09:01 on Monday is missed', () => {
    const d = { kind: 'answer', status: 'met', dueAt: due, closedAt: t('2026-10-09T18:30') } as Parameters<typeof isMissed>[0];
    expect(isMissed(d, t('2026-10-31T00:00'), minutes)).toBe(false);
    expect(isMissed({ ...d, closedAt: t('2026-10-12T09:01') }, t('2026-10-31T00:00'), minutes)).toBe(true);
    expect(isMissed({ ...d, status: 'open', closedAt: null }, t('2026-10-11T12:00'), minutes)).toBe(false); // weekend: not yet late
  });

  it('the watch breaches at the same moment', () => {
    const breach = thresholdsOf({ workingTime: wt }, { startsAt: t('2026-10-09T10:00'), dueAt: due }, [0.5]).find((x) => x.key === 'breach')!;
    expect(breach.at).toBe(lateFrom(wt, due));
  });
});

describe('extensions (А7.9)', () => {
  const P: PresetId = 'akhty-2021';
  const t = (s: string) => DateTime.fromISO(s, { zone: ZONE }).toMillis();

  it('the new term never ends on a day off; the 30-day ceiling holds', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    route(d);
    // Saturday 8 March (a holiday): the term ends with the last working day before it, the shortened 7 March.
    d.do({ type: 'extend', actor: cast.admin, until: t('2025-03-08T18:00') });
    expect(iso(liveDeadline(d.s, 'answer')!.dueAt)).toBe('2025-03-07T17:00');
    const notice = d.effects.find((e) => e.type === 'notifyAuthorExtension');
    expect(notice && notice.type === 'notifyAuthorExtension' ? iso(notice.until) : null).toBe('2025-03-07T17:00');
    // The original term was Wednesday 5 March 10:00: 30 days later is 4 April 10:00, not beyond.
    d.refused({ type: 'extend', actor: cast.admin, until: t('2025-04-04T11:00') }, 'term_too_long');
    d.do({ type: 'extend', actor: cast.admin, until: t('2025-04-04T10:00') });
    consistent(d, P);
  });

  it('after an intermediate answer the final answer term is extended, from its own original term', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    route(d)
      .do({ type: 'extend', actor: cast.admin, until: t('2025-03-06T10:00') })
      .do({ type: 'accept', actor: cast.roadsExec });
    const promised = t('2025-03-14T18:00');
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'До 14 марта', promisedBy: promised })
      .do({ type: 'approve', actor: cast.admin })
      .do({ type: 'publish', actor: cast.admin })
      .do({ type: 'recordPublication', actor: cast.system });
    expect(liveDeadline(d.s, 'answer')).toBeUndefined();
    // 30 days from the promised 14 March (not from the answer term of 5 March): 13 April is a Sunday → 11 April.
    d.do({ type: 'extend', actor: cast.admin, until: t('2025-04-13T18:00') });
    expect(liveDeadline(d.s, 'final_answer')!.dueAt).toBe(t('2025-04-11T18:00'));
    expect(d.s.extension).toEqual({ baseDueAt: promised, until: t('2025-04-11T18:00') });
    consistent(d, P);
  });
});

describe('К11: the draft is agreed by the unit head or the supervising deputy; nobody → the administrator', () => {
  const P: PresetId = 'kanash-2020';
  const deputy = { staffId: 50, name: 'Заместитель главы Орлов', roles: ['deputy'] as const, departmentId: null, supervises: ['roads'] };
  const otherDeputy = { ...deputy, staffId: 51, supervises: ['parks'] };
  const submitted = (reviewed: Set<string>) => {
    const d = new Driver({ ...makeCtx(P), reviewedDepartments: reviewed });
    d.do(registerCommand());
    route(d).do({ type: 'accept', actor: cast.roadsExec }).do({ type: 'submitDraft', actor: cast.roadsExec, text: 'Ответ' });
    return d;
  };

  it('the supervising deputy agrees; a deputy of other units cannot; both he and the head are notified', () => {
    const d = submitted(new Set(['roads'])).status('dept_review');
    expect(d.effects.filter((e) => e.type === 'notify' && e.kind === 'draft_for_department_review').map((e) => (e.type === 'notify' ? e.to : null))).toEqual([
      { role: 'department_head', departmentId: 'roads' },
      { role: 'deputy', departmentId: 'roads' },
    ]);
    d.refused({ type: 'approveAtDepartment', actor: otherDeputy }, 'wrong_department');
    d.do({ type: 'approveAtDepartment', actor: deputy }).status('on_approval');
    expect(d.events.at(-1)!.actor.name).toBe('Заместитель главы Орлов');
  });

  it('the deputy may also return the draft for rework', () => {
    submitted(new Set(['roads']))
      .do({ type: 'returnAtDepartment', actor: deputy, comment: 'Уточните сроки' })
      .status('rework');
  });

  it('a unit with neither a head nor a deputy: the draft goes straight to the administrator (no draft waits for a role nobody holds)', () => {
    const d = submitted(new Set(['parks'])).status('on_approval');
    expect(liveDeadline(d.s, 'approval')!.role).toBe('administrator');
    expect(d.effects.some((e) => e.type === 'notify' && e.kind === 'draft_for_department_review')).toBe(false);
  });
});

describe('К15: the promised date is checked against the publication of the intermediate answer', () => {
  const P: PresetId = 'kanash-2020';
  const t = (s: string) => DateTime.fromISO(s, { zone: ZONE }).toMillis();

  it('a date beyond 7 working days from the submission but within 7 from the publication is accepted and kept', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    route(d).do({ type: 'accept', actor: cast.roadsExec }, 4);
    // Submitted Monday 3 March 10:06: 7 working days from the submission end on 12 March 10:06.
    const promised = t('2025-03-12T15:00');
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Ответим до 12 марта', promisedBy: promised }).do({ type: 'approveAtDepartment', actor: cast.roadsHead });
    d.ctx.clock.set(DateTime.fromISO('2025-03-03T16:00', { zone: ZONE }));
    d.do({ type: 'approve', actor: cast.admin }, 5).do({ type: 'publish', actor: cast.roadsExec }, 0).do({ type: 'recordPublication', actor: cast.system });
    // Published at 16:05: the limit is 12 March 16:05, the promise (15:00) holds (refused before).
    expect(liveDeadline(d.s, 'final_answer')!.dueAt).toBe(promised);
    consistent(d, P);
  });

  it('published early, the regulation caps the promise at 7 working days from the publication', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    route(d).do({ type: 'accept', actor: cast.roadsExec }, 4);
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Ответим до 12 марта', promisedBy: t('2025-03-12T15:00') }, 0).do(
      { type: 'approveAtDepartment', actor: cast.roadsHead },
      0,
    );
    d.do({ type: 'approve', actor: cast.admin }, 0).do({ type: 'publish', actor: cast.roadsExec }, 0).do({ type: 'recordPublication', actor: cast.system });
    expect(iso(liveDeadline(d.s, 'final_answer')!.dueAt)).toBe('2025-03-12T10:06'); // published 3 March 10:06
  });
});
