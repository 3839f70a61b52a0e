import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ServiceProcess } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { dbRows, dbValue, freePort, randomBotToken, randomVkToken } from '../support/chaos.js';

/**
 * One bad event must not stop VK collection: malformed items (null, arrays, scalars, objects without a
 * type, random objects) inside otherwise valid long-poll batches and Callback deliveries are stored as
 * rejected with the reason and skipped; every valid event of the same batch becomes a case, and the
 * collection goes on afterwards.
 */
const garbage = (seed: number, n: number): unknown[] => [
  null,
  [],
  [null, 1],
  'строка',
  0,
  true,
  {},
  { object: { id: 1 } },
  { type: 42, object: {} },
  { type: 'wall_reply_new', object: null },
  { type: 'wall_reply_new', object: 'не объект' },
  { type: 'message_new', object: { message: null } },
  ...fc.sample(fc.oneof(fc.constant(null), fc.anything({ maxDepth: 2 })), { numRuns: n, seed }),
];

describe('malformed items inside valid VK batches', () => {
  const secret = 'cb-secret-0123456789abcdef';

  const { tg, vk, service } = serviceHarness({ telegram: { token: randomBotToken() }, vk: { groupToken: randomVkToken('group') }, env: { LOG_LEVEL: 'info' } });

  const messagesWith = (prefix: string) => dbValue<number>(service.dbPath, 'SELECT count(*) FROM messages WHERE text LIKE ?', `${prefix}%`);

  it('long poll: a null (and any other garbage) in a batch is rejected alone; the valid events around it are processed', async () => {
    const post = vk.addPost({ text: 'Пост' });
    let valid = 0;
    const comment = () => {
      valid += 1;
      return vk.commentArrives({ post_id: post.id, from_id: 4000 + valid, text: `Пакет ${valid}: обращение` });
    };
    const items = garbage(7, 30);
    // The first push answers the waiting poll; everything pushed in the same tick after it is one batch.
    comment();
    for (const g of items) {
      comment();
      vk.pushRaw(g);
    }
    comment();
    await waitFor(() => messagesWith('Пакет ') === valid, { timeoutMs: 30_000, intervalMs: 100, message: () => `${messagesWith('Пакет ')} of ${valid} comments stored` });
    const rejected = dbRows<{ note: string; status: string }>(service.dbPath, "SELECT note, status FROM source_events WHERE type = 'rejected'");
    const unreadable = dbValue<number>(service.dbPath, "SELECT count(*) FROM source_events WHERE status = 'failed' AND type <> 'rejected'");
    expect(rejected.length + unreadable).toBeGreaterThanOrEqual(9);
    expect(rejected.some((r) => /null/.test(r.note))).toBe(true);
    expect(rejected.every((r) => r.status === 'failed' && /^rejected: /.test(r.note))).toBe(true);
    expect(dbValue<number>(service.dbPath, "SELECT count(*) FROM source_events WHERE status = 'pending'")).toBe(0);

    // Collection goes on: the next batch is fetched with a new ts and processed.
    const after = vk.commentArrives({ post_id: post.id, from_id: 4999, text: 'После пакета с мусором' });
    void after;
    await waitFor(() => messagesWith('После пакета с мусором') === 1, { timeoutMs: 15_000, intervalMs: 100 });
    expect(service.logs).not.toMatch(/NOT NULL constraint failed/);
    console.log(`fuzz (long poll): ${valid} valid comments and ${items.length} malformed items in mixed batches; rejected ${rejected.length}, unreadable ${unreadable}`);
  }, 60_000);

  it('Callback API: malformed deliveries between valid ones are refused or rejected; the valid ones become cases', async () => {
    await service.stop();
    const port = await freePort();
    const cb = await new ServiceProcess({
      telegram: tg,
      vk,
      env: { LOG_LEVEL: 'info', VK_MODE: 'callback', VK_CALLBACK_SECRET: secret, VK_CALLBACK_CONFIRMATION: 'abc123', PORT: String(port) },
      dir: service.dir,
    }).start();
    try {
      const url = `http://127.0.0.1:${port}/vk/callback`;
      const post = vk.addPost({ text: 'Пост для Callback' });
      let valid = 0;
      const statuses: number[] = [];
      for (const g of garbage(11, 20)) {
        valid += 1;
        const object = vk.wallReplyNew({ id: 9000 + valid, from_id: 6000 + valid, post_id: post.id, text: `Callback ${valid}: обращение` });
        const ok = await fetch(url, { method: 'POST', body: JSON.stringify({ type: 'wall_reply_new', object, group_id: vk.groupId, event_id: randomBytes(8).toString('hex'), secret }) });
        expect(await ok.text()).toBe('ok');
        const bad = isObject(g) ? { ...g, group_id: vk.groupId, secret } : g;
        const r = await fetch(url, { method: 'POST', body: JSON.stringify(bad) });
        statuses.push(r.status);
        await r.text();
      }
      await waitFor(() => messagesWith('Callback ') === valid, { timeoutMs: 30_000, intervalMs: 100, message: () => `${messagesWith('Callback ')} of ${valid} callback comments stored` });
      expect(statuses.every((s) => s === 200 || s === 400)).toBe(true);
      expect(dbValue<number>(service.dbPath, "SELECT count(*) FROM source_events WHERE status = 'pending'")).toBe(0);
      console.log(`fuzz (callback): ${valid} valid deliveries, ${statuses.length} malformed (${statuses.filter((s) => s === 400).length} refused 400, the rest stored and rejected)`);
    } finally {
      await cb.stop();
    }
  }, 60_000);
});

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
