import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { ServiceProcess, organizationYaml, people, runCli } from '../support/service.js';
import { randomBotToken } from '../support/chaos.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { readDb } from './bot-admin-helpers.js';

/**
 * Start-up problems through the real service process, each in one clear line naming what to fix:
 * Telegram unreachable (VK collection and the scheduler run anyway, the bot connects when Telegram
 * answers), a revoked BOT_TOKEN (401: the process exits naming BOT_TOKEN, no stack trace), a
 * DATABASE_PATH that cannot be written.
 */
describe('start-up problems', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'otklik-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Telegram unreachable: VK collection and the scheduler start, the outage is logged once, the bot comes online when Telegram answers', async () => {
    const tg = await new FakeTelegram({ token: randomBotToken() }).start();
    const vk = await new FakeVk().start();
    vk.addUser({ id: 501, first_name: 'Ольга', last_name: 'Смирнова' });
    // Every call (getMe included) has its connection dropped: Telegram cannot be reached.
    tg.failRate(1, [{ kind: 'drop' }], { methods: ['getMe', 'deleteWebhook', 'getUpdates', 'sendMessage', 'setMyCommands', 'deleteMyCommands'] });
    const service = new ServiceProcess({ telegram: tg, vk, env: { LOG_LEVEL: 'info', OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' } });
    try {
      await service.start(30_000);
      expect(service.logs).toMatch(/telegram: unreachable at TELEGRAM_API_ROOT=\S+ .*check the network/);
      expect(service.logs).toContain('scheduler: started');
      await vk.waitForPoller(10_000);
      const post = vk.addPost({ text: 'Новости' });
      vk.commentArrives({ post_id: post.id, from_id: 501, text: 'Пока Telegram недоступен: нет света в подъезде' });
      await waitFor(() => readDb<{ n: number }>(service.dbPath, 'SELECT count(*) AS n FROM cases')[0]!.n === 1, { timeoutMs: 15_000, message: 'the VK comment became a case while Telegram was down' });
      expect(service.logs.match(/telegram: unreachable at/g)).toHaveLength(1);

      // Telegram comes back: the bot goes online by itself and the card reaches the administrator.
      tg.failRate(0, []);
      await service.waitForLog('telegram: reachable again', 90_000);
      await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('нет света в подъезде'), 90_000);
      tg.userSendsText(people.admin, '/start');
      await tg.waitForMessage(people.admin.id, /Иванова/, 15_000);
    } finally {
      await service.dispose();
      await vk.stop();
      await tg.stop();
    }
  }, 200_000);

  it('a revoked BOT_TOKEN (401) stops the start with one line naming BOT_TOKEN', async () => {
    const tg = await new FakeTelegram({ token: randomBotToken() }).start();
    try {
      writeFileSync(path.join(dir, 'org.yaml'), organizationYaml());
      const r = await runCli(['serve'], {
        BOT_TOKEN: randomBotToken(), // well-formed, but not the bot's token any more
        TELEGRAM_API_ROOT: tg.url,
        DATABASE_PATH: path.join(dir, 'a.db'),
        CONFIG_PATH: path.join(dir, 'org.yaml'),
        LOG_LEVEL: 'info',
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/BOT_TOKEN was refused by Telegram \(401 Unauthorized\).*@BotFather/);
      expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await tg.stop();
    }
  }, 60_000);

  it('an unwritable DATABASE_PATH stops the start with one line naming DATABASE_PATH', async () => {
    const tg = await new FakeTelegram({ token: randomBotToken() }).start();
    try {
      writeFileSync(path.join(dir, 'org.yaml'), organizationYaml());
      writeFileSync(path.join(dir, 'a-file'), 'not a folder');
      const r = await runCli(['serve'], {
        BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.url,
        DATABASE_PATH: path.join(dir, 'a-file', 'data', 'otklik.db'),
        CONFIG_PATH: path.join(dir, 'org.yaml'),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/DATABASE_PATH=\S+ cannot be opened for writing/);
      expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await tg.stop();
    }
  }, 60_000);
});
