import net from 'node:net';
/**
 * Helpers of the reliability suites: an application context built in the test process on
 * the service's SQLite file (to move cases between kills exactly as the service would: same command
 * runner, same effect handlers, same outbox), the invariant checks, and the token grep.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { loadEnv } from '../../src/config/env.js';
import { openDatabase } from '../../src/db/connection.js';
import { createAppContext } from '../../src/app/compose.js';
import type { AppContext } from '../../src/kernel/context.js';
import { executeCommand, loadCase, loadEvents, type Conn } from '../../src/db/repositories/index.js';
import { staff } from '../../src/db/schema/org.js';
import { replay, TERMINAL_STATUSES, type Command } from '../../src/domain/workflow/index.js';
import { actorOf, workflowContext } from '../../src/bot/run-command.js';
import type { ServiceProcess } from './service.js';
import type { FakeVk } from '../../src/sandbox/emulators/vk.js';
import type { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';

export const randomBotToken = (): string => `${100000 + Math.floor(Math.random() * 899999)}:${randomBytes(18).toString('hex')}`;
export const randomVkToken = (tag: string): string => `vk1.a.${tag}-${randomBytes(24).toString('hex')}`;

/** A seeded PRNG (mulberry32): chaos runs are reproducible from CHAOS_SEED. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestApp {
  app: AppContext;
  close(): void;
}

/**
 * The service's application context, built in the test process on the service's database while the
 * service is down: commands run through the same runner and effect handlers (cards, author replies,
 * urgent pushes) and queue the same outbox rows the running service would, which it sends after restart.
 */
export async function openTestApp(service: ServiceProcess): Promise<TestApp> {
  // The service's own composition root: the same regulation, working time and effect handlers.
  const app = createAppContext(loadEnv(service.env), pino({ level: 'silent' }));
  return { app, close: () => app.database.close() };
}

/** Runs a command as the staff member with this Telegram id, the way the bot's run-command helper does. */
export function runAs(app: AppContext, telegramId: number, caseId: number, input: Record<string, unknown>): { ok: boolean; code?: string } {
  const who = app.db.select().from(staff).where(eq(staff.telegramId, telegramId)).get();
  if (!who) throw new Error(`no staff ${telegramId}`);
  const command = { ...input, actor: actorOf(who) } as unknown as Command;
  const r = executeCommand(app.db as unknown as Conn, caseId, command, workflowContext(app), { onEffects: (tx, effects) => app.applyEffects(tx as never, effects) });
  return r.ok ? { ok: true } : { ok: false, code: r.refusal.code };
}

export function staffId(app: AppContext, telegramId: number): number {
  return app.db.select().from(staff).where(eq(staff.telegramId, telegramId)).get()!.id;
}

/**
 * Moves a case one regulation step towards `on_approval` (default organization, Канаш preset:
 * triage → assign → accept → draft → department head). Returns the status reached or null when the
 * case is not on that path.
 */
export function stepTowardsApproval(app: AppContext, caseId: number, ids: { admin: number; executor: number; deptHead: number }): string | null {
  const s = loadCase(app.db as unknown as Conn, caseId);
  if (!s) return null;
  const run = (who: number, input: Record<string, unknown>) => {
    const r = runAs(app, who, caseId, input);
    if (!r.ok) throw new Error(`case ${caseId} ${String(input.type)} in ${s.status}: ${r.code}`);
  };
  switch (s.status) {
    case 'new':
      if (!s.triaged) run(ids.admin, { type: 'triage', topic: 'ЖКХ', location: 'ул. Ленина' });
      else run(ids.admin, { type: 'assign', assignments: [{ departmentId: 'zhkh', executorId: staffId(app, ids.executor), responsible: true }] });
      break;
    case 'assigned':
      run(ids.executor, { type: 'accept' });
      break;
    case 'in_work':
    case 'drafting':
      run(ids.executor, { type: 'submitDraft', kind: 'final', text: `Ответ по обращению № ${s.number}: работы выполнены.` });
      break;
    case 'dept_review':
      run(ids.deptHead, { type: 'approveAtDepartment' });
      break;
    default:
      return null;
  }
  return loadCase(app.db as unknown as Conn, caseId)!.status;
}

export interface InvariantReport {
  events: number;
  storedMessages: number;
  lost: string[];
  duplicateMessages: string[];
  cases: number;
  approved: number;
  published: number;
  /** Approved cases whose answer is not (or more than once) among the community's comments. */
  publicationProblems: string[];
  duplicatePublications: number;
  /** Open cases without a live deadline, or whose deadlines table differs from the replayed state. */
  deadlineProblems: string[];
  replayMismatches: string[];
  outboxPending: number;
  outboxFailed: { action: string; error: string | null }[];
  /** Approved answers by the way they went out: wall comments, VK private messages, Telegram discussion replies. */
  answersBy: { wall: number; message: number; telegram: number };
  /** (chat, case) with more than one live card message, or a card sent more often than it was replaced. */
  duplicateCards: string[];
  /** Notices (non-card texts) executed more than once in the same chat. */
  duplicateNotices: string[];
  /** VK send calls repeated under the same guid/random_id (merged by VK: retries after a lost reply or a crash). */
  vkRepeatedCalls: number;
  /** Answers posted more than once in the Telegram discussion group (Telegram has no idempotency key). */
  telegramDuplicateAnswers: string[];
}

/** What the Telegram side of the run is checked with (optional: the old wall-only checks need none). */
export interface TelegramSide {
  tg: FakeTelegram;
  staffChats: number[];
  discussionChatId?: number;
}

/**
 * The chaos invariants, read from the SQLite file and the fake VK:
 * every pushed event is exactly one stored message; every approved answer is exactly one community
 * comment (by its `otklik-<case>-…` guid); every open case keeps a live deadline; the audit log of
 * every case replays to the stored state (deadlines included).
 */
export function checkInvariants(dbPath: string, vk: FakeVk, expectedKeys: string[], telegram?: TelegramSide): InvariantReport {
  const handle = openDatabase(dbPath, { migrate: false });
  const raw = new Database(dbPath, { readonly: true });
  try {
    const conn = handle.db as unknown as Conn;
    const rows = raw.prepare('SELECT source_key AS k, count(*) AS n FROM messages GROUP BY source_key').all() as { k: string; n: number }[];
    const counts = new Map(rows.map((r) => [r.k, r.n]));
    const lost = expectedKeys.filter((k) => !counts.has(k));
    const duplicateMessages = rows.filter((r) => r.n > 1).map((r) => r.k);
    const storedMessages = (raw.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    const caseIds = (raw.prepare('SELECT id FROM cases ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    const comments = vk.communityComments();
    const byGuid = new Map<string, number>();
    for (const c of comments) if (c.guid) byGuid.set(c.guid, (byGuid.get(c.guid) ?? 0) + 1);
    const answerComments = comments.filter((c) => c.guid?.startsWith('otklik-'));
    const publicationProblems: string[] = [];
    const deadlineProblems: string[] = [];
    const replayMismatches: string[] = [];
    let approved = 0;
    let published = 0;
    const answeredCases = new Map<number, number>();
    for (const c of answerComments) {
      const id = Number(c.guid!.split('-')[1]);
      answeredCases.set(id, (answeredCases.get(id) ?? 0) + 1);
    }
    // Answers that are not wall comments carry the case number in their text (stepTowardsApproval's draft).
    const idByNumber = new Map((raw.prepare('SELECT id, number FROM cases').all() as { id: number; number: number }[]).map((r) => [r.number, r.id]));
    const answersBy = { wall: answerComments.length, message: 0, telegram: 0 };
    const telegramAnswers = new Map<number, number>();
    const countByText = (text: string | undefined, kind: 'message' | 'telegram') => {
      const m = /Ответ по обращению № (\d+):/.exec(text ?? '');
      const id = m ? idByNumber.get(Number(m[1])) : undefined;
      if (id === undefined) return;
      answersBy[kind]++;
      // A Telegram reply sent again after a crash cut its record is a second copy, counted apart (see below).
      if (kind === 'telegram' && answeredCases.has(id) && telegramAnswers.has(id)) {
        telegramAnswers.set(id, telegramAnswers.get(id)! + 1);
        return;
      }
      if (kind === 'telegram') telegramAnswers.set(id, 1);
      answeredCases.set(id, (answeredCases.get(id) ?? 0) + 1);
    };
    for (const m of vk.sentMessages()) countByText(m.text, 'message');
    if (telegram?.discussionChatId !== undefined) for (const m of telegram.tg.messagesTo(telegram.discussionChatId)) countByText(m.text, 'telegram');
    const duplicateCards: string[] = [];
    const duplicateNotices: string[] = [];
    if (telegram) {
      const counts = telegram.tg.sendCounts();
      for (const chat of telegram.staffChats) {
        const live = new Map<string, number>();
        for (const m of telegram.tg.messagesTo(chat)) {
          // A live card carries the case's buttons; a superseded copy has lost them (a preview never had any).
          if (telegram.tg.buttonsOf(m).length === 0) continue;
          const card = /^📨 Обращение № (\d+)/.exec(m.text ?? '');
          if (card) live.set(card[1]!, (live.get(card[1]!) ?? 0) + 1);
        }
        for (const [n, k] of live) {
          if (k <= 1) continue;
          // Which outbox rows made them (attempts > 1 or a reset after a kill point at the send → record window).
          const rows = raw
            .prepare(
              "SELECT o.id, o.action, o.attempts, o.status, json_extract(o.payload, '$.replace') AS replace FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.number = ? AND o.action IN ('sendCard','editCard') AND json_extract(o.payload, '$.chatId') = ?",
            )
            .all(Number(n), chat);
          const copies = telegram.tg
            .messagesTo(chat)
            .filter((m) => new RegExp(`^📨 Обращение № ${n}\\b`).test(m.text ?? ''))
            .map((m) => ({ id: m.message_id, buttons: telegram.tg.buttonsOf(m).length, edits: m.editCount, parts: m.text!.length }));
          duplicateCards.push(`chat ${chat}, case № ${n}: ${k} live cards ${JSON.stringify(copies)}; rows ${JSON.stringify(rows)}`);
        }
      }
      for (const [key, n] of counts) {
        const [chat, ...rest] = key.split(':');
        const text = rest.join(':');
        if (n > 1 && telegram.staffChats.includes(Number(chat)) && !text.startsWith('📨')) duplicateNotices.push(`chat ${chat}: ${n} × ${text.slice(0, 60)}`);
      }
    }
    const vkRepeatedCalls = [...vk.sendCounts().values()].reduce((sum, n) => sum + (n - 1), 0);
    const telegramDuplicateAnswers = [...telegramAnswers].filter(([, n]) => n > 1).map(([id, n]) => `case ${id}: ${n} replies in the discussion group`);
    for (const id of caseIds) {
      const stored = loadCase(conn, id)!;
      const replayed = replay(loadEvents(conn, id));
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(replayed)), JSON.parse(JSON.stringify(stored)))) replayMismatches.push(`case ${id}`);
      const wasApproved = loadEvents(conn, id).some((e) => e.type === 'approved');
      if (wasApproved) {
        approved++;
        const n = answeredCases.get(id) ?? 0;
        if (n !== 1) publicationProblems.push(`case ${id}: ${n} community answers`);
        if (stored.status === 'published' || stored.status === 'closed') published++;
        else publicationProblems.push(`case ${id}: status ${stored.status} after its answer was approved`);
      } else if (answeredCases.has(id)) publicationProblems.push(`case ${id}: answered without approval`);
      if (!TERMINAL_STATUSES.includes(stored.status) && stored.status !== 'published') {
        const live = raw.prepare("SELECT count(*) AS n FROM deadlines WHERE case_id = ? AND status IN ('open','paused')").get(id) as { n: number };
        if (live.n === 0) deadlineProblems.push(`case ${id} (${stored.status}) has no live deadline`);
      }
    }
    const outboxPending = (raw.prepare("SELECT count(*) AS n FROM outbox WHERE status IN ('pending','sending')").get() as { n: number }).n;
    const outboxFailed = raw.prepare("SELECT channel || ':' || action AS action, last_error AS error FROM outbox WHERE status = 'failed'").all() as {
      action: string;
      error: string | null;
    }[];
    return {
      events: expectedKeys.length,
      storedMessages,
      lost,
      duplicateMessages,
      cases: caseIds.length,
      approved,
      published,
      publicationProblems,
      duplicatePublications: [...byGuid.values()].filter((n) => n > 1).length,
      deadlineProblems,
      replayMismatches,
      outboxPending,
      outboxFailed,
      answersBy,
      duplicateCards,
      duplicateNotices,
      vkRepeatedCalls,
      telegramDuplicateAnswers,
    };
  } finally {
    raw.close();
    handle.close();
  }
}

/** Every line of `logs` that contains one of the secrets (should be none). */
export function leakedSecrets(logs: string, secrets: (string | undefined)[]): string[] {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  return logs.split('\n').filter((l) => list.some((s) => l.includes(s)));
}

/** Reads one number from the service's database (read-only, so it can run beside the service). */
export function dbValue<T = number>(dbPath: string, sql: string, ...params: unknown[]): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const row = db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
    return (row ? Object.values(row)[0] : undefined) as T;
  } finally {
    db.close();
  }
}

export function dbRows<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The crash run
// ---------------------------------------------------------------------------------------------

export interface ChaosOptions {
  events: number;
  seed?: number;
  /** Share of cases driven to approval and approved through the bot. */
  approveShare?: number;
  /** How long the service lives between kills, ms (random within). */
  upMs?: [number, number];
  /** Chance that a restart is killed again before it is ready. */
  killDuringStart?: number;
  /** Most comments arriving per ~100 ms (default 3). */
  pushMax?: number;
  log?: (line: string) => void;
}

export interface ChaosResult {
  report: InvariantReport;
  kills: number;
  killsDuringStart: number;
  presses: number;
  stepsBetweenKills: number;
  seconds: number;
  leakedLines: string[];
  /**
   * Outbox rows a kill caught in flight (`sending`, due again at the next start). Telegram has no
   * idempotency key: such a row whose call Telegram had already executed is sent twice — the only
   * way a card, notice or discussion reply can reach a chat twice, so duplicates are bounded by this.
   */
  interruptedSends: number;
  summary: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The crash suite's run: the real service process against FakeTelegram + FakeVk; citizens' comments
 * arrive (also while the service is down), cases are moved towards approval on the SQLite file while
 * the service is down (the same runner and effect handlers; see docs/reliability.md), the
 * administrator approves through the bot (callback `ap.ok:<case>`), and the service is SIGKILLed at
 * random moments (also while starting) and restarted. Then everything settles and the invariants are read.
 */
export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const { FakeTelegram } = await import('../../src/sandbox/emulators/telegram.js');
  const { FakeVk } = await import('../../src/sandbox/emulators/vk.js');
  const { ServiceProcess, organizationYaml, people } = await import('./service.js');
  const { encodeCallback } = await import('../../src/kernel/callback-data.js');
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 8;
  const rand = prng(seed);
  const between = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const started = Date.now();
  const approveShare = opts.approveShare ?? 0.7;
  const [upMin, upMax] = opts.upMs ?? [400, 3_000];

  const tg = await new FakeTelegram({ token: randomBotToken() }).start();
  // The administration's channel discussion group: a share of the citizens write there.
  const discussion = { id: -1_001_777_000_001, type: 'supergroup' as const, title: 'Обсуждение', username: 'adm_talk' };
  tg.addChat(discussion);
  const vk = await new FakeVk({ groupToken: randomVkToken('group'), userToken: randomVkToken('user') }).start();
  const service = new ServiceProcess({
    telegram: tg,
    vk,
    orgYaml: organizationYaml({ extra: `options: { publisher: on_approval }\ntelegramChannel: { discussionChatId: ${discussion.id} }` }),
    env: { LOG_LEVEL: 'debug', VK_USER_TOKEN: vk.userToken },
  });
  const ids = { admin: people.admin.id, executor: people.executor.id, deptHead: people.deptHead.id };
  const posts = Array.from({ length: Math.max(5, Math.ceil(opts.events / 10)) }, (_, i) => vk.addPost({ text: `Новость ${i + 1}` }));
  const expectedKeys: string[] = [];
  const chosen = new Set<number>(); // cases that go to approval
  const skipped = new Set<number>();
  let kills = 0;
  let killsDuringStart = 0;
  let presses = 0;
  let steps = 0;
  const lastPress = new Map<number, number>();

  const push = (n: number) => {
    for (let i = 0; i < n && expectedKeys.length < opts.events; i++) {
      const post = posts[between(0, posts.length - 1)]!;
      const k = expectedKeys.length + 1;
      const texts = [`Яма во дворе дома ${k}`, `Не вывозят мусор, дом ${k} 😡`, `<b>Свет</b> не горит ${k} & *срочно*`, `שלום ${k} — фонарь`, `'; DROP TABLE messages; -- ${k}`];
      const text = texts[k % texts.length]!;
      // Three in five are wall comments, one a VK private message, one a comment in the Telegram discussion group.
      const kind = k % 5;
      if (kind === 3) {
        const m = vk.messageNew({ from_id: 700_000 + k, text });
        vk.pushEvent('message_new', m);
        expectedKeys.push(`vk:msg:${700_000 + k}_${(m.message as { id: number }).id}`);
      } else if (kind === 4) {
        const m = tg.userSendsText({ id: 700_000 + k, first_name: 'Житель', last_name: String(k) }, text, { chat: discussion });
        expectedKeys.push(`tg:${discussion.id}_${m.message_id}`);
      } else {
        const { comment } = vk.commentArrives({ post_id: post.id, from_id: 700_000 + k, text });
        expectedKeys.push(`vk:wall:${-vk.groupId}_${post.id}_${comment.id}`);
      }
    }
  };
  const onApproval = (): number[] => dbRows<{ id: number }>(service.dbPath, "SELECT id FROM cases WHERE status = 'on_approval' ORDER BY id").map((r) => r.id);
  const press = (caseId: number) => {
    const last = tg.lastMessageTo(people.admin.id);
    tg.userSendsCallback(people.admin, encodeCallback('ap.ok', caseId), last?.message_id, people.admin.id);
    presses++;
  };
  const untriaged = (): number[] => dbRows<{ id: number }>(service.dbPath, "SELECT id FROM cases WHERE status = 'new' AND topic IS NULL ORDER BY id LIMIT 20").map((r) => r.id);
  const pressTopic = (caseId: number) => {
    tg.userSendsCallback(people.admin, encodeCallback('adm.topic', caseId, 0), tg.lastMessageTo(people.admin.id)?.message_id, people.admin.id);
    presses++;
  };
  const moveCasesWhileDown = async (budget: number) => {
    const t = await openTestApp(service);
    try {
      const open = (t.app.database.sqlite.prepare("SELECT id FROM cases WHERE status IN ('new','assigned','in_work','drafting','dept_review') ORDER BY id").all() as { id: number }[]).map((r) => r.id);
      for (const id of open) {
        if (budget <= 0) break;
        if (skipped.has(id)) continue;
        if (!chosen.has(id)) {
          if (rand() < approveShare) chosen.add(id);
          else {
            skipped.add(id);
            continue;
          }
        }
        if (stepTowardsApproval(t.app, id, ids)) {
          steps++;
          budget--;
        }
      }
    } finally {
      t.close();
    }
  };
  const startUp = async () => {
    for (;;) {
      if (kills > 0 && rand() < (opts.killDuringStart ?? 0.15)) {
        const p = service.start(30_000).then(
          () => true,
          () => false,
        );
        await sleep(between(50, 1_200));
        await service.kill();
        await p;
        kills++;
        killsDuringStart++;
        continue;
      }
      await service.start(30_000);
      return;
    }
  };

  try {
    await startUp();
    await vk.waitForPoller(15_000);
    // The storm: events arrive, approvals are pressed, the process dies at random moments.
    while (expectedKeys.length < opts.events) {
      const until = Date.now() + between(upMin, upMax);
      const pressed = new Set<number>();
      while (Date.now() < until) {
        push(between(0, opts.pushMax ?? 3));
        for (const id of onApproval()) {
          if (pressed.has(id) || rand() >= 0.5) continue;
          pressed.add(id);
          press(id);
        }
        // Triage through the live bot too: the administrator sets the topic of a new case from its card.
        for (const id of untriaged()) {
          if (pressed.has(-id) || rand() >= 0.3) continue;
          pressed.add(-id);
          pressTopic(id);
        }
        await sleep(between(30, 200));
      }
      await service.kill();
      kills++;
      push(between(0, 10)); // comments keep coming while the service is down
      await moveCasesWhileDown(between(5, 40));
      log(`chaos: kill ${kills}, events ${expectedKeys.length}/${opts.events}, presses ${presses}, steps ${steps}`);
      await startUp();
    }
    // Settle: no more kills. Every chosen case is moved to approval and approved (pressed again if a
    // press was lost with a crash, as a person would), and the VK lane drains.
    const deadline = Date.now() + Math.max(150_000, opts.events * 600);
    for (;;) {
      const stored = dbValue<number>(service.dbPath, 'SELECT count(*) FROM messages');
      if (stored >= expectedKeys.length) {
        await service.kill(); // one more crash, at a quiet moment, to move the rest while down
        kills++;
        for (let i = 0; i < 6; i++) await moveCasesWhileDown(100_000);
        await startUp();
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(200);
    }
    for (;;) {
      const waiting = onApproval();
      // A press lost with a crash is pressed again, as a person would, but not every poll.
      for (const id of waiting) {
        if ((lastPress.get(id) ?? 0) + 8_000 >= Date.now()) continue;
        lastPress.set(id, Date.now());
        press(id);
      }
      const vkPending = dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE channel = 'vk' AND status IN ('pending','sending')");
      const approvedNotPublished = dbValue<number>(service.dbPath, "SELECT count(*) FROM cases WHERE status = 'approved'");
      if (waiting.length === 0 && vkPending === 0 && approvedNotPublished === 0) break;
      if (Date.now() > deadline) {
        log(`chaos: settle timed out: on_approval ${waiting.length}, vk pending ${vkPending}, approved unpublished ${approvedNotPublished}`);
        break;
      }
      await sleep(1_500);
    }
    await service.stop(); // graceful: SIGTERM
    const staffChats = Object.values(people).map((p) => p.id);
    const report = checkInvariants(service.dbPath, vk, expectedKeys, { tg, staffChats, discussionChatId: discussion.id });
    const leakedLines = leakedSecrets(service.logs, [tg.token, vk.groupToken, vk.userToken]);
    const interruptedSends = [...service.logs.matchAll(/"reset":(\d+)[^\n]*actions interrupted by the last stop/g)].reduce((n, m) => n + Number(m[1]), 0);
    const seconds = Math.round((Date.now() - started) / 1000);
    const summary =
      `chaos: events ${report.events}, stored ${report.storedMessages}, kills ${kills} (${killsDuringStart} while starting), ` +
      `presses through the bot ${presses}, cases ${report.cases}, approved ${report.approved}, published ${report.published}, ` +
      `duplicates ${report.duplicateMessages.length + report.duplicatePublications}, lost ${report.lost.length}, ` +
      `publication problems ${report.publicationProblems.length}, deadline problems ${report.deadlineProblems.length}, ` +
      `replay mismatches ${report.replayMismatches.length}, failed actions ${report.outboxFailed.length}, ` +
      `telegram backlog ${report.outboxPending}, token leaks ${leakedLines.length}, ` +
      `answers wall/message/telegram ${report.answersBy.wall}/${report.answersBy.message}/${report.answersBy.telegram}, ` +
      `sends interrupted by kills ${interruptedSends}, Telegram copies sent twice: cards ${report.duplicateCards.length}, notices ${report.duplicateNotices.length}, ` +
      `discussion replies ${report.telegramDuplicateAnswers.length}; VK repeats merged ${report.vkRepeatedCalls}, seed ${seed}, ${seconds} s`;
    return { report, kills, killsDuringStart, presses, stepsBetweenKills: steps, seconds, leakedLines, interruptedSends, summary };
  } finally {
    await service.dispose().catch(() => undefined);
    await vk.stop();
    await tg.stop();
  }
}

/** A TCP port free right now on 127.0.0.1 (for a service listener the test must call). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
