import path from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import type { AppContext } from '../kernel/context.js';
import type { ChannelAdapter } from '../outbox/worker.js';
import { deliverMonthlyReport } from '../reports/monthly.js';
import { recomputeIfCalendarChanged } from '../kernel/calendar-watch.js';
import { reportFileSender } from '../outbox/telegram-channel.js';
import { getKv, setKv } from '../db/repositories/kv.js';
import { dailyBackup } from './backup.js';
import { violationsDigest } from './digest.js';
import { dailyAt, monthlyOnFirstAt, runIfDue, schedulerSince, type PeriodicJob } from './jobs.js';
import { detectSpikes } from './spikes.js';
import { suggestSignificant } from './significance.js';
import { sqliteCaseStore } from '../db/repositories/deadline-store.js';
import { watchDeadlines } from './watch.js';

export { schedulerEffectHandlers, pushUrgentToHead } from './urgent.js';

/**
 * The scheduler: one node-cron task every minute in the organization's zone, never
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

/** How often a calendar imported while the service runs is looked for (between the minute ticks). */
export const CALENDAR_CHECK_MS = 10_000;

export function createScheduler(app: AppContext): Scheduler {
  const store = sqliteCaseStore(app.database.sqlite);
  const jobs = periodicJobs(app);
  let lastSpikeAt = 0;
  let running: Promise<TickResult> | null = null;
  // A calendar imported while the service runs is looked for more often than the minute tick: the check is
  // one read of the stored calendar years and a digest, and staff learn a moved deadline within seconds.
  const checkCalendar = () => {
    try {
      recomputeIfCalendarChanged(app, app.org.calendar.region ?? app.regulation.region ?? null);
    } catch (err) {
      app.logger.error({ err }, 'scheduler: calendar check failed');
    }
  };
  let calendarTimer: NodeJS.Timeout | null = null;

  const once = async (): Promise<TickResult> => {
    const now = app.clock.now().setZone(app.org.organization.timezone);
    const t = now.toMillis();
    const prev = getKv(app.db, LAST_TICK_KEY);
    const since = schedulerSince(app.db, t);
    const result: TickResult = { reminders: 0, violations: 0, escalations: 0, spikes: 0, jobs: {} };
    // A calendar imported while the service runs (`otklik calendar import`): also checked every CALENDAR_CHECK_MS.
    checkCalendar();
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
      if (calendarTimer) clearInterval(calendarTimer);
      calendarTimer = null;
      if (task) await task.stop();
      task = null;
      await running?.catch(() => undefined);
    },
    ...{
      start() {
        calendarTimer = setInterval(checkCalendar, CALENDAR_CHECK_MS);
        calendarTimer.unref();
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
