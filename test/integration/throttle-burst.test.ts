import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';

// A burst of comments must not get the bot throttled by Telegram (1 message/s per private
// chat, 30/s overall). The fake enforces those limits and counts every 429 it would answer.
describe('a burst of comments against Telegram limits', () => {
  const { tg, vk } = serviceHarness({ telegram: { rateLimit: true } });

  it('delivers every card with no 429 from Telegram', async () => {
    const post = vk.addPost({ text: 'Новости' });
    const n = 10;
    for (let i = 0; i < n; i++) vk.commentArrives({ post_id: post.id, from_id: 600 + i, text: `Жалоба номер ${i + 1}: не горят фонари` });
    for (let i = 0; i < n; i++) {
      await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes(`Жалоба номер ${i + 1}:`), 30_000);
    }
    expect(tg.rateLimitHits).toBe(0);
    // The service spaced its sends to one chat by at least a second (Telegram's private-chat limit).
    const sends = tg.calls().filter((c) => ['sendMessage', 'editMessageText'].includes(c.method) && Number(c.params.chat_id) === people.admin.id);
    const gaps = sends.slice(1).map((c, i) => c.at - sends[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(900);
  }, 60_000);
});
