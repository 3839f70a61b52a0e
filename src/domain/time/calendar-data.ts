import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { isValidIsoDate } from './dates.js';

/**
 * One year of a production calendar, as shipped in data/calendar/ru.json, parsed from xmlcalendar
 * files (./xmlcalendar.ts) and stored by `otklik calendar import` in the database.
 *
 * Meaning of the lists (relative to the ordinary week, where Saturday and Sunday are days off):
 * - `daysOff`: every non-working day that is not an ordinary weekend — holidays of Labor Code art.112,
 *   days off moved by the yearly decree, regional holidays. It may also contain Saturdays/Sundays
 *   (holidays falling on a weekend); that is harmless.
 * - `workingDays`: Saturdays/Sundays that became working days.
 * - `shortDays`: working days shortened by one hour (art.95).
 */
const isoDate = z.string().refine(isValidIsoDate, { message: 'expected an ISO date YYYY-MM-DD' });

export const calendarYearSchema = z
  .object({
    year: z.number().int().min(1900).max(2200),
    /** null: the federal calendar; else an ISO 3166-2 code: a full calendar of that region. */
    region: z.string().nullable().default(null),
    /** true while the year's decree is not confirmed by an official text. */
    provisional: z.boolean().default(false),
    source: z.string().optional(),
    /** Informational: the art.112 holidays of the year. */
    holidays: z.array(isoDate).optional(),
    daysOff: z.array(isoDate),
    workingDays: z.array(isoDate).default([]),
    shortDays: z.array(isoDate).default([]),
    transfers: z.array(z.object({ from: isoDate, to: isoDate })).optional(),
  })
  .superRefine((y, ctx) => {
    for (const key of ['daysOff', 'workingDays', 'shortDays'] as const) {
      y[key].forEach((d, i) => {
        if (!d.startsWith(`${y.year}-`)) ctx.addIssue({ code: 'custom', path: [key, i], message: `${d} is not in ${y.year}` });
      });
    }
  });

export type CalendarYear = z.infer<typeof calendarYearSchema>;

const fixedHolidaySchema = z.object({
  /** MM-DD; a holiday on a day off moves to the next working day (art.112 applied to the region). */
  date: z.string().regex(/^\d{2}-\d{2}$/),
  title: z.string(),
  source: z.string().optional(),
});

export const regionLayerSchema = z.object({
  name: z.object({ ru: z.string(), en: z.string() }),
  zone: z.string().optional(),
  fixedHolidays: z.array(fixedHolidaySchema).default([]),
  /** Days off declared year by year (e.g. Ураза-байрам and Курбан-байрам in Dagestan). */
  years: z.array(calendarYearSchema).default([]),
});
export type RegionLayer = z.infer<typeof regionLayerSchema>;

export const calendarDataSchema = z.object({
  description: z.string().optional(),
  federal: z.array(calendarYearSchema),
  regions: z.record(z.string(), regionLayerSchema),
});
export type CalendarData = z.infer<typeof calendarDataSchema>;

/** Path of the shipped data file. */
export const SHIPPED_CALENDAR_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/calendar/ru.json');

let shipped: CalendarData | undefined;

/** The production calendar shipped with the project (read and validated once). */
export function loadShippedCalendar(file: string = SHIPPED_CALENDAR_PATH): CalendarData {
  if (file === SHIPPED_CALENDAR_PATH && shipped) return shipped;
  const parsed = calendarDataSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${path.basename(file)}: ${i.path.join('.')}: ${i.message}`);
  }
  if (file === SHIPPED_CALENDAR_PATH) shipped = parsed.data;
  return parsed.data;
}

/**
 * Years stored by `otklik calendar import` (rows of src/db/calendar-store.ts `loadCalendarYears`),
 * validated back into `CalendarYear`s for `buildCalendar({ imported })`. Invalid rows are skipped
 * and reported through `warn`.
 */
export function parseStoredCalendarYears(rows: { year: number; region: string | null; data: unknown }[], warn: (msg: string) => void = (m) => console.warn(m)): CalendarYear[] {
  const out: CalendarYear[] = [];
  for (const row of rows) {
    const parsed = calendarYearSchema.safeParse(row.data);
    if (parsed.success && parsed.data.year === row.year) out.push({ ...parsed.data, region: row.region });
    else warn(`Импортированный календарь на ${row.year} год повреждён и пропущен. (Stored calendar year ${row.year} is invalid; skipped.)`);
  }
  return out;
}
