import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkInvariants, liveDeadline, offerReassignmentOnAbsence, replay, substituteFor, type CaseState, type Deadline } from '../../../src/domain/workflow/index.js';
import { Driver, MONDAY_10, ZONE, cast, makeCtx, promised, publisherOf, regulation, registerCommand, type PresetId } from '../../support/workflow-fixtures.js';

const iso = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
const dl = (s: CaseState, kind: Deadline['kind']) => s.deadlines.filter((d) => d.kind === kind);

function consistent(d: Driver, preset: PresetId) {
  expect(checkInvariants(d.s, regulation(preset))).toEqual([]);
  expect(replay(d.events)).toEqual(d.s);
}

describe('Канаш 2020 end to end', () => {
  const P: PresetId = 'kanash-2020';

  it('triage → assign → return (К9) → reassign → draft → department head (К11) → rework (К13) → approve (К12) → the executor publishes (К14) → close', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand()).status('new');
    // К10: 8 working hours from detection (Mon 10:00 → Tue 10:00 with the 13–14 lunch: 10–13, 14–18 = 7h, +1h Tue)
    expect(iso(liveDeadline(d.s, 'answer')!.dueAt)).toBe('2025-03-04T10:00');
    expect(dl(d.s, 'route')).toHaveLength(0); // К8: «оперативно», no number
    d.do({ type: 'triage', actor: cast.admin, topic: 'roads', location: 'ул. Ленина', importance: 'normal' });
    expect(d.effects.some((e) => e.type === 'acknowledgeAuthor')).toBe(false); // not in Канаш
    d.do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'parks', executorId: 21 }] }).status('assigned');
    d.do({ type: 'returnCase', actor: cast.parksExec, reason: 'это дороги' }).status('returned');
    expect(liveDeadline(d.s, 'reassign')!.clause).toBe('К9');
    d.do({ type: 'reassign', actor: cast.admin, departmentId: 'roads', executorId: 11 }).status('assigned');
    expect(dl(d.s, 'reassign')[0]!.status).toBe('met');
    d.do({ type: 'accept', actor: cast.roadsExec }).status('in_work');
    // К11: the draft reaches the curator 3 working hours before the К10 deadline
    expect(iso(liveDeadline(d.s, 'draft_submission')!.dueAt)).toBe('2025-03-03T16:00');
    d.do({ type: 'saveDraft', actor: cast.roadsExec, text: 'Яму заделаем' }).status('drafting');
    d.do({ type: 'submitDraft', actor: cast.roadsExec, text: 'Яму на ул. Ленина заделаем до пятницы.' }).status('dept_review');
    d.do({ type: 'returnAtDepartment', actor: cast.roadsHead, comment: 'Укажите дату' }).status('rework');
    d.do({ type: 'submitDraft', actor: cast.roadsExec, text: 'Яму заделаем 7 марта.' }).status('dept_review');
    d.do({ type: 'approveAtDepartment', actor: cast.roadsHead }).status('on_approval');
    expect(dl(d.s, 'draft_submission')[0]!.status).toBe('met');
    d.do({ type: 'sendToRework', actor: cast.admin, comment: 'Приложите фото (К18)' }).status('rework');
    expect(liveDeadline(d.s, 'rework')!.clause).toBe('К13');
    // К13: back to the curator directly, not to the department head again
    d.do({ type: 'submitDraft', actor: cast.roadsExec, attachments: [{ type: 'photo', url: 'https://x/1.jpg' }] }).status('on_approval');
    d.do({ type: 'approve', actor: cast.admin }).status('approved');
    const pub = liveDeadline(d.s, 'publish')!;
    expect([pub.clause, pub.staffId]).toEqual(['К14', 11]);
    d.do({ type: 'publish', actor: publisherOf(P) });
    const reply = d.effects.find((e) => e.type === 'publishReply');
    expect(reply).toMatchObject({ type: 'publishReply', text: 'Яму заделаем 7 марта.', kind: 'final' });
    d.do({ type: 'recordPublication', actor: cast.system, externalId: '555' }).status('published');
    expect(liveDeadline(d.s, 'answer')).toBeUndefined();
    d.do({ type: 'close', actor: cast.admin }).status('closed');
    const draft = d.s.drafts[0]!;
    expect(draft.versions.map((v) => v.n)).toEqual([1, 2, 3, 4]);
    expect(draft.comments.map((c) => `${c.stage}:${c.verdict}`)).toEqual(['department_head:returned', 'department_head:approved', 'administrator:returned', 'administrator:approved']);
    consistent(d, P);
  });

  it('intermediate answer → final within 7 working days (К15)', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand()).do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] });
    d.do({ type: 'accept', actor: cast.roadsExec });
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Вопрос на контроле, ответим до 12 марта.' });
    d.do({ type: 'approveAtDepartment', actor: cast.roadsHead }).do({ type: 'approve', actor: cast.admin });
    d.do({ type: 'recordPublication', actor: cast.roadsExec }).status('awaiting_final');
    const fin = liveDeadline(d.s, 'final_answer')!;
    expect(fin.clause).toBe('К15');
    expect(fin.dueAt).toBeGreaterThan(d.ctx.clock.now().plus({ days: 8 }).toMillis()); // 7 working days ≈ 9 calendar days
    expect(dl(d.s, 'answer')[0]!.status).toBe('met');
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'final', text: 'Яма заделана.' }).status('dept_review');
    d.do({ type: 'approveAtDepartment', actor: cast.roadsHead });
    expect(dl(d.s, 'final_answer')[0]!.status).toBe('met');
    d.do({ type: 'approve', actor: cast.admin }).do({ type: 'recordPublication', actor: cast.system }).status('published');
    expect(d.s.publications.map((p) => p.kind)).toEqual(['intermediate', 'final']);
    consistent(d, P);
  });

  it('repeat message (К17): linked, and the answer must report the measures taken', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand(2)).do({ type: 'markRepeat', actor: cast.admin, repeatOf: 1 });
    d.do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] }).do({ type: 'accept', actor: cast.roadsExec });
    d.refused({ type: 'submitDraft', actor: cast.roadsExec, text: 'Ответ' }, 'measures_required');
    d.do({ type: 'submitDraft', actor: cast.roadsExec, text: 'Ответ', measures: 'Подрядчик выехал 03.03' }).status('dept_review');
    expect(d.s.repeatOf).toBe(1);
    expect(d.s.drafts[0]!.measures).toBe('Подрядчик выехал 03.03');
    consistent(d, P);
  });

  it('reject (К19) closes every deadline; extension, escalation and bans are not provided for', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    d.refused({ type: 'escalate', actor: cast.admin }, 'not_provided');
    d.refused({ type: 'banAuthor', actor: cast.admin, reasonId: 'x', until: null }, 'not_provided');
    d.do({ type: 'reject', actor: cast.admin, reasonId: 'obscene_or_offensive', comment: 'мат' }).status('rejected');
    expect(d.s.deadlines.every((x) => x.status === 'cancelled' || x.status === 'met')).toBe(true);
    expect(d.events.at(-1)!.clause).toBe('К19 · А9'); // the reject edge of the transition table
    consistent(d, P);
  });

  it('the return window (К9: 30 working minutes) closes', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand()).do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] }, 31);
    d.refused({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }, 'window_closed');
  });

  it('a message found at 17:55 on Friday: the return window runs into Monday', () => {
    const fri = DateTime.fromISO('2025-03-07T17:55', { zone: ZONE });
    const d = new Driver(makeCtx(P, fri));
    d.do(registerCommand(1, fri.toMillis()), 0).do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] }, 0);
    d.ctx.clock.set(DateTime.fromISO('2025-03-10T09:20', { zone: ZONE }));
    expect(d.try({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }).ok).toBe(true);
  });
});

describe('Ахты 2021 end to end', () => {
  const P: PresetId = 'akhty-2021';

  it('acknowledges the author (А7.1), routes within 30 min, administrator publishes (А7.7)', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    expect(liveDeadline(d.s, 'route')!.clause).toBe('А7.1');
    d.do({ type: 'triage', actor: cast.admin, topic: 'ЖКХ', location: 'с. Ахты', importance: 'operative' });
    expect(d.effects.filter((e) => e.type === 'acknowledgeAuthor')).toHaveLength(1);
    d.do({ type: 'triage', actor: cast.admin, topic: 'ЖКХ' });
    expect(d.effects.filter((e) => e.type === 'acknowledgeAuthor')).toHaveLength(1); // once
    d.do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] });
    expect(dl(d.s, 'route')[0]!.status).toBe('met');
    d.do({ type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }).status('returned');
    expect(liveDeadline(d.s, 'reassign')).toBeUndefined(); // Ахты sets no reassignment window
    d.do({ type: 'reassign', actor: cast.admin, departmentId: 'roads', executorId: 12 });
    d.do({ type: 'accept', actor: cast.roadsExec2 }).do({ type: 'submitDraft', actor: cast.roadsExec2, text: 'Ответ' }).status('on_approval');
    expect(liveDeadline(d.s, 'approval')!.clause).toBe('А7.5');
    d.do({ type: 'sendToRework', actor: cast.admin, comment: 'подробнее' }).status('rework');
    d.do({ type: 'saveDraft', actor: cast.roadsExec2, text: 'Подробный ответ' }).status('rework');
    d.do({ type: 'submitDraft', actor: cast.roadsExec2 }).status('on_approval');
    d.do({ type: 'approve', actor: cast.admin });
    expect(liveDeadline(d.s, 'publish')!.role).toBe('administrator');
    d.do({ type: 'publish', actor: cast.admin }).do({ type: 'recordPublication', actor: cast.system }).status('published');
    d.do({ type: 'close', actor: cast.system }).status('closed');
    consistent(d, P);
  });

  it('urgent importance (А7.3: 3 working hours) is a term, not a significant incident: no push (А17) unless the organization says so', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    const before = liveDeadline(d.s, 'answer')!.dueAt;
    d.do({ type: 'triage', actor: cast.admin, importance: 'urgent' });
    expect(iso(liveDeadline(d.s, 'answer')!.dueAt)).toBe('2025-03-03T13:00'); // 10:00 + 3 working hours, before lunch
    expect(liveDeadline(d.s, 'answer')!.dueAt).toBeLessThan(before);
    expect(d.effects.filter((e) => e.type === 'pushUrgentToHead')).toHaveLength(0);
    expect(d.s.urgent).toBe(false);
    // «Значимое происшествие»: the administrator marks it (escalate) — pushed once.
    d.do({ type: 'escalate', actor: cast.admin });
    expect(d.effects.filter((e) => e.type === 'pushUrgentToHead')).toHaveLength(1);
    d.refused({ type: 'escalate', actor: cast.admin }, 'already_done');
    consistent(d, P);
    // An organization that treats «срочно» as significant: pushed at the triage.
    const o = new Driver({ ...makeCtx(P), urgentImportancePushes: true });
    o.do(registerCommand()).do({ type: 'triage', actor: cast.admin, importance: 'urgent' });
    expect(o.effects.filter((e) => e.type === 'pushUrgentToHead')).toHaveLength(1);
  });

  it('intermediate answer states the term (А7.8) → awaiting_final until that date', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand())
      .do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] })
      .do({ type: 'accept', actor: cast.roadsExec });
    const by = promised(d.ctx);
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Ответим до четверга', promisedBy: by });
    d.do({ type: 'approve', actor: cast.admin }).do({ type: 'recordPublication', actor: cast.admin }).status('awaiting_final');
    expect(liveDeadline(d.s, 'final_answer')!.dueAt).toBe(by);
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'final', text: 'Сделано' })
      .do({ type: 'approve', actor: cast.admin })
      .do({ type: 'recordPublication', actor: cast.system })
      .status('published');
    consistent(d, P);
  });

  it('clarification → awaiting_author pauses the answer clock; the reply resumes it, shifted by the working time paused', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand())
      .do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] })
      .do({ type: 'accept', actor: cast.roadsExec });
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'clarification', text: 'Уточните адрес' }).do({ type: 'approve', actor: cast.admin });
    const due = liveDeadline(d.s, 'answer')!.dueAt;
    d.do({ type: 'recordPublication', actor: cast.system }, 120).status('awaiting_author');
    expect(d.events.slice(-1)[0]!.type).toBe('clock_paused');
    expect(liveDeadline(d.s, 'answer')!.status).toBe('paused');
    d.refused({ type: 'submitDraft', actor: cast.roadsExec, text: 'x' }, 'wrong_state');
    d.do({ type: 'authorReplied', actor: cast.system, messageId: 501 }).status('drafting');
    const ans = liveDeadline(d.s, 'answer')!;
    expect(ans.status).toBe('open');
    expect(ans.pausedMinutes).toBe(120);
    expect(ans.dueAt).toBeGreaterThan(due);
    expect(d.events.map((e) => e.type)).toContain('clock_resumed');
    expect(d.s.messageIds).toContain(501);
    expect(liveDeadline(d.s, 'draft_submission')).toBeDefined();
    d.do({ type: 'submitDraft', actor: cast.roadsExec, kind: 'final', text: 'Ответ' }).status('on_approval');
    consistent(d, P);
  });

  it('several departments: co-executors send parts within 2 working hours (А7.10), the responsible writes the joint answer', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand()).do({
      type: 'assign',
      actor: cast.admin,
      assignments: [
        { departmentId: 'roads', executorId: 11, responsible: true, order: 3 },
        { departmentId: 'parks', executorId: 21, order: 1 },
        { departmentId: 'housing', order: 2 },
      ],
    });
    expect(dl(d.s, 'co_executor_part')).toHaveLength(2);
    expect(d.effects.filter((e) => e.type === 'notify' && e.kind === 'designate_executor')).toHaveLength(1);
    d.refused({ type: 'accept', actor: cast.housingExec, assignmentSeq: 3 }, 'not_assignee');
    d.do({ type: 'designateExecutor', actor: { ...cast.roadsHead, departmentId: 'housing' }, assignmentSeq: 3, executorId: 41 });
    d.do({ type: 'accept', actor: cast.roadsExec }).do({ type: 'accept', actor: cast.parksExec });
    d.do({ type: 'contributePart', actor: cast.parksExec, text: 'Деревья спилим' });
    d.do({ type: 'contributePart', actor: cast.housingExec, text: 'Крышу починим' });
    expect(dl(d.s, 'co_executor_part').every((x) => x.status === 'met')).toBe(true);
    d.refused({ type: 'contributePart', actor: cast.parksExec, text: 'ещё' }, 'not_assignee');
    d.do({ type: 'submitDraft', actor: cast.roadsExec, text: 'Общий ответ: деревья, крыша, дорога.' }).do({ type: 'approve', actor: cast.admin });
    d.do({ type: 'publish', actor: cast.admin }).do({ type: 'recordPublication', actor: cast.system }).status('published');
    consistent(d, P);
  });

  it('not competent (А7.12): the author is told which body is responsible', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    d.refused({ type: 'markNotCompetent', actor: cast.admin }, 'invalid');
    d.do({ type: 'markNotCompetent', actor: cast.admin, outsideBodyId: 'rosseti' }).status('not_competent');
    expect(d.effects.find((e) => e.type === 'notifyAuthorNotCompetent')).toMatchObject({ outsideBodyId: 'rosseti' });
    consistent(d, P);
  });

  it('reject (А9), ban the author with reason and term (А10, А10.1)', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand()).do({ type: 'reject', actor: cast.admin, reasonId: 'incorrect_content' });
    const until = d.ctx.clock.now().plus({ days: 7 }).toMillis();
    d.do({ type: 'banAuthor', actor: cast.admin, reasonId: 'spam', until, comment: 'реклама' });
    expect(d.effects.find((e) => e.type === 'banAuthor')).toMatchObject({ authorExternalId: '777', reasonId: 'spam', until });
    d.refused({ type: 'banAuthor', actor: cast.admin, reasonId: 'spam', until: null }, 'already_done');
    consistent(d, P);
  });

  it('extension up to 30 days (А7.9), the author is told', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand())
      .do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] })
      .do({ type: 'accept', actor: cast.roadsExec });
    const due = liveDeadline(d.s, 'answer')!.dueAt;
    d.refused({ type: 'extend', actor: cast.admin, until: due + 31 * 86400_000 }, 'term_too_long');
    d.refused({ type: 'extend', actor: cast.roadsExec, until: due + 86400_000 }, 'wrong_role');
    d.do({ type: 'extend', actor: cast.admin, until: due + 20 * 86400_000 });
    expect(liveDeadline(d.s, 'answer')!.dueAt).toBe(due + 20 * 86400_000);
    expect(d.effects.some((e) => e.type === 'notifyAuthorExtension')).toBe(true);
    // the limit counts from the original term, not from the extended one
    d.refused({ type: 'extend', actor: cast.admin, until: due + 31 * 86400_000 }, 'term_too_long');
    d.do({ type: 'extend', actor: cast.admin, until: due + 30 * 86400_000 });
    consistent(d, P);
  });

  it('recomputeDeadlines after a holiday is declared moves open deadlines and is logged', () => {
    const d = new Driver(makeCtx(P));
    d.do(registerCommand());
    const before = liveDeadline(d.s, 'answer')!.dueAt;
    const { createWorkingTime } = awaitImport();
    const holiday = createWorkingTime({ zone: ZONE, calendar: { region: null, extraDaysOff: ['2025-03-04'], warn: () => {} } });
    const ctx2 = { ...d.ctx, workingTime: holiday };
    const d2 = new Driver(ctx2);
    d2.state = d.state;
    d2.events.push(...d.events);
    d2.do({ type: 'recomputeDeadlines', actor: cast.system, reason: '4 марта объявлен выходным' });
    expect(d2.events.at(-1)!.type).toBe('deadlines_recomputed');
    expect(liveDeadline(d2.s, 'answer')!.dueAt).toBe(before + 24 * 3600_000);
    expect(replay(d2.events)).toEqual(d2.s);
  });
});

import * as wtModule from '../../../src/domain/time/working-time.js';
function awaitImport() {
  return wtModule;
}

describe('absences (А6.3)', () => {
  it('a new assignment to an absent executor goes to the substitute; open ones are offered to the head', () => {
    const ctx = makeCtx('akhty-2021');
    const now = MONDAY_10.toMillis();
    ctx.absences = [{ staffId: 11, from: now - 86400_000, until: now + 5 * 86400_000, substituteId: 12 }];
    expect(substituteFor(11, now, ctx.absences)).toBe(12);
    expect(substituteFor(12, now, ctx.absences)).toBeUndefined();
    const d = new Driver(ctx);
    d.do(registerCommand()).do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] });
    expect(d.s.assignments[0]).toMatchObject({ executorId: 12, substituteFor: 11 });
    expect(liveDeadline(d.s, 'answer')!.staffId).toBe(12);
    // a case assigned to 11 before the absence began
    const d2 = new Driver(makeCtx('akhty-2021'));
    d2.do(registerCommand(2)).do({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] });
    const offers = offerReassignmentOnAbsence([d.s, d2.s], ctx.absences[0]!);
    expect(offers.map((o) => [o.caseId, o.suggestedExecutorId])).toEqual([[2, 12]]);
    d2.do({ type: 'designateExecutor', actor: cast.roadsHead, assignmentSeq: 1, executorId: 12 });
    expect(liveDeadline(d2.s, 'answer')!.staffId).toBe(12);
    consistent(d2, 'akhty-2021');
  });
});
