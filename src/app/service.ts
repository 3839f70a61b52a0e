import http from 'node:http';
import { webhookCallback, type Bot } from 'grammy';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { loadEnv, secretsOf, type Env } from '../config/env.js';
import { createLogger, type Logger } from '../infra/logger.js';
import { OutboxWorker, type ChannelAdapter } from '../outbox/worker.js';
import { buildBot } from '../bot/build.js';
import type { BotContext } from '../bot/context.js';
import { telegramChannel } from '../bot/telegram-channel.js';
import { notifyFailedAction } from '../bot/failed-actions.js';
import { cardSenders } from '../bot/cards/senders.js';
import { stormSenders } from '../bot/storm.js';
import { commandSenders } from '../bot/features/commands.js';
import { startVk, onVkSent } from '../sources/vk/index.js';
import { telegramChannelAdapter } from '../sources/telegram-channel/index.js';
import { startScheduler } from '../scheduler/index.js';
import { syncOrganization } from './org-sync.js';
import { startClockControl } from '../sandbox/clock-control.js';
import { createAppContext } from './compose.js';
import { createObservability } from './observability.js';
import type { AppContext } from './context.js';

export interface RunningService {
  app: AppContext;
  bot: Bot<BotContext>;
  worker: OutboxWorker;
  stop(reason?: string): Promise<void>;
}

/**
 * Builds and starts the whole service: configuration, database, organization import, the bot
 * (long polling through @grammyjs/runner, or a webhook that checks Telegram's secret header), the
 * outbox worker, the VK collector when configured and the scheduler.
 */
export async function startService(envSource: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const env = loadEnv(envSource);
  const logger = createLogger(env.LOG_LEVEL, secretsOf(env));
  const app = createAppContext(env, logger);
  const { org, regulation, database } = app;
  syncOrganization(database.db, org, Date.now(), logger);
  const observe = (app.observe = createObservability(database, logger, { vk: Boolean(env.VK_GROUP_ID && env.VK_GROUP_TOKEN) }));

  const bot = buildBot(app);
  await bot.init();
  const channels: Record<string, ChannelAdapter> = {
    telegram: telegramChannel(bot.api, { ...cardSenders(app, bot.api), ...commandSenders(app, bot.api), ...stormSenders(app, bot.api) }),
    telegram_channel: telegramChannelAdapter(bot.api),
  };

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
    onFailedForGood: (row, reason) => notifyFailedAction(app, row, reason),
  });
  worker.start();

  let runner: RunnerHandle | null = null;
  let server: http.Server | null = null;
  // /health, /ready and /metrics are always served (loopback unless HTTP_HOST says otherwise).
  const routes = observe.routes();
  if (env.BOT_MODE === 'webhook') {
    // Telegram posts to WEBHOOK_URL; a reverse proxy forwards it here with the same path.
    const webhookPath = new URL(env.WEBHOOK_URL!).pathname || '/';
    routes.set(webhookPath, webhookCallback(bot, 'http', { secretToken: env.WEBHOOK_SECRET }) as http.RequestListener);
    await bot.api.setWebhook(env.WEBHOOK_URL!, { secret_token: env.WEBHOOK_SECRET, drop_pending_updates: false });
  } else {
    await bot.api.deleteWebhook({ drop_pending_updates: false });
    runner = run(bot, { runner: { fetch: { timeout: 25 } } });
  }
  for (const [path, handler] of app.httpRoutes ?? []) routes.set(path, handler);
  // Telegram or VK posting to us needs the listener; in polling mode only the status pages do, so a
  // port already taken is logged and the bot keeps working.
  const needed = env.BOT_MODE === 'webhook' || app.httpRoutes?.has('/vk/callback') === true;
  try {
    server = await listen(env, routes, logger);
  } catch (err) {
    if (needed) throw err;
    logger.error({ err: (err as Error).message }, `http: cannot listen on ${env.HTTP_HOST}:${env.PORT}; /health, /ready and /metrics are off (set PORT or HTTP_HOST)`);
  }
  const address = server?.address();
  const port = address && typeof address === 'object' ? address.port : null;

  logger.info(
    { mode: env.BOT_MODE, bot: bot.botInfo.username, regulation: regulation.id, vk: Boolean(env.VK_GROUP_ID), host: server ? env.HTTP_HOST : null, port },
    'otklik: ready',
  );

  let stopping: Promise<void> | null = null;
  const stop = (reason = 'stop') =>
    (stopping ??= (async () => {
      logger.info({ reason }, 'otklik: stopping');
      if (runner?.isRunning()) await runner.stop(); // waits for the updates in flight
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
  return { app, bot, worker, stop };
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
  return [vk, telegramChannelReplies, scheduler, sandboxClock];
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
