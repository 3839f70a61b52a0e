// `otklik calendar YEAR [--region RU-CU] [--json] [--config FILE]` — the year's production calendar in the
// form municipalities publish it; `otklik calendar import FILE [--region CODE] [--db PATH]` — load a year
// from an xmlcalendar XML/JSON file into the database.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type CalendarYear, parseStoredCalendarYears } from '../../domain/time/calendar-data.js';
import { buildCalendar, summarizeYear } from '../../domain/time/calendar.js';
import { listYearDates, type YearDates } from '../../domain/time/calendar-dates.js';
import { type CalendarConfig, type ScheduleConfig, calendarConfigSchema, scheduleConfigSchema } from '../../domain/time/config.js';
import { dayNumber, daysInMonth, formatIsoDate, isoWeekday, parseIsoDate } from '../../domain/time/dates.js';
import { createWorkingTime, type OrgWorkingTime } from '../../domain/time/working-time.js';
import { CalendarParseError, parseCalendarFile } from '../../domain/time/xmlcalendar.js';

export const summary = 'Производственный календарь года / import an xmlcalendar year (calendar YEAR | calendar import FILE)';

export const DEFAULT_ZONE = 'Europe/Moscow';

export interface TimeConfig {
  zone: string;
  calendar: CalendarConfig;
  schedule: ScheduleConfig;
  /** Folder of the organization file (regulation paths resolve against it). */
  baseDir: string;
  /** `regulation` key of the organization file, if any. */
  regulation?: string;
}

const orgTimeSchema = z
  .object({
    organization: z
      .object({ timezone: z.string().min(1).optional() })
      .loose()
      .optional(),
    calendar: calendarConfigSchema.optional(),
    schedule: scheduleConfigSchema.optional(),
    regulation: z.string().optional(),
  })
  .loose();

export class ConfigError extends Error {}

/**
 * Reads only `organization.timezone`, `calendar`, `schedule` (and `regulation`) from an organization
 * YAML file; without a file: Europe/Moscow and the default schedule.
 */
export function readTimeConfig(file: string | undefined): TimeConfig {
  if (!file) return { zone: DEFAULT_ZONE, calendar: {}, schedule: {}, baseDir: process.cwd() };
  const label = path.basename(file);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (e) {
    throw new ConfigError(`${label}: ${(e as Error).message}`);
  }
  const parsed = orgTimeSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${label}: ${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  return {
    zone: parsed.data.organization?.timezone ?? DEFAULT_ZONE,
    calendar: parsed.data.calendar ?? {},
    schedule: parsed.data.schedule ?? {},
    baseDir: path.dirname(path.resolve(file)),
    ...(parsed.data.regulation ? { regulation: parsed.data.regulation } : {}),
  };
}

/** `--config`, else CONFIG_PATH (environment or .env, as the service reads it) when that file exists. */
export function configFile(flag: string | undefined): string | undefined {
  if (flag) return flag;
  const env = process.env.CONFIG_PATH;
  return env && existsSync(env) ? env : undefined;
}

export const defaultDbPath = (): string => process.env.DATABASE_PATH ?? './data/otklik.db';

/** Years imported earlier (`calendar import`), read from the database if the file exists; else none. */
export async function readImportedYears(dbPath: string | undefined, warn: (m: string) => void): Promise<CalendarYear[]> {
  const file = dbPath ?? defaultDbPath();
  if (file === ':memory:' || !existsSync(file)) return [];
  try {
    const store = (await import('../../db/calendar-store.js')) as {
      readCalendarYearsOf(file: string): { year: number; region: string | null; data: unknown }[];
    };
    return parseStoredCalendarYears(store.readCalendarYearsOf(file), warn);
  } catch (e) {
    warn(`Импортированные годы календаря не прочитаны из ${file}: ${(e as Error).message}`);
    return [];
  }
}

/** The organization's working time from a time config and imported years. */
export function workingTimeFor(cfg: TimeConfig, imported: CalendarYear[], warn: (m: string) => void, regionOverride?: string): OrgWorkingTime {
  const region = regionOverride ?? cfg.calendar.region ?? null;
  return createWorkingTime({
    zone: cfg.zone,
    calendar: buildCalendar({ ...cfg.calendar, region, imported, warn }),
    schedule: cfg.schedule,
  });
}

const MONTHS = ['Январь', 'Февраль', 'Март', 'Апрель', 'Май', 'Июнь', 'Июль', 'Август', 'Сентябрь', 'Октябрь', 'Ноябрь', 'Декабрь'];

const usage = `Использование / usage:
  otklik calendar YEAR [--dates] [--region RU-CU|RU-DA] [--json] [--config FILE] [--db PATH]
  otklik calendar import FILE [--region CODE] [--db PATH]
  --dates: перечислить даты — выходные и праздничные дни, сокращённые дни, рабочие субботы и воскресенья.
  Без --config — CONFIG_PATH из окружения или .env, если файл есть.`;

const DATE_SECTIONS: [keyof YearDates, string][] = [
  ['daysOff', 'Нерабочие праздничные и перенесённые выходные дни (пн–пт)'],
  ['weekendHolidays', 'Праздничные дни, пришедшиеся на субботу или воскресенье'],
  ['shortened', 'Сокращённые на час предпраздничные дни'],
  ['workingWeekends', 'Рабочие субботы и воскресенья (перенос)'],
];

const WEEKDAYS = ['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'];

function formatDates(dates: YearDates): string[] {
  const lines: string[] = [];
  for (const [key, title] of DATE_SECTIONS) {
    const list = dates[key];
    lines.push('', `${title}: ${list.length || 'нет'}`);
    for (const d of list) {
      const [y, m, day] = d.split('-');
      lines.push(`  ${day}.${m}.${y} ${WEEKDAYS[isoWeekday(parseIsoDate(d)) - 1]}`);
    }
  }
  return lines;
}

async function runImport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { region: { type: 'string' }, db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const file = positionals[0];
  if (values.help || !file) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`Не удалось прочитать ${file}: ${(e as Error).message}`);
    return 1;
  }
  let year: CalendarYear;
  try {
    year = parseCalendarFile(text, file, { region: values.region ?? null });
  } catch (e) {
    if (e instanceof CalendarParseError) {
      console.error(`Файл календаря не распознан: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const dbPath = values.db ?? defaultDbPath();
  const store = (await import('../../db/calendar-store.js')) as {
    saveCalendarYear(dbPath: string, year: { year: number; region: string | null; data: unknown }): void;
  };
  store.saveCalendarYear(dbPath, { year: year.year, region: year.region, data: year });
  const s = summarizeYear(buildCalendar({ region: year.region, imported: [year], warn: () => {} }), year.year);
  console.log(
    `Календарь на ${year.year} год${year.region ? ` (${year.region})` : ''} сохранён в ${dbPath}: ` +
      `${s.total.workingDays} рабочих дней, ${s.total.daysOff} выходных и праздничных, ${s.total.hours40} ч при 40-часовой неделе.`,
  );
  return 0;
}

export async function run(args: string[]): Promise<number> {
  if (args[0] === 'import') return runImport(args.slice(1));
  let values: { region?: string; json?: boolean; dates?: boolean; config?: string; db?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        region: { type: 'string' },
        json: { type: 'boolean' },
        dates: { type: 'boolean' },
        config: { type: 'string' },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const year = Number(positionals[0]);
  if (!Number.isInteger(year) || year < 1900 || year > 2200) {
    console.error(`Укажите год, например: otklik calendar 2026\n${usage}`);
    return 2;
  }
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (!warnings.includes(m)) warnings.push(m);
  };
  let cfg: TimeConfig;
  try {
    cfg = readTimeConfig(configFile(values.config));
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const imported = await readImportedYears(values.db, warn);
  let wt: OrgWorkingTime;
  try {
    wt = workingTimeFor(cfg, imported, warn, values.region);
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const s = summarizeYear(wt.calendar, year);
  for (const w of warnings) console.error(w);
  const dates = values.dates ? listYearDates(wt.calendar, year) : undefined;
  if (values.json) {
    console.log(JSON.stringify(dates ? { ...s, dates } : s));
    return 0;
  }
  const info = wt.calendar.yearInfo(year);
  // Hours the organization actually works under its schedule, beside the 40-hour-week norm.
  const scheduleHours = (m: number) => {
    let minutes = 0;
    const start = dayNumber(year, m, 1);
    for (let i = 0; i < daysInMonth(year, m); i++) minutes += wt.workingMinutesOnDate(formatIsoDate(start + i));
    return minutes / 60;
  };
  const lines = [
    `Производственный календарь на ${year} год${s.region ? `, регион ${s.region}` : ''} (пятидневная неделя)`,
    `Источник: ${info.source ?? info.origin}${info.provisional ? ' — ПРЕДВАРИТЕЛЬНО' : ''}; часовой пояс ${cfg.zone}`,
    '',
    `${'Месяц'.padEnd(10)} ${'Раб. дни'.padStart(8)} ${'Вых. дни'.padStart(8)} ${'Часы (40)'.padStart(9)} ${'По графику, ч'.padStart(13)}`,
  ];
  let schedTotal = 0;
  for (const m of s.months) {
    const sh = scheduleHours(m.month);
    schedTotal += sh;
    lines.push(`${MONTHS[m.month - 1]!.padEnd(10)} ${String(m.workingDays).padStart(8)} ${String(m.daysOff).padStart(8)} ${String(m.hours40).padStart(9)} ${String(sh).padStart(13)}`);
  }
  lines.push(`${'Итого'.padEnd(10)} ${String(s.total.workingDays).padStart(8)} ${String(s.total.daysOff).padStart(8)} ${String(s.total.hours40).padStart(9)} ${String(schedTotal).padStart(13)}`);
  if (dates) lines.push(...formatDates(dates));
  console.log(lines.join('\n'));
  return 0;
}
