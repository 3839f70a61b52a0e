import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { organizationYaml, people, runCli } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { dbRows, dbValue, leakedSecrets, randomBotToken, randomVkToken } from '../support/chaos.js';

/**
 * Bad input from VK and from configuration: malformed and hostile payloads go through
 * the running service — no crash, a clear log line, nothing half-written, citizens' HTML shown as
 * text in Telegram; organization and regulation files with errors are refused naming the field.
 */
describe('fuzzed VK payloads through the service', () => {
  const { tg, vk, service } = serviceHarness({ telegram: { token: randomBotToken() }, vk: { groupToken: randomVkToken('group') }, env: { LOG_LEVEL: 'info' } });

  it('hostile texts are stored exactly and shown escaped; malformed events are logged and half of nothing is written', async () => {
    const post = vk.addPost({ text: 'Пост' });
    const hostile = [
      '<script>alert("x")</script> & <b>жирный</b> &amp; </i>',
      '*markdown* _italic_ `code` [link](https://evil.example) ~~strike~~ ||spoiler||',
      "Robert'); DROP TABLE cases; -- ' OR 1=1 --",
      '🚧🕳️👷‍♀️ яма 🇷🇺 \u200d\u200b\ufeff',
      'مرحبا بكم — שלום עולם — \u202eRTL override\u202c',
      'Я'.repeat(9000) + ' конец',
      '\u0000nul\u0007bell\r\nCRLF',
    ];
    for (let i = 0; i < hostile.length; i++) vk.commentArrives({ post_id: post.id, from_id: 2000 + i, text: hostile[i]! });

    // Malformed events: missing fields, wrong types, unknown types, garbage.
    const malformed: unknown[] = [
      { type: 'wall_reply_new', object: {}, group_id: vk.groupId, event_id: randomBytes(20).toString('hex'), v: '5.199' },
      { type: 'wall_reply_new', object: { id: 'abc', from_id: null, post_id: [], text: 42 }, group_id: vk.groupId, event_id: randomBytes(20).toString('hex'), v: '5.199' },
      { type: 'wall_reply_new', object: null, group_id: vk.groupId, event_id: randomBytes(20).toString('hex'), v: '5.199' },
      { type: 'message_new', object: { message: { text: { nested: true } } }, group_id: vk.groupId, event_id: randomBytes(20).toString('hex'), v: '5.199' },
      { type: 'no_such_type', object: { id: 1 }, group_id: vk.groupId, event_id: randomBytes(20).toString('hex'), v: '5.199' },
      { nothing: 'here' },
      'a string event',
      42,
      ...fc.sample(fc.anything({ maxDepth: 3 }), { numRuns: 40, seed: 3 }).map((object) => ({
        type: 'wall_reply_new',
        object,
        group_id: vk.groupId,
        event_id: randomBytes(20).toString('hex'),
        v: '5.199',
      })),
      ...fc
        .sample(fc.record({ id: fc.anything(), from_id: fc.anything(), post_id: fc.anything(), owner_id: fc.anything(), text: fc.anything(), date: fc.anything() }, { requiredKeys: [] }), {
          numRuns: 60,
          seed: 4,
        })
        .map((object) => ({ type: 'wall_reply_new', object, group_id: vk.groupId, event_id: randomBytes(20).toString('hex'), v: '5.199' })),
    ];
    for (const m of malformed) vk.pushRaw(m);
    // A valid comment after the garbage still arrives.
    vk.commentArrives({ post_id: post.id, from_id: 3000, text: 'После мусора — обычное обращение' });

    await waitFor(() => dbValue<number>(service.dbPath, "SELECT count(*) FROM messages WHERE text = 'После мусора — обычное обращение'") === 1, { timeoutMs: 30_000, intervalMs: 200 });
    await waitFor(() => dbValue<number>(service.dbPath, "SELECT count(*) FROM source_events WHERE status = 'pending'") === 0, { timeoutMs: 20_000, intervalMs: 200 });

    // Every hostile text is one message, stored as sent (VK gives text as is).
    for (let i = 0; i < hostile.length; i++) {
      const rows = dbRows<{ text: string }>(service.dbPath, 'SELECT m.text FROM messages m WHERE m.author_external_id = ?', String(2000 + i));
      expect(rows, `hostile ${i}`).toHaveLength(1);
    }
    expect(dbRows(service.dbPath, 'SELECT text FROM messages WHERE author_external_id = ?', '2002')).toEqual([{ text: hostile[2] }]);
    // Nothing half-written: every message has its case, every case its message and audit rows.
    expect(dbValue<number>(service.dbPath, 'SELECT count(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM case_messages cm WHERE cm.message_id = m.id)')).toBe(0);
    expect(dbValue<number>(service.dbPath, 'SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.case_id = c.id)')).toBe(0);
    const stored = dbValue<number>(service.dbPath, 'SELECT count(*) FROM messages');
    const valid = hostile.length + 1;
    // Random objects may happen to be readable comments; none may be half-stored or crash the service.
    expect(stored).toBeGreaterThanOrEqual(valid);
    expect(service.logs).toMatch(/vk: event (not readable|processing failed)/);

    // HTML is shown as text: the administrator sees the tags literally (Telegram would refuse bad HTML).
    const card = await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('<script>alert("x")</script>'), 60_000);
    expect(card.sentText).toContain('&lt;script&gt;');
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('<b>жирный</b>'), 60_000);
    const huge = await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('ЯЯЯЯЯЯЯЯЯЯ'), 60_000);
    expect((huge.text ?? '').length).toBeLessThanOrEqual(4096);
    expect(tg.calls('sendMessage').filter((c) => c.outcome === 'error' && /parse entities|too long/i.test(JSON.stringify(c.response)))).toEqual([]);

    // Still alive and serving.
    tg.userSendsText(people.admin, '/start');
    await tg.waitForMessage(people.admin.id, (m) => m.date > 0, 10_000);
    expect(leakedSecrets(service.logs, [tg.token, vk.groupToken])).toEqual([]);
    console.log(`fuzz: ${hostile.length} hostile texts, ${malformed.length} malformed VK events, stored ${stored} messages, no half-written rows`);
  }, 150_000);
});

describe('organization and regulation files with errors are refused naming the field', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'otklik-badconf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = (config: string) => ({ BOT_TOKEN: randomBotToken(), TELEGRAM_API_ROOT: 'http://127.0.0.1:9', DATABASE_PATH: path.join(dir, 'x.db'), CONFIG_PATH: config });
  const cases: [string, string, RegExp][] = [
    ['wrong role', organizationYaml().replace('roles: [administrator]', 'roles: [superuser]'), /staff\.0\.roles/],
    ['unknown department', organizationYaml().replace('department: zhkh }', 'department: parks }'), /staff\.1\.department/],
    ['bad time zone', organizationYaml().replace('Europe/Moscow', 'Mars/Olympus'), /organization\.timezone/],
    ['misspelt key', organizationYaml().replace('topics: [ЖКХ, Благоустройство, Дороги', 'topcs: [ЖКХ, Благоустройство, Дороги'), /topcs|topics/],
    ['duplicate telegram id', organizationYaml().replace('telegramId: 100002', 'telegramId: 100001'), /staff\.1\.telegramId/],
    ['broken YAML', 'organization: { name: [', /YAML|yaml/],
    ['regulation file with an error', organizationYaml({ regulation: './reg.yaml' }), /reg\.yaml/],
  ];
  for (const [name, yaml, field] of cases) {
    it(`${name}`, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, yaml);
      writeFileSync(path.join(dir, 'reg.yaml'), 'id: custom\nname: Свой регламент\nwindows: { route: { duration: "soon" } }\n');
      const r = await runCli(['serve'], env(file));
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(field);
      expect(r.stdout + r.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    });
  }
});
