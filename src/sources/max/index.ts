import type { AppContext } from '../../kernel/context.js';
import type { ChannelAdapter } from '../../outbox/worker.js';
import { maxChannel } from './channel.js';
import { MaxCollector } from './collector.js';
import { MaxProcessor } from './processor.js';

export { MAX_CITIZEN_ACTIONS, forgetMaxSend, withCitizenSenders } from './channel.js';
export { parseMaxKey } from './keys.js';

export interface MaxSource {
  channel: ChannelAdapter;
  processPending(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the MAX citizens' bot as a source (docs/max.md «Citizens' bot»): updates stored before the
 * marker moves past them, processed into cases with source «MAX»; the outbox channel `max` answers in
 * the dialog. Returns null (with a log line) when MAX_SOURCE_TOKEN is not set.
 */
export async function startMaxSource(app: AppContext): Promise<MaxSource | null> {
  const token = app.env.MAX_SOURCE_TOKEN;
  if (!token) {
    app.logger.info("max: citizens' bot off (MAX_SOURCE_TOKEN is not set)");
    return null;
  }
  // The MAX library is loaded only when the citizens' bot is configured.
  const { createMaxApi } = await import('./api.js');
  const api = createMaxApi(token, app.env.MAX_API_ROOT);
  const processor = new MaxProcessor(app);
  // Updates stored but not processed before the last stop.
  await processor.processPending().catch((err: unknown) => app.logger.error({ err }, 'max: processing pending updates failed'));
  const collector = new MaxCollector(app, api, processor);
  collector.start();
  app.logger.info("max: citizens' bot long polling started");
  return {
    channel: maxChannel(app, api),
    processPending: () => processor.processPending(),
    stop: () => collector.stop(),
  };
}
