// Start-up on a large database: the compiled service (as `npm start` starts it) against the fake Telegram,
// on the database bench/report.ts built (`npx tsx bench/startup-large.ts <dir>`; npm run bench runs it on
// the largest monthly-summary database, after the summary was measured). That database was never opened by
// the service: the first start plans every open deadline window for the watch, records the breaches already
// past (the bench's data leaves a third of its cases open and long overdue) and builds the search index in
// the background; the second start finds all that done. Per start: time to `otklik: ready`, CPU then, RSS
// then and its peak (VmHWM), and for the first also when the search index was caught up. One BENCH_RESULT line.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeTelegram } from '../src/sandbox/emulators/telegram.js';
import { organizationYaml, serviceNodeFlags } from '../test/support/service.js';
import { emit, log } from './lib/world.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2];
if (!dir) throw new Error('usage: startup-large.ts <dir with otklik.db>');

function figures(pid: number): { rssMb: number; peakMb: number; cpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)![1]);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024), cpuS: (Number(stat[11]) + Number(stat[12])) / 100 };
}

async function start(tg: FakeTelegram, waitForIndex: boolean) {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir!,
    BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.url,
    DATABASE_PATH: path.join(dir!, 'otklik.db'),
    CONFIG_PATH: path.join(dir!, 'otklik.yaml'),
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, [...serviceNodeFlags(), path.join(root, 'bin/otklik.js'), 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const until = async (what: string, timeoutMs: number) => {
    while (!out.includes(what)) {
      if (child.exitCode !== null) throw new Error(`service exited: ${out.slice(-2000)}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`no "${what}" in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return Math.round(performance.now() - t0);
  };
  const readyMs = await until('otklik: ready', 600_000);
  const atReady = figures(child.pid!);
  const indexedMs = waitForIndex && !out.includes('search: index caught up') ? await until('search: index caught up', 600_000).catch(() => null) : null;
  // A minute of running: the watch ticks once more.
  await new Promise((r) => setTimeout(r, 65_000));
  const after = figures(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return {
    readyMs,
    cpuSecondsToReady: atReady.cpuS,
    rssAtReadyMb: atReady.rssMb,
    searchIndexCaughtUpMs: indexedMs,
    cpuSecondsNextMinute: Math.round((after.cpuS - atReady.cpuS) * 100) / 100,
    rssAfterMb: after.rssMb,
    peakRssMb: after.peakMb,
  };
}

const tg = await new FakeTelegram({ token: '123456:benchmark-token-abcdefghijkl' }).start();
writeFileSync(path.join(dir, 'otklik.yaml'), organizationYaml({ regulation: 'akhty-2021' }));
const first = await start(tg, true);
log(`start-up on the large database, first: ${JSON.stringify(first)}`);
const second = await start(tg, false);
log(`start-up on the large database, second: ${JSON.stringify(second)}`);
await tg.stop();
emit('startup-large', { first, second });
