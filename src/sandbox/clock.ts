import { DateTime } from 'luxon';
import type { WorkingTime } from '../domain/time/types.js';
import { workingHours } from '../domain/time/duration.js';
import { MONTHLY_TIME } from '../scheduler/index.js';
import type { ClockStep } from './clock-steps.js';

/**
 * The sandbox's clock steps, so a trainer sees reminders, breaches, the digest and the monthly summary
 * in minutes. Pure: the target instant from "now" and the organization's working time.
 */
export { CLOCK_STEPS, isClockStep, type ClockStep } from './clock-steps.js';

/** The end of the working day that holds `t` (or of the next working day when `t` is after hours). */
function endOfWorkingDay(t: DateTime, wt: WorkingTime): DateTime {
  let day = wt.nextWorkingMoment(t);
  const midnight = day.startOf('day').plus({ days: 1 });
  const left = wt.workingMinutesBetween(day, midnight);
  day = wt.add(day, { amount: left, unit: 'minutes', basis: 'working' });
  return day;
}

export function clockTarget(step: ClockStep, now: DateTime, wt: WorkingTime): DateTime {
  const local = now.setZone(wt.zone);
  switch (step) {
    case 'work-hour':
      return wt.add(local, workingHours(1));
    case 'end-of-day': {
      const end = endOfWorkingDay(local, wt);
      // Already at the end of today's work: the end of the next working day.
      return end > local ? end : endOfWorkingDay(end.plus({ minutes: 1 }), wt);
    }
    case 'next-work-day':
      return wt.nextWorkingMoment(local.startOf('day').plus({ days: 1 }));
    case 'next-month': {
      const [h, m] = MONTHLY_TIME.split(':').map(Number) as [number, number];
      return local.startOf('month').plus({ months: 1 }).set({ hour: h, minute: m });
    }
  }
}
