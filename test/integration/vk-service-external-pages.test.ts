import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';

// Ахты 1: comments on the pages of the republic's head and government that mention the district become cases.
describe('monitoring other pages (А1) through the service', () => {
  const governmentWall = -4_000_001;

  const { tg, vk, service } = serviceHarness({
    regulation: 'akhty-2021',
    extra: `vk:
  externalPages:
    - { ownerId: ${governmentWall}, name: Правительство РД, keywords: [Ахты, Ахтынский] }`,
    vkUserToken: true,
    vkUsers: [
      { id: 701, first_name: 'Рамазан', last_name: 'Алиев' },
      { id: 702, first_name: 'Марина', last_name: 'Ким' },
    ],
    before: ({ vk }) => {
      const post = vk.addPost({ owner_id: governmentWall, text: 'Правительство Республики Дагестан: итоги недели' });
      vk.addComment({ owner_id: governmentWall, post_id: post.id, from_id: 701, text: 'В селе АХТЫ второй день нет воды, помогите!' });
      vk.addComment({ owner_id: governmentWall, post_id: post.id, from_id: 702, text: 'Когда отремонтируют дорогу в Махачкале?' });
    },
  });

  it('turns a comment that mentions the district into a case with source external_page, and ignores the rest', async () => {
    const card = await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('нет воды'), 15_000);
    expect(card.text).toContain('нет воды');
    const db = new Database(service.dbPath, { readonly: true });
    try {
      const rows = db.prepare('SELECT kind, text FROM messages').all() as { kind: string; text: string }[];
      expect(rows).toEqual([{ kind: 'external_page', text: 'В селе АХТЫ второй день нет воды, помогите!' }]);
    } finally {
      db.close();
    }
    // The community token cannot read other walls: the polling used the administrator's user token.
    const polls = vk.calls('wall.get').filter((c) => c.params.owner_id === String(governmentWall));
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((c) => c.token === 'user')).toBe(true);
  });
});
