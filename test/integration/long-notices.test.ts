import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { CITIZEN, serviceHarness } from '../support/harness.js';
import { dbValue, randomBotToken, randomVkToken } from '../support/chaos.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';

/**
 * Every outgoing Telegram text fits 4096 characters: a notice quoting an edited long comment (old and
 * new text, over 4096 together) is sent in parts, in order, each valid HTML — not failed for good.
 */
describe('long notices through the service', () => {
  const { tg, vk, service } = serviceHarness({ vk: { groupToken: randomVkToken('group') }, telegram: { token: randomBotToken() }, env: { LOG_LEVEL: 'info' }, vkUsers: [CITIZEN] });

  it('an edit of a long comment is told in parts that all arrive', async () => {
    const post = vk.addPost({ text: 'Новости' });
    const long = (tag: string) => `${tag} начало. ` + 'Во дворе <не> убирают & снег не вывозят. '.repeat(110) + `${tag} конец.`;
    vk.commentArrives({ post_id: post.id, from_id: CITIZEN.id, text: long('Первая версия'), id: 31 });
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('Первая версия конец.'), 15_000);
    vk.pushEvent('wall_reply_edit', vk.wallReplyEdit({ id: 31, from_id: CITIZEN.id, post_id: post.id, text: long('Вторая версия') }));
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('Вторая версия конец.'), 20_000);
    await waitFor(() => dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE status IN ('pending','sending')") === 0, { timeoutMs: 20_000 });
    expect(dbValue<number>(service.dbPath, "SELECT count(*) FROM outbox WHERE status = 'failed'")).toBe(0);
    const notice = tg.messagesTo(people.admin.id).filter((m) => /изменил сообщение/.test(m.text ?? ''));
    expect(notice.length).toBeGreaterThanOrEqual(1);
    expect(tg.messagesTo(people.admin.id).every((m) => (m.text ?? '').length <= 4096)).toBe(true);
    expect(tg.calls('sendMessage').filter((c) => c.outcome === 'error')).toEqual([]);
  }, 60_000);
});
