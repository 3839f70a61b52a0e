import type http from 'node:http';
import type { Bot, Context } from 'grammy';
import type { AppContext } from '../kernel/context.js';
import type { ChannelAdapter } from '../outbox/worker.js';
import { maxApi, maxTransformer } from './bridge.js';
import { MaxReceiver } from './workspace.js';

export interface MaxWorkspace {
  /** The outbox channel `max`: the workspace's senders, spaced and rated for MAX. */
  channel: ChannelAdapter;
  /** The webhook route (path, handler) when MAX_WEBHOOK_URL is set. */
  route: [string, http.RequestListener] | null;
  /** Starts receiving (polling, or subscribing the webhook). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The staff workspace in MAX (docs/max.md): a bridge under the existing bot. Calls of the bot for MAX
 * chats go to the MAX API (the transformer is installed last, so it runs first and Telegram's
 * auto-retry and reachability never see them); MAX updates come in through `MaxReceiver`. `workspace`
 * is the Telegram channel's adapter (the same senders, card edits included).
 */
export function createMaxWorkspace(app: AppContext, bot: Bot<Context>, workspace: ChannelAdapter, reach?: (ok: true | unknown) => void): MaxWorkspace | null {
  const { env, logger } = app;
  if (!env.MAX_BOT_TOKEN) return null;
  const api = maxApi(env.MAX_BOT_TOKEN, env.MAX_API_ROOT);
  bot.api.config.use(maxTransformer(api, app.db));
  const receiver = new MaxReceiver({ api, db: app.db, logger, bot, reach });
  const webhook = env.MAX_WEBHOOK_URL && env.MAX_WEBHOOK_SECRET ? { url: env.MAX_WEBHOOK_URL, secret: env.MAX_WEBHOOK_SECRET } : null;
  return {
    // MAX: about 30 requests a second per bot (dev.max.ru «Ограничения»); 1 s between messages of one chat like Telegram.
    channel: { ...workspace, spacingMs: () => 1_000, perSecond: 25 },
    route: webhook ? [new URL(webhook.url).pathname || '/', receiver.webhookHandler(webhook.secret)] : null,
    async start() {
      // dev.max.ru deep links: https://max.ru/<bot name>?start=<payload> opens the dialog with `bot_started` carrying the payload.
      void api
        .getMyInfo()
        .then((me) => {
          if (me.username) app.maxStaffLink = (payload) => `https://max.ru/${me.username}?start=${payload}`;
        })
        .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'max: GET /me failed; invites show the Telegram link only until the next start'));
      if (!webhook) {
        receiver.startPolling();
        logger.info('max: staff workspace bot polling');
        return;
      }
      try {
        await receiver.subscribe(webhook.url, webhook.secret);
        logger.info({ url: webhook.url }, 'max: staff workspace bot subscribed (webhook)');
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'max: subscribing the webhook failed; check MAX_WEBHOOK_URL (https, reachable from MAX) and MAX_BOT_TOKEN');
      }
    },
    stop: () => receiver.stop(),
  };
}
