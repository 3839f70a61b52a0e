import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/domain/regulation/presets/index.js';
import { regulationTimeline, UnknownImportanceError } from '../../../src/domain/regulation/timeline.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';

const ZONE = 'Europe/Moscow';
const wt = createWorkingTime({ zone: ZONE, calendar: { warn: () => {} } });
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const table = (preset: string, from: string, importance?: string) =>
  Object.fromEntries(regulationTimeline(PRESETS[preset]!, wt, at(from), importance).stages.map((s) => [s.id, s.at ? s.at.toISO({ suppressMilliseconds: true }) : null]));

describe('every deadline of kanash-2020 (case detected Wednesday 11 March 2026, 10:00)', () => {
  const t = table('kanash-2020', '2026-03-11T10:00');
  it('reproduces К8–К16', () => {
    expect(t).toEqual({
      detected: '2026-03-11T10:00:00+03:00',
      routed: null, // К8 «оперативно»: no number
      executorReturn: '2026-03-11T10:30:00+03:00', // К9: 30 min
      reassigned: '2026-03-11T10:45:00+03:00', // К9: 15 min
      coExecutorPart: '2026-03-11T12:00:00+03:00', // К16: 2 working hours
      draftAgreed: '2026-03-11T16:00:00+03:00', // К11: agreed before it is sent
      draft: '2026-03-11T16:00:00+03:00', // К11: 3 working hours before the К10 deadline
      approved: '2026-03-11T17:00:00+03:00', // К12: 1 working hour
      published: '2026-03-11T17:30:00+03:00', // К14: 30 min
      answerDeadline: '2026-03-12T10:00:00+03:00', // К10: 8 working hours (7 on Wednesday + 1 on Thursday)
      reworked: '2026-03-11T18:00:00+03:00', // К13: 1 working hour
      reapproved: '2026-03-12T10:00:00+03:00', // К12 again
      publishedAfterRework: '2026-03-12T10:30:00+03:00', // К14: past К10 when every step takes its full time
      finalAfterIntermediate: '2026-03-23T10:00:00+03:00', // К15: 7 working days
    });
  });
  it('names who acts by the local role titles', () => {
    const tl = regulationTimeline(PRESETS['kanash-2020']!, wt, at('2026-03-11T10:00'));
    const s = Object.fromEntries(tl.stages.map((x) => [x.id, x]));
    expect(s.published!.roleTitle.ru).toBe('исполнитель'); // К14
    expect(s.approved!.roleTitle.ru).toMatch(/^куратор/); // К12
    expect(s.publishedAfterRework!.afterAnswerDeadline).toBe(true);
    expect(s.published!.afterAnswerDeadline).toBe(false);
  });
  it('refuses an importance the regulation does not have', () => {
    expect(() => regulationTimeline(PRESETS['kanash-2020']!, wt, at('2026-03-11T10:00'), 'urgent')).toThrow(UnknownImportanceError);
  });
});

describe('every deadline of akhty-2021', () => {
  it('«оперативно» (default): 2 working days (А7.1–А7.10)', () => {
    expect(table('akhty-2021', '2026-03-11T10:00')).toEqual({
      detected: '2026-03-11T10:00:00+03:00',
      acknowledged: '2026-03-11T10:30:00+03:00', // А7.1: before routing
      routed: '2026-03-11T10:30:00+03:00', // А7.1: 30 min
      executorReturn: '2026-03-11T11:00:00+03:00', // А7.2: 30 min
      notCompetentNotice: null, // А7.12: no term
      coExecutorPart: '2026-03-11T12:30:00+03:00', // А7.10: 2 hours
      draft: '2026-03-13T09:00:00+03:00', // А7.4: 1 hour before
      approved: '2026-03-13T09:30:00+03:00', // А7.5: 30 min
      published: '2026-03-13T10:00:00+03:00', // А7.7: 30 min — exactly the А7.3 deadline
      answerDeadline: '2026-03-13T10:00:00+03:00', // А7.3: 2 working days
      reworked: '2026-03-13T10:30:00+03:00', // А7.6: 1 hour
      reapproved: '2026-03-13T11:00:00+03:00',
      publishedAfterRework: '2026-03-13T11:30:00+03:00',
      finalAfterIntermediate: null, // А7.8: the term stated in the intermediate answer
      maxExtension: '2026-04-12T10:00:00+03:00', // А7.9: 30 calendar days
    });
  });
  it('«срочно»: 3 working hours, reported to the head at once (А7.3, А17)', () => {
    const t = table('akhty-2021', '2026-03-11T10:00', 'urgent');
    expect(t.headNotified).toBe('2026-03-11T10:00:00+03:00');
    expect(t.answerDeadline).toBe('2026-03-11T13:00:00+03:00');
    expect(t.draft).toBe('2026-03-11T12:00:00+03:00');
    expect(t.approved).toBe('2026-03-11T12:30:00+03:00');
    expect(t.published).toBe('2026-03-11T13:00:00+03:00');
  });
  it('Friday 17:55: routing is due Monday 09:25, not 18:25', () => {
    expect(table('akhty-2021', '2026-03-13T17:55').routed).toBe('2026-03-16T09:25:00+03:00');
  });
  it('the issue example: kanash-2020 from 30 December 2026 17:30 answers on 11 January 2027', () => {
    const t = table('kanash-2020', '2026-12-30T17:30');
    expect(t.answerDeadline).toBe('2027-01-11T17:30:00+03:00');
    expect(t.draft).toBe('2027-01-11T14:30:00+03:00');
    expect(t.executorReturn).toBe('2026-12-30T18:00:00+03:00');
    expect(t.reassigned).toBe('2027-01-11T09:15:00+03:00');
  });
});
