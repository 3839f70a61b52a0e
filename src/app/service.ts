import http from 'node:http';
import { GrammyError, HttpError, type Bot, type Composer } from 'grammy';
import { webhookHandler } from '../bot/webhook.js';
import { ConfigError, loadEnv, secretsOf, type Env } from '../config/env.js';
import { createLogger, type Logger } from '../infra/logger.js';
import { OutboxWorker, type ChannelAdapter } from '../outbox/worker.js';
import { buildBot } from '../bot/build.js';
import type { BotContext } from '../bot/context.js';
import { telegramChannel } from '../outbox/telegram-channel.js';
import { notifyFailedAction } from '../bot/failed-actions.js';
import { cardSenders } from '../bot/cards/senders.js';
import { stormSenders } from '../bot/storm.js';
import { commandSenders } from '../bot/features/commands.js';
import { accessSenders, guardRecipients, retireCardsOutsideStaff } from '../bot/access.js';
import { startVk, onVkSent } from '../sources/vk/index.js';
import { telegramChannelAdapter, telegramChannelComposer } from '../sources/telegram-channel/index.js';
import { notifyVkFailedForGood } from '../sources/vk/channel.js';
import { MAX_CITIZEN_ACTIONS, forgetMaxSend, startMaxSource, withCitizenSenders } from '../sources/max/index.js';
import { startScheduler } from '../scheduler/index.js';
import { syncOrganization } from '../db/repositories/org-sync.js';
import { startClockControl } from '../sandbox/clock-control.js';
import { createAppContext } from './compose.js';
import { createObservability } from './observability.js';
import type { AppContext } from '../kernel/context.js';
import { catchUpInBackground, ensureSearchIndex } from '../db/search-index.js';
import { departmentsWithoutReviewer } from '../config/organization.js';
import { tellAdministrators } from '../kernel/staff-notices.js';
import { warnUndeclaredHolidays } from '../bot/features/calendar-days.js';
import { recomputeIfCalendarChanged } from '../kernel/calendar-watch.js';
import { departmentStep } from '../domain/workflow/index.js';
import { withWorkspaceId } from '../kernel/workspace-id.js';
import { recordSends, withSendScope } from '../bot/sent-record.js';

export interface RunningService {
  app: AppContext;
  bot: Bot<BotContext>;
  worker: OutboxWorker;
  stop(reason?: string): Promise<void>;
}

/**
 * Builds and starts the whole service: configuration, database, organization import, the bot
 * (grammY's long polling, confirming a batch only once handled, or a webhook that checks Telegram's
 * secret header), the outbox worker, the VK collector when configured and the scheduler.
 */
export async function startService(envSource: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const env = loadEnv(envSource);
  const logger = createLogger(env.LOG_LEVEL, secretsOf(env));
  const app = openApp(env, logger);
  const { org, regulation, database } = app;
  syncOrganization(database.db, { ...org, staff: org.staff.map(withWorkspaceId) }, Date.now(), logger);
  const observe = (app.observe = createObservability(database, logger, {
    telegram: Boolean(env.BOT_TOKEN),
    vk: Boolean(env.VK_GROUP_ID && env.VK_GROUP_TOKEN),
    max: Boolean(env.MAX_BOT_TOKEN),
    maxCitizens: Boolean(env.MAX_SOURCE_TOKEN),
  }));
  retireCardsOutsideStaff(app);
  const unreviewed = departmentStep(regulation) ? departmentsWithoutReviewer(org) : [];
  warnUndeclaredHolidays(app, org.calendar.region ?? regulation.region ?? null);
  recomputeIfCalendarChanged(app, org.calendar.region ?? regulation.region ?? null);
  if (unreviewed.length) {
    logger.warn({ departments: unreviewed }, 'К11: no department head and no supervising deputy — drafts of these departments go straight to the administrator');
    // The administrators are told too (once per set of departments), so the gap is fixed by people who read the chat, not the log.
    const names = unreviewed.map((id) => org.departments.find((d) => d.id === id)?.name ?? id).join(', ');
    tellAdministrators(app, app.db, (locale) => app.t(locale, 'departments-without-reviewer', { departments: names }), { key: `k11-unreviewed:${unreviewed.join(',')}` });
  }

  // Citizens' comments in the administration's channel discussion group become cases: a source that
  // listens through the bot, so it is plugged in here rather than imported by the bot.
  const bot = buildBot(app, [{ feature: (ctx) => telegramChannelComposer(ctx) as unknown as Composer<BotContext> }]);
  // Telegram first, briefly: a refused token stops here with one line; an unreachable Telegram does not
  // stop VK collection, the callback server or the scheduler — the bot connects when Telegram answers.
  // No BOT_TOKEN: every person works in MAX (src/max); Telegram is neither asked nor polled.
  const telegramOn = env.BOT_TOKEN !== undefined;
  if (!telegramOn) logger.info('telegram: off (no BOT_TOKEN): the staff workspace is in MAX only');
  const first = telegramOn ? await reachTelegram(bot, env, logger) : 'off';
  if (first === 'refused') {
    database.close();
    throw tokenRefused();
  }
  const channels: Record<string, ChannelAdapter> = {
    telegram: withGuard(app, telegramChannel(bot.api, { ...cardSenders(app, bot.api), ...commandSenders(app, bot.api), ...accessSenders(app, bot.api), ...stormSenders(app, bot.api) })),
    telegram_channel: telegramChannelAdapter(bot.api),
  };
  // The staff workspace in MAX: the same bot and senders, its calls for MAX chats routed to MAX (src/max).
  // Loaded only with MAX_BOT_TOKEN: the MAX library and the bridge are not carried by a service without MAX.
  const max = env.MAX_BOT_TOKEN
    ? (await import('../max/index.js')).createMaxWorkspace(app, bot as unknown as Bot, channels.telegram!, (ok) => (ok === true ? observe.max.ok() : observe.max.fail(ok)))
    : null;
  if (max) channels.max = max.channel;
  // Installed after the MAX bridge, so it is the outermost transformer and sees the sends to MAX chats too.
  bot.api.config.use(recordSends(app));
  // Tests only (docs/configuration.md): a shorter spacing between two sends to one chat; the tests of the
  // real spacing run with the fake's rate limits on and without it.
  const testSpacing = env.OTKLIK_TEST_CHAT_SPACING_MS;
  if (testSpacing !== undefined) {
    for (const [name, channel] of Object.entries(channels)) channels[name] = { ...channel, spacingMs: (key) => Math.min(testSpacing, channel.spacingMs(key)) };
  }

  if (!env.VK_GROUP_ID) logger.warn('VK is off: set VK_GROUP_ID and VK_GROUP_TOKEN to collect messages from the community');
  const stoppers: { name: string; stop: () => Promise<void> }[] = [];
  for (const start of await optionalStarters()) {
    const started = await start(app, channels);
    if (started) stoppers.push(started);
  }

  for (const lane of Object.keys(channels)) channels[lane] = observe.instrument(lane, channels[lane]!);
  const worker = new OutboxWorker({
    db: database.db,
    now: Date.now,
    logger,
    channels,
    onSent: (row, result) => app.onSent.get(`${row.channel}:${row.action}`)?.(row, result),
    // VK rows: the VK source tells the administrators once, with the link and the text to publish by hand.
    onFailedForGood: (row, reason) => (row.channel === 'vk' ? notifyVkFailedForGood(app, row, reason) : notifyFailedAction(app, row, reason)),
  });
  worker.start();
  // The search index of an older database is caught up in the background (new data is indexed as it is stored).
  ensureSearchIndex(database.sqlite);
  let indexing = true;
  const indexed = catchUpInBackground(database.sqlite, { shouldStop: () => !indexing })
    .then((n) => {
      if (n) logger.info({ cases: n }, 'search: index caught up');
    })
    .catch((err: unknown) => logger.error({ err }, 'search: index catch-up failed'));
  stoppers.push({
    name: 'search-index',
    stop: async () => {
      indexing = false;
      await indexed;
    },
  });

  let server: http.Server | null = null;
  // /health, /ready and /metrics are always served (loopback unless HTTP_HOST says otherwise).
  const routes = observe.routes();
  if (env.BOT_MODE === 'webhook') {
    // Telegram posts to WEBHOOK_URL; a reverse proxy forwards it here with the same path.
    const webhookPath = new URL(env.WEBHOOK_URL!).pathname || '/';
    routes.set(webhookPath, webhookHandler(bot, env.WEBHOOK_SECRET, logger));
  }
  for (const [path, handler] of app.httpRoutes ?? []) routes.set(path, handler);
  if (max?.route) routes.set(...max.route);
  // Telegram, VK or MAX posting to us needs the listener; in polling mode only the status pages do, so a
  // port already taken is logged and the bot keeps working.
  const needed = env.BOT_MODE === 'webhook' || app.httpRoutes?.has('/vk/callback') === true || Boolean(max?.route);
  try {
    server = await listen(env, routes, logger);
  } catch (err) {
    if (needed) throw err;
    logger.error({ err: (err as Error).message }, `http: cannot listen on ${env.HTTP_HOST}:${env.PORT}; /health, /ready and /metrics are off (set PORT or HTTP_HOST)`);
  }
  if (max) {
    await max.start();
    stoppers.push({ name: 'max', stop: () => max.stop() });
  }
  const address = server?.address();
  const port = address && typeof address === 'object' ? address.port : null;

  let stopping: Promise<void> | null = null;
  let polling: Promise<void> | null = null;
  let connecting = true;
  const stop = (reason = 'stop') =>
    (stopping ??= (async () => {
      logger.info({ reason }, 'otklik: stopping');
      connecting = false;
      // Polling confirms an update only by asking for the next batch: the batch in hand is finished first.
      if (bot.isRunning()) await Promise.race([bot.stop().catch(() => undefined), sleep(3_000)]);
      if (polling) await Promise.race([polling, sleep(5_000)]);
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of [...stoppers].reverse()) {
        try {
          await s.stop();
        } catch (err) {
          logger.error({ err, part: s.name }, 'otklik: part failed to stop');
        }
      }
      await worker.stop();
      database.close();
      logger.info('otklik: stopped');
    })());
  /** The token was revoked while running (or while waiting for Telegram): one line, then the process ends. */
  const fatal = () => {
    logger.fatal(tokenRefused().message);
    void stop('BOT_TOKEN refused').then(() => process.exit(1));
  };

  const goOnline = async (): Promise<void> => {
    if (env.BOT_MODE === 'webhook') {
      await bot.api.setWebhook(env.WEBHOOK_URL!, { secret_token: env.WEBHOOK_SECRET, drop_pending_updates: false });
      return;
    }
    // grammY's own long polling: a batch is confirmed (the next getUpdates offset) only after every
    // update of it was handled, so a press being handled when the process dies is delivered again;
    // the update dedupe skips what was already handled.
    polling = bot.start({ timeout: 25, drop_pending_updates: false }).catch((err: unknown) => {
      if (isRefused(err)) return fatal();
      logger.error({ err: (err as Error).message }, 'telegram: polling ended');
    });
  };

  if (first === 'ok') await goOnline();
  else if (first !== 'off') {
    void (async () => {
      for (let attempt = 1, wait = 2_000; connecting; attempt++, wait = Math.min(wait * 2, 60_000)) {
        await sleep(wait);
        if (!connecting) return;
        const r = await reachTelegram(bot, env, logger, attempt);
        if (r === 'refused') return fatal();
        if (r === 'ok' && connecting) {
          logger.info({ bot: bot.botInfo.username, attempts: attempt + 1 }, 'telegram: reachable again, the bot is online');
          await goOnline().catch((err: unknown) => logger.error({ err: (err as Error).message }, 'telegram: going online failed'));
          return;
        }
      }
    })();
  }

  logger.info(
    {
      mode: env.BOT_MODE,
      bot: first === 'ok' ? bot.botInfo.username : null,
      telegram: first === 'ok' ? 'online' : first === 'off' ? 'off' : 'unreachable, retrying',
      regulation: regulation.id,
      vk: Boolean(env.VK_GROUP_ID),
      host: server ? env.HTTP_HOST : null,
      port,
    },
    'otklik: ready',
  );
  return { app, bot, worker, stop };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

function isRefused(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404);
}

function tokenRefused(): ConfigError {
  return new ConfigError(
    ['BOT_TOKEN was refused by Telegram (401 Unauthorized): the token was revoked or mistyped — take the current one from @BotFather (/mybots → API Token) and set BOT_TOKEN'],
    'Otklik cannot start:',
  );
}

/**
 * One attempt to reach Telegram (getMe, at most 10 s). Logs an unreachable Telegram once per attempt in
 * one line naming what to check; a 401 is reported by the caller.
 */
async function reachTelegram(bot: Bot<BotContext>, env: Env, logger: Logger, attempt = 0): Promise<'ok' | 'refused' | 'unreachable'> {
  try {
    await bot.init(AbortSignal.timeout(10_000) as never);
    return 'ok';
  } catch (err) {
    if (isRefused(err)) return 'refused';
    const reason = err instanceof HttpError ? String((err.error as Error)?.message ?? err.message) : err instanceof GrammyError ? `${err.error_code} ${err.description}` : (err as Error).message;
    const line = `telegram: unreachable at TELEGRAM_API_ROOT=${env.TELEGRAM_API_ROOT} (${reason}); VK collection and the scheduler keep running, retrying — check the network, a proxy or TELEGRAM_API_ROOT`;
    if (attempt === 0) logger.error({ reason }, line);
    else logger.debug({ reason, attempt }, 'telegram: still unreachable, retrying');
    return 'unreachable';
  }
}

/**
 * The application context; a database that cannot be opened or written is one line naming
 * DATABASE_PATH instead of a stack trace.
 */
function openApp(env: Env, logger: Logger): AppContext {
  try {
    return createAppContext(env, logger);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (/^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_IOERR|SQLITE_PERM|SQLITE_NOTADB|EACCES|EPERM|EROFS|ENOTDIR|ENOENT|EISDIR|ENOSPC)/.test(code)) {
      throw new ConfigError(
        [`DATABASE_PATH=${env.DATABASE_PATH} cannot be opened for writing (${code}: ${(err as Error).message}) — point DATABASE_PATH at a file in a folder this user can write`],
        'Otklik cannot start:',
      );
    }
    throw err;
  }
}

/** Every Telegram action passes the recipient check (bot/access.ts) right before it is sent, in the scope of its row (bot/sent-record.ts). */
function withGuard(app: AppContext, adapter: ChannelAdapter): ChannelAdapter {
  return { ...adapter, senders: withSendScope(guardRecipients(app, adapter.senders)) };
}

type Starter = (app: AppContext, channels: Record<string, ChannelAdapter>) => Promise<{ name: string; stop: () => Promise<void> } | null>;

/** Parts that plug in beside the bot, in start order (stopped in reverse): VK, the scheduler. */
async function optionalStarters(): Promise<Starter[]> {
  const vk: Starter = async (app, channels) => {
    const source = await startVk(app);
    if (!source) return null;
    channels.vk = source.channel;
    app.onSent.set('vk:publish', (row, result) => onVkSent(app, row, result));
    const callback = source.callbackHandler;
    if (callback) {
      const route: http.RequestListener = (req, res) => void callback(req, res);
      (app.httpRoutes ??= new Map()).set('/vk/callback', route);
    }
    return { name: 'vk', stop: () => source.stop() };
  };
  const max: Starter = async (app, channels) => {
    const source = await startMaxSource(app);
    if (!source) return null;
    // The staff workspace's MAX channel, when it is on, carries the citizens' bot's senders too.
    channels.max = channels.max ? withCitizenSenders(channels.max, source.channel) : source.channel;
    for (const action of MAX_CITIZEN_ACTIONS)
      app.onSent.set(`max:${action}`, (row, result) => {
        forgetMaxSend(app, row.payload);
        onVkSent(app, row, result);
      });
    return { name: 'max-source', stop: () => source.stop() };
  };
  const telegramChannelReplies: Starter = async (app) => {
    app.onSent.set('telegram_channel:reply', (row, result) => onVkSent(app, row, result));
    return null;
  };
  let tick: (() => Promise<unknown>) | undefined;
  const scheduler: Starter = async (app, channels) => {
    const s = startScheduler(app, channels);
    tick = () => s.tick();
    return { name: 'scheduler', stop: () => s.stop() };
  };
  // Sandbox only (see src/sandbox/clock-control.ts): the launcher moves the fake clock, then a tick runs.
  const sandboxClock: Starter = async (app) => (tick ? startClockControl(app, tick) : null);
  return [vk, max, telegramChannelReplies, scheduler, sandboxClock];
}

function listen(env: Env, routes: Map<string, http.RequestListener>, logger: Logger): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      logger.error({ err, path }, 'http: handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HTTP_HOST, () => resolve(server));
  });
}
