import type { Env } from '../config/env.js';
import { loadOrganization } from '../config/organization.js';
import { openDatabase } from '../db/connection.js';
import { loadRegulation } from '../domain/regulation/load.js';
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
import { createEffectDispatcher, type EffectHandlers } from '../kernel/effects.js';
import { buildWorkingTime } from '../kernel/working-time.js';
import { MAX_TEXT_LIMIT, staffChannel } from '../kernel/workspace-id.js';
import { createI18n, makeTranslator, serviceClock, type AppContext } from '../kernel/context.js';

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
        // A text over the messenger's limit is queued as several parts (bot/format/split-action.ts);
        // a staff action for a MAX workspace chat goes to the `max` channel (kernel/workspace-id.ts).
        const routed = staffChannel(action);
        let first: number | null = null;
        for (const part of splitLongText(routed, routed.channel === 'max' ? MAX_TEXT_LIMIT : undefined)) {
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
