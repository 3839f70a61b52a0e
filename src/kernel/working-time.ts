import type { Database as SqliteDb } from 'better-sqlite3';
import type { Organization } from '../config/organization.js';
import type { Regulation } from '../domain/regulation/schema.js';
import type { WorkingTime } from '../domain/time/types.js';
import { loadCalendarYears } from '../db/calendar-store.js';
import { declaredDayKinds } from '../db/repositories/calendar.js';
import { calendarYearSchema } from '../domain/time/calendar-data.js';
import { createWorkingTime } from '../domain/time/working-time.js';
import type { Logger } from '../infra/logger.js';

/**
 * The organization's working time: the shipped calendar, the years imported with `otklik calendar
 * import`, the organization file's calendar section and the days declared in the bot (`/day`). Built at
 * start and again after a declaration.
 */
export function buildWorkingTime(org: Organization, regulation: Regulation, sqlite: SqliteDb, logger: Logger): WorkingTime {
  const imported = loadCalendarYears(sqlite).map((y) => calendarYearSchema.parse(y.data));
  const declared = declaredDayKinds(sqlite);
  const of = (kind: string, own: string[] | undefined) => [...(own ?? []), ...declared.filter((d) => d.kind === kind).map((d) => d.date)];
  return createWorkingTime({
    zone: org.organization.timezone,
    calendar: {
      ...org.calendar,
      // The organization file's region, else the regulation's own (a preset knows its republic).
      region: org.calendar.region ?? regulation.region ?? null,
      extraDaysOff: of('off', org.calendar.extraDaysOff),
      extraWorkingDays: of('work', org.calendar.extraWorkingDays),
      shortDays: of('short', org.calendar.shortDays),
      imported,
      warn: (msg) => logger.warn(msg),
    },
    schedule: org.schedule,
  });
}
