import path from 'node:path';
import { ART112_HOLIDAYS } from './calendar.js';
import { type CalendarYear, calendarYearSchema } from './calendar-data.js';
import { dayNumber, formatIsoDate, isWeekend } from './dates.js';

/**
 * Parsers for the xmlcalendar format (xmlcalendar.ru and its mirrors), producing the same per-year
 * structure as data/calendar/ru.json (`CalendarYear`). Pure: text in, data out.
 *
 * XML: `<calendar year="2026" …><holidays>…</holidays><days><day d="MM.DD" t="1|2|3" h="id" f="MM.DD"/>…`
 *   t=1 day off, t=2 shortened working day, t=3 working Saturday/Sunday; f: the date a day off moved from.
 * JSON: `{"year":2026,"months":[{"month":1,"days":"1,2,3,9+,30*"},…],"transitions":[{"from":"01.03","to":"01.09"}]}`
 *   the listed days are the non-working days (ordinary weekends included), `+` a transferred day off,
 *   `*` a shortened working day; a Saturday/Sunday not listed is a working day.
 */

export class CalendarParseError extends Error {}

export interface ParseOptions {
  /** Set when the file is a region's full calendar (e.g. RU-DA); null: federal. */
  region?: string | null;
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)\s*=\s*"([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

function mmdd(year: number, s: string, where: string): number {
  const m = /^(\d{1,2})\.(\d{1,2})$/.exec(s.trim());
  if (!m) throw new CalendarParseError(`${where}: "${s}" is not MM.DD`);
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1 || day > 31) throw new CalendarParseError(`${where}: "${s}" is not a date`);
  return dayNumber(year, month, day);
}

function finish(
  year: number,
  region: string | null,
  off: Set<number>,
  working: Set<number>,
  short: Set<number>,
  holidays: Set<number>,
  transfers: { from: string; to: string }[],
  source: string,
): CalendarYear {
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b).map(formatIsoDate);
  const parsed = calendarYearSchema.safeParse({
    year,
    region,
    provisional: false,
    source,
    holidays: sorted(holidays),
    daysOff: sorted(off),
    workingDays: sorted(working),
    shortDays: sorted(short),
    transfers,
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new CalendarParseError(`${i.path.join('.')}: ${i.message}`);
  }
  return parsed.data;
}

export function parseXmlCalendar(text: string, opts: ParseOptions = {}): CalendarYear {
  const cal = /<calendar\b([^>]*)>/.exec(text);
  if (!cal) throw new CalendarParseError('no <calendar> element');
  const a = attrs(cal[1]!);
  const year = Number(a.year);
  if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new CalendarParseError(`<calendar year="${a.year ?? ''}">: not a year`);
  const off = new Set<number>();
  const working = new Set<number>();
  const short = new Set<number>();
  const holidays = new Set<number>();
  const transfers: { from: string; to: string }[] = [];
  let n = 0;
  for (const m of text.matchAll(/<day\b([^>]*?)\/?>/g)) {
    n++;
    const d = attrs(m[1]!);
    const where = `<day d="${d.d ?? ''}">`;
    if (!d.d) throw new CalendarParseError(`${where}: attribute d is missing`);
    const dn = mmdd(year, d.d, where);
    switch (d.t) {
      case '1':
        off.add(dn);
        if (d.h) holidays.add(dn);
        break;
      case '2':
        short.add(dn);
        if (isWeekend(dn)) working.add(dn);
        break;
      case '3':
        working.add(dn);
        break;
      default:
        throw new CalendarParseError(`${where}: t="${d.t ?? ''}" is not 1, 2 or 3`);
    }
    if (d.f) transfers.push({ from: formatIsoDate(mmdd(year, d.f, where)), to: formatIsoDate(dn) });
  }
  if (n === 0) throw new CalendarParseError('no <day> elements');
  const source = `xmlcalendar XML${a.date ? ` от ${a.date}` : ''}${a.country ? ` (${a.country})` : ''}`;
  return finish(year, opts.region ?? null, off, working, short, holidays, transfers, source);
}

export function parseJsonCalendar(text: string, opts: ParseOptions = {}): CalendarYear {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CalendarParseError(`not JSON: ${(e as Error).message}`);
  }
  const r = raw as { year?: unknown; months?: unknown; transitions?: unknown };
  const year = Number(r.year);
  if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new CalendarParseError('year: not a year');
  if (!Array.isArray(r.months) || r.months.length === 0) throw new CalendarParseError('months: expected an array of 12 months');
  const holidaySet = new Set<string>(ART112_HOLIDAYS);
  const off = new Set<number>();
  const working = new Set<number>();
  const short = new Set<number>();
  const holidays = new Set<number>();
  const listed = new Set<number>();
  r.months.forEach((mo: { month?: unknown; days?: unknown }, idx: number) => {
    const month = Number(mo.month);
    if (!Number.isInteger(month) || month < 1 || month > 12) throw new CalendarParseError(`months.${idx}.month: not a month`);
    if (typeof mo.days !== 'string') throw new CalendarParseError(`months.${idx}.days: expected a string like "1,2,3+,30*"`);
    for (const tok of mo.days
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = /^(\d{1,2})([*+]?)$/.exec(tok);
      if (!m) throw new CalendarParseError(`months.${idx}.days: "${tok}" is not a day`);
      const dn = dayNumber(year, month, Number(m[1]));
      listed.add(dn);
      const md = `${String(month).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
      if (m[2] === '*') {
        short.add(dn);
        listed.delete(dn); // a shortened day is a working day
        if (isWeekend(dn)) working.add(dn);
      } else if (!isWeekend(dn) || m[2] === '+' || holidaySet.has(md)) {
        off.add(dn);
        if (holidaySet.has(md)) holidays.add(dn);
      }
    }
  });
  // A Saturday or Sunday not listed as a day off is a working day.
  const months = new Set(r.months.map((mo: { month?: unknown }) => Number(mo.month)));
  for (let dn = dayNumber(year, 1, 1); dn < dayNumber(year + 1, 1, 1); dn++) {
    if (isWeekend(dn) && !listed.has(dn) && !short.has(dn)) {
      const month = Number(formatIsoDate(dn).slice(5, 7));
      if (months.has(month)) working.add(dn);
    }
  }
  const transfers: { from: string; to: string }[] = [];
  if (Array.isArray(r.transitions)) {
    r.transitions.forEach((t: { from?: unknown; to?: unknown }, i: number) => {
      if (typeof t.from !== 'string' || typeof t.to !== 'string') throw new CalendarParseError(`transitions.${i}: expected {from, to}`);
      transfers.push({ from: formatIsoDate(mmdd(year, t.from, `transitions.${i}.from`)), to: formatIsoDate(mmdd(year, t.to, `transitions.${i}.to`)) });
    });
  }
  return finish(year, opts.region ?? null, off, working, short, holidays, transfers, 'xmlcalendar JSON');
}

/** Parse an xmlcalendar file by its extension (.xml / .json) or, failing that, its first character. */
export function parseCalendarFile(text: string, filename: string, opts: ParseOptions = {}): CalendarYear {
  const ext = path.extname(filename).toLowerCase();
  const trimmed = text.trimStart().replace(/^\uFEFF/, '');
  const isXml = ext === '.xml' || (ext !== '.json' && trimmed.startsWith('<'));
  try {
    return isXml ? parseXmlCalendar(trimmed, opts) : parseJsonCalendar(trimmed, opts);
  } catch (e) {
    if (e instanceof CalendarParseError) throw new CalendarParseError(`${path.basename(filename)}: ${e.message}`);
    throw e;
  }
}
