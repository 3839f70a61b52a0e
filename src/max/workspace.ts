import type http from 'node:http';
import type { Bot, Context } from 'grammy';
import type { Update as MaxUpdate } from '@maxhub/max-bot-api/types';
import type { Api as MaxApi } from '@maxhub/max-bot-api';
import type { Db } from '../db/connection.js';
import type { Logger } from '../infra/logger.js';
import { getKv } from '../db/repositories/kv.js';
import { markMaxUpdateHandled, maxMessageNumber, pendingMaxUpdates, storeMaxUpdates } from '../db/repositories/max.js';
import { BodyTooLarge, MAX_BODY_BYTES, readBody, secretMatches } from '../infra/http-body.js';
import { MAX_WORKSPACE_BASE } from '../kernel/workspace-id.js';
import { STAFF_UPDATE_TYPES, toTelegramUpdate, updateKey } from './translate.js';

const MARKER_KEY = 'max:staff:marker';

export interface MaxReceiverOptions {
  api: MaxApi;
  db: Db;
  logger: Logger;
  /** The workspace bot (src/bot, built by src/app): each MAX update runs through it as a Telegram update. */
  bot: Bot<Context>;
  /** Reachability of MAX for /ready and /metrics: true after an answer, the error after a network failure. */
  reach?: (ok: true | unknown) => void;
  now?: () => number;
  /** Long-poll hold in seconds (GET /updates `timeout`). */
  pollTimeoutSeconds?: number;
}

/**
 * Receives the MAX staff bot's updates — by long polling GET /updates, or by webhook when MAX_WEBHOOK_URL
 * is set — stores each before acknowledging it, then hands them one by one, in order, to the workspace
 * bot as Telegram-shaped updates (translate.ts). Every role check, button, dedupe and refusal is the bot's.
 * A stored update is handled once: it is marked handled after the bot returns, the bot's own dedupe
 * (processed updates, by update id = 2^52 + row id) covers a crash in between.
 */
export class MaxReceiver {
  private stopped = false;
  private polling: Promise<void> | null = null;
  private abort = new AbortController();
  private draining: Promise<void> | null = null;
  private again = false;
  private readonly now: () => number;

  constructor(private readonly o: MaxReceiverOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Long polling: the marker is stored with the updates it acknowledges, so a restart resumes from it. */
  startPolling(): void {
    this.polling = this.pollLoop();
    this.kick();
  }

  /**
   * Webhook mode: subscribes the URL with the secret (dev.max.ru POST /subscriptions {url, update_types,
   * secret}) and returns the HTTP handler that checks X-Max-Bot-Api-Secret before reading the body.
   */
  async subscribe(url: string, secret: string): Promise<void> {
    await this.o.api.subscribe(url, secret, [...STAFF_UPDATE_TYPES]);
    this.o.reach?.(true);
    this.kick();
  }

  webhookHandler(secret: string): http.RequestListener {
    return (req, res) => {
      void (async () => {
        if (req.method !== 'POST') return void res.writeHead(405).end();
        if (!secretMatches(req.headers['x-max-bot-api-secret'], secret)) {
          req.resume();
          return void res.writeHead(401).end('secret is wrong');
        }
        let update: MaxUpdate;
        try {
          update = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8')) as MaxUpdate;
        } catch (err) {
          if (err instanceof BodyTooLarge) return void res.writeHead(413).end('too large');
          return void res.writeHead(400).end('bad json');
        }
        if (typeof update !== 'object' || update === null || typeof update.update_type !== 'string') return void res.writeHead(400).end('not an update');
        try {
          storeMaxUpdates(this.o.db, [{ key: updateKey(update), update: update as unknown as Record<string, unknown> }], null, this.now());
        } catch (err) {
          this.o.logger.error({ err: (err as Error).message }, 'max webhook: update not stored, MAX will post it again');
          return void res.writeHead(500).end();
        }
        // Stored: MAX may forget it now; it is handled from the table.
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
        this.kick();
      })();
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.race([Promise.allSettled([this.polling, this.draining]), new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  private async pollLoop(): Promise<void> {
    const { api, db, logger } = this.o;
    let wait = 1_000;
    while (!this.stopped) {
      const stored = getKv(db, MARKER_KEY);
      try {
        // modules/subscriptions/api.js: GET /updates with query { marker, limit, timeout, types }.
        const res = await api.raw.subscriptions.getUpdates({
          ...(stored ? { marker: Number(stored) } : {}),
          limit: 100,
          timeout: this.o.pollTimeoutSeconds ?? 25,
          types: STAFF_UPDATE_TYPES.join(','),
          signal: this.abort.signal,
        });
        this.o.reach?.(true);
        wait = 1_000;
        const batch = res.updates.map((u) => ({ key: updateKey(u), update: u as unknown as Record<string, unknown> }));
        const marker = typeof res.marker === 'number' ? { kvKey: MARKER_KEY, value: res.marker } : null;
        if (batch.length || marker) storeMaxUpdates(db, batch, marker, this.now());
        if (batch.length) this.kick();
      } catch (err) {
        if (this.stopped) return;
        const status = (err as { status?: number }).status;
        if (status === undefined) this.o.reach?.(err);
        else this.o.reach?.(true);
        if (status === 401) logger.error('max: MAX_BOT_TOKEN was refused (401): take the current token from business.max.ru and set MAX_BOT_TOKEN');
        else logger.debug({ err: (err as Error).message, wait }, 'max: polling failed, retrying');
        await new Promise((r) => setTimeout(r, wait).unref());
        wait = Math.min(wait * 2, 30_000);
      }
    }
  }

  /** Handles what is stored and not handled yet; one drain at a time, so updates run in order. */
  kick(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        await this.drain();
      } while (this.again && !this.stopped);
    })().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    const { db, bot, logger } = this.o;
    // The bot handles updates only once it knows itself (getMe): until then they wait in the table.
    if (!bot.isInited()) {
      setTimeout(() => this.kick(), 1_000).unref();
      return;
    }
    for (let rows = pendingMaxUpdates(db); rows.length && !this.stopped; rows = pendingMaxUpdates(db)) {
      for (const row of rows) {
        if (this.stopped) return;
        const update = toTelegramUpdate(row.update as unknown as MaxUpdate, MAX_WORKSPACE_BASE + row.id, { numberOf: (mid, chatId) => maxMessageNumber(db, mid, chatId, this.now()) });
        if (update) {
          try {
            await bot.handleUpdate(update);
          } catch (err) {
            logger.error({ err: (err as Error).message, update: row.id }, 'max: update not handled');
          }
        }
        markMaxUpdateHandled(db, row.id, this.now());
      }
    }
  }
}
