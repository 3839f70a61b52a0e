// Benchmark 4 + 5 — the storm and the footprint, through the SERVICE PROCESS (`node bin/otklik.js serve`
// via test/support/service.ts) against the fake Telegram server enforcing Telegram's limits
// (30 sends/s overall, 1/s per private chat, 20/min per group: enforceRateLimits()) and the fake VK server.
// 5,000 wall comments arrive over one minute (Bots Long Poll). In the middle of it the administrator presses
// the «urgent» button (callback `adm.urg:<case>`, the real escalate command) on cards he has received;
// the latency of each urgent push is from the press to the head's chat receiving it.
// Footprint: start-up time to the "otklik: ready" line; resident memory (VmRSS of the child) idle and
// after the storm, and its peak (VmHWM).
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { FakeTelegram } from '../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../src/sandbox/emulators/vk.js';
import { organizationYaml, people, ServiceProcess } from '../test/support/service.js';
import { emit, log, percentile, round, scale } from './lib/world.js';
import { processFigures } from './lib/serve.js';

const COMMENTS = Number(process.env.BENCH_STORM_N ?? (scale() === 'small' ? 500 : 5_000));
const SECONDS = Number(process.env.BENCH_STORM_SECONDS ?? (scale() === 'small' ? 10 : 60));
const AFTER_S = Number(process.env.BENCH_STORM_AFTER ?? 15); // keep watching after the storm
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}`, maxLongPollMs: 25_000 }).start();
tg.enforceRateLimits();
const vk = await new FakeVk().start();
const service = new ServiceProcess({
  telegram: tg,
  vk,
  orgYaml: organizationYaml({ regulation: 'akhty-2021' }),
  // Tuesday 10:00 Moscow: working time, nothing due.
  env: { OTKLIK_FAKE_NOW: '2026-12-08T10:00', LOG_LEVEL: 'info' },
});
const t0 = performance.now();
await service.start(60_000);
const startupMs = performance.now() - t0;
const pid = (service as unknown as { child: { pid: number } }).child.pid;
await vk.waitForPoller(20_000);
await sleep(3_000);
const idle = processFigures(pid);
log(`storm: ready in ${startupMs.toFixed(0)} ms, idle RSS ${idle.rssMb} MB`);

const admin = people.admin;
const headChat = people.head.id;
const pressed = new Set<number>();
const latencies: number[] = [];
const pushFailures: string[] = [];
const sendsBefore = tg.calls().filter((c) => c.method.startsWith('send') && c.outcome === 'ok').length;

// Fluent writes large numbers with group separators («1 986»).
const NUM = '(\\d[\\d\\s\u00a0\u202f]*\\d|\\d)';
const SUMMARY = new RegExp(`Новых обращений: ${NUM}|ещё не открытых: ${NUM}`);
const CARD = new RegExp(`Обращение № ${NUM}`);
const digits = (x: string | undefined) => Number((x ?? '').replace(/\D/g, ''));
const urgentCards = () => tg.messagesTo(admin.id).filter((m) => tg.buttonsOf(m).some((b) => b.callback_data?.startsWith('adm.urg:')) && !pressed.has(m.message_id));
let opening: Promise<void> | null = null;

/**
 * During a storm the chat holds the summary, not a card per case: the administrator opens a case as a
 * person would — «Список» under the summary, then `/case_N` from the list — and gets its card.
 */
async function openFromSummary(): Promise<void> {
  const summary = tg.messagesTo(admin.id).find((m) => SUMMARY.test(m.text ?? ''));
  const btn = summary && tg.buttonsOf(summary).find((b) => b.callback_data?.startsWith('stm.l:'));
  if (!summary || !btn) return;
  const known = new Set(tg.messagesTo(admin.id).map((m) => m.message_id));
  tg.userPressesButton(admin, summary, btn.callback_data!);
  const list = await tg.waitForMessage(admin.id, (m) => !known.has(m.message_id) && /\/case_\d+/.test(m.text ?? ''), 20_000).catch(() => null);
  const numbers = [...(list?.text ?? '').matchAll(/\/case_(\d+)/g)].map((x) => x[1]!);
  const number = numbers[Math.floor(Math.random() * numbers.length)];
  if (!number) return;
  tg.userSendsText(admin, `/case_${number}`);
  await tg.waitForMessage(admin.id, (m) => digits(CARD.exec(m.text ?? '')?.[1]) === Number(number) && tg.buttonsOf(m).some((b) => b.callback_data?.startsWith('adm.urg:')), 20_000).catch(() => null);
}

/** The administrator presses «urgent» on the newest card he has that still offers it; resolves with the latency. */
async function urgentPress(): Promise<void> {
  if (!urgentCards().length) {
    opening ??= openFromSummary().finally(() => (opening = null));
    await opening;
  }
  const card = urgentCards().at(-1);
  if (!card) {
    pushFailures.push('no card with the urgent button yet');
    return;
  }
  pressed.add(card.message_id);
  const data = tg.buttonsOf(card).find((b) => b.callback_data?.startsWith('adm.urg:'))!.callback_data!;
  const before = tg.calls('sendMessage').filter((c) => Number(c.params.chat_id) === headChat && c.outcome === 'ok').length;
  const at = Date.now();
  tg.userPressesButton(admin, card, data);
  const until = at + 20_000;
  while (Date.now() < until) {
    const sent = tg.calls('sendMessage').filter((c) => Number(c.params.chat_id) === headChat && c.outcome === 'ok');
    if (sent.length > before) {
      latencies.push(sent[before]!.at - at);
      return;
    }
    await sleep(5);
  }
  pushFailures.push(`${data}: no push to the head within 20 s`);
}

// The storm: COMMENTS comments spread evenly over SECONDS, in 100 ms slices.
const post = vk.addPost({ text: 'Авария на теплотрассе: отключение горячей воды' });
const slices = SECONDS * 10;
const stormStart = Date.now();
let pushed = 0;
const presses: Promise<void>[] = [];
const pressEvery = Math.max(1, Math.floor(slices / 12)); // ~11 presses, from the first sixth on
for (let s = 0; s < slices; s++) {
  const due = stormStart + s * 100;
  if (Date.now() < due) await sleep(due - Date.now());
  const n = Math.round(((s + 1) * COMMENTS) / slices) - pushed;
  for (let i = 0; i < n; i++) {
    pushed += 1;
    vk.commentArrives({ post_id: post.id, from_id: 10_000 + pushed, text: `Нет горячей воды в доме ${pushed % 300}, ул. Ленина. Когда дадут? (${pushed})` });
  }
  if (s >= slices / 6 && s % pressEvery === 0 && s < slices - pressEvery) presses.push(urgentPress());
}
const stormMs = Date.now() - stormStart;
await Promise.all(presses);
log(`storm: ${pushed} comments pushed in ${stormMs} ms; ${latencies.length} urgent pushes measured`);

// Keep watching: how far ingest got, what was sent.
const db = new Database(service.dbPath, { readonly: true, fileMustExist: true });
const q = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
let casesAtEnd = q('SELECT count(*) AS n FROM cases');
const ingestDoneAt = Date.now();
/**
 * The administrator can reach every new case when each one either has its card in his chat or is
 * counted by the live summary (whose list opens it): the time from the storm's start until then.
 */
let reachAllMs: number | null = null;
function reachable(): { cards: number; inSummary: number } {
  const cards = new Set<string>();
  let inSummary = 0;
  for (const m of tg.messagesTo(admin.id)) {
    const s = SUMMARY.exec(m.text ?? '');
    if (s) inSummary = Math.max(inSummary, digits(s[1] ?? s[2]));
    const n = CARD.exec(m.text ?? '')?.[1];
    if (n) cards.add(String(digits(n)));
  }
  return { cards: cards.size, inSummary };
}
while (Date.now() - stormStart < (SECONDS + AFTER_S) * 1000 || (reachAllMs === null && Date.now() - stormStart < (SECONDS + AFTER_S + 120) * 1000)) {
  casesAtEnd = q('SELECT count(*) AS n FROM cases');
  if (reachAllMs === null && casesAtEnd >= pushed) {
    const r = reachable();
    if (r.cards + r.inSummary >= pushed) reachAllMs = Date.now() - stormStart;
  }
  await sleep(200);
}
const reach = reachable();
const after = processFigures(pid);
const sends = tg.calls().filter((c) => c.method.startsWith('send'));
const window = (SECONDS + AFTER_S) * 1000;
const result = {
  mode: 'service child process (bin/otklik.js serve) against FakeTelegram with enforceRateLimits() and FakeVk long poll',
  comments: pushed,
  stormSeconds: round(stormMs / 1000, 1),
  watchedSeconds: SECONDS + AFTER_S,
  casesCreated: q('SELECT count(*) AS n FROM cases'),
  casesWhenStormEnded: casesAtEnd,
  sourceEventsPending: q(`SELECT count(*) AS n FROM source_events WHERE status = 'pending'`),
  notificationsSent: sends.filter((c) => c.outcome === 'ok').length - sendsBefore,
  notificationsSentPerSecond: round((sends.filter((c) => c.outcome === 'ok').length - sendsBefore) / (window / 1000), 1),
  toAdministrator: tg.calls().filter((c) => c.method.startsWith('send') && c.outcome === 'ok' && Number(c.params.chat_id) === admin.id).length,
  answers429: tg.rateLimitHits,
  outboxPending: q(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')`),
  outboxFailed: q(`SELECT count(*) AS n FROM outbox WHERE status = 'failed'`),
  urgentPushes: latencies.length,
  urgentLatencyMs: { p50: round(percentile(latencies, 50), 0), p99: round(percentile(latencies, 99), 0), max: round(Math.max(...latencies), 0), all: latencies },
  urgentFailures: pushFailures,
  administratorCards: reach.cards,
  administratorSummaryCount: reach.inSummary,
  reachAllSeconds: reachAllMs === null ? null : round(reachAllMs / 1000, 1),
  targets: { answers429: 0, urgentP99Ms: 2000, reachAllSeconds: 120 },
  met: { answers429: tg.rateLimitHits === 0, urgentP99: latencies.length > 0 && percentile(latencies, 99) < 2000, reachAll: reachAllMs !== null && reachAllMs < 120_000 },
};
void ingestDoneAt;
db.close();
emit('storm', result);
emit('footprint', { startupMs: round(startupMs, 0), idleRssMb: idle.rssMb, afterStormRssMb: after.rssMb, peakRssMb: after.peakMb });
await service.dispose();
await Promise.all([tg.stop(), vk.stop()]);
