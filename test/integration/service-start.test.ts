import { describe, expect, it } from 'vitest';
import { people, runCli, organizationYaml } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/connection.js';

describe('the service process', () => {
  const { tg, service } = serviceHarness({ vk: false });

  it('says VK is off when it has no community token', () => {
    expect(service.logs).toMatch(/VK is off|vk.*off/i);
  });

  it('greets staff and politely refuses strangers', async () => {
    tg.userSendsText(people.admin, '/start');
    const greeting = await tg.waitForMessage(people.admin.id, (m) => /Иванова/.test(m.text ?? ''), 10_000);
    expect(greeting.text).toContain('куратор');

    tg.userSendsText(people.stranger, 'Где мой ответ?');
    const refusal = await tg.waitForMessage(people.stranger.id, () => true, 10_000);
    expect(refusal.text).toContain(String(people.stranger.id));
    expect(refusal.reply_markup).toBeUndefined();
  });

  it('acts once on an update Telegram delivers twice', async () => {
    const before = tg.messagesTo(people.coordinator.id).length;
    const update = {
      update_id: 900_000,
      message: {
        message_id: 77,
        date: Math.floor(Date.now() / 1000),
        chat: { id: people.coordinator.id, type: 'private', first_name: people.coordinator.first_name },
        from: { id: people.coordinator.id, is_bot: false, first_name: people.coordinator.first_name },
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    };
    // The same update twice before it is confirmed (polling confirms a batch only once it was handled, so
    // Telegram hands out again what was not confirmed — after a crash, test/chaos/press-crash.test.ts).
    tg.pushUpdate(update);
    tg.pushUpdate(update);
    await tg.waitForMessage(people.coordinator.id, (m) => /Кисина/.test(m.text ?? ''), 10_000);
    tg.userSendsText(people.coordinator, '/start'); // a new update, to know the redelivery was seen first
    await new Promise((r) => setTimeout(r, 2_500));
    expect(tg.messagesTo(people.coordinator.id).length - before).toBe(2);
    expect(service.logs).toContain('update already handled');
  });

  it('keeps tokens out of its logs and its database private', () => {
    expect(service.logs).not.toContain(tg.token);
    expect(statSync(service.dbPath).mode & 0o077).toBe(0);
  });

  it('stops gracefully on SIGTERM', async () => {
    const code = await service.stop();
    expect(code).toBe(0);
    expect(service.logs).toContain('otklik: stopped');
  });
});

describe('start-up refusals', () => {
  it('exits non-zero and says what to set when BOT_TOKEN is missing', async () => {
    const { code, stderr } = await runCli(['serve'], { CONFIG_PATH: 'otklik.example.yaml', NODE_ENV: 'production' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('BOT_TOKEN');
    expect(stderr).toContain('@BotFather');
  });

  it('exits naming a wrong key of the organization file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-cfg-'));
    const file = path.join(dir, 'org.yaml');
    writeFileSync(file, organizationYaml().replace('topics: [ЖКХ, Благоустройство, Дороги', 'topicz: [ЖКХ, Благоустройство, Дороги'));
    const { code, stderr } = await runCli(['serve'], { BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', CONFIG_PATH: file, DATABASE_PATH: path.join(dir, 'db.sqlite') });
    expect(code).toBe(1);
    expect(stderr).toContain('org.yaml');
    expect(stderr).toContain('topicz');
  });

  it('refuses to start on a database written by a newer Otklik', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-newer-'));
    const file = path.join(dir, 'db.sqlite');
    const db = openDatabase(file);
    db.sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', ?)").run(Date.now() + 86_400_000);
    db.close();
    const { code, stderr } = await runCli(['serve'], { BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', CONFIG_PATH: path.resolve('otklik.example.yaml'), DATABASE_PATH: file });
    expect(code).toBe(1);
    expect(stderr).toContain('newer version of Otklik');
  });
});
