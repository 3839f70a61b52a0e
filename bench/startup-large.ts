// Start-up on a large database: the compiled service (as `npm start` starts it) against the fake Telegram,
// on the database bench/report.ts built (`npx tsx bench/startup-large.ts <dir>`; npm run bench runs it on
// the largest monthly-summary database, after the summary was measured). That database was never opened by
// the service: the first start plans every open deadline window for the watch, records the breaches already
// past (the bench's data leaves a third of its cases open and long overdue) and builds the search index in
// the background; the second start finds all that done. Per start: time to `otklik: ready`, CPU then, RSS
// then and its peak (VmHWM), and for the first also when the search index was caught up. One BENCH_RESULT line.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeTelegram } from '../src/sandbox/emulators/telegram.js';
import { organizationYaml } from '../test/support/service.js';
import { serveChild } from './lib/serve.js';
import { emit, log } from './lib/world.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: startup-large.ts <dir with otklik.db>');

async function start(tg: FakeTelegram, waitForIndex: boolean) {
  const service = serveChild(dir!, {
    PATH: process.env.PATH ?? '',
    HOME: dir!,
    BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.url,
    DATABASE_PATH: path.join(dir!, 'otklik.db'),
    CONFIG_PATH: path.join(dir!, 'otklik.yaml'),
    PORT: '0',
    LOG_LEVEL: 'info',
  });
  const readyMs = await service.until('otklik: ready');
  const atReady = service.figures();
  const indexedMs = waitForIndex ? await service.until('search: index caught up').catch(() => null) : null;
  // A minute of running: the watch ticks once more.
  await new Promise((r) => setTimeout(r, 65_000));
  const after = service.figures();
  await service.stop();
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
