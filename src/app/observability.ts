import type http from 'node:http';
import type { Counter, Histogram, Registry } from 'prom-client';
import type { Transformer } from 'grammy';
import type { DatabaseHandle } from '../db/connection.js';
import { getKv, setKv } from '../db/repositories/kv.js';
import { breachedDeadlineCount, casesByStatus, openDeadlineCount, sourceEventsByStatus, waitingOutboxByLane } from '../db/repositories/metrics.js';
import type { Logger } from '../infra/logger.js';
import type { ChannelAdapter } from '../outbox/worker.js';
import type { Observation } from '../kernel/context.js';
import { isMaxError } from '../sources/max/max-error.js';
import { MAX_CITIZEN_ACTIONS } from '../sources/max/keys.js';

/**
 * Whether a remote API answers, with one log line when it stops answering and one when it answers
 * again (not one per failed call): an outage is visible in the log and on /ready without flooding.
 * Any answer, an error answer included, counts as reachable; only network failures count as down.
 */
export class Reachability {
  private downSince: number | null = null;
  private lastError = '';
  lastOkAt: number | null = null;

  constructor(
    readonly name: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  ok(): void {
    const now = this.now();
    if (this.downSince !== null) {
      this.logger.info({ api: this.name, outageSeconds: Math.round((now - this.downSince) / 1000) }, `${this.name}: reachable again`);
      this.downSince = null;
    }
    this.lastOkAt = now;
  }

  fail(err: unknown): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    if (this.downSince !== null) return;
    this.downSince = this.now();
    this.logger.warn({ api: this.name, err: this.lastError }, `${this.name}: unreachable`);
  }

  get state(): { reachable: boolean; since: string | null; error?: string; lastOkAt: string | null } {
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return this.downSince === null
      ? { reachable: true, since: null, lastOkAt: iso(this.lastOkAt) }
      : { reachable: false, since: iso(this.downSince), error: this.lastError, lastOkAt: iso(this.lastOkAt) };
  }

  get down(): boolean {
    return this.downSince !== null;
  }
}

/** A network failure (no answer), as opposed to an API's error answer. */
function isNetworkError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: string; error_code?: unknown; code?: unknown; error?: unknown };
  if (e.name === 'HttpError') return true; // grammY: the request did not get an answer
  if (isMaxError(err)) return false; // MAX answered with an error (the official library's MaxError)
  if (typeof e.error_code === 'number') return false; // grammY: Telegram answered with an error
  if (e.name === 'APIError') return false; // vk-io: VK answered with an error
  return true;
}

/** The error code of a failed send, as a metric label: the API's code, or the network error's. */
function errorCode(err: unknown): string {
  const e = (err ?? {}) as { error_code?: unknown; code?: unknown; error?: { code?: unknown }; name?: string };
  const code = e.error_code ?? (e.name === 'HttpError' ? (e.error?.code ?? 'network') : e.code);
  return code === undefined || code === null ? 'error' : String(code);
}

export interface Observability extends Observation {
  /** The Prometheus registry, made at the first scrape (prom-client is loaded then, not at start). */
  registry(): Promise<Registry>;
  telegram: Reachability;
  vk: Reachability;
  /** The MAX staff bot's API (src/max), when MAX_BOT_TOKEN is set. */
  max: Reachability;
  /** The MAX citizens' bot's API (src/sources/max), when MAX_SOURCE_TOKEN is set. */
  maxCitizens: Reachability;
  /** Last successful long poll (Telegram getUpdates, VK Bots Long Poll, the MAX citizens' bot), epoch ms. */
  lastPoll: { telegram: number | null; vk: number | null; max_citizens: number | null };
  /** Wraps a channel's senders so every send and failure is counted per API, action and error code. */
  instrument(lane: string, channel: ChannelAdapter): ChannelAdapter;
  routes(): Map<string, http.RequestListener>;
}

const READY_KEY = 'health:ready';

export function createObservability(
  database: Pick<DatabaseHandle, 'db' | 'sqlite'>,
  logger: Logger,
  opts: { telegram?: boolean; vk: boolean; max?: boolean; maxCitizens?: boolean },
  now: () => number = Date.now,
): Observability {
  const { db, sqlite } = database;
  const telegram = new Reachability('telegram', logger, now);
  const vk = new Reachability('vk', logger, now);
  const max = new Reachability('max', logger, now);
  const maxCitizens = new Reachability('max_citizens', logger, now);
  const polledReach = { vk, max_citizens: maxCitizens };
  const lastPoll: Observability['lastPoll'] = { telegram: null, vk: null, max_citizens: null };

  // prom-client (about 11 MB resident) is loaded at the first scrape, not at start: a service nobody
  // scrapes stays lean. Until then sends, failures and report durations are tallied here and handed to
  // the registry when it is made; from then on they go to it directly.
  const early = { sends: new Map<string, number>(), failures: new Map<string, number>(), reports: [] as { kind: string; seconds: number }[] };
  let live: { sends: Counter<'api' | 'action'>; failures: Counter<'api' | 'code'>; reports: Histogram<'kind'> } | null = null;
  const tally = (m: Map<string, number>, labels: Record<string, string>) => {
    const key = JSON.stringify(labels);
    m.set(key, (m.get(key) ?? 0) + 1);
  };
  const countSend = (labels: { api: string; action: string }) => (live ? live.sends.inc(labels) : tally(early.sends, labels));
  const countFailure = (labels: { api: string; code: string }) => (live ? live.failures.inc(labels) : tally(early.failures, labels));
  const observeReport = (kind: string, seconds: number) => (live ? live.reports.observe({ kind }, seconds) : early.reports.push({ kind, seconds }));

  let made: Promise<Registry> | null = null;
  const registry = () => (made ??= makeRegistry());
  async function makeRegistry(): Promise<Registry> {
    const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = await import('prom-client');
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'otklik_' });
    const sends = new Counter({ name: 'otklik_sends_total', help: 'Actions sent, per API (outbox lane) and action', labelNames: ['api', 'action'] as const, registers: [registry] });
    const failures = new Counter({
      name: 'otklik_send_failures_total',
      help: 'Failed send attempts, per API (outbox lane) and error code',
      labelNames: ['api', 'code'] as const,
      registers: [registry],
    });
    const reports = new Histogram({
      name: 'otklik_report_duration_seconds',
      help: 'Time to build a monthly summary',
      labelNames: ['kind'] as const,
      buckets: [0.1, 0.5, 1, 2, 3, 5, 10, 30, 60],
      registers: [registry],
    });
    for (const [key, n] of early.sends) sends.inc(JSON.parse(key) as { api: string; action: string }, n);
    for (const [key, n] of early.failures) failures.inc(JSON.parse(key) as { api: string; code: string }, n);
    for (const r of early.reports) reports.observe({ kind: r.kind }, r.seconds);
    early.sends.clear();
    early.failures.clear();
    early.reports.length = 0;
    live = { sends, failures, reports };

    // Figures read from the database at scrape time: always true, nothing to keep in step.
    new Gauge({
      name: 'otklik_source_events',
      help: 'Incoming events stored, by processing status (pending = stored, not yet processed)',
      labelNames: ['status'],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of sourceEventsByStatus(sqlite)) this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'otklik_cases',
      help: 'Cases by status',
      labelNames: ['status'],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of casesByStatus(sqlite)) this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'otklik_open_deadlines',
      help: 'Open deadlines',
      registers: [registry],
      collect() {
        this.set(openDeadlineCount(sqlite));
      },
    });
    new Gauge({
      name: 'otklik_deadline_breaches',
      help: 'Open deadlines already past due',
      registers: [registry],
      collect() {
        this.set(breachedDeadlineCount(sqlite, now()));
      },
    });
    const outboxRows = () => waitingOutboxByLane(sqlite);
    new Gauge({
      name: 'otklik_outbox_depth',
      help: 'Actions waiting in the outbox, per lane',
      labelNames: ['lane'],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of outboxRows()) this.set({ lane: r.channel }, r.n);
      },
    });
    new Gauge({
      name: 'otklik_outbox_oldest_age_seconds',
      help: 'Age of the oldest waiting action, per lane',
      labelNames: ['lane'],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of outboxRows()) this.set({ lane: r.channel }, Math.max(0, (now() - r.oldest) / 1000));
      },
    });
    new Gauge({
      name: 'otklik_api_reachable',
      help: '1 when the API answers, 0 during an outage',
      labelNames: ['api'],
      registers: [registry],
      collect() {
        this.set({ api: 'telegram' }, telegram.down ? 0 : 1);
        if (opts.vk) this.set({ api: 'vk' }, vk.down ? 0 : 1);
        if (opts.max) this.set({ api: 'max' }, max.down ? 0 : 1);
        if (opts.maxCitizens) this.set({ api: 'max_citizens' }, maxCitizens.down ? 0 : 1);
      },
    });
    new Gauge({
      name: 'otklik_last_poll_timestamp_seconds',
      help: "Last successful long poll (Telegram getUpdates, VK Bots Long Poll, the MAX citizens' bot)",
      labelNames: ['source'],
      registers: [registry],
      collect() {
        this.reset();
        if (lastPoll.telegram !== null) this.set({ source: 'telegram' }, lastPoll.telegram / 1000);
        if (lastPoll.vk !== null) this.set({ source: 'vk' }, lastPoll.vk / 1000);
        if (lastPoll.max_citizens !== null) this.set({ source: 'max_citizens' }, lastPoll.max_citizens / 1000);
      },
    });
    return registry;
  }

  const telegramTransformer: Transformer = async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      telegram.ok();
      if (method === 'getUpdates' && res.ok) lastPoll.telegram = now();
      return res;
    } catch (err) {
      if (isNetworkError(err)) telegram.fail(err);
      else telegram.ok();
      throw err;
    }
  };

  function instrument(lane: string, channel: ChannelAdapter): ChannelAdapter {
    const reach = lane.startsWith('telegram') ? telegram : lane.startsWith('vk') ? vk : lane === 'max' ? max : null;
    const senders = Object.fromEntries(
      Object.entries(channel.senders).map(([action, send]) => {
        // The lane max carries both MAX bots' sends; the citizens' bot's are its own API.
        const api = reach === max && MAX_CITIZEN_ACTIONS.includes(action) ? maxCitizens : reach;
        return [
          action,
          async (payload: Record<string, unknown>, row: Parameters<typeof send>[1]) => {
            try {
              const result = await send(payload, row);
              countSend({ api: lane, action });
              // MAX has no transformer of its own here: a delivered send is the sign it answers again.
              if (api === max || api === maxCitizens) api.ok();
              return result;
            } catch (err) {
              countFailure({ api: lane, code: errorCode(err) });
              if (api && isNetworkError(err)) api.fail(err);
              throw err;
            }
          },
        ];
      }),
    );
    return { ...channel, senders };
  }

  /** The database accepts a write (a disk that is full or read-only fails here). */
  function databaseWritable(): { writable: boolean; error?: string } {
    try {
      setKv(db, READY_KEY, String(now()), now());
      return { writable: getKv(db, READY_KEY) !== null };
    } catch (err) {
      return { writable: false, error: (err as Error).message };
    }
  }

  const text = (res: http.ServerResponse, status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type }).end(body);
  function routes(): Map<string, http.RequestListener> {
    return new Map<string, http.RequestListener>([
      ['/health', (_req, res) => text(res, 200, 'text/plain; charset=utf-8', 'ok\n')],
      [
        '/ready',
        (_req, res) => {
          const database = databaseWritable();
          const body = {
            ready: database.writable && !telegram.down && !vk.down && !max.down && !maxCitizens.down,
            database,
            telegram: opts.telegram === false ? { off: true } : telegram.state,
            vk: opts.vk ? vk.state : { off: true },
            max: opts.max ? max.state : { off: true },
            maxCitizens: opts.maxCitizens ? maxCitizens.state : { off: true },
          };
          text(res, body.ready ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
        },
      ],
      [
        '/metrics',
        async (_req, res) => {
          try {
            const r = await registry();
            text(res, 200, r.contentType, await r.metrics());
          } catch (err) {
            logger.error({ err }, 'http: /metrics failed');
            text(res, 500, 'text/plain', 'metrics failed\n');
          }
        },
      ],
    ]);
  }

  return {
    registry,
    telegram,
    vk,
    max,
    maxCitizens,
    lastPoll,
    reportDuration: (seconds, kind) => observeReport(kind, seconds),
    polled: (source) => {
      polledReach[source].ok();
      lastPoll[source] = now();
    },
    pollFailed: (source, err) => {
      if (isNetworkError(err)) polledReach[source].fail(err);
    },
    telegramTransformer,
    instrument,
    routes,
  };
}
