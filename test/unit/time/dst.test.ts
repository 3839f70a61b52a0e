import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { workingDays, workingHours } from '../../../src/domain/time/duration.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';

// Europe/Berlin changes its offset on 29 March 2026 (+01:00 → +02:00) and 25 October 2026 (back).
const ZONE = 'Europe/Berlin';
const wt = createWorkingTime({ zone: ZONE, calendar: { warn: () => {} } });
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true });

describe('a zone with daylight-saving time', () => {
  it('keeps wall-clock working hours across the spring change', () => {
    expect(iso(wt.add(at('2026-03-27T17:00'), workingHours(2)))).toBe('2026-03-30T10:00:00+02:00');
    expect(wt.workingMinutesBetween(at('2026-03-27T09:00'), at('2026-03-30T09:00'))).toBe(480);
    expect(iso(wt.nextWorkingMoment(at('2026-03-28T12:00')))).toBe('2026-03-30T09:00:00+02:00');
  });

  it('keeps wall-clock working hours across the autumn change', () => {
    expect(iso(wt.add(at('2026-10-23T10:00'), workingDays(1)))).toBe('2026-10-26T10:00:00+01:00');
    expect(iso(wt.subtract(at('2026-10-26T10:00'), workingHours(2)))).toBe('2026-10-23T17:00:00+02:00');
    expect(wt.workingMinutesBetween(at('2026-10-23T09:00'), at('2026-10-26T18:00'))).toBe(960);
  });

  it('a schedule running through the night of the change counts real minutes', () => {
    const night = createWorkingTime({
      zone: ZONE,
      calendar: { warn: () => {} },
      schedule: { hours: { sun: { start: '00:00', end: '06:00' } }, lunch: null },
    });
    // 29 March 2026: 02:00 does not exist, so the night shift lasts 5 real hours.
    expect(night.workingMinutesOnDate('2026-03-29')).toBe(300);
    // 25 October 2026: 02:00–03:00 happens twice, 7 real hours.
    expect(night.workingMinutesOnDate('2026-10-25')).toBe(420);
  });
});
