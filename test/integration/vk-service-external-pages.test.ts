import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { ServiceProcess, organizationYaml, people } from '../support/service.js';

// Ахты 1: comments on the pages of the republic's head and government that mention the district become cases.
describe('monitoring other pages (А1) through the service', () => {
  const governmentWall = -4_000_001;
  let tg: FakeTelegram;
  let vk: FakeVk;
  let service: ServiceProcess;

  beforeAll(async () => {
    tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
    vk = await new FakeVk().start();
    vk.addUser({ id: 701, first_name: 'Рамазан', last_name: 'Алиев' });
    vk.addUser({ id: 702, first_name: 'Марина', last_name: 'Ким' });
    const post = vk.addPost({ owner_id: governmentWall, text: 'Правительство Республики Дагестан: итоги недели' });
    vk.addComment({ owner_id: governmentWall, post_id: post.id, from_id: 701, text: 'В селе АХТЫ второй день нет воды, помогите!' });
    vk.addComment({ owner_id: governmentWall, post_id: post.id, from_id: 702, text: 'Когда отремонтируют дорогу в Махачкале?' });
    const extra = `vk:
  externalPages:
    - { ownerId: ${governmentWall}, name: Правительство РД, keywords: [Ахты, Ахтынский] }`;
    service = await new ServiceProcess({
      telegram: tg,
      vk,
      orgYaml: organizationYaml({ regulation: 'akhty-2021', extra }),
      env: { VK_USER_TOKEN: vk.userToken },
    }).start();
  });
  afterAll(async () => {
    await service?.dispose();
    await vk?.stop();
    await tg?.stop();
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
