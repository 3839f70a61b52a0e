import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type Database from 'better-sqlite3';
import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { allDepartments, allStaff } from '../db/repositories/staff.js';
import { workingMinutesBetween } from '../domain/workflow/deadlines.js';
import { departmentConcerned, streamSummaryFigures } from '../db/repositories/summary-figures.js';
import { computeMonthlyReport, MonthlyReportBuilder, type ComputeOptions } from './compute.js';
import { loadReportRecords } from '../db/repositories/report-records.js';
import type { MonthlyReport, ReportPeriod } from './model.js';
import { reportChartPngAsync, reportMessage, reportWorkbook, type Tr } from './render.js';

export type { MonthlyReport } from './model.js';

export { reportMessage, reportWorkbook, reportChartPng, reportChartSvg } from './render.js';

/** [from, to) of a month `YYYY-MM` in the organization's zone. */
export function periodOf(month: string, zone: string): ReportPeriod {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  if (!start.isValid) throw new Error(`not a month: ${month} (expected YYYY-MM)`);
  return { month, from: start.toMillis(), to: start.plus({ months: 1 }).toMillis() };
}

export function previousMonth(month: string, zone: string): string {
  return DateTime.fromFormat(month, 'yyyy-MM', { zone }).minus({ months: 1 }).toFormat('yyyy-MM');
}

/** What the summary reads: plain settings, the working time and a database connection (any thread). */
export interface ReportSource {
  zone: string;
  organization: string;
  regulationId: string;
  /** Role titles in the organization's language. */
  roleTitles: Record<string, string>;
  /** Name of the «not routed» row in the organization's language. */
  unroutedName: string;
  workingTime: AppContext['workingTime'];
  db: Db;
  sqlite: Database.Database;
}

/** The parts of a ReportSource that cross to a worker thread as plain data. */
export function reportSettings(app: AppContext): Omit<ReportSource, 'workingTime' | 'db' | 'sqlite'> {
  const locale = app.org.organization.locale;
  return {
    zone: app.org.organization.timezone,
    organization: app.org.organization.name,
    regulationId: app.regulation.id,
    roleTitles: Object.fromEntries(Object.entries(app.regulation.roleTitles).map(([k, v]) => [k, v[locale]])),
    unroutedName: app.t(locale, 'report-unrouted'),
  };
}

/** The computation's options for `month` from a source. */
export function reportOptions(src: ReportSource, month: string, asOf: number): ComputeOptions {
  const period = periodOf(month, src.zone);
  return {
    period,
    previous: periodOf(previousMonth(month, src.zone), src.zone),
    organization: src.organization,
    regulationId: src.regulationId,
    asOf,
    workingMinutes: (a, b) => workingMinutesBetween(src.workingTime, a, b),
    unroutedName: src.unroutedName,
  };
}

const staffOf = (src: ReportSource) => allStaff(src.db).map((s) => ({ id: s.id, name: s.name, departmentId: s.departmentId }));

/** The monthly summary of `month` (К22, А16), with open deadlines judged at `asOf`, from any source. */
export function monthlyReportFrom(src: ReportSource, month: string, asOf: number): MonthlyReport {
  const o = reportOptions(src, month, asOf);
  const { period, previous } = o;
  const builder = new MonthlyReportBuilder(o, { staff: staffOf(src), roleTitles: src.roleTitles });
  // By index ranges over what each case's row keeps (src/db/repositories/summary-figures.ts); equal to
  // the computation over every record of the two months (`monthlyReportFromRecords`).
  streamSummaryFigures(src.sqlite, { from: previous.from, to: period.to, currentFrom: period.from, asOf }, builder);
  return builder.finish(allDepartments(src.db).filter((d) => d.active || builder.caseDepartments.has(d.id) || departmentConcerned(src.sqlite, d.id, previous.from, period.to)));
}

/**
 * The reference computation of the same summary: every case, deadline and event of the two months
 * loaded into arrays (src/db/repositories/report-records.ts) and computed by `computeMonthlyReport`. Holds everything:
 * for tests and `bench/report.ts verify`, which check `monthlyReportFrom` equals it.
 */
export function monthlyReportFromRecords(src: ReportSource, month: string, asOf: number): MonthlyReport {
  const o = reportOptions(src, month, asOf);
  const records = loadReportRecords(src.sqlite, o.period, o.previous);
  const departments = allDepartments(src.db).filter((d) => d.active || records.cases.some((c) => c.departmentId === d.id));
  return computeMonthlyReport({ ...records, departments, staff: staffOf(src), roleTitles: src.roleTitles }, o);
}

/** The monthly summary of `month` (К22, А16) on the calling thread, with open deadlines judged at `asOf` (default: now). */
export function buildMonthlyReport(app: AppContext, month: string, asOf: number = app.clock.now().toMillis()): MonthlyReport {
  const started = performance.now();
  const report = monthlyReportFrom({ ...reportSettings(app), workingTime: app.workingTime, db: app.db, sqlite: app.database.sqlite }, month, asOf);
  app.observe?.reportDuration((performance.now() - started) / 1000, 'monthly');
  return report;
}

export interface ReportFiles {
  message: string;
  xlsx: string;
  png: string;
}

/** Writes `otklik-report-2026-10.xlsx` and `.png` into `dir`; returns their paths and the message text. */
export async function writeReportFiles(app: AppContext, report: MonthlyReport, dir: string, locale = app.org.organization.locale, late = false): Promise<ReportFiles> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const t: Tr = (key, vars) => app.t(locale, key, vars);
  const base = path.join(dir, `otklik-report-${report.period.month}`);
  // The chart is rasterized off this thread while the workbook is built on it.
  const [xlsx, png] = await Promise.all([reportWorkbook(report, t, locale), reportChartPngAsync(report, t, locale)]);
  writeFileSync(`${base}.xlsx`, xlsx, { mode: 0o600 });
  writeFileSync(`${base}.png`, png, { mode: 0o600 });
  return { message: reportMessage(report, t, locale, { late }), xlsx: `${base}.xlsx`, png: `${base}.png` };
}
