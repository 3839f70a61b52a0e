import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { FakeMax, type MaxPerson, type MaxSentMessage } from '../../src/sandbox/emulators/max.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';
import { ServiceProcess } from '../support/service.js';

/**
 * The staff workspace in MAX, through the REAL service process against FakeMax (the MAX Bot API), with
 * the Telegram fake (BOT_TOKEN stays required) and the VK fake: every staff member works in MAX, nobody
 * in Telegram. Ахты preset: the administrator assigns, the department head designates, the executor
 * drafts, the administrator approves and publishes to VK.
 */

const admin: MaxPerson = { user_id: 300001, name: 'Анна Иванова' };
const executor: MaxPerson = { user_id: 300002, name: 'Пётр Петров' };
const deptHead: MaxPerson = { user_id: 300003, name: 'Сергей Сидоров' };
const head: MaxPerson = { user_id: 300004, name: 'Виктор Михайлов' };
const stranger: MaxPerson = { user_id: 399999, name: 'Незнакомец' };
/** In Telegram today, his MAX id known: switches to MAX later. */
const switcher = { telegramId: 100050, max: { user_id: 300005, name: 'Дарья Орлова' } as MaxPerson };

function orgYaml(opts: { withoutExecutor?: boolean; switcherIn?: 'telegram' | 'max' } = {}): string {
  return `organization: { name: Администрация Ахтынского района, timezone: Europe/Moscow }
regulation: akhty-2021
calendar: { region: RU-DA }
departments:
  - { id: zhkh, name: Отдел ЖКХ, topics: [ЖКХ, Благоустройство] }
  - { id: roads, name: Отдел дорожного хозяйства, topics: [Дороги] }
staff:
  - { maxUserId: ${admin.user_id}, name: Иванова А.П., roles: [administrator] }
${opts.withoutExecutor ? '' : `  - { maxUserId: ${executor.user_id}, name: Петров П.П., roles: [executor], department: zhkh }\n`}  - { maxUserId: ${deptHead.user_id}, name: Сидоров С.С., roles: [department_head], department: zhkh }
  - { maxUserId: ${head.user_id}, messenger: max, name: Михайлов В.Н., roles: [head] }
  - { telegramId: ${switcher.telegramId}, maxUserId: ${switcher.max.user_id}, messenger: ${opts.switcherIn ?? 'telegram'}, name: Орлова Д.А., roles: [administrator] }
topics: [ЖКХ, Благоустройство, Дороги, Другое]
`;
}

let tg: FakeTelegram;
let vk: FakeVk;
let max: FakeMax;
let service: ServiceProcess;

function withDb<T>(f: (d: Database.Database) => T): T {
  const d = new Database(service.dbPath, { readonly: true, fileMustExist: true });
  try {
    return f(d);
  } finally {
    d.close();
  }
}
const q = <T>(sql: string, ...args: unknown[]) => withDb((d) => d.prepare(sql).get(...args) as T);
const status = (id: number) => q<{ status: string }>('SELECT status FROM cases WHERE id = ?', id).status;

/** The newest message to `user` with a callback button whose payload matches, and that payload. */
function findButton(user: MaxPerson, data: RegExp): { message: MaxSentMessage; payload: string } | null {
  for (const m of [...max.messagesTo(user.user_id)].reverse()) {
    const b = max.buttonsOf(m).find((x) => x.type === 'callback' && x.payload && data.test(x.payload));
    if (b) return { message: m, payload: b.payload! };
  }
  return null;
}

async function press(user: MaxPerson, data: RegExp, timeoutMs = 10_000): Promise<{ callbackId: string; payload: string }> {
  let found: { message: MaxSentMessage; payload: string } | null = null;
  await waitFor(() => (found = findButton(user, data)) !== null, { timeoutMs, message: `a MAX button ${data} for ${user.name}` });
  const { callbackId } = max.userPresses(user, found!.payload, found!.message.mid);
  return { callbackId, payload: found!.payload };
}

const btn = (prefix: string, id: number) => new RegExp(`^${prefix.replace(/\./g, '\\.')}:${id}(?::|$)`);
const added = () => max.messagesTo(executor.user_id).filter((m) => /Добавлено в/.test(m.text)).length;

async function caseFromCard(text: string, timeoutMs = 15_000): Promise<number> {
  const card = await max.waitForMessage(admin.user_id, (m) => m.text.includes(text) && max.buttonsOf(m).some((b) => b.payload?.startsWith('adm.')), timeoutMs);
  return Number(max.buttonsOf(card).find((b) => b.payload?.startsWith('adm.'))!.payload!.split(':')[1]);
}

function wallComment(text: string, from = 501): void {
  const post = vk.addPost({ text: 'Новости района' });
  vk.commentArrives({ post_id: post.id, from_id: from, text });
}

async function startService(): Promise<void> {
  await service.start();
  await vk.waitForPoller(10_000);
}

beforeAll(async () => {
  tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
  vk = await new FakeVk().start();
  max = await new FakeMax({ token: `max-${randomBytes(16).toString('hex')}`, name: 'Отклик' }).start();
  vk.addUser({ id: 501, first_name: 'Ольга', last_name: 'Смирнова' });
  // Every staff member opened the bot in MAX (a bot writes only to people who started it).
  for (const p of [admin, executor, deptHead, head, switcher.max]) max.userStartsBot(p);
  service = new ServiceProcess({
    telegram: tg,
    vk,
    orgYaml: orgYaml(),
    env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', LOG_LEVEL: 'info', VK_USER_TOKEN: vk.userToken, MAX_BOT_TOKEN: max.token, MAX_API_ROOT: max.url },
  });
  await startService();
}, 40_000);
afterAll(async () => {
  await service?.dispose();
  await max?.stop();
  await vk?.stop();
  await tg?.stop();
});

describe('the staff workspace in MAX', () => {
  it('a VK comment becomes a case; the administrator routes it with buttons in MAX, the department head designates, the executor drafts, it is approved and published to VK — nothing goes to Telegram', async () => {
    wallComment('Во дворе дома 5 на ул. Ленина не вывозят мусор');
    const id = await caseFromCard('не вывозят мусор');
    await press(admin, new RegExp(`^adm\\.assign:${id}:`));
    await waitFor(() => status(id) === 'assigned', { timeoutMs: 10_000, message: 'assigned' });
    await press(deptHead, new RegExp(`^dh\\.des:${id}:`));
    await press(executor, btn('ex.acc', id));
    await waitFor(() => status(id) === 'in_work', { timeoutMs: 10_000, message: 'in work' });
    await press(executor, btn('ex.draft', id));
    await max.waitForMessage(executor.user_id, /Проект ответа/, 10_000);
    const n = added();
    max.userSendsText(executor, 'Мусор вывезут сегодня до 18:00.');
    await waitFor(() => added() > n, { timeoutMs: 10_000, message: 'the draft taken' });
    await press(executor, btn('ex.send', id));
    await waitFor(() => status(id) === 'on_approval', { timeoutMs: 10_000, message: 'on approval' });
    await press(admin, btn('ap.ok', id));
    await waitFor(() => status(id) === 'approved', { timeoutMs: 10_000, message: 'approved' });
    await press(admin, btn('ap.pub', id));
    await waitFor(() => status(id) === 'published', { timeoutMs: 15_000, message: 'published' });
    expect(vk.calls('wall.createComment').filter((c) => c.params.message === 'Мусор вывезут сегодня до 18:00.')).toHaveLength(1);
    // The cards are MAX messages with html and an inline keyboard, edited in place (PUT /messages).
    expect(max.calls('PUT /messages').length).toBeGreaterThan(0);
    const adminCard = max.messagesTo(admin.user_id).find((m) => m.text.includes('не вывозят мусор'))!;
    expect(adminCard.format).toBe('html');
    // Nobody but the person still in Telegram got anything there; no MAX call failed.
    const tgChats = new Set(tg.calls().map((c) => Number(c.params.chat_id ?? (c.params.scope as { chat_id?: number } | undefined)?.chat_id ?? 0)));
    tgChats.delete(0);
    expect([...tgChats].every((c) => c === switcher.telegramId)).toBe(true);
    expect(max.calls().filter((c) => (c.status ?? 200) >= 400)).toEqual([]);
  }, 90_000);
});
