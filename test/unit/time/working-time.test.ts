import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendarDays, workingDays, workingHours, workingMinutes } from '../../../src/domain/time/duration.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';
import { calendarConfigSchema, scheduleConfigSchema } from '../../../src/domain/time/config.js';

const ZONE = 'Europe/Moscow';
const wt = createWorkingTime({ zone: ZONE, calendar: { warn: () => {} } });
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true });

describe('worked examples (Europe/Moscow, Mon–Fri 09:00–18:00, lunch 13:00–14:00)', () => {
  it('across New Year: 2 working hours from 30 Dec 17:00 end on 12 January 10:00', () => {
    expect(iso(wt.add(at('2025-12-30T17:00'), workingHours(2)))).toBe('2026-01-12T10:00:00+03:00');
    expect(iso(wt.add(at('2026-12-30T17:30'), workingHours(8)))).toBe('2027-01-11T17:30:00+03:00');
    expect(wt.workingMinutesBetween(at('2025-12-30T17:00'), at('2026-01-12T10:00'))).toBe(120);
  });

  it('May holidays: from a shortened 30 April across 1–4 May', () => {
    expect(iso(wt.add(at('2025-04-30T16:00'), workingHours(2)))).toBe('2025-05-05T10:00:00+03:00');
    expect(iso(wt.add(at('2025-05-07T17:00'), workingHours(2)))).toBe('2025-05-12T10:00:00+03:00'); // 8–11 May off
  });

  it('a shortened day ends at 17:00', () => {
    expect(wt.isWorkingTime(at('2026-11-03T16:59'))).toBe(true);
    expect(wt.isWorkingTime(at('2026-11-03T17:00'))).toBe(false);
    expect(iso(wt.add(at('2026-11-03T16:30'), workingHours(1)))).toBe('2026-11-05T09:30:00+03:00');
    expect(wt.workingMinutesOnDate('2026-11-03')).toBe(7 * 60);
  });

  it('lunch is not working time', () => {
    expect(wt.isWorkingTime(at('2026-03-10T13:30'))).toBe(false);
    expect(iso(wt.add(at('2026-03-10T12:30'), workingHours(1)))).toBe('2026-03-10T14:30:00+03:00');
    expect(iso(wt.nextWorkingMoment(at('2026-03-10T13:10')))).toBe('2026-03-10T14:00:00+03:00');
    expect(wt.workingMinutesBetween(at('2026-03-10T12:00'), at('2026-03-10T15:00'))).toBe(120);
  });

  it('Friday evening: 30 minutes from 17:55 end on Monday 09:25 (not overdue at 18:25)', () => {
    const due = wt.add(at('2026-03-13T17:55'), workingMinutes(30));
    expect(iso(due)).toBe('2026-03-16T09:25:00+03:00');
    expect(at('2026-03-13T18:25') < due).toBe(true);
    expect(iso(wt.nextWorkingMoment(at('2026-03-13T18:00')))).toBe('2026-03-16T09:00:00+03:00');
  });

  it('moved working Saturdays of 2024: 27 April, 2 November (shortened), 28 December', () => {
    expect(wt.isWorkingTime(at('2024-04-27T10:00'))).toBe(true);
    expect(iso(wt.add(at('2024-04-26T17:00'), workingHours(2)))).toBe('2024-04-27T10:00:00+03:00');
    expect(iso(wt.add(at('2024-04-27T17:00'), workingHours(2)))).toBe('2024-05-02T10:00:00+03:00'); // 28 Apr Sun, 29–30 Apr, 1 May off
    expect(iso(wt.add(at('2024-11-02T16:30'), workingHours(1)))).toBe('2024-11-05T09:30:00+03:00');
    expect(iso(wt.add(at('2024-12-27T17:00'), workingHours(8)))).toBe('2024-12-28T17:00:00+03:00');
    expect(iso(wt.add(at('2024-12-28T17:30'), workingHours(1)))).toBe('2025-01-09T09:30:00+03:00');
  });

  it('working days: the same time of day on the N-th following working day', () => {
    expect(iso(wt.add(at('2026-12-30T17:30'), workingDays(2)))).toBe('2027-01-12T17:30:00+03:00');
    expect(iso(wt.add(at('2026-03-10T12:30'), workingDays(1)))).toBe('2026-03-11T12:30:00+03:00');
    // a start outside working time first moves to the next working moment (Monday 09:00)
    expect(iso(wt.add(at('2026-03-14T12:00'), workingDays(1)))).toBe('2026-03-17T09:00:00+03:00');
    // the time of day is past the end of a shortened target day: the day's end
    expect(iso(wt.add(at('2026-11-02T17:30'), workingDays(1)))).toBe('2026-11-03T17:00:00+03:00');
    // К15: 7 working days
    expect(iso(wt.add(at('2026-03-12T10:00'), workingDays(7)))).toBe('2026-03-23T10:00:00+03:00');
  });

  it('subtracts working time (draft lead time)', () => {
    expect(iso(wt.subtract(at('2026-03-12T10:00'), workingHours(3)))).toBe('2026-03-11T16:00:00+03:00');
    expect(iso(wt.subtract(at('2027-01-11T10:00'), workingHours(3)))).toBe('2026-12-30T16:00:00+03:00');
    expect(iso(wt.subtract(at('2026-03-10T14:30'), workingHours(1)))).toBe('2026-03-10T12:30:00+03:00');
    expect(iso(wt.subtract(at('2026-03-17T09:00'), workingDays(1)))).toBe('2026-03-16T09:00:00+03:00');
  });

  it('calendar basis is plain wall-clock arithmetic in the zone', () => {
    expect(iso(wt.add(at('2026-12-30T17:30'), calendarDays(30)))).toBe('2027-01-29T17:30:00+03:00');
    expect(iso(wt.add(at('2026-12-30T17:30'), { amount: 45, unit: 'minutes', basis: 'calendar' }))).toBe('2026-12-30T18:15:00+03:00');
  });

  it('results are in the organization zone whatever the input zone', () => {
    const utc = DateTime.fromISO('2026-03-10T07:00:00Z');
    expect(iso(wt.add(utc, workingHours(1)))).toBe('2026-03-10T11:00:00+03:00');
    const r = wt.add(utc, workingHours(1));
    expect(r.zoneName).toBe(ZONE);
    expect(r.equals(at('2026-03-10T11:00'))).toBe(true);
    expect(r.plus({ months: 5 }).toISO()).toBe('2026-08-10T11:00:00.000+03:00');
  });
});

describe('schedules', () => {
  it('custom hours per weekday, no lunch and a short Friday', () => {
    const s = scheduleConfigSchema.parse({ hours: { fri: { start: '08:00', end: '15:45' } }, lunch: null });
    const w = createWorkingTime({ zone: ZONE, calendar: { warn: () => {} }, schedule: s });
    expect(w.workingMinutesOnDate('2026-03-13')).toBe(7 * 60 + 45);
    expect(w.workingMinutesOnDate('2026-03-12')).toBe(9 * 60);
    expect(iso(w.add(at('2026-03-12T17:30'), workingHours(1)))).toBe('2026-03-13T08:30:00+03:00');
  });

  it('a six-day schedule works ordinary Saturdays but not holidays', () => {
    const w = createWorkingTime({ zone: ZONE, calendar: { warn: () => {} }, schedule: { hours: { sat: { start: '09:00', end: '14:00' } } } });
    expect(w.isWorkingDate('2026-03-14')).toBe(true);
    expect(w.isWorkingDate('2026-01-03')).toBe(false); // a holiday on a Saturday
  });

  it('validates the organization file sections', () => {
    expect(scheduleConfigSchema.safeParse({ hours: { mon: { start: '18:00', end: '09:00' } } }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ hours: { mon: { start: '9:00', end: '18:00' } } }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ hours: { sun: null }, lunch: { start: '12:00', end: '12:45' } }).success).toBe(true);
    expect(calendarConfigSchema.safeParse({ region: 'RU-CU', extraDaysOff: ['2026-02-30'] }).success).toBe(false);
    expect(calendarConfigSchema.safeParse({ region: 'RU-DA', extraDaysOff: ['2026-03-20'] }).success).toBe(true);
    expect(calendarConfigSchema.safeParse({ region: 'RU-CU', extra: 1 }).success).toBe(false);
  });
});

describe('working minutes over long spans', () => {
  it('equal the sum of their day-long pieces, whichever span is asked first (the table grows both ways)', () => {
    const fresh = createWorkingTime({ zone: ZONE, calendar: { warn: () => {} } });
    const ms = (text: string) => DateTime.fromISO(text, { zone: ZONE }).toMillis();
    const pieces = (a: number, b: number) => {
      let sum = 0;
      for (let t = a; t < b; t += 86_400_000) sum += fresh.workingMinutesBetweenMillis!(t, Math.min(b, t + 86_400_000));
      return sum;
    };
    // December first, then spans reaching back to September and forward to February, across the New Year holidays.
    for (const [a, b] of [
      ['2026-12-02T10:17', '2026-12-21T15:40'],
      ['2026-09-03T11:05', '2026-12-01T09:00'],
      ['2026-11-30T16:59', '2027-02-10T08:30'],
    ]) {
      const [ma, mb] = [ms(a!), ms(b!)];
      expect(fresh.workingMinutesBetweenMillis!(ma, mb), `${a} → ${b}`).toBe(pieces(ma, mb));
    }
  });
});
