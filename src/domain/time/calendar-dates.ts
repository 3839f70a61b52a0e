import type { ProductionCalendar } from './calendar.js';
import { dayNumber, daysInYear, formatIsoDate, isWeekend } from './dates.js';

/** The dates of a year that differ from a plain five-day week, as a published calendar lists them. */
export interface YearDates {
  /** Non-working days falling on Monday–Friday: holidays, moved days off, regional and declared days off. */
  daysOff: string[];
  /** Saturdays and Sundays that are non-working holidays (they may move a day off elsewhere). */
  weekendHolidays: string[];
  /** Working days one hour shorter (Labor Code art.95). */
  shortened: string[];
  /** Saturdays and Sundays made working days by a decree. */
  workingWeekends: string[];
}

export function listYearDates(cal: ProductionCalendar, year: number): YearDates {
  const out: YearDates = { daysOff: [], weekendHolidays: [], shortened: [], workingWeekends: [] };
  const start = dayNumber(year, 1, 1);
  for (let i = 0; i < daysInYear(year); i++) {
    const dn = start + i;
    const weekend = isWeekend(dn);
    const s = cal.status(dn);
    const iso = formatIsoDate(dn);
    if (s === 'off') (weekend ? out.weekendHolidays : out.daysOff).push(iso);
    else if (s === 'short') out.shortened.push(iso);
    if (weekend && (s === 'work' || s === 'short')) out.workingWeekends.push(iso);
  }
  return out;
}
