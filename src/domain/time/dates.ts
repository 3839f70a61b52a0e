/**
 * Civil-date arithmetic on day numbers (days since 1970-01-01), with no time zone and no `Date`.
 * Used by the calendar and working-time code so that walking over days costs integer operations.
 */

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

/** Day number of a civil date (proleptic Gregorian; H. Hinnant's days_from_civil). */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number. */
export function civilDate(dn: number): CivilDate {
  const z = dn + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday of a day number: 1 Monday … 7 Sunday. */
export function isoWeekday(dn: number): number {
  return ((((dn + 3) % 7) + 7) % 7) + 1;
}

export const isWeekend = (dn: number): boolean => isoWeekday(dn) >= 6;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of an ISO date `YYYY-MM-DD`; throws on a malformed or impossible date. */
export function parseIsoDate(s: string): number {
  const m = ISO_DATE.exec(s);
  if (!m) throw new Error(`"${s}" is not an ISO date (YYYY-MM-DD)`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dn = dayNumber(year, month, day);
  const back = civilDate(dn);
  if (back.year !== year || back.month !== month || back.day !== day) throw new Error(`"${s}" is not a valid date`);
  return dn;
}

export function isValidIsoDate(s: string): boolean {
  try {
    parseIsoDate(s);
    return true;
  } catch {
    return false;
  }
}

export function formatIsoDate(dn: number): string {
  const { year, month, day } = civilDate(dn);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const daysInYear = (y: number): number => (isLeapYear(y) ? 366 : 365);
export function daysInMonth(y: number, m: number): number {
  return dayNumber(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - dayNumber(y, m, 1);
}
