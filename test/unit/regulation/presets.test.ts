import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/domain/regulation/presets/index.js';
import { regulationSchema } from '../../../src/domain/regulation/schema.js';

const kanash = PRESETS['kanash-2020']!;
const akhty = PRESETS['akhty-2021']!;
const w = (amount: number, unit: 'minutes' | 'hours' | 'days', clause: string, basis: 'working' | 'calendar' = 'working') => ({
  duration: { amount, unit, basis },
  clause,
});

describe('kanash-2020 encodes Постановление № 610 clause by clause', () => {
  it('is a valid profile', () => expect(regulationSchema.safeParse(kanash).success).toBe(true));
  it('К10: answer within 8 working hours of detection; the only importance level', () => {
    expect(kanash.importance.levels.map((l) => l.id)).toEqual(['normal']);
    expect(kanash.importance.default).toBe('normal');
    expect(kanash.importance.levels[0]!.answer).toEqual(w(8, 'hours', 'К10'));
  });
  it('windows К8, К9, К11–К16', () => {
    expect(kanash.windows).toEqual({
      routing: null, // К8 «оперативно»
      executorReturn: w(30, 'minutes', 'К9'),
      reassign: w(15, 'minutes', 'К9'),
      draftLeadTime: w(3, 'hours', 'К11'),
      departmentHeadApproval: null,
      approval: w(1, 'hours', 'К12'),
      rework: w(1, 'hours', 'К13'),
      publish: w(30, 'minutes', 'К14'),
      coExecutorPart: w(2, 'hours', 'К16'),
      finalAfterIntermediate: w(7, 'days', 'К15'),
      maxExtension: null,
    });
  });
  it('rules, reasons and recipients', () => {
    expect(kanash.rules).toEqual({
      publisher: 'executor', // К14
      acknowledgeAuthor: false,
      notifyNotCompetent: false,
      intermediateStatesTerm: false,
      notifyExtension: false,
      urgentPushToHead: false,
      draftAgreedWithDepartmentHead: true, // К11
      bansAllowed: false,
      repeatNeedsMeasures: true, // К17
    });
    expect(kanash.rejectionReasons.map((r) => [r.id, r.clause])).toEqual([
      ['harm_intent', 'К19'],
      ['obscene_or_offensive', 'К19'],
      ['threats', 'К19'],
    ]);
    expect(kanash.banReasons).toEqual([]);
    expect(kanash.recipients.monthlySummary).toEqual(['coordinator']); // К22
    expect(kanash.recipients.violations).toEqual(['coordinator']); // К21
    expect(kanash.roleTitles.administrator.ru).toMatch(/куратор/); // К6
  });
});

describe('akhty-2021 encodes Распоряжение № 20 clause by clause', () => {
  it('is a valid profile', () => expect(regulationSchema.safeParse(akhty).success).toBe(true));
  it('А7.3: «срочно» 3 working hours, «оперативно» 2 working days', () => {
    const byId = Object.fromEntries(akhty.importance.levels.map((l) => [l.id, l]));
    expect(byId.urgent!.answer).toEqual(w(3, 'hours', 'А7.3'));
    expect(byId.urgent!.title.ru).toBe('срочно');
    expect(byId.urgent!.urgent).toBe(true);
    expect(byId.operative!.answer).toEqual(w(2, 'days', 'А7.3'));
    expect(byId.operative!.title.ru).toBe('оперативно');
    expect(akhty.importance.default).toBe('operative');
  });
  it('windows А7.1–А7.10', () => {
    expect(akhty.windows).toEqual({
      routing: w(30, 'minutes', 'А7.1'),
      executorReturn: w(30, 'minutes', 'А7.2'),
      reassign: null,
      draftLeadTime: w(1, 'hours', 'А7.4'),
      departmentHeadApproval: null,
      approval: w(30, 'minutes', 'А7.5'),
      rework: w(1, 'hours', 'А7.6'),
      publish: w(30, 'minutes', 'А7.7'),
      coExecutorPart: w(2, 'hours', 'А7.10'),
      finalAfterIntermediate: null, // А7.8: the term is stated in the intermediate answer
      maxExtension: w(30, 'days', 'А7.9', 'calendar'),
    });
  });
  it('rules, reasons and recipients', () => {
    expect(akhty.rules).toEqual({
      publisher: 'administrator', // А7.7
      acknowledgeAuthor: true, // А7.1
      notifyNotCompetent: true, // А7.12
      intermediateStatesTerm: true, // А7.8
      notifyExtension: true, // А7.9
      urgentPushToHead: true, // А17
      draftAgreedWithDepartmentHead: false,
      bansAllowed: true, // А10
      repeatNeedsMeasures: true, // А7.11
    });
    expect(akhty.rejectionReasons.map((r) => r.id)).toEqual(['incorrect_content', 'harm_intent', 'obscene_or_offensive', 'threats']);
    expect(akhty.rejectionReasons.every((r) => r.clause === 'А9')).toBe(true);
    expect(akhty.banReasons.map((r) => [r.id, r.vkReason])).toEqual([
      ['insults', 2],
      ['illegal_calls', 0],
      ['advertising', 1],
      ['off_topic', 4],
      ['spam', 1],
    ]);
    expect(akhty.recipients).toEqual({ monthlySummary: ['coordinator'], violations: ['coordinator', 'deputy'], urgent: ['head'] });
  });
});
