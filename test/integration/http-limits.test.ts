import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { ServiceProcess, people, runCli } from '../support/service.js';
import { dbValue, freePort, leakedSecrets, randomBotToken, randomVkToken } from '../support/chaos.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';

/**
 * Limits of the service's HTTP endpoints, through the real process: the VK Callback and the Telegram
 * webhook answer 413 to a body over 1 MB (not a connection reset, not a body buffered whole — also with
 * the right webhook secret); the webhook still serves a normal update; a too-short VK_CALLBACK_SECRET
 * is refused at start naming the variable.
 */
describe('HTTP body limits and callback secrets', () => {
  let tg: FakeTelegram;
  let vk: FakeVk;
  let service: ServiceProcess;
  let port: number;
  const webhookSecret = `wh_${randomBytes(16).toString('hex')}`;
  const callbackSecret = `cb${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    tg = await new FakeTelegram({ token: randomBotToken() }).start();
    vk = await new FakeVk({ groupToken: randomVkToken('group') }).start();
    port = await freePort();
    service = await new ServiceProcess({
      telegram: tg,
      vk,
      env: {
        LOG_LEVEL: 'info',
        BOT_MODE: 'webhook',
        WEBHOOK_URL: 'https://otklik.example.org/telegram',
        WEBHOOK_SECRET: webhookSecret,
        PORT: String(port),
        VK_MODE: 'callback',
        VK_CALLBACK_SECRET: callbackSecret,
        VK_CALLBACK_CONFIRMATION: 'c0nf1rm',
      },
    }).start();
  }, 30_000);
  afterAll(async () => {
    await service?.dispose();
    await vk?.stop();
    await tg?.stop();
  });

  /** Posts `bytes` of JSON-ish body in chunks (no content-length: chunked) or with it; resolves with the status or 'reset'. */
  function post(path: string, bytes: number, headers: Record<string, string>, chunked: boolean): Promise<number | 'reset'> {
    return new Promise((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(bytes) }), ...headers } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', () => resolve('reset'));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const write = () => {
        while (sent < bytes) {
          const n = Math.min(chunk.length, bytes - sent);
          sent += n;
          if (!req.write(chunk.subarray(0, n))) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
  }

  it('VK Callback: a body over 1 MB gets 413, with or without content-length', async () => {
    expect([await post('/vk/callback', 2_000_000, {}, false), await post('/vk/callback', 2_000_000, {}, true)]).toEqual([413, 413]);
    expect(dbValue<number>(service.dbPath, 'SELECT count(*) FROM source_events')).toBe(0);
  }, 30_000);

  it('Telegram webhook: 413 over 1 MB even with the right secret; 401 for a wrong one; a normal update is handled', async () => {
    expect(await post('/telegram', 20_000_000, { 'x-telegram-bot-api-secret-token': webhookSecret }, true)).toBe(413);
    expect(await post('/telegram', 5_000, { 'x-telegram-bot-api-secret-token': 'wrong-secret-0000000' }, false)).toBe(401);
    const update = {
      update_id: 7001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: people.admin.id, type: 'private', first_name: 'Анна' },
        from: { ...people.admin, is_bot: false },
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    };
    const r = await fetch(`http://127.0.0.1:${port}/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
      body: JSON.stringify(update),
    });
    expect(r.status).toBe(200);
    await waitFor(() => dbValue<number>(service.dbPath, 'SELECT count(*) FROM processed_updates WHERE update_id = 7001') === 1, { timeoutMs: 5_000 });
    expect(leakedSecrets(service.logs, [tg.token, webhookSecret, callbackSecret])).toEqual([]);
  }, 60_000);

  it('a one-character VK_CALLBACK_SECRET is refused at start, naming the variable', async () => {
    const r = await runCli(['serve'], { ...service.env, VK_CALLBACK_SECRET: 'x', PORT: String(await freePort()), DATABASE_PATH: `${service.dir}/other.db` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/VK_CALLBACK_SECRET must be 16–50/);
  }, 30_000);
});
