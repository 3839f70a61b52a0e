#!/usr/bin/env node
// Launcher for `npx otklik …` and `npm start`. Runs the compiled build in dist/ (made by `npm ci` through
// `prepare`, or `npm run build`): no TypeScript compiler at run time. When the sources are newer than the
// build (a developer edited src/, or tests run in a checkout) and tsx is installed, it runs src/ through
// tsx instead, so an edit never runs stale code. OTKLIK_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/.built`;

function sourcesNewerThanBuild() {
  const built = statSync(stamp).mtimeMs;
  for (const f of readdirSync(`${root}src`, { recursive: true })) {
    if (String(f).endsWith('.ts') && statSync(`${root}src/${f}`).mtimeMs > built) return true;
  }
  return false;
}

async function runSources(why) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    console.error(`otklik: ${why}, and tsx (a development dependency) is not installed: run "npm run build".`);
    process.exit(1);
  }
  await import('../src/cli/index.ts');
}

const hasBuild = existsSync(stamp);
if (process.env.OTKLIK_FROM_SOURCE === '1') await runSources('OTKLIK_FROM_SOURCE=1');
else if (!hasBuild) await runSources('no build in dist/');
else if (existsSync(`${root}src`) && existsSync(`${root}node_modules/tsx`) && sourcesNewerThanBuild()) await runSources('src/ is newer than dist/');
else await import('../dist/cli/index.js');
