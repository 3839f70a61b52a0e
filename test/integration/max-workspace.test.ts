import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import Database from 'better-sqlite3';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { FakeMax, type MaxPerson, type MaxSentMessage } from '../../src/sandbox/emulators/max.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';
import { ServiceProcess } from '../support/service.js';
import { MAX_WORKSPACE_BASE } from '../../src/kernel/workspace-id.js';

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
  return Number(
    max
      .buttonsOf(card)
      .find((b) => b.payload?.startsWith('adm.'))!
      .payload!.split(':')[1],
  );
}

function wallComment(text: string, from = 501): void {
  const post = vk.addPost({ text: 'Новости района' });
  vk.commentArrives({ post_id: post.id, from_id: from, text });
}

/** The service's HTTP port (PORT=0: the one it logged when ready). */
function servicePort(): number {
  const lines = service.logs.split('\n').filter((l) => l.includes('otklik: ready'));
  return Number(/"port":(\d+)/.exec(lines[lines.length - 1]!)![1]);
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
    // A photo for the answer, sent in MAX: it goes with the draft and is published to VK.
    const p = added();
    max.userSendsPhoto(executor, Buffer.from('photo of the yard'));
    await waitFor(() => added() > p, { timeoutMs: 10_000, message: 'the photo taken' });
    const n = added();
    max.userSendsText(executor, 'Мусор вывезут сегодня до 18:00.');
    await waitFor(() => added() > n, { timeoutMs: 10_000, message: 'the draft taken' });
    await press(executor, btn('ex.send', id));
    await waitFor(() => status(id) === 'on_approval', { timeoutMs: 10_000, message: 'on approval' });
    await press(admin, btn('ap.ok', id));
    await waitFor(() => status(id) === 'approved', { timeoutMs: 10_000, message: 'approved' });
    await press(admin, btn('ap.pub', id));
    await waitFor(() => status(id) === 'published', { timeoutMs: 15_000, message: 'published' });
    const answer = vk.calls('wall.createComment').filter((c) => c.params.message === 'Мусор вывезут сегодня до 18:00.');
    expect(answer).toHaveLength(1);
    expect(answer[0]!.params.attachments).toMatch(/^photo-?\d+_\d+/);
    // The administrator saw the photo before approving it: an image in his MAX chat.
    expect(max.messagesTo(admin.user_id).some((m) => m.attachments.some((a) => a.type === 'image'))).toBe(true);
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

  it('the monthly report asked for in MAX arrives there: the summary, the workbook uploaded as a file and the chart as an image', async () => {
    const images = () => max.messagesTo(admin.user_id).filter((m) => m.attachments.some((a) => a.type === 'image')).length;
    const imagesBefore = images();
    max.userSendsText(admin, '/report 2025-02');
    const file = await max.waitForMessage(admin.user_id, (m) => m.attachments.some((a) => a.type === 'file'), 30_000);
    expect(file.attachments.find((a) => a.type === 'file')).toMatchObject({ filename: expect.stringMatching(/\.xlsx$/) });
    // The chart: a new image (the first test left one in his chat already).
    await waitFor(() => images() > imagesBefore, { timeoutMs: 10_000, message: 'the chart' });
    expect(
      max
        .calls('POST /uploads')
        .map((c) => c.query.type)
        .sort(),
    ).toEqual(['file', 'image']);
  }, 60_000);

  it('an invite made in MAX carries a MAX deep link; a new person opening it in MAX (bot_started with the payload) joins the workspace there', async () => {
    max.userSendsText(admin, '/invite');
    // The first role offered, the administrator, needs no department.
    await press(admin, /^inv\.role:/, 10_000);
    const created = await max.waitForMessage(admin.user_id, /max\.ru\/otklik_max_bot\?start=/, 10_000);
    const token = /max\.ru\/otklik_max_bot\?start=([\w-]+)/.exec(created.text)![1]!;
    expect(created.text).toContain(`t.me/`);
    const newbie: MaxPerson = { user_id: 300077, name: 'Новый Сотрудник' };
    max.userStartsBot(newbie, token);
    await max.waitForMessage(newbie.user_id, /Добро пожаловать/, 10_000);
    expect(q<{ active: number }>('SELECT active FROM staff WHERE telegram_id = ?', MAX_WORKSPACE_BASE + newbie.user_id)).toMatchObject({ active: 1 });
    // The same link again, by someone else: refused.
    max.userStartsBot(stranger, token);
    await max.waitForMessage(stranger.user_id, new RegExp(`недействительна.*Ваш MAX ID: ${stranger.user_id}`, 's'), 10_000);
  }, 40_000);

  it('a comment too long for one MAX message reaches the administrator in parts under 4000 characters, the buttons on the last', async () => {
    // Longer than Telegram's 4096, so that Telegram's parts (up to 4032 characters of text each) would be too long for MAX.
    const long = `Длинное обращение про двор. ${'Во дворе не убирают снег и мусор. '.repeat(125)}`;
    expect(long.length).toBeGreaterThan(4096);
    wallComment(long);
    const part = await max.waitForMessage(admin.user_id, (m) => m.text.includes('Длинное обращение') && m.text.includes('часть 1 из'), 15_000);
    const number = /№ (\d+)/.exec(part.text)![1]!;
    const card = await max.waitForMessage(admin.user_id, (m) => m.text.includes(`№ ${number}`) && max.buttonsOf(m).some((b) => b.payload?.startsWith('adm.')), 15_000);
    expect(max.buttonsOf(part)).toEqual([]);
    const id = Number(
      max
        .buttonsOf(card)
        .find((b) => b.payload?.startsWith('adm.'))!
        .payload!.split(':')[1],
    );
    expect(status(id)).toBe('new');
    expect(max.calls('POST /messages').every((c) => String((c.body as { text?: string }).text ?? '').length <= 4000)).toBe(true);
    expect(max.calls().filter((c) => (c.status ?? 200) >= 400)).toEqual([]);
  }, 30_000);

  let second: number;

  it('a stranger in MAX is refused with his MAX id; his forged press on a card and a staff member pressing what is not his change nothing', async () => {
    max.userStartsBot(stranger);
    await max.waitForMessage(stranger.user_id, new RegExp(`Ваш MAX ID: ${stranger.user_id}`), 10_000);
    wallComment('Не горят фонари на ул. Ленина');
    second = await caseFromCard('Не горят фонари');
    const card = findButton(admin, new RegExp(`^adm\\.assign:${second}:`))!;
    const forged = max.userPresses(stranger, card.payload, card.message.mid);
    await waitFor(() => max.answersTo(forged.callbackId).length > 0, { timeoutMs: 10_000, message: 'the refusal of the forged press' });
    expect(max.answersTo(forged.callbackId)[0]!.notification).toMatch(/MAX ID/);
    // A staff member without the role: the executor presses the administrator's button.
    const wrong = max.userPresses(executor, card.payload, card.message.mid);
    await waitFor(() => max.answersTo(wrong.callbackId).length > 0, { timeoutMs: 10_000, message: 'the refusal of the executor' });
    await expectNothingFor(() => status(second) !== 'new', 1_000);
    expect(max.messagesTo(stranger.user_id).every((m) => !m.text.includes('фонари'))).toBe(true);
  }, 40_000);

  it('restart in the middle: a press made while the service is down is handled once after the start; an update stored but not handled before a crash is handled at the next start', async () => {
    await service.stop();
    const card = findButton(admin, new RegExp(`^adm\\.assign:${second}:`))!;
    max.userPresses(admin, card.payload, card.message.mid);
    // The crash window: an update already stored (marker past it) but not handled yet.
    const d = new Database(service.dbPath);
    try {
      const update = {
        update_type: 'message_created',
        timestamp: Date.now(),
        message: {
          sender: { user_id: admin.user_id, name: admin.name, first_name: 'Анна', username: null, is_bot: false, last_activity_time: Date.now() },
          recipient: { chat_id: 1, chat_type: 'dialog', user_id: null, post_id: null },
          timestamp: Date.now(),
          body: { mid: 'mid.stored-before-crash', seq: 1, text: '/help' },
        },
      };
      d.prepare('INSERT INTO max_updates (update_key, "update", received_at) VALUES (?, ?, ?)').run('msg:mid.stored-before-crash', JSON.stringify(update), Date.now());
    } finally {
      d.close();
    }
    const helpBefore = max.messagesTo(admin.user_id).length;
    await startService();
    await waitFor(() => status(second) === 'assigned', { timeoutMs: 15_000, message: 'the press made while down' });
    await waitFor(() => q<{ n: number }>('SELECT count(*) AS n FROM max_updates WHERE handled_at IS NULL').n === 0, { timeoutMs: 10_000, message: 'every stored update handled' });
    expect(max.messagesTo(admin.user_id).length).toBeGreaterThan(helpBefore);
    // Once: the department head got one designation card for the case, and a second restart adds nothing.
    await waitFor(() => findButton(deptHead, new RegExp(`^dh\\.des:${second}:`)) !== null, { timeoutMs: 10_000, message: 'the designation card' });
    const events = () => q<{ n: number }>('SELECT count(*) AS n FROM audit_events WHERE case_id = ?', second).n;
    const before = { events: events(), toHead: max.messagesTo(deptHead.user_id).length };
    await service.stop();
    await startService();
    await expectNothingFor(() => events() !== before.events || max.messagesTo(deptHead.user_id).length !== before.toHead, 2_000);
  }, 60_000);

  it('a MAX outage holds neither Telegram nor VK: the administrator in Telegram gets the new case and assigns it, the author is acknowledged in VK; the MAX cards arrive after recovery', async () => {
    max.setDown(true);
    wallComment('Затопило подвал дома 9');
    const card = await tg.waitForMessage(switcher.telegramId, (m) => (m.text ?? '').includes('Затопило подвал') && tg.buttonsOf(m).some((b) => b.callback_data?.startsWith('adm.assign')), 15_000);
    const assign = tg.buttonsOf(card).find((b) => b.callback_data?.startsWith('adm.assign'))!.callback_data!;
    const id = Number(assign.split(':')[1]);
    const acknowledged = () => vk.calls('wall.createComment').filter((c) => c.params.post_id !== undefined).length;
    const before = acknowledged();
    tg.userPressesButton({ id: switcher.telegramId, first_name: 'Дарья' }, card, assign);
    await waitFor(() => status(id) === 'assigned', { timeoutMs: 10_000, message: 'assigned from Telegram during the MAX outage' });
    await waitFor(() => acknowledged() > before, { timeoutMs: 15_000, message: 'the acknowledgement to the author in VK during the MAX outage' });
    expect(max.messagesTo(admin.user_id).some((m) => m.text.includes('Затопило подвал'))).toBe(false);
    expect(q<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE channel = 'max' AND status = 'pending'").n).toBeGreaterThan(0);
    const ready = async () => (await (await fetch(`http://127.0.0.1:${servicePort()}/ready`)).json()) as { ready: boolean; max: { reachable?: boolean } };
    await waitFor(async () => (await ready()).max.reachable === false, { timeoutMs: 10_000, message: '/ready: MAX unreachable' });
    max.setDown(false);
    await max.waitForMessage(admin.user_id, (m) => m.text.includes('Затопило подвал'), 40_000);
    await waitFor(async () => (await ready()).max.reachable === true, { timeoutMs: 10_000, message: '/ready: MAX reachable again' });
    await waitFor(() => findButton(deptHead, new RegExp(`^dh\\.des:${id}:`)) !== null, { timeoutMs: 40_000, message: 'the designation card in MAX after recovery' });
  }, 90_000);

  it('access ended: the executor removed from the file loses his MAX cards (edited to the neutral text, buttons gone)', async () => {
    // His case cards (the draft's own messages are not cards: they are not retired, as in Telegram).
    const mids = max
      .messagesTo(executor.user_id)
      .filter((m) => /Обращение №/.test(m.text))
      .map((m) => m.mid);
    expect(mids.length).toBeGreaterThan(0);
    await service.stop();
    writeFileSync(service.configPath, orgYaml({ withoutExecutor: true }));
    await startService();
    await waitFor(() => mids.every((mid) => /Доступ к обращениям закрыт/.test(max.message(mid)!.text)), {
      timeoutMs: 20_000,
      message: 'his cards retired',
    });
    for (const mid of mids) expect(max.buttonsOf(max.message(mid)!)).toEqual([]);
    for (const mid of mids) expect(max.message(mid)!.text).not.toContain('не вывозят мусор');
  }, 60_000);

  it('switching messenger: the administrator moved from Telegram to MAX keeps his staff row; his Telegram cards are retired and new cases reach him in MAX', async () => {
    const row = () =>
      q<{ id: number; telegram_id: number; telegram_user_id: number | null; max_user_id: number | null }>(
        'SELECT id, telegram_id, telegram_user_id, max_user_id FROM staff WHERE max_user_id = ?',
        switcher.max.user_id,
      );
    const before = row();
    expect(before.telegram_id).toBe(switcher.telegramId);
    const tgCards = withDb((d) => d.prepare('SELECT message_ids FROM case_cards WHERE chat_id = ?').all(switcher.telegramId) as { message_ids: string }[]).flatMap(
      (r) => JSON.parse(r.message_ids) as number[],
    );
    expect(tgCards.length).toBeGreaterThan(0);
    const tgText = (id: number) => tg.allMessages(switcher.telegramId).find((m) => m.message_id === id)?.text ?? '';
    await service.stop();
    writeFileSync(service.configPath, orgYaml({ withoutExecutor: true, switcherIn: 'max' }));
    await startService();
    const after = row();
    expect(after.id).toBe(before.id);
    expect(after.telegram_user_id).toBe(switcher.telegramId);
    await waitFor(() => tgCards.every((id) => /Доступ к обращениям закрыт/.test(tgText(id))), { timeoutMs: 20_000, message: () => `his Telegram cards retired: ${tgCards.map(tgText).join(' | ')}` });
    wallComment('Сломана скамейка в сквере');
    await max.waitForMessage(switcher.max.user_id, (m) => m.text.includes('Сломана скамейка') && max.buttonsOf(m).some((b) => b.payload?.startsWith('adm.')), 15_000);
    await expectNothingFor(() => tg.messagesTo(switcher.telegramId).some((m) => (m.text ?? '').includes('Сломана скамейка')), 1_000);
  }, 60_000);
  it('/messenger moves the workspace back after a confirmation: his MAX cards are retired, Telegram greets him, a stranger cannot press it', async () => {
    const maxCards = withDb((d) => d.prepare('SELECT message_ids FROM case_cards WHERE chat_id = ?').all(MAX_WORKSPACE_BASE + switcher.max.user_id) as { message_ids: string }[]).flatMap(
      (r) => JSON.parse(r.message_ids) as number[],
    );
    expect(maxCards.length).toBeGreaterThan(0);
    const mids = withDb((d) => maxCards.map((id) => (d.prepare('SELECT mid FROM max_messages WHERE id = ?').get(id) as { mid: string }).mid));
    max.userSendsText(switcher.max, '/messenger');
    const question = await max.waitForMessage(switcher.max.user_id, /Перенести рабочее место в Telegram/, 10_000);
    const payload = max.buttonsOf(question)[0]!.payload!;
    const forged = max.userPresses(stranger, payload, question.mid);
    await waitFor(() => max.answersTo(forged.callbackId).length > 0, { timeoutMs: 10_000, message: 'the stranger refused' });
    max.userPresses(switcher.max, payload, question.mid);
    await tg.waitForMessage(switcher.telegramId, /ваше рабочее место теперь здесь/, 10_000);
    expect(q<{ telegram_id: number }>('SELECT telegram_id FROM staff WHERE max_user_id = ?', switcher.max.user_id).telegram_id).toBe(switcher.telegramId);
    await waitFor(() => mids.every((mid) => /Доступ к обращениям закрыт/.test(max.message(mid)!.text)), { timeoutMs: 15_000, message: 'his MAX cards retired' });
  }, 40_000);
});

describe('the MAX staff bot by webhook', () => {
  it('with MAX_WEBHOOK_URL the service subscribes with its secret, handles what MAX posts, and refuses a post without the right X-Max-Bot-Api-Secret', async () => {
    const port = await freePort();
    const secret = `whsec_${randomBytes(12).toString('hex')}`;
    const url = `http://127.0.0.1:${port}/max/hook`;
    const max2 = await new FakeMax({ token: `max-${randomBytes(16).toString('hex')}` }).start();
    const svc = new ServiceProcess({
      telegram: tg,
      orgYaml: orgYaml(),
      env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', LOG_LEVEL: 'info', MAX_BOT_TOKEN: max2.token, MAX_API_ROOT: max2.url, MAX_WEBHOOK_URL: url, MAX_WEBHOOK_SECRET: secret, PORT: String(port) },
    });
    try {
      await svc.start();
      await waitFor(() => max2.subscriptions.length === 1, { timeoutMs: 10_000, message: 'the subscription' });
      expect(max2.subscriptions[0]).toMatchObject({ url, secret });
      max2.userStartsBot(admin);
      await max2.waitForMessage(admin.user_id, /Вы вошли как: администратор/, 10_000);
      // A forged post: no secret, a wrong secret — refused before the body is read, nothing stored.
      const forged = {
        update_type: 'bot_started',
        timestamp: Date.now(),
        chat_id: 1,
        user: { user_id: stranger.user_id, name: 'x', first_name: 'x', username: null, is_bot: false, last_activity_time: 0 },
      };
      const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(forged) });
      expect((await post({})).status).toBe(401);
      expect((await post({ 'X-Max-Bot-Api-Secret': `${secret}x` })).status).toBe(401);
      const stored = new Database(svc.dbPath, { readonly: true });
      try {
        expect((stored.prepare('SELECT count(*) AS n FROM max_updates WHERE update_key LIKE ?').get(`start:${stranger.user_id}:%`) as { n: number }).n).toBe(0);
      } finally {
        stored.close();
      }
      expect(max2.calls('GET /updates')).toEqual([]);
    } finally {
      await svc.dispose();
      await max2.stop();
    }
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
