import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { FakeVk } from '../support/fake-vk.js';
import { waitFor } from '../support/wait.js';
import { regulation, workingTime } from '../support/workflow-fixtures.js';
import { loadEnv } from '../../src/config/env.js';
import { parseOrganization } from '../../src/config/organization.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { createLogger } from '../../src/infra/logger.js';
import { createI18n, makeTranslator, type AppContext } from '../../src/app/context.js';
import { createEffectDispatcher } from '../../src/app/effects.js';
import { syncOrganization } from '../../src/app/org-sync.js';
import { systemClock } from '../../src/domain/clock.js';
import { enqueue } from '../../src/outbox/queue.js';
import { OutboxWorker } from '../../src/outbox/worker.js';
import { startVk, type VkSource } from '../../src/sources/vk/index.js';
import { onVkSent, sourceEffectHandlers } from '../../src/sources/effects.js';
import { notifyVkFailedForGood } from '../../src/sources/vk/channel.js';

/**
 * The VK source in-process against the fake VK server, on a real SQLite file, with the real
 * case storage (ingest, command runner). The whole-service variant runs once src/app/service.ts
 * wires startVk (see docs/vk.md).
 */
let dir: string;
let fake: FakeVk;
let handle: DatabaseHandle;
let app: AppContext;
let source: VkSource | null = null;

function makeApp(extraEnv: Record<string, string> = {}): AppContext {
  const env = loadEnv({
    BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123',
    VK_GROUP_ID: String(fake.groupId),
    VK_GROUP_TOKEN: fake.groupToken,
    VK_API_BASE_URL: fake.apiBaseUrl,
    DATABASE_PATH: path.join(dir, 'otklik.db'),
    LOG_LEVEL: 'silent',
    ...extraEnv,
  });
  const org = parseOrganization(readFileSync('otklik.example.yaml', 'utf8'), 'otklik.example.yaml');
  handle = openDatabase(env.DATABASE_PATH);
  syncOrganization(handle.db, org, Date.now());
  const i18n = createI18n();
  const a: AppContext = {
    env,
    org,
    orgDir: process.cwd(),
    regulation: regulation('akhty-2021'),
    workingTime: workingTime(),
    clock: systemClock,
    database: handle,
    db: handle.db,
    logger: createLogger('silent'),
    i18n,
    t: makeTranslator(i18n, 'ru'),
    enqueue: (action, tx) => enqueue(tx ?? handle.db, action, Date.now()),
    applyEffects: () => undefined,
    onSent: new Map(),
  };
  a.applyEffects = createEffectDispatcher(() => a, sourceEffectHandlers(a) as never);
  return a;
}

const count = (table: string) => (handle.db.get(sql.raw(`select count(*) as n from ${table}`)) as { n: number }).n;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'otklik-vk-'));
  fake = await new FakeVk().start();
});
afterEach(async () => {
  await source?.stop();
  source = null;
  handle?.close();
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('VK source against the fake VK server', () => {
  it('a wall comment becomes one case; redeliveries and a restart do not duplicate', async () => {
    app = makeApp();
    fake.addUser({ id: 555, first_name: 'Иван', last_name: 'Петров' });
    source = await startVk(app);
    await fake.waitForPoller();
    const obj = fake.wallReplyNew({ id: 301, from_id: 555, post_id: 25, text: 'Яма на ул. Ленина' });
    const eventId = fake.pushEvent('wall_reply_new', obj);
    await waitFor(() => count('cases') === 1, { timeoutMs: 5000, message: 'a case' });
    const msg = handle.db.get(sql.raw('select author_name, source_key, permalink from messages')) as Record<string, string>;
    expect(msg.author_name).toBe('Иван Петров');
    expect(msg.source_key).toBe(`vk:wall:-${fake.groupId}_25_301`);

    fake.pushRaw({ type: 'wall_reply_new', object: obj, group_id: fake.groupId, event_id: eventId, v: '5.199' });
    fake.pushEvent('wall_reply_new', obj); // same comment, new event_id
    fake.pushEvent('message_new', fake.messageNew({ from_id: 555, text: 'Личное сообщение' }));
    await waitFor(() => count('cases') === 2, { timeoutMs: 5000, message: 'the DM case' });
    await new Promise((r) => setTimeout(r, 300));
    expect(count('messages')).toBe(2);

    // restart on the same database
    await source!.stop();
    handle.close();
    app = makeApp();
    source = await startVk(app);
    await fake.waitForPoller();
    fake.pushEvent('wall_reply_new', fake.wallReplyNew({ id: 302, from_id: 555, post_id: 25, text: 'Ещё' }));
    await waitFor(() => count('cases') === 3, { timeoutMs: 5000, message: 'the third case' });
    expect(count('messages')).toBe(3);
  });

  it('an approved answer is published once with owner_id, post_id, reply_to_comment, from_group and guid, even when the first call times out', async () => {
    app = makeApp();
    source = await startVk(app, { timeoutMs: 800, retryLimit: 0 });
    await fake.waitForPoller();
    fake.pushEvent('wall_reply_new', fake.wallReplyNew({ id: 301, from_id: 555, post_id: 25, text: 'Яма' }));
    await waitFor(() => count('cases') === 1, { timeoutMs: 5000, message: 'a case' });
    const { id: messageId } = handle.db.get(sql.raw('select id from messages')) as { id: number };
    app.db.transaction((tx) =>
      app.applyEffects(tx, [
        { type: 'publishReply', caseId: 1, draftSeq: 1, kind: 'final', text: 'Яму заделают до пятницы.', attachments: [], replyToMessageId: messageId, guid: 'otklik-1-1' },
      ]),
    );
    fake.timeoutNext('wall.createComment', 1500);
    const worker = new OutboxWorker({
      db: app.db,
      now: Date.now,
      logger: app.logger,
      channels: { vk: source!.channel },
      onSent: (row, result) => onVkSent(app, row, result),
      maxAttempts: 5,
    });
    worker.start();
    await waitFor(() => fake.communityComments(25).length === 1 && fake.calls('wall.createComment').length >= 2, { timeoutMs: 10000, message: 'the answer' });
    await worker.drain(5000);
    await worker.stop();
    const calls = fake.calls('wall.createComment');
    for (const c of calls) {
      expect(c.params).toMatchObject({ owner_id: String(-fake.groupId), post_id: '25', reply_to_comment: '301', from_group: String(fake.groupId), guid: 'otklik-1-1' });
    }
    expect(fake.communityComments(25)).toHaveLength(1);
    const row = handle.db.get(sql.raw(`select status, result from outbox where channel = 'vk'`)) as { status: string; result: string };
    expect(row.status).toBe('sent');
    expect(JSON.parse(row.result).permalink).toMatch(/wall-\d+_25\?reply=\d+/);
  });

  it('error 213 (comments closed) leaves the answer unsent and tells the administrator', async () => {
    app = makeApp();
    source = await startVk(app);
    await fake.waitForPoller();
    fake.pushEvent('wall_reply_new', fake.wallReplyNew({ id: 301, from_id: 555, post_id: 25, text: 'Яма' }));
    await waitFor(() => count('cases') === 1, { timeoutMs: 5000, message: 'a case' });
    app.db.transaction((tx) =>
      app.applyEffects(tx, [{ type: 'publishReply', caseId: 1, draftSeq: 1, kind: 'final', text: 'Ответ', attachments: [], replyToMessageId: 1, guid: 'g-213' }]),
    );
    fake.failNext('wall.createComment', 213);
    const worker = new OutboxWorker({ db: app.db, now: Date.now, logger: app.logger, channels: { vk: source!.channel }, onFailedForGood: (row, reason) => notifyVkFailedForGood(app, row, reason) });
    worker.start();
    await waitFor(() => (handle.db.get(sql.raw(`select status from outbox where channel = 'vk'`)) as { status: string }).status === 'failed', { timeoutMs: 5000, message: 'failed' });
    await worker.stop();
    const notice = handle.db.get(sql.raw(`select payload from outbox where channel = 'telegram'`)) as { payload: string };
    expect(JSON.parse(notice.payload).text).toMatch(/не опубликован.*213/s);
  });

  it('failed: 1 without a user token tells the administrators what may have been missed', async () => {
    app = makeApp();
    source = await startVk(app);
    await fake.waitForPoller();
    fake.pushEvent('wall_reply_new', fake.wallReplyNew({ id: 301, from_id: 555, post_id: 25, text: 'Яма' }));
    await waitFor(() => count('cases') === 1, { timeoutMs: 5000, message: 'a case' });
    fake.failLongPoll(1);
    await waitFor(() => count('outbox') > 0, { timeoutMs: 5000, message: 'a notice' });
    const notice = handle.db.get(sql.raw(`select payload from outbox where channel = 'telegram'`)) as { payload: string };
    expect(JSON.parse(notice.payload).text).toMatch(/могли быть пропущены/);
  });

  it('failed: 1 with a user token triggers a catch-up scan that finds the missed comment', async () => {
    app = makeApp({ VK_USER_TOKEN: fake.userToken });
    source = await startVk(app);
    await fake.waitForPoller();
    fake.pushEvent('wall_reply_new', fake.wallReplyNew({ id: 301, from_id: 555, post_id: 25, text: 'Яма' }));
    await waitFor(() => count('cases') === 1, { timeoutMs: 5000, message: 'a case' });
    const post = fake.addPost({ text: 'Новости' });
    fake.addComment({ post_id: post.id, text: 'Пропущенный комментарий', from_id: 556 });
    fake.failLongPoll(1);
    await waitFor(() => count('cases') === 2, { timeoutMs: 8000, message: 'the missed comment' });
    expect(fake.calls('wall.getComments').length).toBeGreaterThan(0);
  });

  it('Callback API: wrong secret refused, confirmation answered, event stored then ok', async () => {
    app = makeApp({ VK_MODE: 'callback', VK_CALLBACK_SECRET: 'right-secret-123', VK_CALLBACK_CONFIRMATION: 'abc123' });
    source = await startVk(app);
    const handler = source!.callbackHandler!;
    const http = await import('node:http');
    const server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const post = (body: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    try {
      const conf = await post({ type: 'confirmation', group_id: fake.groupId });
      expect(await conf.text()).toBe('abc123');
      const obj = fake.wallReplyNew({ id: 301, from_id: 555, post_id: 25, text: 'Яма' });
      const wrong = await post({ type: 'wall_reply_new', object: obj, group_id: fake.groupId, event_id: 'e1', secret: 'nope' });
      expect(wrong.status).toBe(403);
      expect(count('source_events')).toBe(0);
      const ok = await post({ type: 'wall_reply_new', object: obj, group_id: fake.groupId, event_id: 'e1', secret: 'right-secret-123' });
      expect(await ok.text()).toBe('ok');
      const again = await post({ type: 'wall_reply_new', object: obj, group_id: fake.groupId, event_id: 'e1', secret: 'right-secret-123' });
      expect(await again.text()).toBe('ok');
      await waitFor(() => count('cases') === 1, { timeoutMs: 5000, message: 'a case' });
      expect(count('source_events')).toBe(1);
    } finally {
      server.close();
    }
  });
});
