// `npm test`: the type-check and the test run side by side (the type-check is single-threaded and takes
// a while; it no longer delays the first test). Fails when either fails; arguments go to vitest.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (label, file, args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: label === 'tsc' ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    child.stdout?.on('data', (b) => (out += b));
    child.stderr?.on('data', (b) => (out += b));
    child.on('exit', (code, signal) => resolve({ label, code: code ?? (signal ? 1 : 0), out }));
  });

const [tsc, vitest] = await Promise.all([
  run('tsc', `${root}node_modules/typescript/bin/tsc`, ['--noEmit', '-p', `${root}tsconfig.json`]),
  run('vitest', `${root}node_modules/vitest/vitest.mjs`, ['run', ...process.argv.slice(2)]),
]);
// The type-check's output after vitest's, so it is not interleaved with the test report.
if (tsc.out.trim()) process.stdout.write(`\n── tsc --noEmit ──\n${tsc.out}`);
if (tsc.code !== 0) console.error(`tsc --noEmit failed (exit ${tsc.code})`);
process.exitCode = tsc.code || vitest.code;
