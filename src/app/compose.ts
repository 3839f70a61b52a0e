import type { Env } from '../config/env.js';
import { loadOrganization, type Organization } from '../config/organization.js';
import type { Regulation } from '../domain/regulation/schema.js';
import type { WorkingTime } from '../domain/time/types.js';
import type { Database as SqliteDb } from 'better-sqlite3';
import { openDatabase } from '../db/connection.js';
import { loadCalendarYears } from '../db/calendar-store.js';
import { loadRegulation } from '../domain/regulation/load.js';
import { calendarYearSchema } from '../domain/time/calendar-data.js';
import { createWorkingTime } from '../domain/time/working-time.js';
import type { Logger } from '../infra/logger.js';
import { enqueue } from '../outbox/queue.js';
import { splitLongText } from '../bot/format/split-action.js';
import { botEffectHandlers } from '../bot/effects.js';
import { notifySupplementHandlers } from '../bot/features/work-common.js';
import { executorNotifications } from '../bot/features/executor.js';
import { departmentHeadNotifications } from '../bot/features/department-head.js';
import { approvalNotifications } from '../bot/features/approval.js';
import { sourceEffectHandlers } from '../sources/effects.js';
import { schedulerEffectHandlers } from '../scheduler/index.js';
import { createEffectDispatcher, type EffectHandlers } from './effects.js';
import { declaredDayKinds } from '../db/repositories/calendar.js';
import { createI18n, makeTranslator, serviceClock, type AppContext } from './context.js';

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

/**
 * The composition root shared by the service, the offline commands (`otklik report`) and tests that
 * act on a service's database: organization file, regulation (with the organization's overrides),
 * database, production calendar (shipped plus imported years), working time, clock, translations,
 * the outbox and every effect handler. Nothing here talks to Telegram or VK.
 */
export function createAppContext(env: Env, logger: Logger): AppContext {
  const { org, dir: orgDir } = loadOrganization(env.CONFIG_PATH);
  const base = loadRegulation(org.regulation, orgDir);
  const regulation = org.options.publisher ? { ...base, rules: { ...base.rules, publisher: org.options.publisher } } : base;
  const database = openDatabase(env.DATABASE_PATH);
  try {
    const workingTime = buildWorkingTime(org, regulation, database.sqlite, logger);
    const i18n = createI18n();
    const app: AppContext = {
      env,
      org,
      orgDir,
      regulation,
      workingTime,
      clock: serviceClock(org.organization.timezone, env.OTKLIK_FAKE_NOW),
      database,
      db: database.db,
      logger,
      i18n,
      t: makeTranslator(i18n, org.organization.locale),
      enqueue: (action, tx) => {
        // A text over Telegram's limit is queued as several parts (bot/format/split-action.ts).
        let first: number | null = null;
        for (const part of splitLongText(action)) {
          const id = enqueue(tx ?? database.db, part, Date.now());
          first ??= id;
        }
        return first;
      },
      applyEffects: () => undefined,
      onSent: new Map(),
    };
    app.applyEffects = createEffectDispatcher(() => app, ...effectHandlerSets(app));
    return app;
  } catch (err) {
    database.close();
    throw err;
  }
}

/** Who turns each workflow effect into outgoing actions, in the order they run. */
export function effectHandlerSets(app: AppContext): EffectHandlers[] {
  return [
    botEffectHandlers(app),
    notifySupplementHandlers(executorNotifications, departmentHeadNotifications, approvalNotifications),
    sourceEffectHandlers(app) as EffectHandlers,
    schedulerEffectHandlers(app) as EffectHandlers,
  ];
}
