// Benchmark 2 — the deadline watch: one tick of watchDeadlines() (src/scheduler/watch.ts, the query in
// src/db/repositories/deadline-store.ts over the index deadlines(status, due_at)) with 1,000 / 10,000 / 100,000 open
// cases, of which a fixed handful are due (reminder points passed). The cases are registered through
// the real repositories (ingestMessage: case, audit, deadlines) for a sample; the scale is reached by
// bulk-copying the sample's not-due cases and their deadlines with INSERT … SELECT (new ids and
// numbers, same times), so every copy is a case the workflow itself produced.
import { DateTime } from 'luxon';
import { ingestMessage } from '../src/db/repositories/index.js';
import { sqliteCaseStore } from '../src/db/repositories/deadline-store.js';
import { WATCH_DUE_SQL, watchDeadlines } from '../src/scheduler/watch.js';
import { emit, log, makeWorld, median, round, scale, ZONE } from './lib/world.js';

const SIZES = (process.env.BENCH_WATCH_SIZES ?? (scale() === 'small' ? '1000,10000' : '1000,10000,100000')).split(',').map(Number);
const TICKS = Number(process.env.BENCH_WATCH_TICKS ?? 7);
const DUE = 20; // cases whose reminder points have passed at "now"
const SAMPLE = 200; // not-due cases registered through the real path, then copied

// "Now": Tuesday 2026-12-08 11:00 Moscow, working time.
const NOW = DateTime.fromISO('2026-12-08T11:00', { zone: ZONE });
const world = makeWorld(NOW.minus({ days: 6 }).toISO()!);
const { app, clock } = world;
const sqlite = app.database.sqlite;
const ctx = { regulation: app.regulation, workingTime: app.workingTime, clock };

let serial = 0;
function register(at: DateTime): void {
  clock.set(at);
  serial += 1;
  ingestMessage(
    app.db,
    {
      sourceKey: `vk:wall:-1_1_${serial}`,
      kind: 'vk_comment',
      network: 'vk',
      threadKey: 'vk:wall:-1_1',
      author: { externalId: String(5000 + serial), name: `Житель ${serial}`, profileUrl: null },
      text: `Сообщение ${serial}: не горит фонарь`,
      attachments: [],
      permalink: null,
      publishedAt: at.toMillis(),
      detectedAt: at.toMillis(),
      raw: null,
    },
    ctx,
    { onEffects: (tx, effects) => app.applyEffects(tx as never, effects) },
  );
}

// The due handful: registered 6 days ago (their triage deadline long breached).
for (let i = 0; i < DUE; i++) register(NOW.minus({ days: 6 }));
// The sample of not-due cases: registered just now (no reminder point of theirs has come).
const firstSample = serial + 1;
for (let i = 0; i < SAMPLE; i++) register(NOW);
clock.set(NOW);
const now = NOW.toMillis();
const perCase = (sqlite.prepare(`SELECT count(*) AS n FROM deadlines WHERE case_id >= ? AND status = 'open'`).get(firstSample) as { n: number }).n / SAMPLE;
const kinds = sqlite.prepare(`SELECT kind, count(*) AS n, min(due_at) AS due FROM deadlines WHERE case_id >= ? GROUP BY kind`).all(firstSample);
log(`watch: sample deadlines per case ${perCase}`, JSON.stringify(kinds));

const openCases = () => (sqlite.prepare(`SELECT count(DISTINCT case_id) AS n FROM deadlines WHERE status = 'open'`).get() as { n: number }).n;
const cols = (table: string) => (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
const caseCols = cols('cases').filter((c) => c !== 'id' && c !== 'number');
const dlCols = cols('deadlines').filter((c) => c !== 'case_id');
const auCols = cols('audit_events').filter((c) => c !== 'case_id' && c !== 'id');
/** The copies' audit events too (new ids, after every existing one): as if each copy was registered now. */
const copyAudit = (shift: number, from: number, to: number) =>
  sqlite
    .prepare(`INSERT INTO audit_events (case_id, ${auCols.join(', ')}) SELECT case_id + ?, ${auCols.join(', ')} FROM audit_events WHERE case_id >= ? AND case_id <= ? ORDER BY id`)
    .run(shift, from, to);

/** Copies the sample's cases and deadlines until `target` open cases exist. */
function growTo(target: number): void {
  let missing = target - openCases();
  while (missing > 0) {
    const n = Math.min(missing, SAMPLE);
    const base = sqlite.prepare(`SELECT max(id) AS id, max(number) AS num FROM cases`).get() as { id: number; num: number };
    sqlite.transaction(() => {
      sqlite
        .prepare(`INSERT INTO cases (id, number, ${caseCols.join(', ')}) SELECT id - ? + ?, number - ? + ?, ${caseCols.join(', ')} FROM cases WHERE id >= ? AND id < ?`)
        .run(firstSample, base.id + 1, firstSample, base.num + 1, firstSample, firstSample + n);
      sqlite
        .prepare(`INSERT INTO deadlines (case_id, ${dlCols.join(', ')}) SELECT case_id - ? + ?, ${dlCols.join(', ')} FROM deadlines WHERE case_id >= ? AND case_id < ?`)
        .run(firstSample, base.id + 1, firstSample, firstSample + n);
      copyAudit(base.id + 1 - firstSample, firstSample, firstSample + n - 1);
    })();
    missing -= n;
  }
}

const rows: Record<string, unknown>[] = [];
let prev: number | null = null;
for (const size of SIZES) {
  const tg = performance.now();
  // bulk copies in chunks of the sample size; for big sizes copy in doubling steps for speed
  while (openCases() < size) {
    const have = openCases();
    if (have * 2 <= size && have >= SAMPLE * 4) {
      // double: copy every current not-due case once
      const base = sqlite.prepare(`SELECT max(id) AS id, max(number) AS num FROM cases`).get() as { id: number; num: number };
      sqlite.transaction(() => {
        sqlite
          .prepare(`INSERT INTO cases (id, number, ${caseCols.join(', ')}) SELECT id - ? + ?, number - ? + ?, ${caseCols.join(', ')} FROM cases WHERE id >= ?`)
          .run(firstSample, base.id + 1, firstSample, base.num + 1, firstSample);
        sqlite
          .prepare(`INSERT INTO deadlines (case_id, ${dlCols.join(', ')}) SELECT case_id - ? + ?, ${dlCols.join(', ')} FROM deadlines WHERE case_id >= ? AND case_id <= ?`)
          .run(firstSample, base.id + 1, firstSample, base.id);
        copyAudit(base.id + 1 - firstSample, firstSample, base.id);
      })();
    } else growTo(size);
  }
  sqlite.exec('ANALYZE');
  const buildMs = performance.now() - tg;
  const cpuMs = (c0: NodeJS.CpuUsage) => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  // Catch-up: the copies arrived since the last tick (their audit events are new), so this tick plans
  // them — the cost a tick pays per case changed since the previous tick, here for the whole growth.
  const changedCases = (
    sqlite.prepare(`SELECT count(DISTINCT case_id) AS n FROM audit_events WHERE id > coalesce((SELECT CAST(value AS INTEGER) FROM kv WHERE key = 'watch.plan.auditId'), -1)`).get() as { n: number }
  ).n;
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  const catchUp = watchDeadlines(app, sqliteCaseStore(sqlite), now, prev);
  const catchUpMs = performance.now() - t0;
  const catchUpCpuMs = cpuMs(c0);
  prev = now;
  // The due handful is made due again before every measured tick (outside the timing), so each tick
  // re-checks 20 windows whose points have passed (thresholds, marks), as in the previous figures.
  const redue = sqlite.prepare(`INSERT OR REPLACE INTO watch_plan (case_id, deadline_seq, due_at, next_at) SELECT case_id, seq, due_at, 0 FROM deadlines WHERE case_id < ? AND status = 'open'`);
  // A fresh store per size, as after a restart: the plan is in the database, the first tick reads due rows only.
  const store = sqliteCaseStore(sqlite);
  const ticks: number[] = [];
  const cpu: number[] = [];
  let first: ReturnType<typeof watchDeadlines> | null = null;
  let firstMs = 0;
  let firstCpuMs = 0;
  for (let i = 1; i <= TICKS; i++) {
    redue.run(firstSample);
    c0 = process.cpuUsage();
    t0 = performance.now();
    const r = watchDeadlines(app, store, now + i * 1_000, prev);
    const ms = performance.now() - t0;
    const c = cpuMs(c0);
    prev = now + i * 1_000;
    if (i === 1) {
      first = r;
      firstMs = ms;
      firstCpuMs = c;
    } else {
      ticks.push(ms);
      cpu.push(c);
    }
  }
  const inHorizon = (sqlite.prepare(`SELECT count(*) AS n FROM deadlines WHERE status = 'open' AND due_at <= ?`).get(now + 31 * 24 * 3_600_000) as { n: number }).n;
  const row = {
    openCases: openCases(),
    openDeadlinesInHorizon: inHorizon,
    dueCases: DUE,
    catchUp: { changedCases, result: catchUp, ms: round(catchUpMs, 0), cpuMs: round(catchUpCpuMs, 0), cpuUsPerCase: round((catchUpCpuMs * 1000) / Math.max(1, changedCases), 0) },
    firstTick: first,
    firstTickMs: round(firstMs, 1),
    firstTickCpuMs: round(firstCpuMs, 1),
    tickMsMedian: round(median(ticks), 2),
    tickCpuMsMedian: round(median(cpu), 2),
    tickMsMax: round(Math.max(...ticks), 2),
    buildMs: round(buildMs, 0),
  };
  log(`watch: ${JSON.stringify(row)}`);
  rows.push(row);
}
const plan = sqlite.prepare(`EXPLAIN QUERY PLAN ${WATCH_DUE_SQL}`).all(now) as { detail: string }[];
const last = rows.at(-1) as { openCases: number; tickMsMedian: number };
emit('watch', {
  sample: `${DUE} due + ${SAMPLE} not-due cases through ingestMessage; the rest bulk-copied (INSERT … SELECT) from the not-due sample`,
  deadlinesPerCase: perCase,
  queryPlan: plan.map((p) => p.detail),
  rows,
  targetMsAt100k: 20,
  met: last.openCases >= 100_000 ? last.tickMsMedian < 20 : null,
});
world.dispose();
