import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';
import { dbRows, dbValue, leakedSecrets, openTestApp, randomBotToken, randomVkToken, stepTowardsApproval } from '../support/chaos.js';

/**
 * Bad input from people: thousands of forged and fuzzed button presses and commands from
 * an unknown person and from staff of the wrong department, against the running service. Every press
 * is re-authorized on the server, so nothing may change: cases, audit log, assignments, drafts,
 * deadlines, staff, invites, bans and VK actions are compared before and after.
 */
const ACTIONS = [
  'adm.assign',
  'adm.ban',
  'adm.banok',
  'adm.dep',
  'adm.imp',
  'adm.loc',
  'adm.menu',
  'adm.nc',
  'adm.ncok',
  'adm.rea',
  'adm.rej',
  'adm.rep',
  'adm.topic',
  'adm.urg',
  'ap.ok',
  'ap.pub',
  'ap.rw',
  'dh.des',
  'dh.ok',
  'dh.ret',
  'ex.acc',
  'ex.clear',
  'ex.draft',
  'ex.kind',
  'ex.part',
  'ex.prom',
  'ex.pub',
  'ex.ret',
  'ex.send',
  'ex.show',
  'ext.no',
  'ext.ok',
  'ext.req',
  'inv.role',
  'stf.away',
  'stf.awd',
  'stf.aws',
  'stf.off',
  'stf.offok',
  'stf.on',
  'stf.p',
  'stf.role',
];
const COMMANDS = ['/start', '/start x', '/case 1', '/case 2', '/queue', '/find Ленина', '/overdue', '/report 2026-01', '/today', '/staff', '/invite', '/away', '/invite executor zhkh'];

function snapshot(dbPath: string): string {
  const q = (sql: string) => JSON.stringify(dbRows(dbPath, sql));
  return [
    q('SELECT id, status, version, urgent FROM cases ORDER BY id'),
    q('SELECT count(*) AS n FROM audit_events'),
    q('SELECT * FROM assignments ORDER BY case_id, seq'),
    q('SELECT * FROM drafts ORDER BY case_id, seq'),
    q('SELECT case_id, seq, status, due_at FROM deadlines ORDER BY case_id, seq'),
    q('SELECT id, telegram_id, roles, department_id, active FROM staff ORDER BY id'),
    q('SELECT count(*) AS n FROM invites'),
    q('SELECT count(*) AS n FROM absences'),
    q('SELECT count(*) AS n FROM moderation_actions'),
    q("SELECT count(*) AS n FROM outbox WHERE channel <> 'telegram'"),
  ].join('\n');
}

describe('forged and fuzzed presses and commands change nothing', () => {
  const { tg, vk, service } = serviceHarness({ telegram: { token: randomBotToken() }, vk: { groupToken: randomVkToken('group') }, env: { LOG_LEVEL: 'info' } });

  beforeAll(async () => {
    const post = vk.addPost({ text: 'Новости' });
    for (let i = 0; i < 6; i++) vk.commentArrives({ post_id: post.id, from_id: 900 + i, text: `Обращение ${i + 1}` });
    await waitFor(() => dbValue<number>(service.dbPath, 'SELECT count(*) FROM cases') === 6, { timeoutMs: 20_000, intervalMs: 200 });
    // Cases in different states, all with the ЖКХ department (the presses come from the roads department).
    await service.stop();
    const t = await openTestApp(service);
    const ids = { admin: people.admin.id, executor: people.executor.id, deptHead: people.deptHead.id };
    for (let id = 2; id <= 6; id++) for (let k = 0; k < id - 1; k++) stepTowardsApproval(t.app, id, ids);
    t.close();
    await service.start();
  }, 60_000);

  it('thousands of presses and commands by a stranger and by staff of another department', async () => {
    const attackers = [people.stranger, people.roadsExecutor, people.roadsHead, { id: 424242, first_name: 'Mallory' }];
    const staffIds = dbRows<{ id: number }>(service.dbPath, 'SELECT id FROM staff').map((r) => r.id);
    const arb = fc.oneof(
      // Well-formed data of every action, any case (existing or not), any argument.
      fc
        .record({
          action: fc.constantFrom(...ACTIONS),
          caseId: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(...staffIds), fc.integer({ min: 0, max: 2 ** 40 })),
          arg: fc.option(
            fc.oneof(
              fc.integer({ min: -1, max: 50 }).map(String),
              fc.constantFrom('1', '0', 'executor', 'administrator', 'head', 'zhkh', 'roads', 'y', 'n'),
              fc.stringMatching(/^[A-Za-z0-9_.\-=]{1,40}$/),
            ),
            { nil: null },
          ),
        })
        .map(({ action, caseId, arg }) => `${action}:${caseId}${arg === null ? '' : `:${arg}`}`.slice(0, 64)),
      // Garbage: any string, overlong, separators, unicode.
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('', ':', '::', 'ap.ok:', 'ap.ok:-1', 'ap.ok:1:2:3', 'ap.ok:01', 'AP.OK:1', 'ap.ok:1e3', 'ap.ok:9007199254740993', 'x'.repeat(65), 'stf.off:1', 'stf.role:1:administrator'),
    );
    const presses = fc.sample(fc.tuple(fc.constantFrom(...attackers), arb), { numRuns: 2400, seed: 8 });
    const commands = fc.sample(fc.tuple(fc.constantFrom(...attackers), fc.oneof(fc.constantFrom(...COMMANDS), fc.string({ maxLength: 50 }))), { numRuns: 300, seed: 9 });

    const before = snapshot(service.dbPath);
    const handledBefore = dbValue<number>(service.dbPath, 'SELECT count(*) FROM processed_updates');
    const messages = tg.messagesTo(people.admin.id);
    let n = 0;
    for (const [who, data] of presses) {
      const target = messages[n % Math.max(1, messages.length)];
      tg.userSendsCallback(who, data, who.id === people.roadsExecutor.id ? undefined : target?.message_id, who.id);
      n++;
      if (n % 200 === 0) await waitFor(() => dbValue<number>(service.dbPath, 'SELECT count(*) FROM processed_updates') >= handledBefore + n - 50, { timeoutMs: 20_000, intervalMs: 100 });
    }
    for (const [who, text] of commands) {
      tg.userSendsText(who, text.length ? text : '.');
      n++;
    }
    const handled = () => dbValue<number>(service.dbPath, 'SELECT count(*) FROM processed_updates') - handledBefore;
    await waitFor(() => handled() >= n, {
      timeoutMs: 40_000,
      intervalMs: 200,
      message: () => `all ${n} updates handled (handled ${handled()}, not yet confirmed by the bot ${tg.pendingUpdates().length})`,
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = snapshot(service.dbPath);
    const unauthorized = before === after ? 0 : before.split('\n').filter((l, i) => l !== after.split('\n')[i]).length;
    console.log(`fuzz: ${presses.length} forged presses and ${commands.length} commands from ${attackers.length} people, unauthorized changes ${unauthorized}`);
    expect(after).toBe(before);
    // The service is alive and still serves its staff.
    tg.userSendsText(people.admin, '/start');
    await tg.waitForMessage(people.admin.id, () => true, 10_000);
    expect(service.logs).not.toMatch(/"level":(50|60).*unhandled/);
    expect(leakedSecrets(service.logs, [tg.token, vk.groupToken])).toEqual([]);
  }, 120_000);
});
