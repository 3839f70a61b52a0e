import { statSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { ServiceProcess, organizationYaml, people, runCli } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { dbValue, leakedSecrets, randomBotToken, randomVkToken } from '../support/chaos.js';

/**
 * Security against the real service process: the Telegram webhook's secret-token header
 * and the VK Callback secret are checked; tokens never reach the logs; the audit log refuses UPDATE and
 * DELETE; a person removed from the organization file loses access at the next start; the database,
 * its WAL files and backups are readable by the owner only.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('webhook and VK Callback secrets, tokens, audit log, access, file modes', () => {
  let tg: FakeTelegram;
  let vk: FakeVk;
  let service: ServiceProcess;
  let port: number;
  const webhookSecret = `wh_${randomBytes(16).toString('hex')}`;
  const callbackSecret = `cb_${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    tg = await new FakeTelegram({ token: randomBotToken() }).start();
    vk = await new FakeVk({ groupToken: randomVkToken('group'), userToken: randomVkToken('user') }).start();
    port = await freePort();
    service = await new ServiceProcess({
      telegram: tg,
      vk,
      env: {
        LOG_LEVEL: 'debug',
        BOT_MODE: 'webhook',
        WEBHOOK_URL: 'https://otklik.example.org/telegram',
        WEBHOOK_SECRET: webhookSecret,
        PORT: String(port),
        VK_MODE: 'callback',
        VK_CALLBACK_SECRET: callbackSecret,
        VK_CALLBACK_CONFIRMATION: 'c0nf1rm',
        VK_USER_TOKEN: vk.userToken,
      },
    }).start();
  });
  afterAll(async () => {
    await service?.dispose();
    await vk?.stop();
    await tg?.stop();
  });

  const update = (id: number, from: { id: number; first_name: string }, text: string) => ({
    update_id: id,
    message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: 'private', first_name: from.first_name }, from: { ...from, is_bot: false }, text },
  });
  const postUpdate = (body: unknown, secret?: string) =>
    fetch(`http://127.0.0.1:${port}/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(body),
    });

  it('registers the webhook with the secret and refuses updates without or with a wrong secret header', async () => {
    const set = await tg.waitForCall('setWebhook');
    expect(set.params.secret_token).toBe(webhookSecret);
    const before = tg.calls('sendMessage').length;
    const none = await postUpdate(update(9001, people.stranger, '/start'));
    const wrong = await postUpdate(update(9002, people.stranger, '/start'), 'not-the-secret-000000');
    expect(none.status).toBe(401);
    expect(wrong.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(tg.calls('sendMessage').length).toBe(before);
    expect(dbValue<number>(service.dbPath, 'SELECT count(*) FROM processed_updates WHERE update_id IN (9001, 9002)')).toBe(0);
  });

  it('handles an update that carries the right secret', async () => {
    const ok = await postUpdate(update(9003, people.stranger, '/start'), webhookSecret);
    expect(ok.status).toBe(200);
    // The unknown person is answered (and refused): through the webhook reply or a sendMessage call.
    await waitFor(() => dbValue<number>(service.dbPath, 'SELECT count(*) FROM processed_updates WHERE update_id = 9003') === 1, { timeoutMs: 5_000, intervalMs: 100 });
  });

  it('VK Callback: a wrong or missing secret is refused and nothing is stored; the right one is stored', async () => {
    const post = (body: Record<string, unknown>) => fetch(`http://127.0.0.1:${port}/vk/callback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const object = vk.wallReplyNew({ id: 77, from_id: 901, post_id: 5, text: 'Через Callback API' });
    const base = { type: 'wall_reply_new', object, group_id: vk.groupId, v: '5.199' };
    const refusedA = await post({ ...base, event_id: 'a'.repeat(40) });
    const refusedB = await post({ ...base, event_id: 'b'.repeat(40), secret: 'wrong-secret' });
    const otherGroup = await post({ ...base, event_id: 'c'.repeat(40), secret: callbackSecret, group_id: 1 });
    expect([refusedA.status, refusedB.status, otherGroup.status]).toEqual([403, 403, 403]);
    expect(dbValue<number>(service.dbPath, 'SELECT count(*) FROM source_events')).toBe(0);
    const accepted = await post({ ...base, event_id: 'd'.repeat(40), secret: callbackSecret });
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toBe('ok');
    await waitFor(() => dbValue<number>(service.dbPath, "SELECT count(*) FROM messages WHERE text = 'Через Callback API'") === 1, { timeoutMs: 10_000, intervalMs: 100 });
  });

  it('the audit log is append-only: UPDATE and DELETE are refused by the database', () => {
    expect(dbValue<number>(service.dbPath, 'SELECT count(*) FROM audit_events')).toBeGreaterThan(0);
    const db = new Database(service.dbPath);
    try {
      db.pragma('busy_timeout = 5000');
      expect(() => db.prepare("UPDATE audit_events SET payload = '{}'").run()).toThrow();
      expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow();
    } finally {
      db.close();
    }
  });

  it('the database, its WAL files and a backup are readable by the owner only', async () => {
    for (const f of [service.dbPath, `${service.dbPath}-wal`, `${service.dbPath}-shm`]) {
      if (existsSync(f)) expect((statSync(f).mode & 0o077).toString(8), f).toBe('0');
    }
    const out = path.join(service.dir, 'backups-test', 'copy.db');
    const r = await runCli(['backup', '--out', out, '--db', service.dbPath], { CONFIG_PATH: service.configPath });
    expect(r.code, r.stderr).toBe(0);
    expect((statSync(out).mode & 0o077).toString(8)).toBe('0');
    expect((statSync(path.dirname(out)).mode & 0o077).toString(8)).toBe('0');
    expect(readdirSync(path.dirname(out))).toEqual(['copy.db']);
  });

  it('no token or secret appears in the logs', () => {
    expect(service.logs).toContain('otklik: ready');
    expect(leakedSecrets(service.logs, [tg.token, vk.groupToken, vk.userToken, webhookSecret, callbackSecret])).toEqual([]);
  });
});

describe('a person removed from the organization file loses access at once', () => {
  const { tg, service } = serviceHarness({ vk: false, telegram: { token: randomBotToken() }, env: { LOG_LEVEL: 'debug' } });

  it('is served before, refused after the restart, and nothing he presses changes anything', async () => {
    tg.userSendsText(people.executor, '/start');
    await tg.waitForMessage(people.executor.id, () => true, 10_000);
    expect(dbValue<number>(service.dbPath, 'SELECT active FROM staff WHERE telegram_id = ?', people.executor.id)).toBe(1);

    await service.stop();
    writeFileSync(service.configPath, organizationYaml().replace(/^ {2}- \{ telegramId: 100002.*\n/m, ''));
    await service.start();
    expect(dbValue<number>(service.dbPath, 'SELECT active FROM staff WHERE telegram_id = ?', people.executor.id)).toBe(0);

    const audit = dbValue<number>(service.dbPath, 'SELECT count(*) FROM audit_events');
    const sent = tg.messagesTo(people.executor.id).length;
    tg.userSendsText(people.executor, '/start');
    await tg.waitForMessage(people.executor.id, (m) => tg.messagesTo(people.executor.id).indexOf(m) >= sent && /100002/.test(m.text ?? ''), 10_000);
    tg.userSendsCallback(people.executor, 'acc:1');
    await tg.waitForCall('answerCallbackQuery', (c) => (c.params.text as string | undefined)?.includes('100002') === true, 10_000);
    expect(dbValue<number>(service.dbPath, 'SELECT count(*) FROM audit_events')).toBe(audit);
    expect(leakedSecrets(service.logs, [tg.token])).toEqual([]);
  });
});
