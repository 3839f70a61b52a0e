import { describe, expect, it } from 'vitest';
import { checkInvariants, joinRefusal, replay, type Effect } from '../../../src/domain/workflow/index.js';
import { cast, makeCtx, publisherOf, reach, regulation, registerCommand, Driver, type PresetId } from '../../support/workflow-fixtures.js';

/** Joining cases (К17 · А7.11) in the pure workflow: the later case closes, the earlier answers everyone. */
describe.each<PresetId>(['kanash-2020', 'akhty-2021'])('joining cases (%s)', (P) => {
  it('the later case closes as joined: every deadline cancelled, the earlier case named; replay gives the same state', () => {
    const later = new Driver(makeCtx(P)).do(registerCommand(2));
    later.do({ type: 'joinInto', actor: cast.admin, intoCaseId: 1, intoNumber: 1 }).status('closed');
    expect(later.s.deadlines.every((d) => d.status === 'met' || d.status === 'cancelled')).toBe(true);
    expect(later.s.repeatOf).toBe(1);
    expect(later.events.at(-1)).toMatchObject({ type: 'joined_into', actor: { staffId: cast.admin.staffId }, clause: 'К17 · А7.11' });
    expect(replay(later.events)).toEqual(later.s);
    expect(checkInvariants(later.s, regulation(P))).toEqual([]);
    // Only the administrator, only while the case waits for triage; never into itself.
    new Driver(makeCtx(P)).do(registerCommand(3)).refused({ type: 'joinInto', actor: cast.roadsExec, intoCaseId: 1, intoNumber: 1 }, 'wrong_role');
    new Driver(makeCtx(P)).do(registerCommand(3)).refused({ type: 'joinInto', actor: cast.admin, intoCaseId: 3, intoNumber: 3 }, 'invalid');
    reach(P, 'assigned')!.refused({ type: 'joinInto', actor: cast.admin, intoCaseId: 9, intoNumber: 9 }, 'wrong_state');
  });

  it('the earlier case takes the message; its answer goes to each joined author once, with its own guid', () => {
    const d = reach(P, 'in_work')!;
    d.do({ type: 'acceptJoined', actor: cast.admin, joined: { caseId: 2, number: 2, messageId: 102 } });
    d.do({ type: 'acceptJoined', actor: cast.admin, joined: { caseId: 3, number: 3, messageId: 103 } });
    d.refused({ type: 'acceptJoined', actor: cast.admin, joined: { caseId: 3, number: 3, messageId: 103 } }, 'already_done');
    expect(d.s.messageIds).toEqual([101, 102, 103]);
    expect(replay(d.events)).toEqual(d.s);
    d.do({ type: 'submitDraft', actor: cast.roadsExec, text: 'Яму заделаем до пятницы.' });
    if (d.s.status === 'dept_review') d.do({ type: 'approveAtDepartment', actor: cast.roadsHead });
    d.do({ type: 'approve', actor: cast.admin });
    if (d.s.status === 'approved' && regulation(P).rules.publisher !== 'on_approval') d.do({ type: 'publish', actor: publisherOf(P) });
    const replies = d.effects.filter((e): e is Extract<Effect, { type: 'publishReply' }> => e.type === 'publishReply');
    expect(replies.map((r) => [r.replyToMessageId, r.joinedCaseId ?? null])).toEqual([
      [101, null],
      [102, 2],
      [103, 3],
    ]);
    expect(new Set(replies.map((r) => r.guid)).size).toBe(3);
    expect(replies.every((r) => r.text === 'Яму заделаем до пятницы.')).toBe(true);
    // Once published, the case takes no more joined cases (its answer has gone).
    d.do({ type: 'recordPublication', actor: cast.system, externalId: '1' }).status('published');
    d.refused({ type: 'acceptJoined', actor: cast.admin, joined: { caseId: 4, number: 4, messageId: 104 } }, 'wrong_state');
  });

  it('a case others were joined to is not itself joined elsewhere', () => {
    expect(joinRefusal({ id: 5, status: 'new', joined: [{}] }, { id: 1, status: 'in_work', repeatOf: null })?.code).toBe('invalid');
    expect(joinRefusal({ id: 5, status: 'new' }, null)?.code).toBe('not_found');
    expect(joinRefusal({ id: 5, status: 'new' }, { id: 1, status: 'in_work', repeatOf: 5 })?.code).toBe('invalid');
    expect(joinRefusal({ id: 5, status: 'new' }, { id: 1, status: 'in_work', repeatOf: null })).toBeNull();
  });
});
