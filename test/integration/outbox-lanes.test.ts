import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { dbValue, openTestApp, randomBotToken, randomVkToken, runAs, stepTowardsApproval } from '../support/chaos.js';

/**
 * A Telegram outage must not block VK: the outbox has a lane per remote (Telegram, VK community
 * token, VK user token) with its own slots and bounded retries, and the retry schedule lives in the
 * outbox rows, not in a call hanging inside the HTTP client. With every Telegram call failing, the
 * approved VK answers are published at once; the outage and the recovery are each logged once; the
 * Telegram backlog is delivered when Telegram is back.
 */
describe('outbox lanes through the service', () => {
  const N = 12;
  const APPROVED = 3;
  const telegramMethods = [
    'getMe',
    'deleteWebhook',
    'sendMessage',
    'editMessageText',
    'editMessageReplyMarkup',
    'setMyCommands',
    'deleteMyCommands',
    'answerCallbackQuery',
    'sendPhoto',
    'sendMediaGroup',
  ];

  const { tg, vk, service } = serviceHarness({
    telegram: { token: randomBotToken() },
    vk: { groupToken: randomVkToken('group') },
    extra: 'options: { publisher: on_approval }',
    env: { LOG_LEVEL: 'info', OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' },
  });

  it('approved VK answers are published while Telegram is unreachable; the Telegram backlog follows when it is back', async () => {
    const post = vk.addPost({ text: 'Новости' });
    for (let i = 1; i <= N; i++) vk.commentArrives({ post_id: post.id, from_id: 900 + i, text: `Полоса ${i}: не убран снег` });
    await waitFor(() => dbValue<number>(service.dbPath, 'SELECT count(*) FROM cases') === N, { timeoutMs: 30_000, intervalMs: 200 });

    // While the service is down, a few cases are taken to approval and approved (the same runner the bot uses).
    await service.stop();
    const t = await openTestApp(service);
    try {
      const ids = { admin: people.admin.id, executor: people.executor.id, deptHead: people.deptHead.id };
      for (let id = 1; id <= N; id++) while (stepTowardsApproval(t.app, id, ids) !== null);
      for (let id = 1; id <= APPROVED; id++) expect(runAs(t.app, people.admin.id, id, { type: 'approve' }).ok).toBe(true);
    } finally {
      t.close();
    }
    const telegramBacklog = dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND status = 'pending'");
    expect(telegramBacklog).toBeGreaterThan(20);

    // Telegram goes dark: every connection is dropped.
    tg.failRate(1, [{ kind: 'drop' }], { methods: telegramMethods });
    const from = service.logs.length;
    await service.start(30_000);
    await waitFor(() => vk.communityComments(post.id).length === APPROVED, {
      timeoutMs: 15_000,
      intervalMs: 100,
      message: () => `${vk.communityComments(post.id).length} of ${APPROVED} answers published while Telegram is down`,
    });
    for (let id = 1; id <= APPROVED; id++) expect(vk.communityComments(post.id).filter((c) => c.guid?.startsWith(`otklik-${id}-`))).toHaveLength(1);

    // Telegram's rows wait on their schedule in the outbox (attempts counted, next attempt later), none sent, none given up.
    await waitFor(() => dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND status = 'pending' AND attempts > 0") >= 6, { timeoutMs: 15_000 });
    expect(dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND status = 'failed'")).toBe(0);
    expect(dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND status = 'pending' AND next_attempt_at > ?", Date.now())).toBeGreaterThan(0);
    expect(service.logs.slice(from).match(/outbox: telegram lane is failing/g)).toHaveLength(1);

    // Telegram is back: the backlog is delivered, the recovery logged once.
    tg.failRate(0, []);
    await service.waitForLog('outbox: telegram lane recovered', 90_000, from);
    await waitFor(() => dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND status IN ('pending','sending')") === 0, { timeoutMs: 120_000, intervalMs: 500 });
    expect(service.logs.slice(from).match(/outbox: telegram lane recovered/g)).toHaveLength(1);
    expect(service.logs.slice(from).match(/outbox: telegram lane is failing/g)).toHaveLength(1);
    for (let i = 1; i <= N; i++)
      expect(
        tg.messagesTo(people.admin.id).some((m) => (m.text ?? '').includes(`Полоса ${i}:`)),
        `card ${i}`,
      ).toBe(true);
  }, 240_000);
});
