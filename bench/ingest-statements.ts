// Diagnostic, not part of `npm run bench`: which SQL statements a new VK comment runs on the ingest path
// (the path of bench/ingest.ts: collector storeEvent, then VkProcessor.processPending), how many per
// event and the time spent in each — to see where a change of the path moves the work.
//   node --import tsx --import ./bench/lib/compiled.mjs bench/ingest-statements.ts
// Each statement call is timed by a wrapper, which itself costs about a microsecond a call: compare the
// statements with one another, not the total with bench/ingest.ts.
import { catchUpInBackground, ensureSearchIndex } from '../src/db/search-index.js';
import { makeWorld } from './lib/world.js';
import { vkFeed } from './lib/vk-feed.js';

const world = makeWorld('2026-12-01T10:00');
const { app } = world;
const sqlite = app.database.sqlite;
ensureSearchIndex(sqlite);
await catchUpInBackground(sqlite);
const feed = vkFeed(app);
const run = (from: number, n: number) => feed.ingest(feed.comments(from, n));
await run(0, 300);
const counts = new Map<string, number>();
const times = new Map<string, number>();
const proto = Object.getPrototypeOf(sqlite.prepare('SELECT 1'));
for (const m of ['run', 'get', 'all', 'iterate']) {
  const orig = proto[m];
  proto[m] = function (this: { source: string }, ...a: unknown[]) {
    const k = `${m} ${this.source.replace(/\s+/g, ' ').slice(0, 110)}`;
    const t = performance.now();
    const r = orig.apply(this, a);
    times.set(k, (times.get(k) ?? 0) + performance.now() - t);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    return r;
  };
}
const origExec = sqlite.exec.bind(sqlite);
Object.getPrototypeOf(sqlite).exec = function (this: unknown, s: string) {
  const k = `exec ${s.slice(0, 100)}`;
  counts.set(k, (counts.get(k) ?? 0) + 1);
  return origExec(s);
};
const t0 = performance.now();
await run(1_000_000, 3000);
const total = performance.now() - t0;
let sum = 0;
console.log('    ms  per event  statement');
for (const [k, v] of [...times].sort((a, b) => b[1] - a[1])) {
  sum += v;
  console.log(v.toFixed(1).padStart(6), (counts.get(k)! / 3000).toFixed(2).padStart(10), ' ', k);
}
console.log(`3,000 events: ${total.toFixed(0)} ms, of which ${sum.toFixed(0)} ms in SQLite statements`);
world.dispose();
