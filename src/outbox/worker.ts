import type { Logger } from '../infra/logger.js';
import type { Db } from '../db/connection.js';
import { dueActions, markFailed, markRetry, markSending, markSent, onEnqueued, resetInFlight, type OutboxRow } from './queue.js';
import { LANES, laneOf, type Lane } from './lanes.js';

/** Sends one action; returns what the remote gave back (message id, comment id) or null. */
export type Sender = (payload: Record<string, unknown>, row: OutboxRow) => Promise<Record<string, unknown> | null>;

/** How a failed send should be treated. */
export type Failure = { retry: true; afterMs?: number; reason: string } | { retry: false; reason: string };

export interface ChannelAdapter {
  senders: Record<string, Sender>;
  /** Maps an error of this channel to retry-or-give-up (Telegram 429 → retry after, 403 → give up; VK 6/9/10 → retry …). */
  classify(err: unknown): Failure;
  /** Minimum spacing of two actions with the same throttle key, e.g. 1 s per private chat. */
  spacingMs(throttleKey: string): number;
  /** Most actions a second for the whole channel (Telegram about 30/s; VK community token 20/s). */
  perSecond: number;
}

export interface OutboxWorkerOptions {
  db: Db;
  now: () => number;
  logger: Logger;
  channels: Record<string, ChannelAdapter>;
  /** Called after a row is sent, inside no transaction, e.g. to remember a card's message id. */
  onSent?: (row: OutboxRow, result: Record<string, unknown> | null) => void;
  /** Called when an action fails for good, so it is shown to the administrator, never dropped silently. */
  onFailedForGood?: (row: OutboxRow, reason: string) => void;
  /** Overrides every lane's bound on attempts (tests). */
  maxAttempts?: number;
  pollMs?: number;
  /** Caps the sends in flight over all lanes (each lane also has its own, lanes.ts). */
  concurrency?: number;
}

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 10 * 60_000;

/**
 * Drains the outbox: urgent first, each throttle key in order and spaced, each channel under its
 * rate, with retries and backoff. Idempotency lives in the senders (VK guid/random_id) and in the
 * rows (a sent row is never sent again).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private inFlight = new Set<Promise<void>>();
  private busyKeys = new Set<string>();
  private lastSentAt = new Map<string, number>();
  private windowStart = new Map<string, { at: number; count: number }>();
  private unsubscribe: (() => void) | null = null;
  private readonly inFlightByLane = new Map<Lane, number>();
  /** Lanes whose remote is failing now (since, reason): an outage and its recovery are logged once. */
  private readonly down = new Map<Lane, { since: number; reason: string }>();
  private readonly maxAttempts: number | undefined;
  private readonly pollMs: number;
  private readonly concurrency: number;

  constructor(private readonly opts: OutboxWorkerOptions) {
    this.maxAttempts = opts.maxAttempts;
    this.pollMs = opts.pollMs ?? 250;
    this.concurrency = opts.concurrency ?? Object.values(LANES).reduce((n, l) => n + l.concurrency, 0);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const reset = resetInFlight(this.opts.db);
    if (reset > 0) this.opts.logger.warn({ reset }, 'outbox: actions interrupted by the last stop are due again');
    this.unsubscribe = onEnqueued(() => this.kick());
    this.kick();
  }

  /** Stops taking new work and waits for what is being sent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Waits until nothing is due now (tests and benchmarks). */
  async drain(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const picked = await this.tick(true);
      await Promise.allSettled([...this.inFlight]);
      if (dueActions(this.opts.db, this.opts.now(), 1).length === 0 && this.inFlight.size === 0) return;
      if (picked === 0) await new Promise((r) => setTimeout(r, 10)); // throttled: let the spacing pass
    }
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, 0);
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, this.pollMs);
  }

  /** Starts sending what is due now; returns how many actions it started. */
  private async tick(evenIfStopped = false): Promise<number> {
    if (this.running || (this.stopped && !evenIfStopped)) return 0;
    this.running = true;
    try {
      const now = this.opts.now();
      let free = this.concurrency - this.inFlight.size;
      if (free <= 0) return 0;
      const picked: OutboxRow[] = [];
      for (const lane of Object.keys(LANES) as Lane[]) {
        const cfg = LANES[lane];
        let laneFree = cfg.concurrency - (this.inFlightByLane.get(lane) ?? 0);
        if (laneFree <= 0 || free <= 0) continue;
        for (const row of dueActions(this.opts.db, now, 200, cfg.channels)) {
          if (laneFree <= 0 || free <= 0) break;
          if (laneOf(row) !== lane) continue;
          const channel = this.opts.channels[row.channel];
          if (!channel) continue;
          const key = row.throttleKey;
          if (key && this.busyKeys.has(key)) continue;
          if (key && (this.lastSentAt.get(key) ?? 0) + channel.spacingMs(key) > Date.now()) continue;
          if (!this.takeRate(row.channel, channel.perSecond)) continue;
          if (key) this.busyKeys.add(key);
          picked.push(row);
          laneFree--;
          free--;
          this.inFlightByLane.set(lane, (this.inFlightByLane.get(lane) ?? 0) + 1);
        }
      }
      markSending(
        this.opts.db,
        picked.map((r) => r.id),
      );
      for (const row of picked) {
        const p = this.send(row).finally(() => {
          this.inFlight.delete(p);
          const lane = laneOf(row);
          this.inFlightByLane.set(lane, (this.inFlightByLane.get(lane) ?? 1) - 1);
          if (row.throttleKey) {
            this.busyKeys.delete(row.throttleKey);
            this.lastSentAt.set(row.throttleKey, Date.now());
          }
          this.kick();
        });
        this.inFlight.add(p);
      }
      return picked.length;
    } catch (err) {
      this.opts.logger.error({ err }, 'outbox: tick failed');
      return 0;
    } finally {
      this.running = false;
    }
  }

  private takeRate(channel: string, perSecond: number): boolean {
    const now = Date.now();
    const w = this.windowStart.get(channel);
    if (!w || now - w.at >= 1_000) {
      this.windowStart.set(channel, { at: now, count: 1 });
      return true;
    }
    if (w.count >= perSecond) return false;
    w.count += 1;
    return true;
  }

  private async send(row: OutboxRow): Promise<void> {
    const { db, logger } = this.opts;
    const channel = this.opts.channels[row.channel]!;
    const sender = channel.senders[row.action];
    if (!sender) {
      const reason = `no sender for ${row.channel}:${row.action}`;
      markFailed(db, row.id, reason);
      logger.error({ id: row.id }, `outbox: ${reason}`);
      this.opts.onFailedForGood?.(row, reason);
      return;
    }
    try {
      const result = await sender(row.payload, row);
      // One transaction: a crash cannot leave a sent row whose consequence (the publication recorded
      // on the case) is missing; the hook's own transactions nest as savepoints.
      db.transaction(() => {
        markSent(db, row.id, result, this.opts.now());
        this.opts.onSent?.(row, result);
      });
      this.laneWorks(laneOf(row));
    } catch (err) {
      const failure = channel.classify(err);
      const attempts = row.attempts + 1;
      const lane = laneOf(row);
      if (failure.retry && attempts < (this.maxAttempts ?? LANES[lane].maxAttempts)) {
        const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempts - 1));
        const jitter = Math.floor(Math.random() * 250);
        const delay = Math.max(failure.afterMs ?? 0, backoff) + jitter;
        markRetry(db, row.id, failure.reason, this.opts.now() + delay);
        // A rate limit is not an outage; anything else retryable means the remote is failing now.
        const known = failure.afterMs === undefined && !this.laneFails(lane, failure.reason);
        logger[known ? 'debug' : 'warn']({ id: row.id, lane, action: `${row.channel}:${row.action}`, attempts, delay, reason: failure.reason }, 'outbox: will retry');
        if (failure.afterMs && row.throttleKey) this.lastSentAt.set(row.throttleKey, Date.now() + failure.afterMs);
      } else {
        markFailed(db, row.id, failure.reason);
        logger.error({ id: row.id, action: `${row.channel}:${row.action}`, attempts, reason: failure.reason }, 'outbox: failed for good');
        this.opts.onFailedForGood?.(row, failure.reason);
      }
    }
  }

  /** Marks the lane failing; true when this is the start of an outage (logged here, once). */
  private laneFails(lane: Lane, reason: string): boolean {
    if (this.down.has(lane)) return false;
    this.down.set(lane, { since: Date.now(), reason });
    this.opts.logger.warn({ lane, reason }, `outbox: ${lane} lane is failing; its sends wait on their retry schedule, other lanes go on`);
    return true;
  }

  private laneWorks(lane: Lane): void {
    const d = this.down.get(lane);
    if (!d) return;
    this.down.delete(lane);
    this.opts.logger.info({ lane, seconds: Math.round((Date.now() - d.since) / 1000), reason: d.reason }, `outbox: ${lane} lane recovered`);
  }
}
