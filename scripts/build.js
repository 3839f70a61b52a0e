// `npm run build` (and `prepare`, so `npm ci` builds): compiles src/ to dist/ with tsc and stamps the
// build so bin/otklik.js can tell a stale build. Without TypeScript installed (`npm ci --omit=dev`)
// it skips: such an install must get dist/ from a build stage (see Dockerfile).
import { rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.warn('otklik build: TypeScript is not installed (production install) — dist/ is left as it is.');
  process.exit(0);
}
rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit', cwd: root });
writeFileSync(`${root}dist/.built`, `${new Date().toISOString()}\n`);
