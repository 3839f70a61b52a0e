// Shared set-up for the in-process benchmarks: a real SQLite file (WAL, every migration), the test
// organization (Канаш preset staff, akhty-2021 regulation: it has the urgent push to the head) and an
// AppContext wired exactly like src/app/service.ts wires it (bot, sources and scheduler effect handlers).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { createI18n, makeTranslator, type AppContext } from '../../src/kernel/context.js';
import { createEffectDispatcher, type EffectHandlers } from '../../src/kernel/effects.js';
import { syncOrganization } from '../../src/db/repositories/org-sync.js';
import { botEffectHandlers } from '../../src/bot/effects.js';
import { loadEnv } from '../../src/config/env.js';
import { parseOrganization } from '../../src/config/organization.js';
import { openDatabase } from '../../src/db/connection.js';
import { manualClock } from '../../src/domain/clock.js';
import { getPreset } from '../../src/domain/regulation/load.js';
import { createWorkingTime } from '../../src/domain/time/working-time.js';
import { createLogger } from '../../src/infra/logger.js';
import { enqueue } from '../../src/outbox/queue.js';
import { schedulerEffectHandlers } from '../../src/scheduler/index.js';
import { sourceEffectHandlers } from '../../src/sources/effects.js';
import { organizationYaml } from '../../test/support/service.js';

export const ZONE = 'Europe/Moscow';

export interface World {
  app: AppContext;
  dir: string;
  dbPath: string;
  clock: ReturnType<typeof manualClock>;
  dispose(): void;
}

/** `start` is the clock's local time (ISO, Europe/Moscow); the clock stays there unless moved. */
export function makeWorld(start: string, opts: { regulation?: 'akhty-2021' | 'kanash-2020' } = {}): World {
  const dir = mkdtempSync(path.join(process.env.BENCH_TMP ?? tmpdir(), 'otklik-bench-'));
  const dbPath = path.join(dir, 'otklik.db');
  const env = loadEnv({ BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123', DATABASE_PATH: dbPath, CONFIG_PATH: path.join(dir, 'otklik.yaml'), LOG_LEVEL: 'silent' });
  const org = parseOrganization(organizationYaml({ regulation: opts.regulation ?? 'akhty-2021' }), 'bench.yaml');
  const database = openDatabase(dbPath);
  syncOrganization(database.db, org, Date.now());
  const clock = manualClock(DateTime.fromISO(start, { zone: ZONE }));
  const i18n = createI18n();
  const regulation = getPreset(org.regulation)!;
  const workingTime = createWorkingTime({ zone: ZONE, calendar: { ...org.calendar, warn: () => {} }, schedule: org.schedule });
  const app: AppContext = {
    env,
    org,
    orgDir: dir,
    regulation,
    workingTime,
    clock,
    database,
    db: database.db,
    logger: createLogger('silent'),
    i18n,
    t: makeTranslator(i18n, org.organization.locale),
    enqueue: (action, tx) => enqueue(tx ?? database.db, action, Date.now()),
    applyEffects: () => undefined,
    onSent: new Map(),
  };
  app.applyEffects = createEffectDispatcher(() => app, botEffectHandlers(app), sourceEffectHandlers(app) as EffectHandlers, schedulerEffectHandlers(app) as EffectHandlers);
  return {
    app,
    dir,
    dbPath,
    clock,
    dispose: () => {
      try {
        database.close();
      } catch {
        /* closed already */
      }
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Prints the machine-readable result line the runner collects (last line of stdout). */
export function emit(name: string, result: Record<string, unknown>): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ name, ...result })}\n`);
}

export function scale(): 'small' | 'full' {
  return process.env.BENCH_SCALE === 'small' ? 'small' : 'full';
}

/** Peak resident memory of this process (VmHWM), MB. */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    /* not Linux */
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export const log = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
export const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
