// Diagnostic, not part of `npm run bench`: which SQL statements a new VK comment runs on the ingest path
// (the path of bench/ingest.ts: collector storeEvent, then VkProcessor.processPending), how many per
// event and the time spent in each — to see where a change of the path moves the work.
//   node --import tsx --import ./bench/lib/compiled.mjs bench/ingest-statements.ts
// Each statement call is timed by a wrapper, which itself costs about a microsecond a call: compare the
// statements with one another, not the total with bench/ingest.ts.
import type { API } from 'vk-io';
import { storeEvent } from '../src/db/repositories/sources.js';
import { eventKeyOf, type VkEventEnvelope } from '../src/sources/vk/normalize.js';
import { VkProcessor } from '../src/sources/vk/processor.js';
import { catchUpInBackground, ensureSearchIndex } from '../src/db/search-index.js';
import { makeWorld } from './lib/world.js';
const GROUP = 201234567;
const world = makeWorld('2026-12-01T10:00');
const { app } = world;
const sqlite = app.database.sqlite;
ensureSearchIndex(sqlite);
await catchUpInBackground(sqlite);
const api = {
  call: async (m: string, p: Record<string, string>) =>
    m === 'users.get' ? p.user_ids!.split(',').map((id) => ({ id: Number(id), first_name: 'Ж', last_name: `№${id}`, screen_name: `id${id}` })) : [],
} as unknown as API;
const processor = new VkProcessor(app, api, GROUP);
let seq = 0;
function envelope(i: number): VkEventEnvelope {
  seq += 1;
  const object = {
    id: 100_000 + i,
    from_id: 1_000 + (i % 3_000),
    date: Math.floor(Date.now() / 1000),
    text: `Яма на ул. Ленина (${i})`,
    post_owner_id: -GROUP,
    post_id: 10 + (i % 50),
    owner_id: -GROUP,
    parents_stack: [],
    thread: { count: 0 },
  };
  return { type: 'wall_reply_new', object, group_id: GROUP, event_id: seq.toString(16).padStart(40, '0'), v: '5.199' } as unknown as VkEventEnvelope;
}
async function run(from: number, n: number) {
  const events = Array.from({ length: n }, (_, i) => envelope(from + i));
  for (let b = 0; b < n; b += 100) {
    app.db.transaction((tx) => {
      for (const e of events.slice(b, b + 100)) storeEvent(tx, { source: 'vk', eventKey: eventKeyOf(e), type: 'wall_reply_new', via: 'longpoll', payload: e }, Date.now());
    });
    await processor.processPending();
  }
}
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
