// Start-up footprint: the compiled build (dist/, what `npm start` runs) beside the sources through tsx (what
// ran before the build step). `otklik help` CPU time (median of 5), and the service's time to ready, CPU to
// idle and idle RSS (8 s after ready, no traffic) against the fake Telegram. Prints one BENCH_RESULT line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeTelegram } from '../src/sandbox/emulators/telegram.js';
import { organizationYaml } from '../test/support/service.js';
import { serveChild } from './lib/serve.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/otklik.js');
execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { stdio: 'inherit' });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** user + system CPU seconds of one `otklik help`, measured by bash's `time`. */
function helpCpu(fromSource: boolean): number {
  const out = execFileSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; { time node "${bin}" help >/dev/null 2>&1; } 2>&1`], {
    encoding: 'utf8',
    env: { ...process.env, OTKLIK_FROM_SOURCE: fromSource ? '1' : '0' },
  });
  const [u, s] = out.trim().split(/\s+/).map(Number);
  return Math.round((u! + s!) * 1000) / 1000;
}

async function service(fromSource: boolean) {
  const tg = await new FakeTelegram({ token: '123456:benchmark-token-abcdefghijkl' }).start();
  const dir = mkdtempSync(path.join(tmpdir(), 'otklik-bench-start-'));
  writeFileSync(path.join(dir, 'otklik.yaml'), organizationYaml());
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.url,
    DATABASE_PATH: path.join(dir, 'otklik.db'),
    CONFIG_PATH: path.join(dir, 'otklik.yaml'),
    PORT: '0',
    OTKLIK_FROM_SOURCE: fromSource ? '1' : '0',
  };
  const service = serveChild(dir, env);
  const readyMs = await service.until('otklik: ready');
  await new Promise((r) => setTimeout(r, 8_000));
  const idle = service.figures();
  await service.stop();
  await tg.stop();
  rmSync(dir, { recursive: true, force: true });
  return { readyMs, idleRssMb: idle.rssMb, cpuSecondsToIdle: idle.cpuS };
}

const helpCompiled = median([0, 1, 2, 3, 4].map(() => helpCpu(false)));
const helpSource = median([0, 1, 2, 3, 4].map(() => helpCpu(true)));
const compiled = await service(false);
const source = await service(true);
console.log(
  `BENCH_RESULT ${JSON.stringify({ name: 'startup', helpCpuS: { compiled: helpCompiled, source: helpSource }, compiled, source, met: { idleRss: compiled.idleRssMb < 120, helpCpu: helpCompiled < 0.5 } })}`,
);
