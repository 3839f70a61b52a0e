import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { people } from '../support/service.js';
import { CITIZEN, serviceHarness } from '../support/harness.js';

/** End-to-end: a VK comment reaches the administrator's chat, once, across a restart. */
describe('a VK comment through the running service', () => {
  // Friday 4 December 2026, 10:00 in Канаш: the answer term runs over the weekend.
  const { tg, vk, service } = serviceHarness({ env: { OTKLIK_FAKE_NOW: '2026-12-04T10:00' }, vkUsers: [CITIZEN] });

  const text = 'Во дворе дома 5 по ул. Ленина третий день не вывозят мусор';

  it('arrives through long polling and the administrator gets its text', async () => {
    const post = vk.addPost({ text: 'Новости города' });
    vk.commentArrives({ post_id: post.id, from_id: 501, text });
    const card = await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes(text), 15_000);
    expect(card.text).toContain(text);
  });

  it('is detected on the service clock and gets its answer term in working time (К10)', () => {
    const db = new Database(service.dbPath, { readonly: true });
    try {
      const msg = db.prepare('SELECT detected_at AS at FROM messages').get() as { at: number };
      const fakeStart = Date.parse('2026-12-04T10:00:00+03:00');
      expect(msg.at).toBeGreaterThanOrEqual(fakeStart);
      expect(msg.at).toBeLessThan(fakeStart + 60_000);
      const answer = db.prepare("SELECT due_at AS due FROM deadlines WHERE kind = 'answer'").get() as { due: number };
      // 8 working hours: Fri 10:00–18:00 less lunch = 7 h, then Mon 7 Dec 09:00 + 1 h.
      expect(answer.due - msg.at).toBeGreaterThanOrEqual(0);
      // Deadlines fall on whole minutes: the seconds of the detection are dropped, as the card shows it.
      expect(answer.due).toBe(Math.floor((Date.parse('2026-12-07T07:00:00.000Z') + (msg.at - fakeStart)) / 60_000) * 60_000);
    } finally {
      db.close();
    }
  });

  it('is not delivered twice after a restart', async () => {
    await service.restart();
    await vk.waitForPoller(10_000);
    // Give the restarted service time to (wrongly) redeliver anything.
    await new Promise((r) => setTimeout(r, 1_500));
    const cards = tg.messagesTo(people.admin.id).filter((m) => (m.text ?? '').includes(text));
    expect(cards).toHaveLength(1);
    const db = new Database(service.dbPath, { readonly: true });
    try {
      const n = db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number };
      expect(n.n).toBe(1);
    } finally {
      db.close();
    }
  });
});
