import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { findPromisedTerm, promisedInstant } from '../../../src/domain/text/promised-term.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';

const ZONE = 'Europe/Moscow';
const wt = createWorkingTime({ zone: ZONE, calendar: { warn: () => {} } });
const now = DateTime.fromISO('2026-11-30T10:00', { zone: ZONE });
const iso = (ms: number | null) => (ms === null ? null : DateTime.fromMillis(ms, { zone: ZONE }).toISO({ suppressMilliseconds: true }));
const date = (text: string) => {
  const t = findPromisedTerm(text, now);
  return t && t.kind === 'date' ? `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}` : t;
};

describe('findPromisedTerm: the term stated in ordinary Russian', () => {
  it('dates with a preposition, with and without the year', () => {
    expect(date('Ремонт будет выполнен до 25 декабря.')).toBe('2026-12-25');
    expect(date('Ответ дадим до 25.12.2026, спасибо.')).toBe('2026-12-25');
    expect(date('Работы завершат к 1 марта 2027 года')).toBe('2027-03-01');
    expect(date('не позднее 5 мая 2027 г.')).toBe('2027-05-05');
    expect(date('в срок до 10.01')).toBe('2027-01-10'); // 10 January has passed this year → next year
    expect(date('до 3 декабря')).toBe('2026-12-03');
    // A numeric date closing the sentence: the full stop is not part of the date.
    expect(date('Ответим до 25.12.')).toBe('2026-12-25');
    expect(date('Ответ дадим до 25.12.2026.')).toBe('2026-12-25');
  });

  it('a date typed alone is a date', () => {
    expect(date('25.12.2026')).toBe('2026-12-25');
    expect(date('7 марта')).toBe('2027-03-07');
  });

  it('periods in working or calendar days, weeks and months', () => {
    expect(findPromisedTerm('Ответ будет дан в течение 10 рабочих дней.', now)).toMatchObject({ kind: 'period', duration: { amount: 10, unit: 'days', basis: 'working' } });
    expect(findPromisedTerm('в течение пяти дней', now)).toMatchObject({ kind: 'period', duration: { amount: 5, unit: 'days', basis: 'calendar' } });
    expect(findPromisedTerm('в течение двух недель', now)).toMatchObject({ kind: 'period', duration: { amount: 14, basis: 'calendar' } });
    expect(findPromisedTerm('в течение месяца', now)).toMatchObject({ kind: 'period', duration: { amount: 30, basis: 'calendar' } });
  });

  it('conditions instead of a date (А7.8 «срок или условия»)', () => {
    expect(findPromisedTerm('Ямочный ремонт выполним после схода снега.', now)).toEqual({ kind: 'condition', text: 'после схода снега', phrase: 'после схода снега' });
    expect(findPromisedTerm('Работы начнутся после заключения контракта, о сроках сообщим', now)).toMatchObject({ kind: 'condition', text: 'после заключения контракта' });
  });

  it('the first term in the text wins; a date beats a condition; nothing found is null', () => {
    expect(date('До 20 декабря проверим, к 1 марта 2027 года отремонтируем')).toBe('2026-12-20');
    expect(date('после схода снега, но не позднее 15.04.2027')).toBe('2027-04-15');
    expect(findPromisedTerm('Спасибо за обращение, разбираемся.', now)).toBeNull();
    expect(findPromisedTerm('Дом 25.12 по улице', now)).toBeNull(); // a number without a preposition is not a term
    expect(date('до 31.02.2027')).toBeNull(); // no such day
  });
});

describe('promisedInstant: the control moment of a term', () => {
  it('a date is kept to the end of that working day; a day off falls back to the last working day before', () => {
    expect(iso(promisedInstant(findPromisedTerm('до 25.12.2026', now)!, wt, now))).toBe('2026-12-25T18:00:00+03:00');
    // 3 January 2027 is a holiday and 31 December 2026 a day off: the promise is kept by the end of 30 December.
    expect(iso(promisedInstant(findPromisedTerm('до 03.01.2027', now)!, wt, now))).toBe('2026-12-30T18:00:00+03:00');
  });

  it('a period counts from now in working time; a condition has no instant', () => {
    expect(iso(promisedInstant(findPromisedTerm('в течение 10 рабочих дней', now)!, wt, now))).toBe('2026-12-14T10:00:00+03:00');
    expect(promisedInstant(findPromisedTerm('после схода снега', now)!, wt, now)).toBeNull();
  });
});
