import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { dbRows, dbValue, leakedSecrets, openTestApp, randomBotToken, randomVkToken, stepTowardsApproval } from '../support/chaos.js';
import { encodeCallback } from '../../src/kernel/callback-data.js';

/**
 * Fault injection: the fakes answer a share of calls with Telegram 429 (retry_after),
 * 5xx, dropped connections and lost replies, and VK errors 6, 9, 10, timeouts and dropped
 * connections; every action is still delivered — VK exactly once (guid), Telegram exactly once for
 * every failure that Telegram did not execute.
 */
describe('delivery under injected faults', () => {
  const N = 6;
  const texts = Array.from({ length: N }, (_, i) => `Сбой-тест ${i + 1}: не работает фонарь у дома ${i + 1}`);

  const { tg, vk, service } = serviceHarness({
    telegram: { token: randomBotToken() },
    vk: { groupToken: randomVkToken('group'), userToken: randomVkToken('user') },
    extra: 'options: { publisher: on_approval }',
    env: { LOG_LEVEL: 'debug' },
    vkUserToken: true,
  });

  it('every comment, card, notice and approved answer gets through once', async () => {
    const sendMethods = ['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'sendPhoto', 'sendMediaGroup'];
    tg.failRate(0.3, [{ code: 429, retry_after: 1 }, { code: 500 }, { code: 502 }, { kind: 'drop' }], { methods: sendMethods, seed: 7 });
    vk.failRate(0.3, [6, 10, 'drop'], { methods: ['wall.createComment', 'users.get'], seed: 7 });
    vk.failNext('wall.createComment', 9, 1); // flood control: the outbox waits, then retries
    vk.timeoutNext('wall.createComment'); // executed, answer lost: the retry carries the same guid
    vk.dropNext('wall.createComment', { afterExecute: true });

    const post = vk.addPost({ text: 'Освещение' });
    for (let i = 0; i < N; i++) vk.commentArrives({ post_id: post.id, from_id: 801 + i, text: texts[i]! });
    await waitFor(() => dbValue<number>(service.dbPath, 'SELECT count(*) FROM cases') === N, { timeoutMs: 30_000, intervalMs: 250 });

    // Move every case to approval on the database while the service is down (see docs/reliability.md).
    await service.stop();
    const t = await openTestApp(service);
    try {
      const ids = { admin: people.admin.id, executor: people.executor.id, deptHead: people.deptHead.id };
      for (let id = 1; id <= N; id++) while (stepTowardsApproval(t.app, id, ids) !== 'on_approval');
    } finally {
      t.close();
    }
    await service.start();
    for (let id = 1; id <= N; id++) tg.userSendsCallback(people.admin, encodeCallback('ap.ok', id), tg.lastMessageTo(people.admin.id)?.message_id, people.admin.id);

    await waitFor(() => dbValue<number>(service.dbPath, "SELECT count(*) FROM cases WHERE status = 'published'") === N, { timeoutMs: 100_000, intervalMs: 500 });
    await waitFor(() => dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE status IN ('pending','sending')") === 0, { timeoutMs: 100_000, intervalMs: 500 });

    // VK: one answer per case, whatever failed on the way.
    const comments = vk.communityComments(post.id);
    for (let id = 1; id <= N; id++) {
      expect(
        comments.filter((c) => c.guid?.startsWith(`otklik-${id}-`)),
        `answer of case ${id}`,
      ).toHaveLength(1);
    }
    expect(comments).toHaveLength(N); // Канаш: no acknowledgement (К-preset), so only the answers
    const vkFailures = vk.calls('wall.createComment').filter((c) => c.outcome !== 'ok').length;
    expect(vkFailures).toBeGreaterThanOrEqual(3);

    // Telegram: nothing failed for good, and no message was delivered twice (a refused or dropped call
    // is not executed; the retry is the only delivery).
    expect(dbRows(service.dbPath, "SELECT id FROM outbox WHERE status = 'failed'")).toEqual([]);
    const ok = tg.calls('sendMessage').filter((c) => c.outcome === 'ok');
    const seen = new Map<string, number>();
    for (const c of ok) {
      const key = `${String(c.params.chat_id)}|${String(c.params.text)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect([...seen.entries()].filter(([, n]) => n > 1)).toEqual([]);
    const tgFailures = tg.calls().filter((c) => sendMethods.includes(c.method) && c.outcome !== 'ok').length;
    expect(tgFailures).toBeGreaterThanOrEqual(5);
    for (const text of texts) expect(tg.messagesTo(people.admin.id).some((m) => (m.text ?? '').includes(text.split(':')[0]!))).toBe(true);
    expect(leakedSecrets(service.logs, [tg.token, vk.groupToken, vk.userToken])).toEqual([]);
    console.log(`faults: VK calls failed ${vkFailures}, Telegram calls failed ${tgFailures}, delivered once: ${N} answers, ${ok.length} Telegram messages`);
  }, 240_000);
});
