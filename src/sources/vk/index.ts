import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../../kernel/context.js';
import type { ChannelAdapter } from '../../outbox/worker.js';
import type { VkApiOptions } from './api.js';
import { vkChannel } from './channel.js';
import { LongPollCollector, callbackHandler, callbackStartupCatchup, type CollectorDeps } from './collector.js';
import { pollExternalPages } from './external.js';
import { VkProcessor } from './processor.js';

export interface VkSource {
  channel: ChannelAdapter;
  /** Callback API endpoint (VK_MODE=callback), to mount on the service's HTTP server; null in long-poll mode. */
  callbackHandler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null;
  /** Processes stored events now (tests; the collector calls it itself). */
  processPending(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartVkOptions extends VkApiOptions {
  /** External pages polling interval (default 5 min). */
  externalPollMs?: number;
}

/**
 * Starts the VK source: the collector (Bots Long Poll, or the Callback API handler), processing of
 * events left pending by the last run, external pages polling, and the outbox channel. Returns null
 * (with a log line) when VK is not configured.
 */
export async function startVk(app: AppContext, opts: StartVkOptions = {}): Promise<VkSource | null> {
  const { env, logger } = app;
  if (!env.VK_GROUP_ID || !env.VK_GROUP_TOKEN) {
    logger.info('vk: off (VK_GROUP_ID and VK_GROUP_TOKEN are not set); only Telegram and manual registration work');
    return null;
  }
  const groupId = env.VK_GROUP_ID;
  // vk-io is loaded only when VK is configured (an idle service without VK does not carry it).
  const { createVkApis } = await import('./api.js');
  const apis = createVkApis(env, opts);
  if (!apis.user) logger.warn('vk: no VK_USER_TOKEN: bans, comment deletion, photo upload to comments, catch-up scans and external pages are off');
  const processor = new VkProcessor(app, apis.group, groupId);
  const deps: CollectorDeps = { app, group: apis.group, user: apis.user, groupId, processor };

  // Events stored but not processed before the last stop.
  await processor.processPending().catch((err: unknown) => logger.error({ err }, 'vk: processing pending events failed'));

  let collector: LongPollCollector | null = null;
  let handler: VkSource['callbackHandler'] = null;
  if (env.VK_MODE === 'callback') {
    handler = callbackHandler(deps);
    callbackStartupCatchup(deps);
    logger.info({ group: groupId }, 'vk: Callback API mode, waiting for VK at the /vk/callback route');
  } else {
    collector = new LongPollCollector(deps);
    collector.start();
    logger.info({ group: groupId }, 'vk: Bots Long Poll started');
  }

  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let polling: Promise<unknown> | null = null;
  if (app.org.vk.externalPages.length) {
    if (!apis.user) logger.warn({ pages: app.org.vk.externalPages.length }, 'vk: external pages are listed but need VK_USER_TOKEN; not monitored');
    else {
      const every = opts.externalPollMs ?? 5 * 60_000;
      const tick = () => {
        polling = pollExternalPages(app, apis.user!, processor)
          .catch((err: unknown) => logger.error({ err }, 'vk: external pages round failed'))
          .finally(() => {
            polling = null;
            if (!stopped) timer = setTimeout(tick, every);
          });
      };
      timer = setTimeout(tick, 1_000);
    }
  }

  return {
    channel: vkChannel(app, apis, groupId),
    callbackHandler: handler,
    processPending: () => processor.processPending(),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await collector?.stop();
      await polling;
    },
  };
}

export { onVkSent } from '../effects.js';
