import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { ServiceProcess, people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';

/**
 * The always-on status listener of the service in the default polling mode (no webhook, VK Bots Long
 * Poll): /health, /ready and /metrics, and one log line per Telegram outage and per recovery.
 */
describe('status listener: /health, /ready, /metrics in polling mode', () => {
  let base: string;

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };
  /** The value of one sample line of the Prometheus text, or undefined. */
  const sample = (text: string, name: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(name.length + 1));
  };

  const { tg, vk, service } = serviceHarness({ telegram: { maxLongPollMs: 1_000 } });
  beforeAll(async () => {
    const ready = JSON.parse(await service.waitForLog('otklik: ready')) as { host: string; port: number };
    expect(ready.host).toBe('127.0.0.1'); // loopback unless HTTP_HOST exposes it
    base = `http://127.0.0.1:${ready.port}`;
  });

  it('/health answers while the process is up; an unknown path is 404', async () => {
    expect(await get('/health')).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await get('/nothing')).status).toBe(404);
  });

  it('/ready: the database is writable and Telegram and VK answer', async () => {
    const r = await get('/ready');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({ ready: true, database: { writable: true }, telegram: { reachable: true, since: null }, vk: { reachable: true } });
  });

  it('/metrics in Prometheus format: cases, events, outbox per lane, sends per API, polls, reachability', async () => {
    // A case from a VK comment: an event stored and processed, a card sent through the telegram lane.
    const post = vk.addPost({ text: 'Новости города' });
    vk.commentArrives({ post_id: post.id, from_id: 501, text: 'Прорвало трубу на ул. Ленина, 5' });
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('Прорвало трубу'), 15_000);
    // A message to the bot ends the long poll held now, so a completed poll is on record.
    tg.userSendsText(people.admin, '/start');
    await tg.waitForMessage(people.admin.id, (m) => /Иванова/.test(m.text ?? ''), 10_000);
    let m = '';
    for (let i = 0; i < 40; i++) {
      m = (await get('/metrics')).body;
      if ((sample(m, 'otklik_sends_total{api="telegram",action="sendCard"}') ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(m, 'otklik_source_events{status="done"}')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'otklik_cases{status="new"}')).toBe(1);
    expect(sample(m, 'otklik_open_deadlines')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'otklik_deadline_breaches')).toBe(0);
    expect(sample(m, 'otklik_sends_total{api="telegram",action="sendCard"}')).toBeGreaterThanOrEqual(1);
    expect(m).toContain('# TYPE otklik_outbox_depth gauge');
    expect(m).toContain('# TYPE otklik_send_failures_total counter');
    expect(m).toContain('# TYPE otklik_report_duration_seconds histogram');
    expect(sample(m, 'otklik_api_reachable{api="telegram"}')).toBe(1);
    expect(sample(m, 'otklik_api_reachable{api="vk"}')).toBe(1);
    const now = Date.now() / 1000;
    expect(now - sample(m, 'otklik_last_poll_timestamp_seconds{source="telegram"}')!).toBeLessThan(60);
    expect(now - sample(m, 'otklik_last_poll_timestamp_seconds{source="vk"}')!).toBeLessThan(60);
    expect(sample(m, 'otklik_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('a send Telegram refuses for now waits in its lane: depth, age and the failure by error code', async () => {
    // 429 with a wait longer than the bot's own short retries: the outbox keeps the card for later.
    tg.failNext('sendMessage', { code: 429, retry_after: 60 }, 1);
    const post = vk.addPost({ text: 'Объявление' });
    vk.commentArrives({ post_id: post.id, from_id: 502, text: 'Не горит фонарь во дворе' });
    let m = '';
    for (let i = 0; i < 60; i++) {
      m = (await get('/metrics')).body;
      if ((sample(m, 'otklik_send_failures_total{api="telegram",code="429"}') ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(sample(m, 'otklik_outbox_depth{lane="telegram"}')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'otklik_outbox_oldest_age_seconds{lane="telegram"}')).toBeGreaterThanOrEqual(0);
    expect(sample(m, 'otklik_send_failures_total{api="telegram",code="429"}')).toBe(1);
  });

  it('a Telegram outage: /ready says since when, one log line when it starts and one when it ends', async () => {
    const from = service.logs.length;
    // The next two long polls get no answer (connection dropped); an update ends the poll held now.
    // (Long polls are held 1 s here, so the first answered poll after the outage comes quickly.)
    tg.failNext('getUpdates', { kind: 'drop' }, 2);
    tg.pushUpdate({ poll: { id: 'p1', question: '?', options: [], total_voter_count: 0, is_closed: true, is_anonymous: true, type: 'regular', allows_multiple_answers: false } });
    await service.waitForLog('telegram: unreachable', 15_000, from).catch((e) => {
      throw e;
    });
    const during = await get('/ready');
    expect(during.status).toBe(503);
    const body = JSON.parse(during.body);
    expect(body.ready).toBe(false);
    expect(body.telegram.reachable).toBe(false);
    expect(Date.parse(body.telegram.since)).toBeGreaterThan(Date.now() - 30_000);
    expect(sample((await get('/metrics')).body, 'otklik_api_reachable{api="telegram"}')).toBe(0);

    await service.waitForLog('telegram: reachable again', 30_000, from);
    expect((await get('/ready')).status).toBe(200);
    const lines = service.logs.slice(from).split('\n');
    expect(lines.filter((l) => l.includes('telegram: unreachable'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('telegram: reachable again'))).toHaveLength(1);
    expect(service.logs).not.toContain(tg.token);
  }, 60_000);
});

describe('status listener without VK', () => {
  it('/ready says VK is off rather than reachable, and /metrics has no VK reachability', async () => {
    const tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
    const service = await new ServiceProcess({ telegram: tg }).start();
    try {
      const { port } = JSON.parse(await service.waitForLog('otklik: ready')) as { port: number };
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, vk: { off: true }, telegram: { reachable: true } });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('otklik_api_reachable{api="telegram"} 1');
      expect(metrics).not.toContain('otklik_api_reachable{api="vk"}');
    } finally {
      await service.dispose();
      await tg.stop();
    }
  });
});
