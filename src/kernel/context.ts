import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { I18n } from '@grammyjs/i18n';
import type { Transformer } from 'grammy';
import type { Env } from '../config/env.js';
import type { Organization } from '../config/organization.js';
import type { Regulation } from '../domain/regulation/schema.js';
import type { WorkingTime } from '../domain/time/types.js';
import type { Clock } from '../domain/clock.js';
import type { DatabaseHandle, Db } from '../db/connection.js';
import type { Logger } from '../infra/logger.js';
import type { OutgoingAction, OutboxRow } from '../outbox/queue.js';
import type { Effect } from '../domain/workflow/effects.js';

export const localesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');

/**
 * Everything a feature of the running service needs, built once at start-up (src/app/service.ts)
 * and passed explicitly: no module-level singletons, so tests can build their own.
 */
export interface AppContext {
  env: Env;
  org: Organization;
  /** Folder of the organization file: relative paths in it resolve from here. */
  orgDir: string;
  regulation: Regulation;
  workingTime: WorkingTime;
  clock: Clock;
  database: DatabaseHandle;
  db: Db;
  logger: Logger;
  i18n: I18n;
  /** Translates for a staff member's or the organization's locale. */
  t(locale: string | null | undefined, key: string, vars?: Record<string, string | number>): string;
  /** Queues an outgoing action (inside the caller's transaction when given `db` is a transaction). */
  enqueue(action: OutgoingAction, db?: Db): number | null;
  /** Turns a workflow command's effects into outbox rows; pass it to the command runner. */
  applyEffects(tx: Db, effects: readonly Effect[]): void;
  /** Hooks run after an outbox action was sent, keyed `channel:action` (e.g. `vk:wall.createComment`). */
  onSent: Map<string, (row: OutboxRow, result: Record<string, unknown> | null) => void>;
  /** HTTP routes the parts add (VK Callback API), served on PORT beside the Telegram webhook. */
  httpRoutes?: Map<string, import('node:http').RequestListener>;
  /** Metrics and reachability (set by the service; absent in offline commands and unit tests). */
  observe?: Observation;
  /** The MAX staff bot's deep link (set by src/max once MAX answered GET /me): an invite opened there binds to MAX. */
  maxStaffLink?: (payload: string) => string;
}

/** What the adapters report to the metrics; src/app/observability.ts implements it (and serves it). */
/** A long poll of a source: VK Bots Long Poll, the MAX citizens' bot's GET /updates. */
export type PolledSource = 'vk' | 'max_citizens';

export interface Observation {
  reportDuration(seconds: number, kind: string): void;
  /** A long poll came back (its updates are stored). */
  polled(source: PolledSource): void;
  /** A long poll failed; a network failure marks the API unreachable. */
  pollFailed(source: PolledSource, err: unknown): void;
  /** grammY transformer: counts Telegram reachability and polls. */
  telegramTransformer: Transformer;
}

export function createI18n(): I18n {
  const i18n = new I18n({ defaultLocale: 'ru', useSession: false, fluentBundleOptions: { useIsolating: false } });
  i18n.loadLocalesDirSync(localesDir);
  return i18n;
}

/** A started fake clock that the sandbox can move forward (never back: deadlines already fired stay fired). */
export interface MovableClock extends Clock {
  moveTo(ms: number): void;
}

/** Clock for the service: the system clock, or one started at OTKLIK_FAKE_NOW that then runs in real time. */
export function serviceClock(zone: string, fakeNow?: string): Clock | MovableClock {
  if (!fakeNow) return { now: () => DateTime.now().setZone(zone) };
  const start = DateTime.fromISO(fakeNow, { zone });
  if (!start.isValid) throw new Error(`OTKLIK_FAKE_NOW is not an ISO date-time: ${fakeNow}`);
  let offset = start.toMillis() - Date.now();
  return {
    now: () => DateTime.fromMillis(Date.now() + offset, { zone }),
    moveTo: (ms: number) => {
      offset = Math.max(offset, ms - Date.now());
    },
  };
}

export function isMovable(clock: Clock): clock is MovableClock {
  return typeof (clock as Partial<MovableClock>).moveTo === 'function';
}

export function makeTranslator(i18n: I18n, fallback: string): AppContext['t'] {
  return (locale, key, vars) => i18n.t(locale && i18n.locales.includes(locale) ? locale : fallback, key, vars);
}
