import { z } from 'zod';
import { isValidIsoDate } from './dates.js';

/**
 * Zod schemas for the `calendar` and `schedule` sections of the organization file (the lead's config
 * module embeds them). See docs/working-time.md.
 */

const isoDate = z.string().refine(isValidIsoDate, { message: 'expected an ISO date YYYY-MM-DD' });

export const calendarConfigSchema = z
  .object({
    /** `RU-CU` (Чувашия), `RU-DA` (Дагестан) ship a regional layer; any other code is accepted with none. */
    region: z.union([z.enum(['RU-CU', 'RU-DA']), z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/)]).optional(),
    /** Days off a new decree or a regional act brings (e.g. Курбан-байрам when declared). */
    extraDaysOff: z.array(isoDate).optional(),
    /** Days that become working days (a moved working Saturday). */
    extraWorkingDays: z.array(isoDate).optional(),
    /** Working days shortened by one hour. */
    shortDays: z.array(isoDate).optional(),
  })
  .strict();
export type CalendarConfig = z.infer<typeof calendarConfigSchema>;

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const timeOfDaySchema = z.string().regex(HHMM, { message: 'expected a time HH:MM (00:00–24:00)' });

/** Minutes since midnight of `HH:MM`. */
export const minutesOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const intervalSchema = z
  .object({ start: timeOfDaySchema, end: timeOfDaySchema })
  .strict()
  .refine((i) => minutesOfDay(i.start) < minutesOfDay(i.end), { message: 'start must be before end' });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const dayHours = intervalSchema.nullable();
const NINE_TO_SIX = { start: '09:00', end: '18:00' };

export const DEFAULT_HOURS: Record<Weekday, { start: string; end: string } | null> = {
  mon: NINE_TO_SIX,
  tue: NINE_TO_SIX,
  wed: NINE_TO_SIX,
  thu: NINE_TO_SIX,
  fri: NINE_TO_SIX,
  sat: null,
  sun: null,
};
export const DEFAULT_LUNCH = { start: '13:00', end: '14:00' };

export const scheduleConfigSchema = z
  .object({
    /**
     * Working hours per weekday; `null` is a day off. Days not given keep the default
     * (Monday to Friday 09:00–18:00, Saturday and Sunday off).
     */
    hours: z.object({ mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours }).partial().strict().optional(),
    /** Lunch break, the same every working day; `null`: none. Default 13:00–14:00. */
    lunch: intervalSchema.nullable().optional(),
  })
  .strict();
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;

export interface ResolvedSchedule {
  hours: Record<Weekday, { start: string; end: string } | null>;
  lunch: { start: string; end: string } | null;
}

/** Fill in the defaults. */
export function resolveSchedule(s: ScheduleConfig | undefined): ResolvedSchedule {
  return {
    hours: { ...DEFAULT_HOURS, ...(s?.hours ?? {}) },
    lunch: s?.lunch === undefined ? DEFAULT_LUNCH : s.lunch,
  };
}
