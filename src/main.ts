// The service process: `npm start` (through bin/otklik.js serve) or `npm run dev` (watch).
import { config as loadDotenv } from 'dotenv';
import { ConfigError } from './config/env.js';
import { DatabaseTooNewError } from './db/connection.js';
import { RegulationLoadError } from './domain/regulation/load.js';
import { startService } from './app/service.js';

const STOP_TIMEOUT_MS = 10_000;

export async function main(): Promise<number> {
  loadDotenv({ quiet: true });
  let service;
  try {
    service = await startService(process.env);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DatabaseTooNewError || err instanceof RegulationLoadError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const running = service;
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal, or a stop that hangs, ends the process anyway.
      const timer = setTimeout(() => {
        running.app.logger.error('otklik: graceful stop took longer than 10 s, exiting');
        process.exit(1);
      }, STOP_TIMEOUT_MS);
      timer.unref();
      void running.stop(signal).then(resolve);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  return 0;
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isEntry) process.exitCode = await main();
