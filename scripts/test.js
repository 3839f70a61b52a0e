// `npm test`: the type-check, the linter (eslint.config.js: typescript-eslint and the layer rule), the
// format check (Prettier) and the test run side by side (the first three are single-threaded and take a
// while; they do not delay the first test). Fails when any fails; arguments go to vitest.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (label, file, args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: root, stdio: label === 'vitest' ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (b) => (out += b));
    child.stderr?.on('data', (b) => (out += b));
    child.on('exit', (code, signal) => resolve({ label, code: code ?? (signal ? 1 : 0), out }));
  });

const [tsc, lint, format, vitest] = await Promise.all([
  run('tsc', `${root}node_modules/typescript/bin/tsc`, ['--noEmit', '-p', `${root}tsconfig.json`]),
  // The cache (in node_modules) makes a re-run lint only the files that changed.
  run('eslint', `${root}node_modules/eslint/bin/eslint.js`, ['--cache', '--cache-location', `${root}node_modules/.cache/eslint/`, root]),
  run('prettier', `${root}node_modules/prettier/bin/prettier.cjs`, ['--check', '--log-level', 'warn', root]),
  run('vitest', `${root}node_modules/vitest/vitest.mjs`, ['run', ...process.argv.slice(2)]),
]);
// The type-check's and the linter's output after vitest's, so they are not interleaved with the test report.
for (const [title, r] of [
  ['tsc --noEmit', tsc],
  ['eslint', lint],
]) {
  if (r.out.trim()) process.stdout.write(`\n── ${title} ──\n${r.out}`);
  if (r.code !== 0) console.error(`${title} failed (exit ${r.code})`);
}
process.exitCode = tsc.code || lint.code || format.code || vitest.code;
