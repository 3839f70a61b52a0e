import { describe, expect, it } from 'vitest';
import { buildCalendar, summarizeYear } from '../../../src/domain/time/calendar.js';
import { loadShippedCalendar } from '../../../src/domain/time/calendar-data.js';
import { dayNumber, formatIsoDate, isWeekend } from '../../../src/domain/time/dates.js';
import { CalendarParseError, parseCalendarFile, parseJsonCalendar, parseXmlCalendar } from '../../../src/domain/time/xmlcalendar.js';

const md = (iso: string) => `${iso.slice(5, 7)}.${iso.slice(8, 10)}`;

/** An xmlcalendar XML file written from the shipped year, as xmlcalendar.ru publishes it. */
function xmlOf(year: number): string {
  const y = loadShippedCalendar().federal.find((f) => f.year === year)!;
  const from = new Map((y.transfers ?? []).map((t) => [t.to, t.from]));
  const days = [
    ...y.daysOff.map((d) => `<day d="${md(d)}" t="1"${y.holidays?.includes(d) ? ' h="1"' : ''}${from.has(d) ? ` f="${md(from.get(d)!)}"` : ''}/>`),
    ...y.shortDays.map((d) => `<day d="${md(d)}" t="2"/>`),
    ...y.workingDays.filter((d) => !y.shortDays.includes(d)).map((d) => `<day d="${md(d)}" t="3"/>`),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<calendar year="${year}" lang="ru" date="2025.09.25" country="ru">
  <holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
  <days>${days.join('\n    ')}</days>
</calendar>`;
}

/** The JSON variant: every non-working day listed (weekends included), `+` moved, `*` shortened. */
function jsonOf(year: number): string {
  const cal = buildCalendar({ warn: () => {} });
  const y = loadShippedCalendar().federal.find((f) => f.year === year)!;
  const moved = new Set((y.transfers ?? []).map((t) => t.to));
  const months = [];
  for (let m = 1; m <= 12; m++) {
    const toks: string[] = [];
    for (let d = 1; d <= 31; d++) {
      const dn = dayNumber(year, m, d);
      const iso = formatIsoDate(dn);
      if (!iso.startsWith(`${year}-${String(m).padStart(2, '0')}`)) continue;
      const s = cal.status(dn);
      if (s === 'short') toks.push(`${d}*`);
      else if (s === 'off' || s === 'weekend') toks.push(`${d}${moved.has(iso) ? '+' : ''}`);
    }
    months.push({ month: m, days: toks.join(',') });
  }
  return JSON.stringify({ year, months, transitions: (y.transfers ?? []).map((t) => ({ from: md(t.from), to: md(t.to) })) });
}

describe('xmlcalendar parsers', () => {
  for (const year of [2024, 2025, 2026]) {
    it(`XML ${year} round-trips to the official norms`, () => {
      const parsed = parseXmlCalendar(xmlOf(year));
      const imported = summarizeYear(buildCalendar({ imported: [parsed], warn: () => {} }), year);
      expect(imported).toEqual(summarizeYear(buildCalendar({ warn: () => {} }), year));
      expect(parsed.year).toBe(year);
      expect(parsed.region).toBeNull();
    });
    it(`JSON ${year} round-trips to the official norms`, () => {
      const parsed = parseJsonCalendar(jsonOf(year));
      const cal = buildCalendar({ imported: [parsed], warn: () => {} });
      expect(cal.yearInfo(year).origin).toBe('imported');
      expect(summarizeYear(cal, year)).toEqual(summarizeYear(buildCalendar({ warn: () => {} }), year));
      // ordinary weekends are not recorded as days off (a six-day schedule still works them)
      expect(parsed.daysOff.every((d) => !isWeekend(dayNumber(+d.slice(0, 4), +d.slice(5, 7), +d.slice(8))) || parsed.holidays!.includes(d) || (parsed.transfers ?? []).some((t) => t.to === d))).toBe(
        true,
      );
    });
  }

  it('reads the attributes of a literal XML snippet', () => {
    const y = parseXmlCalendar(`<calendar year="2024" lang="ru" country="ru"><days>
      <day d="01.01" t="1" h="1"/><day d="04.29" t="1" f="04.27"/><day d="04.27" t="3"/><day d="11.02" t="2"/></days></calendar>`);
    expect(y).toMatchObject({
      year: 2024,
      daysOff: ['2024-01-01', '2024-04-29'],
      workingDays: ['2024-04-27', '2024-11-02'],
      shortDays: ['2024-11-02'],
      holidays: ['2024-01-01'],
      transfers: [{ from: '2024-04-27', to: '2024-04-29' }],
    });
  });

  it('chooses the format by extension or content and names the file in errors', () => {
    expect(parseCalendarFile(xmlOf(2026), 'calendar.xml').year).toBe(2026);
    expect(parseCalendarFile(jsonOf(2026), 'calendar.json').year).toBe(2026);
    expect(parseCalendarFile(jsonOf(2026), 'calendar.txt').year).toBe(2026);
    expect(() => parseCalendarFile('<calendar year="2026"><days><day d="13.45" t="1"/></days></calendar>', 'bad.xml')).toThrow(/bad\.xml: .*13\.45/);
    expect(() => parseCalendarFile('{"year": 2026, "months": [{"month": 1, "days": "1,x"}]}', 'bad.json')).toThrow(CalendarParseError);
    expect(() => parseCalendarFile('<calendar year="2026"><days><day d="01.01" t="7"/></days></calendar>', 'x.xml')).toThrow(/t="7"/);
  });

  it('keeps a regional full calendar when told its region', () => {
    const y = parseCalendarFile(xmlOf(2026), 'ru-da-2026.xml', { region: 'RU-DA' });
    expect(y.region).toBe('RU-DA');
    const cal = buildCalendar({ region: 'RU-DA', imported: [{ ...y, daysOff: [...y.daysOff, '2026-03-20'] }], warn: () => {} });
    expect(cal.statusOf('2026-03-20')).toBe('off');
  });
});
