import { type CalendarData, type CalendarYear, loadShippedCalendar } from './calendar-data.js';
import { civilDate, dayNumber, daysInMonth, daysInYear, isWeekend, parseIsoDate } from './dates.js';

/**
 * The production calendar of one organization: federal data (shipped or imported), the regional layer,
 * and the organization's own additions. Answers "what kind of day is this" in O(1) after a year is built.
 *
 * Status of a day:
 * - `work`    an ordinary working day (or a Saturday/Sunday made working by a decree)
 * - `short`   a working day one hour shorter (Labor Code art.95)
 * - `weekend` an ordinary Saturday/Sunday (an organization with a six-day schedule may work it)
 * - `off`     a non-working day by law or decree (holiday, moved day off, regional holiday, extraDaysOff)
 */
export type DayStatus = 'work' | 'short' | 'weekend' | 'off';

export type YearOrigin = 'imported' | 'shipped' | 'fallback';

export interface YearInfo {
  year: number;
  origin: YearOrigin;
  provisional: boolean;
  source?: string;
}

export interface ProductionCalendar {
  readonly region: string | null;
  /** Status of a day given as a day number (see ./dates.ts). */
  status(dn: number): DayStatus;
  /** Status of an ISO date `YYYY-MM-DD`. */
  statusOf(isoDate: string): DayStatus;
  isWorkingDay(isoDate: string): boolean;
  /** Where the year's data comes from. */
  yearInfo(year: number): YearInfo;
}

export interface BuildCalendarOptions {
  /** ISO 3166-2 region code: `RU-CU`, `RU-DA`; another code has no shipped layer (use extraDaysOff). */
  region?: string | null;
  extraDaysOff?: string[];
  extraWorkingDays?: string[];
  shortDays?: string[];
  /** Years imported into the database (`otklik calendar import`); they take precedence over shipped data. */
  imported?: CalendarYear[];
  /** Override the shipped data (tests). */
  data?: CalendarData;
  /** Called once per year that falls back to the Labor Code rules or is provisional. */
  warn?: (msg: string) => void;
}

const WEEKEND = 0;
const WORK = 1;
const SHORT = 2;
const OFF = 3;
const STATUS: readonly DayStatus[] = ['weekend', 'work', 'short', 'off'];

/** Labor Code art.112 non-working holidays (MM-DD). */
export const ART112_HOLIDAYS = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04'] as const;

/**
 * A year computed from the Labor Code alone, for years no decree data covers:
 * art.112 holidays; a holiday other than the January ones that falls on Saturday/Sunday moves the day
 * off to the next working day; the working day right before a holiday is shortened (art.95).
 * The decree's transfers of the January weekend days cannot be predicted and are not made.
 */
export function laborCodeYear(year: number): CalendarYear {
  const off = new Set<number>();
  const holidays = ART112_HOLIDAYS.map((md) => dayNumber(year, Number(md.slice(0, 2)), Number(md.slice(3))));
  for (const dn of holidays) off.add(dn);
  const isWorking = (dn: number) => !isWeekend(dn) && !off.has(dn);
  const transfers: { from: string; to: string }[] = [];
  for (const dn of holidays) {
    const { month } = civilDate(dn);
    if (month === 1 || !isWeekend(dn)) continue;
    let to = dn + 1;
    while (!isWorking(to)) to++;
    off.add(to);
    transfers.push({ from: iso(dn), to: iso(to) });
  }
  const short = new Set<number>();
  // The day before each holiday, and 31 December before the next year's 1 January.
  for (const dn of [...holidays, dayNumber(year + 1, 1, 1)]) {
    const eve = dn - 1;
    if (civilDate(eve).year === year && isWorking(eve)) short.add(eve);
  }
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b).map(iso);
  return {
    year,
    region: null,
    provisional: true,
    source: 'ТК РФ ст. 112 и 95 (данных постановления нет)',
    holidays: holidays.map(iso),
    daysOff: sorted(off),
    workingDays: [],
    shortDays: sorted(short),
    transfers,
  };
}

const iso = (dn: number): string => {
  const { year, month, day } = civilDate(dn);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

interface YearTable {
  start: number; // day number of 1 January
  codes: Int8Array;
  info: YearInfo;
}

function tableFrom(y: CalendarYear, origin: YearOrigin): YearTable {
  const start = dayNumber(y.year, 1, 1);
  const codes = new Int8Array(daysInYear(y.year));
  for (let i = 0; i < codes.length; i++) codes[i] = isWeekend(start + i) ? WEEKEND : WORK;
  for (const d of y.daysOff) codes[parseIsoDate(d) - start] = OFF;
  for (const d of y.workingDays) codes[parseIsoDate(d) - start] = WORK;
  for (const d of y.shortDays) {
    const i = parseIsoDate(d) - start;
    if (codes[i] === WORK) codes[i] = SHORT;
  }
  return { start, codes, info: { year: y.year, origin, provisional: y.provisional, ...(y.source ? { source: y.source } : {}) } };
}

/** A region whose movable holidays are declared year by year (Дагестан) and the year has none shipped. */
export function movableHolidaysUndeclared(region: string | null, year: number, data: CalendarData = loadShippedCalendar()): boolean {
  const layer = region ? data.regions[region] : undefined;
  return !!layer && layer.years.length > 0 && !layer.years.some((y) => y.year === year);
}

/** Build the calendar an organization works by. Pure apart from reading the shipped data file once. */
export function buildCalendar(opts: BuildCalendarOptions = {}): ProductionCalendar {
  const data = opts.data ?? loadShippedCalendar();
  const region = opts.region ?? null;
  const layer = region ? data.regions[region] : undefined;
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const imported = opts.imported ?? [];
  const byYear = <T>(list: T[], key: (t: T) => number) => new Map(list.map((t) => [key(t), t] as const));
  const federal = byYear(data.federal, (y) => y.year);
  const importedFederal = byYear(
    imported.filter((y) => y.region === null),
    (y) => y.year,
  );
  const importedRegional = byYear(
    imported.filter((y) => region !== null && y.region === region),
    (y) => y.year,
  );
  const regionalYears = byYear(layer?.years ?? [], (y) => y.year);

  // The organization's own additions, grouped by year.
  const extras = new Map<number, { off: number[]; work: number[]; short: number[] }>();
  const addExtra = (list: string[] | undefined, kind: 'off' | 'work' | 'short') => {
    for (const d of list ?? []) {
      const dn = parseIsoDate(d);
      const y = civilDate(dn).year;
      let e = extras.get(y);
      if (!e) extras.set(y, (e = { off: [], work: [], short: [] }));
      e[kind].push(dn);
    }
  };
  addExtra(opts.extraDaysOff, 'off');
  addExtra(opts.extraWorkingDays, 'work');
  addExtra(opts.shortDays, 'short');

  const tables = new Map<number, YearTable>();

  function build(year: number): YearTable {
    let t: YearTable;
    const full = importedRegional.get(year);
    if (full) {
      t = tableFrom(full, 'imported');
    } else {
      const imp = importedFederal.get(year);
      const shipped = federal.get(year);
      if (imp) t = tableFrom(imp, 'imported');
      else if (shipped) t = tableFrom(shipped, 'shipped');
      else {
        t = tableFrom(laborCodeYear(year), 'fallback');
        warn(
          `Производственный календарь на ${year} год не загружен: дни считаются по ТК РФ ст. 112 и 95 без переносов постановления Правительства. ` +
            `Загрузите год командой «otklik calendar import FILE» или дополните calendar.extraDaysOff в файле организации. ` +
            `(No production calendar for ${year}: falling back to Labor Code art.112/95 rules.)`,
        );
      }
      if (t.info.provisional && t.info.origin === 'shipped') {
        warn(`Производственный календарь на ${year} год предварительный: ${t.info.source ?? ''}. (Calendar ${year} is provisional.)`);
      }
      if (layer) applyRegion(t, year);
    }
    if (layer && layer.years.length > 0 && !regionalYears.has(year) && !importedRegional.has(year) && !extras.get(year)?.off.length) {
      warn(
        `Региональные нерабочие дни ${region} на ${year} год (переходящие праздники, например Ураза-байрам и Курбан-байрам) ещё не объявлены: ` +
          `объявите их в боте («/day ДД.ММ.ГГГГ нерабочий, название») или в calendar.extraDaysOff. ` +
          `(Movable regional holidays of ${region} for ${year} are not declared yet.)`,
      );
    }
    const e = extras.get(year);
    if (e) {
      for (const dn of e.off) t.codes[dn - t.start] = OFF;
      for (const dn of e.work) t.codes[dn - t.start] = WORK;
      for (const dn of e.short) if (t.codes[dn - t.start] === WORK) t.codes[dn - t.start] = SHORT;
    }
    return t;
  }

  function applyRegion(t: YearTable, year: number) {
    for (const h of layer!.fixedHolidays) {
      let dn = dayNumber(year, Number(h.date.slice(0, 2)), Number(h.date.slice(3)));
      // A regional holiday on a day off moves to the next working day (as art.112 does for federal ones).
      while (dn - t.start < t.codes.length && !(t.codes[dn - t.start] === WORK || t.codes[dn - t.start] === SHORT)) dn++;
      if (dn - t.start < t.codes.length) t.codes[dn - t.start] = OFF;
    }
    const declared = regionalYears.get(year);
    if (declared) {
      for (const d of declared.daysOff) t.codes[parseIsoDate(d) - t.start] = OFF;
      for (const d of declared.workingDays) t.codes[parseIsoDate(d) - t.start] = WORK;
      for (const d of declared.shortDays) if (t.codes[parseIsoDate(d) - t.start] === WORK) t.codes[parseIsoDate(d) - t.start] = SHORT;
    }
  }

  function table(year: number): YearTable {
    let t = tables.get(year);
    if (!t) tables.set(year, (t = build(year)));
    return t;
  }

  // Fast path: remember the last year used.
  let last: YearTable | undefined;
  function status(dn: number): DayStatus {
    if (last && dn >= last.start && dn < last.start + last.codes.length) return STATUS[last.codes[dn - last.start]!]!;
    last = table(civilDate(dn).year);
    return STATUS[last.codes[dn - last.start]!]!;
  }

  return {
    region,
    status,
    statusOf: (d) => status(parseIsoDate(d)),
    isWorkingDay: (d) => {
      const s = status(parseIsoDate(d));
      return s === 'work' || s === 'short';
    },
    yearInfo: (year) => table(year).info,
  };
}

export interface MonthSummary {
  month: number;
  workingDays: number;
  daysOff: number;
  hours40: number;
}
export interface YearSummary {
  year: number;
  region: string | null;
  months: MonthSummary[];
  total: { workingDays: number; daysOff: number; hours40: number };
}

/**
 * The year in the form municipalities publish it (five-day week): per month the working days, the days
 * off, and the norm of a 40-hour week = 8 h × working days − 1 h × shortened days.
 */
export function summarizeYear(cal: ProductionCalendar, year: number): YearSummary {
  const months: MonthSummary[] = [];
  for (let m = 1; m <= 12; m++) {
    const start = dayNumber(year, m, 1);
    const n = daysInMonth(year, m);
    let working = 0;
    let short = 0;
    for (let i = 0; i < n; i++) {
      const s = cal.status(start + i);
      if (s === 'work') working++;
      else if (s === 'short') {
        working++;
        short++;
      }
    }
    months.push({ month: m, workingDays: working, daysOff: n - working, hours40: working * 8 - short });
  }
  const sum = (k: keyof Omit<MonthSummary, 'month'>) => months.reduce((a, m) => a + m[k], 0);
  return { year, region: cal.region, months, total: { workingDays: sum('workingDays'), daysOff: sum('daysOff'), hours40: sum('hours40') } };
}
