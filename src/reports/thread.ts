import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AppContext } from '../kernel/context.js';
import { buildMonthlyReport, reportSettings } from './index.js';
import type { MonthlyReport } from './model.js';
import type { ReportWorkerInput } from './report-worker.js';

// `.js` in the compiled build, `.ts` when the service runs from the sources (the worker then loads tsx).
const ext = path.extname(fileURLToPath(import.meta.url));

/** tsx's module API, resolved from here (the service's working folder may be anywhere). */
const tsxApi = () => import.meta.resolve('tsx/esm/api');

/**
 * The monthly summary built in a worker thread on its own read-only connection: at a region's size it
 * takes seconds of CPU, during which the bot, the outbox and the scheduler keep running on the main
 * thread. The result is the same as buildMonthlyReport's (the same monthlyReportFrom). An in-memory
 * database (tests) cannot be opened from another thread, so it is built here.
 */
export async function buildMonthlyReportInWorker(app: AppContext, month: string, asOf: number = app.clock.now().toMillis()): Promise<MonthlyReport> {
  const dbPath = app.env.DATABASE_PATH;
  if (dbPath === ':memory:') return buildMonthlyReport(app, month, asOf);
  const started = performance.now();
  const input: ReportWorkerInput = {
    dbPath: path.resolve(dbPath),
    settings: reportSettings(app),
    calendar: app.org.calendar,
    schedule: app.org.schedule,
    month,
    asOf,
  };
  const entry = new URL(`./report-worker${ext}`, import.meta.url);
  // From the sources, the worker first registers tsx in its own thread, then loads the TypeScript entry.
  const worker =
    ext === '.ts'
      ? new Worker(`import(${JSON.stringify(tsxApi())}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, workerData: input })
      : new Worker(entry, { workerData: input });
  const report = await new Promise<MonthlyReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the report worker stopped (exit code ${code})`)));
  });
  app.observe?.reportDuration((performance.now() - started) / 1000, 'monthly');
  return report;
}
