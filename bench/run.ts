// `npm run bench`: runs every benchmark in its own child process (so one's memory and JIT state
// never colour another's), prints a table and writes bench/results.json. Benchmarks measure; nothing here
// asserts a time. BENCH_SCALE=small for a quick run (about a minute and a half).
// docs/performance.md explains each figure and what it means for a municipality and a region.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const small = process.env.BENCH_SCALE === 'small';
const REPORT_SIZES = (process.env.BENCH_REPORT_SIZES ?? (small ? '10000,100000' : '100000,1000000')).split(',').map(Number);
const tsx = path.join(root, 'node_modules/.bin/tsx');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The in-process benchmarks import the service from src/; they run the compiled build in dist/ — what
// `npm start` runs — through bench/lib/compiled.mjs, built here first so it matches the sources.
// BENCH_FROM_SOURCE=1 runs them on the sources through tsx instead (esbuild's per-function overhead).
const fromSource = process.env.BENCH_FROM_SOURCE === '1';
if (!fromSource) {
  process.stderr.write('▶ build (npm run build) — the benchmarks run the compiled service\n');
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('the build failed: the benchmarks would not run the current code');
}
const compiled = fromSource ? [] : ['--import', './bench/lib/compiled.mjs'];

function runChild(label: string, args: string[], opts: { inProcess?: boolean } = {}): { lines: string[]; ms: number } {
  process.stderr.write(`\n▶ ${label}\n`);
  const t0 = performance.now();
  const r = spawnSync(tsx, [...(opts.inProcess ? compiled : []), ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024, env: process.env });
  const ms = performance.now() - t0;
  if (r.status !== 0) process.stderr.write(`✗ ${label} exited with ${r.status}\n${r.stdout?.slice(-2000) ?? ''}\n`);
  return { lines: (r.stdout ?? '').split('\n'), ms };
}
const tagged = (lines: string[], tag: string): Json[] => lines.filter((l) => l.startsWith(`${tag} `)).map((l) => JSON.parse(l.slice(tag.length + 1)) as Json);

const started = new Date();
const loadStart = os.loadavg();
const results: Json = {
  startedAt: started.toISOString(),
  scale: small ? 'small' : 'full',
  machine: {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? '?',
    memoryMb: Math.round(os.totalmem() / 1048576),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverageAtStart: loadStart.map((x) => Math.round(x * 100) / 100),
  },
  code: fromSource ? 'sources through tsx (BENCH_FROM_SOURCE=1)' : 'the compiled build (dist/), as npm start runs it',
};

// 0. The working-time engine (bench/working-time.ts): its own printout, parsed.
{
  const { lines } = runChild('working-time (100,000 deadline computations)', ['bench/working-time.ts'], { inProcess: true });
  results.workingTime = lines
    .map((l) => /^(.+?)\s+(\d+) ms\s+\((\S+) µs each/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ what: m[1]!.trim(), ms: Number(m[2]), usEach: Number(m[3]) }));
}
// 1. Ingest.
results.ingest = tagged(runChild('ingest', ['bench/ingest.ts'], { inProcess: true }).lines, 'BENCH_RESULT')[0] ?? { error: 'no result' };
// 2. Deadline watch.
results.watch = tagged(runChild('deadline watch', ['bench/watch.ts'], { inProcess: true }).lines, 'BENCH_RESULT')[0] ?? { error: 'no result' };
// 3. Monthly summary: build each database, then measure in a fresh process.
results.report = [];
for (const n of REPORT_SIZES) {
  const built = tagged(runChild(`monthly summary: build ${n.toLocaleString('en')} messages`, ['bench/report.ts', 'build', '-', String(n)], { inProcess: true }).lines, 'BENCH_DB')[0];
  if (!built) {
    results.report.push({ messages: n, error: 'build failed' });
    continue;
  }
  const measured = tagged(runChild(`monthly summary: measure over ${n.toLocaleString('en')}`, ['bench/report.ts', 'measure', built.dir], { inProcess: true }).lines, 'BENCH_RESULT')[0];
  results.report.push({ ...built, dir: undefined, dbPath: undefined, ...(measured ?? { error: 'measure failed' }) });
  // The service started twice on the largest database (it writes to it: after the summary was measured).
  if (n === Math.max(...REPORT_SIZES)) {
    const large = tagged(runChild(`service start-up on the ${n.toLocaleString('en')}-message database`, ['bench/startup-large.ts', built.dir]).lines, 'BENCH_RESULT')[0];
    results.startupLarge = { messages: n, ...(large ?? { error: 'no result' }) };
  }
  rmSync(built.dir, { recursive: true, force: true });
}
// 4 + 5. Storm and footprint through the service process.
{
  const out = tagged(runChild('storm + footprint (service process)', ['bench/storm.ts']).lines, 'BENCH_RESULT');
  results.storm = out.find((r) => r.name === 'storm') ?? { error: 'no result' };
  results.footprint = out.find((r) => r.name === 'footprint') ?? { error: 'no result' };
}
// Start-up footprint: compiled build beside the sources through tsx.
results.startup = tagged(runChild('start-up footprint (compiled vs tsx)', ['bench/startup.ts']).lines, 'BENCH_RESULT')[0] ?? { error: 'no result' };
results.machine.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
results.finishedAt = new Date().toISOString();
results.durationS = Math.round((Date.now() - started.getTime()) / 1000);
writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

// The table.
const rows: [string, string, string, string][] = [];
const ok = (m: unknown) => (m === true ? 'met' : m === false ? 'NOT met' : '—');
const f = (x: unknown, unit = '') => (x === undefined || x === null || Number.isNaN(x) ? '—' : `${typeof x === 'number' ? x.toLocaleString('en') : String(x)}${unit}`);
for (const w of results.workingTime as Json[]) rows.push([`working time: ${w.what}`, `${f(w.ms, ' ms')} (${w.usEach} µs each)`, '—', '—']);
const ing = results.ingest as Json;
rows.push(['ingest, real path (in-process)', `${f(ing.eventsPerSec, ' events/s')} (${f(ing.eventsPerCpuSecond)} per CPU-s)`, '≥ 1,000 events/s', ok(ing.met)]);
rows.push(['ingest, raw prepared INSERT (1 per tx / 100 per tx)', `${f(ing.rawInsertsPerSec)} / ${f(ing.rawInsertsBatchedPerSec)} rows/s`, '—', '—']);
rows.push(['ingest, real ÷ raw (1 per tx)', f(ing.ratioRealToRaw), '—', '—']);
rows.push(['ingest, redelivered duplicates', f(ing.duplicatesPerSec, ' events/s'), '—', `${f(ing.duplicateCasesCreated)} extra cases`]);
for (const w of ((results.watch as Json).rows ?? []) as Json[])
  rows.push([
    `watch tick, ${f(w.openCases)} open cases (${w.dueCases} due)`,
    `${f(w.tickMsMedian, ' ms')} (cpu ${f(w.tickCpuMsMedian, ' ms')}; 1st tick after start ${f(w.firstTickMs, ' ms')}, cpu ${f(w.firstTickCpuMs, ' ms')}; planning ${f(w.catchUp?.changedCases)} new cases ${f(w.catchUp?.ms, ' ms')}, ${f(w.catchUp?.cpuUsPerCase, ' µs')} CPU each)`,
    w.openCases >= 100_000 ? '< 20 ms' : '—',
    w.openCases >= 100_000 ? ok(w.tickMsMedian < 20) : '—',
  ]);
for (const r of results.report as Json[]) {
  const big = r.messages >= 1_000_000;
  rows.push([
    `monthly summary, ${f(r.messages)} messages (${f(r.received)} in the month)`,
    `${f(r.totalMs, ' ms')} (build ${f(r.buildMs)} + render ${f(r.renderMs)}; cpu ${f(r.cpuMs, ' ms')}), peak ${f(r.peakRssMb, ' MB')}`,
    big ? '< 3 s, < 300 MB' : '—',
    big ? ok(r.totalMs < 3000 && r.peakRssMb < 300) : '—',
  ]);
  rows.push([
    `  in the worker thread: main-thread delay (press latency)`,
    `${f(r.workerMs, ' ms')} to build; a 10 ms timer late by at most ${f(r.mainThreadLagMaxMs, ' ms')}; equal to the in-thread summary: ${r.workerEqual}`,
    '—',
    '—',
  ]);
}
const st = results.storm as Json;
rows.push([
  `storm: ${f(st.comments)} comments in ${f(st.stormSeconds)} s → cases`,
  `${f(st.casesWhenStormEnded)} at the end of the storm, ${f(st.casesCreated)} after ${f(st.watchedSeconds)} s`,
  '—',
  '—',
]);
rows.push(['storm: notifications sent (all chats / administrator)', `${f(st.notificationsSent)} / ${f(st.toAdministrator)} in ${f(st.watchedSeconds)} s; ${f(st.outboxPending)} queued`, '—', '—']);
rows.push(['storm: 429 answers', f(st.answers429), '0', ok(st.met?.answers429)]);
rows.push([
  `storm: administrator reaches every new case (${f(st.administratorCards)} cards + ${f(st.administratorSummaryCount)} in the live summary)`,
  f(st.reachAllSeconds, ' s'),
  '< 2 min',
  ok(st.met?.reachAll),
]);
rows.push([`storm: urgent push latency (${f(st.urgentPushes)} pushes)`, `p50 ${f(st.urgentLatencyMs?.p50, ' ms')}, p99 ${f(st.urgentLatencyMs?.p99, ' ms')}`, 'p99 < 2 s', ok(st.met?.urgentP99)]);
const fp = results.footprint as Json;
rows.push(['service start-up to ready', f(fp.startupMs, ' ms'), '—', '—']);
const sl = results.startupLarge as Json | undefined;
if (sl?.first) {
  const m = f(sl.messages);
  rows.push([
    `start-up on a ${m}-message database, first`,
    `ready ${f(sl.first.readyMs, ' ms')} (CPU ${f(sl.first.cpuSecondsToReady)} s), peak ${f(sl.first.peakRssMb, ' MB')}; search index caught up ${f(sl.first.searchIndexCaughtUpMs, ' ms')} after start`,
    '—',
    '—',
  ]);
  rows.push([
    `start-up on a ${m}-message database, next`,
    `ready ${f(sl.second.readyMs, ' ms')} (CPU ${f(sl.second.cpuSecondsToReady)} s), RSS ${f(sl.second.rssAtReadyMb, ' MB')}; the next minute ${f(sl.second.cpuSecondsNextMinute)} s CPU`,
    '—',
    '—',
  ]);
}
const su = results.startup as Json;
rows.push(['CLI `otklik help` CPU (compiled / tsx)', `${f(su.helpCpuS?.compiled, ' s')} / ${f(su.helpCpuS?.source, ' s')}`, '< 0.5 s', ok(su.met?.helpCpu)]);
rows.push([
  'service idle RSS (compiled / tsx)',
  `${f(su.compiled?.idleRssMb, ' MB')} / ${f(su.source?.idleRssMb, ' MB')} (ready ${f(su.compiled?.readyMs, ' ms')} / ${f(su.source?.readyMs, ' ms')}; CPU to idle ${f(su.compiled?.cpuSecondsToIdle, ' s')} / ${f(su.source?.cpuSecondsToIdle, ' s')})`,
  '< 120 MB',
  ok(su.met?.idleRss),
]);
rows.push(['service RSS idle / after storm / peak', `${f(fp.idleRssMb)} / ${f(fp.afterStormRssMb)} / ${f(fp.peakRssMb)} MB`, '—', '—']);

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['benchmark', 'result', 'target', ''][i]!.length));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' │ ');
const m = results.machine as Json;
process.stdout.write(
  `\nOtklik benchmarks (${results.scale}) · ${m.nproc} CPU (${m.cpu}) · ${m.memoryMb} MB · node ${m.node} · load ${m.loadAverageAtStart.join(' ')} → ${m.loadAverageAtEnd.join(' ')}\n`,
);
process.stdout.write(`${line(['benchmark', 'result', 'target', ''])}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);
process.stdout.write(`\nbench/results.json written (${results.durationS} s)\n`);
