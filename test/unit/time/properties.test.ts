import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Duration } from '../../../src/domain/time/duration.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';

const zones = ['Europe/Moscow', 'Europe/Berlin'] as const;
const START = Date.UTC(2024, 0, 1);
const END = Date.UTC(2027, 9, 1);

const instant = fc.integer({ min: START / 60_000, max: END / 60_000 }).map((m) => m * 60_000 + 0);
const workingDuration: fc.Arbitrary<Duration> = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((amount) => ({ amount, unit: 'minutes' as const, basis: 'working' as const })),
  fc.integer({ min: 1, max: 200 }).map((amount) => ({ amount, unit: 'hours' as const, basis: 'working' as const })),
  fc.integer({ min: 1, max: 40 }).map((amount) => ({ amount, unit: 'days' as const, basis: 'working' as const })),
);

for (const zone of zones) {
  describe(`working-time properties in ${zone}`, () => {
    const wt = createWorkingTime({ zone, calendar: { warn: () => {} } });
    const dt = (ms: number) => DateTime.fromMillis(ms, { zone });

    it('adding working minutes/hours then measuring gives the amount back', () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: 1, max: 30_000 }), (ms, minutes) => {
          const end = wt.add(dt(ms), { amount: minutes, unit: 'minutes', basis: 'working' });
          expect(wt.workingMinutesBetween(dt(ms), end)).toBe(minutes);
        }),
        { numRuns: 300 },
      );
    });

    it('subtracting then measuring gives the amount back', () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: 1, max: 30_000 }), (ms, minutes) => {
          const start = wt.subtract(dt(ms), { amount: minutes, unit: 'minutes', basis: 'working' });
          expect(wt.workingMinutesBetween(start, dt(ms))).toBe(minutes);
        }),
        { numRuns: 300 },
      );
    });

    it('a working-basis result is never inside non-working time (working, or the end of a working period)', () => {
      fc.assert(
        fc.property(instant, workingDuration, (ms, d) => {
          const r = wt.add(dt(ms), d);
          expect(wt.isWorkingTime(r) || wt.isWorkingTime(r.minus({ milliseconds: 1 }))).toBe(true);
          expect(r > dt(ms)).toBe(true);
        }),
        { numRuns: 400 },
      );
    });

    it('adding is monotonic in the start and in the amount', () => {
      fc.assert(
        fc.property(instant, instant, workingDuration, fc.integer({ min: 0, max: 500 }), (a, b, d, extra) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(wt.add(dt(lo), d).toMillis()).toBeLessThanOrEqual(wt.add(dt(hi), d).toMillis());
          const more = { ...d, amount: d.amount + extra };
          expect(wt.add(dt(lo), d).toMillis()).toBeLessThanOrEqual(wt.add(dt(lo), more).toMillis());
        }),
        { numRuns: 400 },
      );
    });

    it('nextWorkingMoment is working time, not before t, with no working time in between', () => {
      fc.assert(
        fc.property(instant, (ms) => {
          const n = wt.nextWorkingMoment(dt(ms));
          expect(wt.isWorkingTime(n)).toBe(true);
          expect(n.toMillis()).toBeGreaterThanOrEqual(ms);
          expect(wt.workingMinutesBetween(dt(ms), n)).toBe(0);
        }),
        { numRuns: 300 },
      );
    });
  });
}
