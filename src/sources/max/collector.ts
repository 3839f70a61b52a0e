import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { getKv, setKv } from '../../db/repositories/kv.js';
import { storeEvent } from '../../db/repositories/sources.js';
import type { MaxApi } from './api.js';
import { isMaxError } from './max-error.js';
import { MAX_UPDATE_TYPES, maxEventKey } from './normalize.js';
import type { MaxProcessor } from './processor.js';

/**
 * Long polling of the citizens' bot: GET /updates (the official library's `api.getUpdates(types, { marker,
 * timeout, limit })`, dist/api.js → modules/subscriptions/api.js) with the stored marker. MAX redelivers
 * updates until a later call passes a marker past them, so each batch is stored in `source_events`
 * together with the new marker in one transaction, and only then processed: a crash before the commit
 * gets the batch again, after it the batch is in the database. Our own loop rather than the library's
 * `bot.start()`, whose polling passes the next marker before its handlers have finished.
 */
const MARKER_KEY = 'max:source:marker';
const POLL_TIMEOUT_S = 25;

export class MaxCollector {
  private stopped = false;
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly app: AppContext,
    private readonly api: MaxApi,
    private readonly processor: MaxProcessor,
  ) {}

  start(): void {
    this.loop = this.run().catch((err: unknown) => this.app.logger.error({ err }, 'max: long poll loop ended'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { app } = this;
    let backoff = 1_000;
    let connected = false;
    while (!this.stopped) {
      const stored = getKv(app.db, MARKER_KEY);
      const marker = stored === null ? undefined : Number(stored);
      try {
        this.controller = new AbortController();
        const r = await this.api.getUpdates([...MAX_UPDATE_TYPES], {
          ...(marker !== undefined ? { marker } : {}),
          timeout: POLL_TIMEOUT_S,
          limit: 100,
          signal: this.controller.signal,
        } as Parameters<MaxApi['getUpdates']>[1]);
        if (this.stopped) break;
        app.observe?.polled('max_citizens');
        if (!connected) app.logger.info({ marker: marker ?? null }, 'max: long poll connected');
        connected = true;
        backoff = 1_000;
        const updates: unknown[] = Array.isArray(r.updates) ? r.updates : [];
        const now = Date.now();
        app.db.transaction((tx) => {
          updates.forEach((u, i) => storeUpdate(tx, u, `${marker ?? 'start'}:${i}`, now, app.logger));
          if (typeof r.marker === 'number') setKv(tx, MARKER_KEY, String(r.marker), now);
        });
        if (updates.length) await this.processor.processPending();
      } catch (err) {
        if (this.stopped) break;
        app.observe?.pollFailed('max_citizens', err);
        connected = false;
        if (isMaxError(err) && err.status === 401) app.logger.error({ backoff }, "max: MAX_SOURCE_TOKEN is refused (401): copy the citizens' bot token from business.max.ru; retrying");
        else app.logger.warn({ err: (err as Error).message, backoff }, 'max: long poll failed, retrying');
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }
}

/**
 * Stores one update. A malformed one is stored as rejected with the reason and changes nothing else —
 * it must not refuse its batch, which MAX would then deliver again for ever.
 */
function storeUpdate(tx: Db, u: unknown, position: string, now: number, logger: AppContext['logger']): void {
  const k = maxEventKey(u);
  if ('key' in k) {
    storeEvent(tx, { source: 'max', eventKey: k.key, type: k.type, via: 'longpoll', payload: u }, now);
    return;
  }
  logger.warn({ position, reason: k.rejected }, 'max: malformed update rejected, the rest of the batch goes on');
  storeEvent(tx, { source: 'max', eventKey: `max:rejected:${position}`, type: 'rejected', via: 'longpoll', payload: { raw: u ?? null }, status: 'failed', note: `rejected: ${k.rejected}` }, now);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
