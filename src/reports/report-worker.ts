// Worker thread body of buildMonthlyReportInWorker (./thread.ts): opens the database read-only, rebuilds
// the organization's working time and computes the summary; posts the MonthlyReport back.
import { parentPort, workerData } from 'node:worker_threads';
import type { Organization } from '../config/organization.js';
import { loadCalendarYears } from '../db/calendar-store.js';
import { openReadOnlyDatabase } from '../db/connection.js';
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
  const database = openReadOnlyDatabase(input.dbPath);
  try {
    const { sqlite, db } = database;
    const imported = loadCalendarYears(sqlite).map((y) => calendarYearSchema.parse(y.data));
    const workingTime = createWorkingTime({
      zone: input.settings.zone,
      calendar: { ...input.calendar, imported, warn: () => {} },
      schedule: input.schedule,
    });
    const report = monthlyReportFrom({ ...input.settings, workingTime, db, sqlite }, input.month, input.asOf);
    parentPort.postMessage(report);
  } finally {
    database.close();
  }
}
