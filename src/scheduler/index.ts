import path from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import { InputFile } from 'grammy';
import type { AppContext } from '../app/context.js';
import { getKv, setKv } from '../db/repositories/kv.js';
import { Priority } from '../outbox/queue.js';
import type { ChannelAdapter, Sender } from '../outbox/worker.js';
import { writeReportFiles } from '../reports/index.js';
import { buildMonthlyReportInWorker } from '../reports/thread.js';
import { reportCaption } from '../reports/caption.js';
import { dailyBackup } from './backup.js';
import { violationsDigest } from './digest.js';
import { dailyAt, monthlyOnFirstAt, runIfDue, schedulerSince, type PeriodicJob } from './jobs.js';
import { sendToStaff, staffWithRole, uniqueStaff } from './notify.js';
import { detectSpikes } from './spikes.js';
import { suggestSignificant } from './significance.js';
import { sqliteCaseStore } from './store.js';
import { watchDeadlines } from './watch.js';

export { schedulerEffectHandlers, pushUrgentToHead } from './urgent.js';

/**
 * The scheduler (issue 7): one node-cron task every minute in the organization's zone, never
 * overlapping itself. Each tick: the deadline watch, the spike detector (every 5 minutes), and the
 * periodic jobs — the coordinator's violations digest (daily), the monthly summary (1st, 09:00) and
 * the backup (daily at `backups.time`) — each caught up at start when its time passed while the
 * service was down. Time comes from `app.clock` only; cron just wakes it up.
 */

export const DIGEST_TIME = '09:00';
export const MONTHLY_TIME = '09:00';
const LAST_TICK_KEY = 'scheduler.lastTickAt';

export interface TickResult {
  reminders: number;
  violations: number;
  escalations: number;
  spikes: number;
  jobs: Record<string, string>;
}

export interface Scheduler {
  name: 'scheduler';
  /** One pass of everything due now (tests call it with a manual clock). */
  tick(): Promise<TickResult>;
  stop(): Promise<void>;
}

export function periodicJobs(app: AppContext): PeriodicJob[] {
  const store = sqliteCaseStore(app.database.sqlite);
  return [
    {
      name: 'violations-digest',
      lastDue: dailyAt(DIGEST_TIME),
      run: async ({ period, scheduledFor, late }) => violationsDigest(app, store, period, scheduledFor.toMillis(), late),
    },
    {
      name: 'monthly-summary',
      lastDue: monthlyOnFirstAt(MONTHLY_TIME),
      run: async ({ period, now, late }) => deliverMonthlyReport(app, period, now.toMillis(), late),
    },
    {
      name: 'backup',
      lastDue: dailyAt(app.org.backups.time),
      run: async ({ now }) => {
        const dir = app.env.BACKUP_DIR ?? path.resolve(app.orgDir, app.org.backups.dir);
        const r = await dailyBackup(app.database.sqlite, dir, now, app.org.backups.keepDays);
        app.logger.info({ file: r.file, bytes: r.bytes, removed: r.removed }, 'scheduler: backup written');
        return `${path.basename(r.file)} ${r.bytes} bytes, removed ${r.removed.length}`;
      },
    },
  ];
}

/** Folder for report files: beside the database. */
export function reportsDir(app: AppContext, month: string): string {
  return path.join(path.dirname(path.resolve(app.env.DATABASE_PATH)), 'reports', month);
}

/**
 * The monthly summary to its recipients (К22, А16: the coordinator; and the head): the message, the
 * workbook and the chart, each an outbox row with an idempotency key per month and person.
 */
export async function deliverMonthlyReport(app: AppContext, month: string, asOf: number, late: boolean): Promise<string> {
  const report = await buildMonthlyReportInWorker(app, month, asOf);
  const to = uniqueStaff([...app.regulation.recipients.monthlySummary, 'head' as const].flatMap((r) => staffWithRole(app.db, r)));
  const byLocale = new Map<string, Awaited<ReturnType<typeof writeReportFiles>>>();
  for (const s of to) {
    const locale = s.locale ?? app.org.organization.locale;
    if (!byLocale.has(locale)) byLocale.set(locale, await writeReportFiles(app, report, path.join(reportsDir(app, month), locale), locale as "ru" | "en", late));
  }
  app.db.transaction((tx) => {
    for (const s of to) {
      const files = byLocale.get(s.locale ?? app.org.organization.locale)!;
      const key = `report:${month}`;
      sendToStaff(app, tx, s, files.message, { idempotencyKey: key, priority: Priority.bulk });
      for (const [method, file] of [
        ['sendDocument', files.xlsx],
        ['sendPhoto', files.png],
      ] as const) {
        app.enqueue(
          {
            channel: 'telegram',
            action: 'sendReportFile',
            payload: { method, chat_id: s.telegramId, file, caption: reportCaption(app, s.locale ?? app.org.organization.locale, month) },
            priority: Priority.bulk,
            throttleKey: `tg:${s.telegramId}`,
            idempotencyKey: `${key}:${method}:tg:${s.telegramId}`,
          },
          tx,
        );
      }
    }
  });
  return `${to.length} recipients${late ? ', late' : ''}`;
}

/**
 * Outbox sender for report files: `payload.file` is a path on this machine, uploaded as a
 * multipart InputFile through the channel's own sendDocument/sendPhoto sender.
 */
export function reportFileSender(telegram: ChannelAdapter): Sender {
  return async (payload, row) => {
    const { method, file, ...rest } = payload as { method: 'sendDocument' | 'sendPhoto'; file: string } & Record<string, unknown>;
    const base = telegram.senders[method];
    if (!base) throw new Error(`telegram channel has no ${method} sender`);
    const field = method === 'sendPhoto' ? 'photo' : 'document';
    return base({ ...rest, [field]: new InputFile(file, path.basename(file)) }, row);
  };
}

export function createScheduler(app: AppContext): Scheduler {
  const store = sqliteCaseStore(app.database.sqlite);
  const jobs = periodicJobs(app);
  let lastSpikeAt = 0;
  let running: Promise<TickResult> | null = null;

  const once = async (): Promise<TickResult> => {
    const now = app.clock.now().setZone(app.org.organization.timezone);
    const t = now.toMillis();
    const prev = getKv(app.db, LAST_TICK_KEY);
    const since = schedulerSince(app.db, t);
    const result: TickResult = { reminders: 0, violations: 0, escalations: 0, spikes: 0, jobs: {} };
    try {
      Object.assign(result, watchDeadlines(app, store, t, prev !== null ? Number(prev) : null));
    } catch (err) {
      app.logger.error({ err }, 'scheduler: deadline watch failed');
    }
    try {
      suggestSignificant(app);
    } catch (err) {
      app.logger.error({ err }, 'scheduler: significance suggestions failed');
    }
    if (t - lastSpikeAt >= 5 * 60_000 || t < lastSpikeAt) {
      try {
        result.spikes = detectSpikes(app, app.database.sqlite, t).alerts;
        lastSpikeAt = t;
      } catch (err) {
        app.logger.error({ err }, 'scheduler: spike detection failed');
      }
    }
    for (const job of jobs) {
      try {
        result.jobs[job.name] = await runIfDue(app.db, job, now, since);
      } catch (err) {
        result.jobs[job.name] = 'failed';
        app.logger.error({ err, job: job.name }, 'scheduler: job failed (retried at the next tick)');
      }
    }
    setKv(app.db, LAST_TICK_KEY, String(t), Date.now());
    return result;
  };

  // No overlap: a tick that finds the previous one still running waits for it instead of starting another.
  const tick = (): Promise<TickResult> => {
    if (running) return running;
    running = once().finally(() => {
      running = null;
    });
    return running;
  };

  let task: ScheduledTask | null = null;
  return {
    name: 'scheduler',
    tick,
    stop: async () => {
      if (task) await task.stop();
      task = null;
      await running?.catch(() => undefined);
    },
    ...{
      start() {
        task = cron.schedule('* * * * *', () => tick().then(() => undefined), {
          timezone: app.org.organization.timezone,
          noOverlap: true,
          name: 'otklik-scheduler',
        });
      },
    },
  } as Scheduler & { start(): void };
}

/**
 * Starts the scheduler: a catch-up tick at once (reports or reminders due while the service was
 * down go out now, marked late), then every minute. With `channels`, installs the report-file sender.
 */
export function startScheduler(app: AppContext, channels?: Record<string, ChannelAdapter>): Scheduler {
  const tg = channels?.telegram;
  if (tg) tg.senders.sendReportFile = reportFileSender(tg);
  const s = createScheduler(app) as Scheduler & { start(): void };
  void s.tick().catch((err: unknown) => app.logger.error({ err }, 'scheduler: catch-up tick failed'));
  s.start();
  app.logger.info('scheduler: started');
  return s;
}
