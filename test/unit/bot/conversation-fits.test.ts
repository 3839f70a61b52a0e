import { describe, expect, it } from 'vitest';
import { conversationFits } from '../../../src/bot/conversation/stale.js';
import { cast, reach } from '../../support/workflow-fixtures.js';

/** The guard on typed input asks the workflow (a dry run of the command the input ends in). */
describe('conversationFits', () => {
  it('an input of a kind the guard does not know does not fit (it used to fall through to «fits»)', () => {
    const d = reach('kanash-2020', 'in_work')!;
    expect(conversationFits({ kind: 'something-new', data: {}, staffId: 11 }, d.s, cast.roadsExec, d.ctx)).toBe(false);
    expect(conversationFits({ kind: 'draft', data: {}, staffId: 11 }, d.s, cast.roadsExec, d.ctx)).toBe(true);
  });

  it('a draft typed by someone who is not the responsible executor, or after the draft went for approval, does not fit', () => {
    const d = reach('akhty-2021', 'in_work')!;
    expect(conversationFits({ kind: 'draft', data: {}, staffId: 12 }, d.s, cast.roadsExec2, d.ctx)).toBe(false);
    const sent = reach('akhty-2021', 'on_approval')!;
    expect(conversationFits({ kind: 'draft', data: {}, staffId: 11 }, sent.s, cast.roadsExec, sent.ctx)).toBe(false);
    expect(conversationFits({ kind: 'rework-comment', data: {}, staffId: 1 }, sent.s, cast.admin, sent.ctx)).toBe(true);
  });

  it("a return reason typed after А7.2's window still reaches the workflow, which explains the window", () => {
    const d = reach('akhty-2021', 'assigned')!;
    const conv = { kind: 'return-reason', data: { assignmentSeq: 1 }, staffId: 11 };
    expect(conversationFits(conv, d.s, cast.roadsExec, d.ctx)).toBe(true);
    d.ctx.clock.advance(3 * 86_400_000);
    expect(conversationFits(conv, d.s, cast.roadsExec, d.ctx)).toBe(true);
    // Once the executor accepted and drafted, the responsible executor can no longer return (К9 · А7.2 edge).
    const drafting = reach('akhty-2021', 'drafting')!;
    expect(conversationFits(conv, drafting.s, cast.roadsExec, drafting.ctx)).toBe(false);
  });
});
