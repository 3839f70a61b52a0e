import { config as loadDotenv } from 'dotenv';
import { parseArgs } from 'node:util';
import { Sandbox } from './launcher.js';
import { sandboxText } from './strings.js';

const USAGE = `Usage: otklik sandbox [--port 8080] [--host 127.0.0.1] [--preset kanash|akhty|custom] [--max]
Environment: SANDBOX_PORT, SANDBOX_HOST, SANDBOX_DATA_DIR (default data/sandbox); CONFIG_PATH (another organization file) adds the "custom" preset;
SANDBOX_MAX=1 (or --max) also emulates MAX: the staff bot and the citizens' bot.`;

/** Runs the sandbox until SIGINT/SIGTERM; prints the one line with the page's address. */
export async function runSandbox(args: string[]): Promise<number> {
  loadDotenv({ quiet: true });
  let values;
  try {
    ({ values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, preset: { type: 'string' }, max: { type: 'boolean' }, help: { type: 'boolean' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port ?? process.env.SANDBOX_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, got ${values.port ?? process.env.SANDBOX_PORT}\n${USAGE}`);
    return 2;
  }
  const configPath = process.env.CONFIG_PATH;
  const custom = configPath && !/otklik\.example\.yaml$/.test(configPath) ? configPath : undefined;
  const sandbox = new Sandbox({
    port,
    host: values.host ?? process.env.SANDBOX_HOST ?? '127.0.0.1',
    preset: values.preset,
    customConfig: custom,
    dataDir: process.env.SANDBOX_DATA_DIR,
    max: values.max === true || process.env.SANDBOX_MAX === '1',
  });
  try {
    await sandbox.start();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    await sandbox.stop().catch(() => undefined);
    return 1;
  }
  console.log(sandboxText('ru', 'sandbox-ready', { url: sandbox.url }));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sandbox.stop();
  console.log(sandboxText('ru', 'sandbox-stopped'));
  return 0;
}
