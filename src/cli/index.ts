// Command-line entry point: `otklik <command> [...args]`.
// Each command lives in ./commands/<name>.ts and exports `run(args: string[]): Promise<number>`
// (the process exit code), plus a one-line `summary` for the help text. `help` imports every command
// module, so a command keeps its heavy imports (the service, the report writers) inside `run`.
import { readdirSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

interface CommandModule {
  summary: string;
  run(args: string[]): Promise<number>;
}

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');
// `.js` in the compiled build (dist/), `.ts` when run from the sources through tsx.
const ext = path.extname(fileURLToPath(import.meta.url));

function listCommands(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`))
    .map((f) => f.slice(0, -ext.length))
    .sort();
}

async function load(name: string): Promise<CommandModule | undefined> {
  if (!/^[a-z-]+$/.test(name) || !listCommands().includes(name)) return undefined;
  return (await import(`./commands/${name}${ext}`)) as CommandModule;
}

async function main(argv: string[]): Promise<number> {
  // Every command reads `.env` from the working folder as `npm start` does (the environment wins).
  loadDotenv({ quiet: true });
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    const lines = ['Usage: otklik <command> [options]', '', 'Commands:'];
    for (const c of listCommands()) lines.push(`  ${c.padEnd(12)} ${(await load(c))?.summary ?? ''}`);
    console.log(lines.join('\n'));
    return name ? 0 : 1;
  }
  const command = await load(name);
  if (!command) {
    console.error(`Unknown command "${name}". Run "otklik help" for the list.`);
    return 2;
  }
  return command.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
