import { describe, expect, it, vi } from 'vitest';
import { buildCalendar, laborCodeYear, summarizeYear } from '../../../src/domain/time/calendar.js';
import { loadShippedCalendar } from '../../../src/domain/time/calendar-data.js';

// Official norms of a five-day 40-hour week: [working days, hours] per month.
// 2025 and 2026 checked against published calendars (findh.org 2025; glavaudit.org 2026);
// 2024 from the decree data in the facts file (248 days / 1979 h, the published yearly norm).
const NORMS: Record<number, { months: [number, number][]; total: [number, number, number] }> = {
  2024: {
    months: [
      [17, 136],
      [20, 159],
      [20, 159],
      [21, 168],
      [20, 159],
      [19, 151],
      [23, 184],
      [22, 176],
      [21, 168],
      [23, 184],
      [21, 167],
      [21, 168],
    ],
    total: [248, 118, 1979],
  },
  2025: {
    months: [
      [17, 136],
      [20, 160],
      [21, 167],
      [22, 175],
      [18, 144],
      [19, 151],
      [23, 184],
      [21, 168],
      [22, 176],
      [23, 184],
      [19, 151],
      [22, 176],
    ],
    total: [247, 118, 1972],
  },
  2026: {
    months: [
      [15, 120],
      [19, 152],
      [21, 168],
      [22, 175],
      [19, 151],
      [21, 167],
      [23, 184],
      [21, 168],
      [22, 176],
      [22, 176],
      [20, 159],
      [22, 176],
    ],
    total: [247, 118, 1972],
  },
};

describe('federal production calendar', () => {
  for (const [year, norm] of Object.entries(NORMS)) {
    it(`matches the official norms of ${year}`, () => {
      const s = summarizeYear(buildCalendar({ warn: () => {} }), Number(year));
      expect(s.months.map((m) => [m.workingDays, m.hours40])).toEqual(norm.months);
      expect([s.total.workingDays, s.total.daysOff, s.total.hours40]).toEqual(norm.total);
      s.months.forEach((m) => expect(m.workingDays + m.daysOff).toBe(new Date(Date.UTC(Number(year), m.month, 0)).getUTCDate()));
    });
  }

  it('classifies moved days, holidays and shortened days', () => {
    const cal = buildCalendar({ warn: () => {} });
    expect(cal.statusOf('2024-04-27')).toBe('work'); // working Saturday
    expect(cal.statusOf('2024-11-02')).toBe('short'); // working Saturday, pre-holiday
    expect(cal.statusOf('2024-12-28')).toBe('work');
    expect(cal.statusOf('2024-04-29')).toBe('off');
    expect(cal.statusOf('2024-12-31')).toBe('off');
    expect(cal.statusOf('2025-05-08')).toBe('off');
    expect(cal.statusOf('2026-01-09')).toBe('off');
    expect(cal.statusOf('2026-03-09')).toBe('off');
    expect(cal.statusOf('2026-03-07')).toBe('weekend');
    expect(cal.statusOf('2026-04-30')).toBe('short');
    expect(cal.statusOf('2026-12-30')).toBe('work'); // 31 Dec is only a transferred day off: no shortening
  });

  it('marks 2027 provisional and warns once', () => {
    const warn = vi.fn();
    const cal = buildCalendar({ warn });
    expect(cal.yearInfo(2027)).toMatchObject({ origin: 'shipped', provisional: true });
    cal.statusOf('2027-03-01');
    cal.statusOf('2027-05-03');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(cal.statusOf('2027-02-20')).toBe('short');
    expect(cal.statusOf('2027-02-22')).toBe('off');
  });
});

describe('Labor Code fallback', () => {
  it('warns once for a year past the data and applies art.112 and art.95', () => {
    const warn = vi.fn();
    const cal = buildCalendar({ warn });
    for (let d = 1; d <= 28; d++) cal.statusOf(`2030-02-${String(d).padStart(2, '0')}`);
    cal.statusOf('2030-06-12');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/2030/);
    expect(cal.yearInfo(2030).origin).toBe('fallback');
  });

  it('moves a weekend holiday to the next working day, not the January ones', () => {
    const y = laborCodeYear(2026);
    expect(y.daysOff).toContain('2026-03-09'); // 8 March is a Sunday
    expect(y.daysOff).toContain('2026-05-11'); // 9 May is a Saturday
    expect(y.daysOff).not.toContain('2026-01-09'); // January weekend days move only by decree
    expect(y.shortDays).toEqual(['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03', '2026-12-31']);
    // 2027: 1 May Sat → 3 May, 9 May Sun → 10 May, 12 June Sat → 14 June, as the (provisional) decree says.
    expect(laborCodeYear(2027).daysOff).toEqual(expect.arrayContaining(['2027-05-03', '2027-05-10', '2027-06-14']));
  });

  it('differs from the official 2026 only by the decree transfers', () => {
    const data = loadShippedCalendar();
    const fallback = buildCalendar({ data: { ...data, federal: [] }, warn: () => {} });
    const official = buildCalendar({ warn: () => {} });
    const diff: string[] = [];
    for (let m = 1; m <= 12; m++)
      for (let d = 1; d <= 31; d++) {
        const iso = `2026-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        if (new Date(iso).getUTCMonth() + 1 !== m) continue;
        if (fallback.statusOf(iso) !== official.statusOf(iso)) diff.push(iso);
      }
    expect(diff).toEqual(['2026-01-09', '2026-12-31']);
  });
});

describe('regional layers and organization additions', () => {
  it('RU-CU: 24 June, День Республики', () => {
    const cal = buildCalendar({ region: 'RU-CU', warn: () => {} });
    expect(cal.statusOf('2026-06-24')).toBe('off');
    expect(summarizeYear(cal, 2026).months[5]!.workingDays).toBe(20);
    expect(summarizeYear(cal, 2026).total.workingDays).toBe(246);
    expect(buildCalendar({ warn: () => {} }).statusOf('2026-06-24')).toBe('work');
  });

  it('RU-DA: declared religious holidays and fixed days moved off weekends', () => {
    const cal = buildCalendar({ region: 'RU-DA', warn: () => {} });
    for (const d of [
      '2024-04-10',
      '2024-04-11',
      '2024-04-12',
      '2024-06-17',
      '2024-07-26',
      '2024-09-16',
      '2025-03-31',
      '2025-04-01',
      '2025-06-06',
      '2025-07-28',
      '2025-09-15',
      '2026-07-27',
      '2026-09-15',
    ])
      expect(cal.statusOf(d), d).toBe('off');
    expect(cal.statusOf('2024-09-15')).toBe('weekend');
    expect(cal.statusOf('2026-03-20')).toBe('work'); // Ураза-байрам 2026 not declared yet
  });

  it('extraDaysOff, extraWorkingDays and shortDays from the organization file', () => {
    const cal = buildCalendar({
      region: 'RU-DA',
      extraDaysOff: ['2026-03-20', '2026-05-27'],
      extraWorkingDays: ['2026-03-21'],
      shortDays: ['2026-03-19'],
      warn: () => {},
    });
    expect(cal.statusOf('2026-03-20')).toBe('off');
    expect(cal.statusOf('2026-05-27')).toBe('off');
    expect(cal.statusOf('2026-03-21')).toBe('work');
    expect(cal.statusOf('2026-03-19')).toBe('short');
  });

  it('imported years take precedence over shipped data', () => {
    const cal = buildCalendar({
      imported: [{ year: 2026, region: null, provisional: false, daysOff: ['2026-01-01'], workingDays: [], shortDays: [] }],
      warn: () => {},
    });
    expect(cal.yearInfo(2026).origin).toBe('imported');
    expect(cal.statusOf('2026-01-02')).toBe('work');
  });
});
