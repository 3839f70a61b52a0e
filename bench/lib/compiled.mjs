// `node --import ./bench/lib/compiled.mjs` (bench/run.ts passes it to every benchmark): the benchmarks
// import the service from src/, and this runs the compiled build in dist/ instead — the code `npm start`
// runs (bin/otklik.js), without the transpiler's per-function overhead. The build must be current:
// bench/run.ts builds it first.
import { register } from 'node:module';

register(new URL('./compiled-hooks.mjs', import.meta.url));
globalThis.__otklikCompiled = true;
