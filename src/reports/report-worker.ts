// Worker thread body of buildMonthlyReportInWorker (./thread.ts): opens the database read-only, rebuilds
// the organization's working time and computes the summary; posts the MonthlyReport back.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Organization } from '../config/organization.js';
import { loadCalendarYears } from '../db/calendar-store.js';
import { drizzleOver } from '../db/connection.js';
import { calendarYearSchema } from '../domain/time/calendar-data.js';
import { createWorkingTime } from '../domain/time/working-time.js';
import { monthlyReportFrom, type reportSettings } from './index.js';

export interface ReportWorkerInput {
  dbPath: string;
  settings: ReturnType<typeof reportSettings>;
  calendar: Organization['calendar'];
  schedule: Organization['schedule'];
  month: string;
  asOf: number;
}

if (parentPort) {
  const input = workerData as ReportWorkerInput;
  const sqlite = new Database(input.dbPath, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    const imported = loadCalendarYears(sqlite).map((y) => calendarYearSchema.parse(y.data));
    const workingTime = createWorkingTime({
      zone: input.settings.zone,
      calendar: { ...input.calendar, imported, warn: () => {} },
      schedule: input.schedule,
    });
    const report = monthlyReportFrom({ ...input.settings, workingTime, db: drizzleOver(sqlite), sqlite }, input.month, input.asOf);
    parentPort.postMessage(report);
  } finally {
    sqlite.close();
  }
}
