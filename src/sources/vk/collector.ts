import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import type { API } from 'vk-io';
import type { AppContext } from '../../kernel/context.js';
import type { Db } from '../../db/connection.js';
import { getKv, setKv } from '../../db/repositories/kv.js';
import { storeEvent } from '../../db/repositories/sources.js';
import { BodyTooLarge, MAX_BODY_BYTES, readBody, secretMatches } from '../../infra/http-body.js';
import { catchUp } from './catchup.js';
import { eventKeyOf, isObj, type VkEventEnvelope } from './normalize.js';
import type { VkProcessor } from './processor.js';

/**
 * Receiving VK events.
 *
 * Bots Long Poll: our own loop over vk-io's API client rather than vk-io's PollingTransport,
 * because that transport advances `ts` before the handler runs, calls handlers without waiting,
 * and swallows `failed: 1` (no hook for the catch-up). Here each batch of updates is stored in
 * `source_events` together with the new `ts` in one transaction, then processed; `failed: 1`/`3`
 * triggers a catch-up scan; a restart resumes from the persisted `ts`.
 *
 * Callback API: the secret is checked, the confirmation code answered, each event stored BEFORE
 * `ok` is returned (vk-io's own handler answers `ok` first), duplicates dropped on `event_id`.
 */

const TS_KEY = 'vk:longpoll:ts';
const SEEN_KEY = 'vk:last_seen';
/** A gap longer than this since the last sign of life triggers a catch-up at start. */
const DOWNTIME_MS = 5 * 60_000;

export interface CollectorDeps {
  app: AppContext;
  group: API;
  user: API | null;
  groupId: number;
  processor: VkProcessor;
}

async function runCatchup(deps: CollectorDeps, since: number, why: 'history' | 'downtime'): Promise<void> {
  try {
    await catchUp(deps.app, deps.user, { groupId: deps.groupId, since, until: Date.now(), why });
    await deps.processor.processPending();
  } catch (err) {
    deps.app.logger.error({ err }, 'vk: catch-up scan failed');
  }
}

/** At start: a long gap since the last sign of life means events may be gone (VK keeps a short history). */
export function downtimeSince(deps: CollectorDeps): number | null {
  const seen = Number(getKv(deps.app.db, SEEN_KEY) ?? 0);
  if (seen > 0 && Date.now() - seen > DOWNTIME_MS) return seen;
  return null;
}

export class LongPollCollector {
  private stopped = false;
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly deps: CollectorDeps) {}

  start(): void {
    this.loop = this.run().catch((err: unknown) => this.deps.app.logger.error({ err }, 'vk: long poll loop ended'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    await this.loop;
  }

  private async server(): Promise<{ server: string; key: string; ts: string }> {
    const r = (await this.deps.group.call('groups.getLongPollServer', { group_id: this.deps.groupId })) as { server: string; key: string; ts: string | number };
    return { server: r.server, key: r.key, ts: String(r.ts) };
  }

  private async run(): Promise<void> {
    const { app } = this.deps;
    const gap = downtimeSince(this.deps);
    let backoff = 1_000;
    let lp: { server: string; key: string } | null = null;
    let ts = getKv(app.db, TS_KEY);
    const hadTs = ts !== null;
    while (!this.stopped) {
      try {
        if (!lp) {
          const s = await this.server();
          lp = { server: s.server, key: s.key };
          if (ts === null) {
            ts = s.ts;
            setKv(app.db, TS_KEY, ts, Date.now());
            // No ts stored, but we ran before: what happened meanwhile is not in the stream.
            if (!hadTs && gap !== null) void runCatchup(this.deps, gap, 'downtime');
          }
          app.logger.info({ ts }, 'vk: long poll connected');
        }
        const url = new URL(lp.server);
        url.search = new URLSearchParams({ act: 'a_check', key: lp.key, ts: ts!, wait: '25' }).toString();
        this.controller = new AbortController();
        const timer = setTimeout(() => this.controller?.abort(), 35_000);
        let body: unknown;
        try {
          const res = await fetch(url, { signal: this.controller.signal });
          if (!res.ok) throw new Error(`long poll HTTP ${res.status}`);
          body = await res.json();
        } finally {
          clearTimeout(timer);
        }
        if (this.stopped) break;
        app.observe?.polled('vk');
        backoff = 1_000;
        const r = isObj(body) ? body : {};
        const now = Date.now();
        if (r.failed !== undefined) {
          const failed = Number(r.failed);
          const lastSeen = Number(getKv(app.db, SEEN_KEY) ?? now);
          if (failed === 1) {
            app.logger.warn({ ts }, 'vk: long poll history lost (failed: 1), catching up');
            ts = String(r.ts);
            setKv(app.db, TS_KEY, ts, now);
            void runCatchup(this.deps, lastSeen, 'history');
          } else if (failed === 2) {
            lp = null; // key expired: new key, same ts
          } else {
            app.logger.warn('vk: long poll key and history lost (failed: 3), catching up');
            lp = null;
            ts = null;
            void runCatchup(this.deps, lastSeen, 'history');
          }
          continue;
        }
        const updates = Array.isArray(r.updates) ? r.updates : [];
        const newTs = r.ts !== undefined ? String(r.ts) : ts!;
        app.db.transaction((tx) => {
          updates.forEach((u, i) => storeUpdate(tx, u, `${ts}:${i}`, now, app.logger));
          setKv(tx, TS_KEY, newTs, now);
          setKv(tx, SEEN_KEY, String(now), now);
        });
        ts = newTs;
        if (updates.length) await this.deps.processor.processPending();
      } catch (err) {
        if (this.stopped) break;
        app.observe?.pollFailed('vk', err);
        app.logger.warn({ err: (err as Error).message, backoff }, 'vk: long poll failed, retrying');
        lp = null;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }
}

/**
 * Stores one long-poll update. A malformed item (null, not an object, no type) is stored as rejected
 * with the reason and skipped — one bad item must not refuse its whole batch, which VK would then
 * send again for ever while the rest of the batch waits behind it.
 */
function storeUpdate(tx: Db, u: unknown, position: string, now: number, logger: AppContext['logger']): void {
  const reason = !isObj(u) ? `not an event object (${u === null ? 'null' : Array.isArray(u) ? 'array' : typeof u})` : typeof u.type !== 'string' ? 'no event type' : null;
  try {
    if (reason === null) {
      const env = u as unknown as VkEventEnvelope;
      storeEvent(tx, { source: 'vk', eventKey: eventKeyOf(env), type: env.type, via: 'longpoll', payload: u }, now);
      return;
    }
  } catch (err) {
    return rejectUpdate(tx, u, position, `not storable: ${(err as Error).message}`, now, logger);
  }
  rejectUpdate(tx, u, position, reason, now, logger);
}

function rejectUpdate(tx: Db, u: unknown, position: string, reason: string, now: number, logger: AppContext['logger']): void {
  logger.warn({ position, reason }, 'vk: malformed long-poll update rejected, the rest of the batch goes on');
  storeEvent(tx, { source: 'vk', eventKey: `vk:rejected:${position}`, type: 'rejected', via: 'longpoll', payload: { raw: u ?? null }, status: 'failed', note: `rejected: ${reason}` }, now);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Callback API handler for the service's HTTP server. Answers the confirmation request with the
 * code, refuses a wrong secret or another community with 403, stores the event and only then
 * answers `ok` (VK redelivers anything not answered `ok`).
 */
export function callbackHandler(deps: CollectorDeps): (req: HttpRequest, res: ServerResponse) => Promise<void> {
  const { app, groupId } = deps;
  const secret = app.env.VK_CALLBACK_SECRET;
  const confirmation = app.env.VK_CALLBACK_CONFIRMATION;
  return async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    let raw: string;
    try {
      raw = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
    } catch (err) {
      if (err instanceof BodyTooLarge) res.writeHead(413).end('too large');
      else res.destroy();
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400).end('bad json');
      return;
    }
    if (!isObj(body) || typeof body.type !== 'string') {
      res.writeHead(400).end('bad event');
      return;
    }
    if (Number(body.group_id) !== groupId) {
      app.logger.warn({ group: body.group_id }, 'vk callback: event for another community refused');
      res.writeHead(403).end('forbidden');
      return;
    }
    if (body.type === 'confirmation') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(confirmation ?? '');
      return;
    }
    if (!secretMatches(body.secret, secret)) {
      app.logger.warn({ type: body.type }, 'vk callback: wrong secret, refused');
      res.writeHead(403).end('forbidden');
      return;
    }
    const { secret: _drop, ...event } = body;
    void _drop;
    try {
      const now = Date.now();
      app.db.transaction((tx) => {
        storeEvent(tx, { source: 'vk', eventKey: eventKeyOf(event as unknown as VkEventEnvelope), type: String(event.type), via: 'callback', payload: event }, now);
        setKv(tx, SEEN_KEY, String(now), now);
      });
    } catch (err) {
      app.logger.error({ err }, 'vk callback: could not store the event; VK will redeliver');
      res.writeHead(500).end('retry');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    void deps.processor.processPending().catch((err: unknown) => app.logger.error({ err }, 'vk: processing failed'));
  };
}

/** Callback mode: a long gap since the last event means deliveries may have been given up by VK. */
export function callbackStartupCatchup(deps: CollectorDeps): void {
  const gap = downtimeSince(deps);
  if (gap !== null) void runCatchup(deps, gap, 'downtime');
  setKv(deps.app.db, SEEN_KEY, String(Date.now()), Date.now());
}
