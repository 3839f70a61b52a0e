// Working time: the production calendar, schedules and duration arithmetic (docs/working-time.md).
export * from './duration.js';
export type { WorkingTime } from './types.js';
export { calendarConfigSchema, scheduleConfigSchema, resolveSchedule, type CalendarConfig, type ScheduleConfig, type ResolvedSchedule } from './config.js';
export { buildCalendar, summarizeYear, laborCodeYear, type ProductionCalendar, type BuildCalendarOptions, type DayStatus, type YearSummary } from './calendar.js';
export { calendarYearSchema, loadShippedCalendar, parseStoredCalendarYears, type CalendarYear } from './calendar-data.js';
export { createWorkingTime, type OrgWorkingTime, type CreateWorkingTimeOptions } from './working-time.js';
export { parseCalendarFile, parseXmlCalendar, parseJsonCalendar, CalendarParseError } from './xmlcalendar.js';
