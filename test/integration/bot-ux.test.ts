import { describe, expect, it } from 'vitest';
import { FakeTelegram, type ChatMessage } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { CITIZEN, serviceHarness } from '../support/harness.js';
import { ServiceProcess, organizationYaml, people } from '../support/service.js';
import { waitFor as waitForProbe } from '../../src/sandbox/emulators/wait.js';
import { readDb } from './bot-admin-helpers.js';

/**
 * The tests share one service and run in order (later ones use the cases and the absence earlier ones made).
 *
 * The workspace as staff use it day to day, through the running service and the fake Bot API: the
 * decision buttons under the draft itself, notices that open their case, long lists that page, /help
 * per role, the question before a pasted link becomes a case.
 */

const waitFor = <T>(probe: () => T | undefined | null | false, timeoutMs = 10_000) => waitForProbe(probe, { timeoutMs });
type User = { id: number; first_name: string };

/** 60 more executors in the housing department, so /staff must page. */
const MANY = Array.from({ length: 60 }, (_, i) => `  - { telegramId: ${200000 + i}, name: Сотрудник${String(i + 1).padStart(2, '0')} А.Б., roles: [executor], department: zhkh }`).join('\n');

function setup() {
  const orgYaml = organizationYaml({ regulation: 'kanash-2020' }).replace('outsideBodies:', `${MANY}\noutsideBodies:`);
  return serviceHarness({ orgYaml, env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', LOG_LEVEL: 'info' }, vkUsers: [CITIZEN] });
}

const status = (service: ServiceProcess, caseId: number) => readDb<{ status: string }>(service.dbPath, 'SELECT status FROM cases WHERE id = ?', caseId)[0]!.status;
const texts = (tg: FakeTelegram, user: User) => tg.messagesTo(user.id).map((m) => m.text ?? '');

/** The latest bot message to `user` that satisfies `pred`, once it has a button whose data matches. */
async function messageWithButton(tg: FakeTelegram, user: User, pred: (m: ChatMessage) => boolean, data: RegExp): Promise<{ message: ChatMessage; data: string }> {
  let found: { message: ChatMessage; data: string } | null = null;
  await waitFor(() => {
    for (const m of [...tg.messagesTo(user.id)].reverse()) {
      if (!pred(m)) continue;
      const b = tg.buttonsOf(m).find((x) => x.callback_data && data.test(x.callback_data));
      if (b) return (found = { message: m, data: b.callback_data! });
    }
    return false;
  });
  return found!;
}

async function pressWhere(tg: FakeTelegram, user: User, pred: (m: ChatMessage) => boolean, data: RegExp): Promise<ChatMessage> {
  const f = await messageWithButton(tg, user, pred, data);
  tg.userPressesButton(user, f.message, f.data);
  return f.message;
}

const any = () => true;
const escaped = (s: string) => new RegExp('^' + s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

async function newCase(h: { tg: FakeTelegram; vk: FakeVk }, text: string): Promise<{ id: number; postId: number; commentId: number }> {
  const post = h.vk.addPost({ text: 'Новости города' });
  const { comment } = h.vk.commentArrives({ post_id: post.id, from_id: CITIZEN.id, text });
  const card = await h.tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes(text), 15_000);
  const data = h.tg.buttonsOf(card).find((b) => b.callback_data?.startsWith('adm.'))!.callback_data!;
  return { id: Number(data.split(':')[1]), postId: post.id, commentId: comment.id };
}

describe('the workspace in daily use (Канаш)', () => {
  const h = setup();
  const { admin, executor, deptHead } = people;

  /** Assigns the case to the housing department, its executor accepts and sends `draft`: К11 review next. */
  async function toDepartmentReview(id: number, draft: string): Promise<void> {
    const card = [...h.tg.messagesTo(admin.id)].reverse().find((m) => h.tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`adm.`) && b.callback_data.split(':')[1] === String(id)))!;
    h.tg.userSendsCallback(admin, `adm.assign:${id}:0-0`, card.message_id, admin.id);
    await waitFor(() => status(h.service, id) === 'assigned');
    await pressWhere(h.tg, deptHead, any, new RegExp(`^dh\\.des:${id}:`));
    await pressWhere(h.tg, executor, any, escaped(`ex.acc:${id}:`));
    await waitFor(() => status(h.service, id) === 'in_work');
    await pressWhere(h.tg, executor, any, escaped(`ex.draft:${id}`));
    const acks = h.tg.messagesTo(executor.id).filter((m) => /Добавлено в проект/.test(m.text ?? '')).length;
    h.tg.userSendsText(executor, draft);
    await waitFor(() => h.tg.messagesTo(executor.id).filter((m) => /Добавлено в проект/.test(m.text ?? '')).length > acks);
    await pressWhere(h.tg, executor, any, escaped(`ex.send:${id}`));
    await waitFor(() => status(h.service, id) === 'dept_review');
  }

  it('the department head and the administrator decide with the buttons under the draft itself', async () => {
    const { id } = await newCase(h, 'Не убирают снег во дворе дома 7');
    await toDepartmentReview(id, 'Двор очистят от снега до пятницы.');

    // The department head reads the draft at the bottom of his chat; the buttons are right under it.
    const isDraft = (m: ChatMessage) => (m.text ?? '').includes('Двор очистят от снега до пятницы.');
    const underDraft = await pressWhere(h.tg, deptHead, isDraft, escaped(`dh.ok:${id}`));
    expect(h.tg.messagesTo(deptHead.id).at(-1)!.message_id).toBe(underDraft.message_id);
    await waitFor(() => status(h.service, id) === 'on_approval');

    // So does the administrator: «Утвердить / На доработку» under the draft, not only on the card far above.
    const adminDraft = await messageWithButton(h.tg, admin, isDraft, escaped(`ap.ok:${id}`));
    expect(h.tg.buttonsOf(adminDraft.message).map((b) => b.callback_data)).toEqual([`ap.ok:${id}`, `ap.rw:${id}`]);
    h.tg.userPressesButton(admin, adminDraft.message, adminDraft.data);
    await waitFor(() => status(h.service, id) === 'approved');
    // The executor's card far up was edited in place; the notice to publish opens it at the bottom.
    const toPublish = await h.tg.waitForMessage(executor.id, /опубликуйте согласованный ответ/, 10_000);
    expect(h.tg.buttonsOf(toPublish).map((b) => b.callback_data)).toEqual([`case.open:${id}`]);
    // What the executor typed into his draft was placed: no «не понял» answer.
    expect(texts(h.tg, executor).some((t) => /не понял/.test(t))).toBe(false);
  }, 90_000);

  it('a notice about a case (the author edited his comment) carries a button that opens the case', async () => {
    const { id, postId, commentId } = await newCase(h, 'Темно на остановке Школьная');
    h.vk.pushEvent('wall_reply_edit', h.vk.wallReplyEdit({ id: commentId, post_id: postId, from_id: CITIZEN.id, text: 'Темно на остановке Школьная, фонарь разбит' }));
    const notice = await h.tg.waitForMessage(admin.id, (m) => /изменил сообщение/.test(m.text ?? '') && (m.text ?? '').includes('фонарь разбит'), 15_000);
    const open = h.tg.buttonsOf(notice).find((b) => b.callback_data === `case.open:${id}`);
    expect(open).toBeDefined();
    const before = h.tg.messagesTo(admin.id).length;
    h.tg.userPressesButton(admin, notice, open!.callback_data!);
    // The card arrives fresh at the bottom of the chat, with its triage buttons.
    await waitFor(() =>
      h.tg
        .messagesTo(admin.id)
        .slice(before)
        .some((m) => (m.text ?? '').includes('Темно на остановке') && h.tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`adm.`))),
    );
    // A forged press about a case this person may not see changes nothing and says so.
    h.tg.userSendsCallback(executor, `case.open:${id}`);
    await waitFor(() => h.tg.callbackAnswers().some((a) => a.userId === executor.id && a.data === `case.open:${id}` && a.show_alert === true));
    expect(texts(h.tg, executor).some((t) => t.includes('Темно на остановке'))).toBe(false);
  }, 60_000);

  it('an approved answer for a network without an API is offered to publish by hand, not reported as a failure', async () => {
    h.tg.userSendsText(admin, 'В подъезде дома 3 не горит свет\nhttps://ok.ru/group/5/topic/900');
    const ask = await h.tg.waitForMessage(admin.id, (m) => /Зарегистрировать как обращение\?/.test(m.text ?? '') && (m.text ?? '').includes('topic/900'), 10_000);
    h.tg.userPressesButton(admin, ask, '✅ Да, зарегистрировать');
    const card = await h.tg.waitForMessage(admin.id, (m) => (m.text ?? '').includes('В подъезде дома 3 не горит свет') && h.tg.buttonsOf(m).some((b) => b.callback_data?.startsWith('adm.')), 15_000);
    const id = Number(
      h.tg
        .buttonsOf(card)
        .find((b) => b.callback_data?.startsWith('adm.'))!
        .callback_data!.split(':')[1],
    );
    const number = Number(/Обращение № (\d+)/.exec(card.text!)![1]);
    await toDepartmentReview(id, 'Свет в подъезде починят завтра.');
    // The author is unknown: the executor's draft screen does not read «Что спрашивает автор не указан».
    expect(texts(h.tg, executor).some((t) => /Что спрашивает/.test(t) && /автор не указан/.test(t))).toBe(false);
    expect(texts(h.tg, executor).some((t) => /Вопрос автора/.test(t) && t.includes('В подъезде дома 3'))).toBe(true);
    await pressWhere(h.tg, deptHead, any, escaped(`dh.ok:${id}`));
    await pressWhere(h.tg, admin, any, escaped(`ap.ok:${id}`));
    await waitFor(() => status(h.service, id) === 'approved');
    await pressWhere(h.tg, executor, any, escaped(`ex.pub:${id}`));

    const offer = await h.tg.waitForMessage(admin.id, new RegExp(`Ответ по обращению № ${number} утверждён`), 30_000);
    expect(offer.text).toContain('Одноклассники — сеть без подключения к сервису');
    expect(offer.text).toContain('Где опубликовать: https://ok.ru/group/5/topic/900');
    expect(offer.text).toContain('Свет в подъезде починят завтра.');
    expect(texts(h.tg, admin).some((t) => /не опубликован/.test(t) && t.includes(`№ ${number}`))).toBe(false);
    expect(offer.text).not.toMatch(/: ok\b/);
    h.tg.userPressesButton(admin, offer, '✅ Опубликовал вручную');
    const linkAsk = await h.tg.waitForMessage(admin.id, /Пришлите ссылку/, 10_000);
    h.tg.userPressesButton(admin, linkAsk, 'Без ссылки');
    await waitFor(() => status(h.service, id) === 'published');
  }, 90_000);

  /** Pages a list from its first message to the last page with ▶; returns the text of every page. */
  async function pageThrough(user: User, first: ChatMessage, next: RegExp): Promise<string[]> {
    const pages = [first.text ?? ''];
    let m = first;
    for (let guard = 0; guard < 20; guard++) {
      const b = h.tg.buttonsOf(m).find((x) => x.callback_data && next.test(x.callback_data) && /▶/.test(x.text));
      if (!b) break;
      const before = m.text;
      h.tg.userPressesButton(user, m, b.callback_data!);
      await waitFor(() => h.tg.messagesTo(user.id).find((x) => x.message_id === m.message_id && x.text !== before));
      m = h.tg.messagesTo(user.id).find((x) => x.message_id === m.message_id)!;
      pages.push(m.text ?? '');
    }
    return pages;
  }

  it('/staff with 67 people pages with ◀ ▶ and every person is on a page, with his button for the administrator', async () => {
    h.tg.userSendsText(admin, '/staff');
    const first = await h.tg.waitForMessage(admin.id, /Сотрудники \(активных: 67\)/, 10_000);
    const pages = await pageThrough(admin, first, /^stf\.list:/);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const p of pages) expect(p.length).toBeLessThan(4096);
    const all = pages.join('\n');
    for (let i = 1; i <= 60; i++) expect(all).toContain(`Сотрудник${String(i).padStart(2, '0')} А.Б.`);
    expect(all).toContain('Петров П.П.');
    expect(pages.at(-1)).toMatch(new RegExp(`Страница ${pages.length} из ${pages.length}`));
    // The last page: a button per person shown on it, and ◀ back.
    const last = h.tg.messagesTo(admin.id).find((x) => x.message_id === first.message_id)!;
    const buttons = h.tg.buttonsOf(last);
    expect(buttons.some((b) => /◀/.test(b.text) && b.callback_data === `stf.list:0:${pages.length - 2}`)).toBe(true);
    expect(buttons.filter((b) => b.callback_data?.startsWith('stf.p:')).length).toBeGreaterThan(0);
  }, 60_000);

  // After this test the administrator is away (his new cards go to his substitute).
  it('the only administrator names a substitute: the choice lists everyone, in pages', async () => {
    h.tg.userSendsText(admin, '/away');
    const ask = await h.tg.waitForMessage(admin.id, /На сколько дней вы отсутствуете/, 10_000);
    h.tg.userPressesButton(admin, ask, '3');
    await waitFor(() => /Кто замещает/.test(h.tg.messagesTo(admin.id).find((x) => x.message_id === ask.message_id)!.text ?? ''));
    const choice = h.tg.messagesTo(admin.id).find((x) => x.message_id === ask.message_id)!;
    const pages = await pageThrough(admin, choice, /^stf\.awd:/);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.join('\n')).toContain('Кисина С.О.');
    const now = h.tg.messagesTo(admin.id).find((x) => x.message_id === ask.message_id)!;
    const pick = h.tg.buttonsOf(now).find((b) => b.callback_data?.startsWith('stf.aws:') && !b.callback_data.endsWith('.0'))!;
    h.tg.userPressesButton(admin, now, pick.callback_data!);
    await waitFor(() => /Замещает: /.test(h.tg.messagesTo(admin.id).find((x) => x.message_id === ask.message_id)!.text ?? ''));
    const row = readDb<{ substitute_id: number | null }>(h.service.dbPath, 'SELECT substitute_id FROM absences ORDER BY id DESC LIMIT 1')[0]!;
    expect(row.substitute_id).toBe(Number(pick.callback_data!.split('.').at(-1)));
    h.tg.userSendsText(admin, '/cancel');
  }, 60_000);

  it('/queue and /find page through 20 cases', async () => {
    for (let i = 1; i <= 20; i++) {
      const post = h.vk.addPost({ text: `Новость ${i}` });
      h.vk.commentArrives({ post_id: post.id, from_id: CITIZEN.id, text: `Сугроб во дворе дома ${i}` });
    }
    await waitFor(() => readDb<{ n: number }>(h.service.dbPath, `SELECT count(*) AS n FROM messages WHERE text LIKE 'Сугроб во дворе%'`)[0]!.n === 20, 20_000);
    h.tg.userSendsText(admin, '/find сугроб во дворе');
    const found = await h.tg.waitForMessage(admin.id, /Найдено: 20 обращений/, 10_000);
    const pages = await pageThrough(admin, found, /^vw\.f:/);
    expect(pages).toHaveLength(2);
    expect(pages.join('\n').match(/\/case_\d+/g)).toHaveLength(20);

    h.tg.userSendsText(admin, '/queue');
    const queue = await h.tg.waitForMessage(admin.id, /Ждёт вас: \d+ обращени/, 10_000);
    const qPages = await pageThrough(admin, queue, /^vw\.q:/);
    const total = Number(/Ждёт вас: (\d+)/.exec(queue.text!)![1]);
    expect(total).toBeGreaterThan(20);
    expect(qPages.length).toBeGreaterThan(1);
    expect(qPages.join('\n').match(/\/case_\d+/g)).toHaveLength(total);
  }, 90_000);

  it('/help as each role says what that role does here, with the commands, and opens its page of the guide', async () => {
    const cases: Array<[User, RegExp, RegExp, string]> = [
      [admin, /Как куратор \(начальник отдела информатизации\)/, /\/invite/, 'Администратор (куратор)'],
      [people.coordinator, /Как управляющий делами/, /\/report/, 'Куратор (управляющий делами'],
      [people.head, /Как глава/, /\/today/, 'Глава администрации'],
      [deptHead, /Как руководитель/, /Назначить/, 'Руководитель подразделения'],
      [executor, /Как исполнитель/, /Написать ответ/, 'Исполнитель'],
    ];
    for (const [user, section, command, guideTitle] of cases) {
      h.tg.userSendsText(user, '/help');
      const help = await h.tg.waitForMessage(user.id, /вот что вы можете здесь делать/, 10_000);
      expect(help.text).toMatch(section);
      expect(help.text).toMatch(command);
      expect(help.text).toContain('/cancel');
      // Only his own roles: the executor is not told about /invite.
      if (user !== admin) expect(help.text).not.toContain('/invite');
      const guide = h.tg.buttonsOf(help).find((b) => b.callback_data?.startsWith('help.guide:'))!;
      expect(guide.text).toMatch(/Руководство/);
      h.tg.userPressesButton(user, help, guide.callback_data!);
      const page = await h.tg.waitForMessage(user.id, (m) => (m.text ?? '').startsWith(guideTitle), 10_000);
      expect(page.text).toMatch(/Что требует регламент/);
      expect(page.text).toMatch(/Как это делается в боте/);
    }
  }, 60_000);

  it('/start names the next step; free text, a reply to a card and an unknown command get an answer', async () => {
    h.tg.userSendsText(executor, '/start');
    const start = await h.tg.waitForMessage(executor.id, /Вы вошли как/, 10_000);
    expect(start.text).toMatch(/Что дальше: поручения будут приходить сюда/);

    const n = h.tg.messagesTo(executor.id).length;
    h.tg.userSendsText(executor, 'Добрый день, а что мне делать?');
    const answer = await waitFor(() =>
      h.tg
        .messagesTo(executor.id)
        .slice(n)
        .find((m) => /не понял/.test(m.text ?? '')),
    );
    expect(answer.text).toMatch(/\/queue/);

    h.tg.userSendsText(executor, '/foo');
    await h.tg.waitForMessage(executor.id, /Такой команды нет: \/foo/, 10_000);

    // A reply to the card of a case (one of the cards the tests above brought): the answer names the case and opens it.
    const card = [...h.tg.messagesTo(admin.id)].reverse().find((m) => /📨 Обращение № \d+/.test(m.text ?? ''))!;
    const number = Number(/Обращение № (\d+)/.exec(card.text!)![1]);
    h.tg.userSendsText(admin, 'Это уже решили?', { replyTo: card.message_id });
    const reply = await h.tg.waitForMessage(admin.id, new RegExp(`Чтобы ответить по обращению № ${number}`), 10_000);
    expect(h.tg.buttonsOf(reply).some((b) => b.callback_data?.startsWith('case.open:'))).toBe(true);
  }, 60_000);

  it('a pasted link or a forward becomes a case only after «Да», showing what was recognised', async () => {
    const count = () => readDb<{ n: number }>(h.service.dbPath, 'SELECT count(*) AS n FROM cases')[0]!.n;
    const before = count();
    h.tg.userSendsText(admin, 'Когда починят лифт в доме 12?\nhttps://ok.ru/group/9/topic/77');
    const ask = await h.tg.waitForMessage(admin.id, (m) => /Зарегистрировать как обращение\?/.test(m.text ?? '') && (m.text ?? '').includes('topic/77'), 10_000);
    expect(ask.text).toContain('Сеть: Одноклассники');
    expect(ask.text).toContain('Автор: автор не указан');
    expect(ask.text).toContain('Текст: Когда починят лифт в доме 12?');
    expect(ask.text).toContain('Ссылка: https://ok.ru/group/9/topic/77');
    await new Promise((r) => setTimeout(r, 500));
    expect(count()).toBe(before);
    h.tg.userPressesButton(admin, ask, 'Нет');
    await waitFor(() => /Не зарегистрировано/.test(h.tg.messagesTo(admin.id).find((m) => m.message_id === ask.message_id)!.text ?? ''));
    expect(count()).toBe(before);
    // A second press of the same question changes nothing.
    h.tg.userSendsCallback(admin, `man.ok:0:${/^man\.no:0:(\d+)$/.exec(h.tg.buttonsOf(ask).find((b) => b.text === 'Нет')?.callback_data ?? 'man.no:0:0')![1]}`, ask.message_id);
    await new Promise((r) => setTimeout(r, 500));
    expect(count()).toBe(before);

    const date = Math.floor(Date.now() / 1000) - 600;
    h.tg.pushUpdate({
      message: {
        message_id: 910_001,
        date: Math.floor(Date.now() / 1000),
        chat: { id: admin.id, type: 'private', first_name: admin.first_name },
        from: { id: admin.id, is_bot: false, first_name: admin.first_name },
        forward_origin: { type: 'user', date, sender_user: { id: 777_002, is_bot: false, first_name: 'Иван', last_name: 'Зайцев' } },
        text: 'Не работает светофор на Ленина',
      },
    });
    const fwd = await h.tg.waitForMessage(admin.id, (m) => /Зарегистрировать как обращение\?/.test(m.text ?? '') && (m.text ?? '').includes('Иван Зайцев'), 10_000);
    expect(fwd.text).toContain('Сеть: Telegram');
    expect(count()).toBe(before);
    h.tg.userPressesButton(admin, fwd, '✅ Да, зарегистрировать');
    await waitFor(() => /Зарегистрировано обращение № \d+ \(Telegram\)/.test(h.tg.messagesTo(admin.id).find((m) => m.message_id === fwd.message_id)!.text ?? ''));
    expect(count()).toBe(before + 1);
    const m = readDb<{ author_name: string; network: string }>(h.service.dbPath, 'SELECT author_name, network FROM messages ORDER BY id DESC LIMIT 1')[0]!;
    expect(m).toEqual({ author_name: 'Иван Зайцев', network: 'telegram' });
  }, 60_000);

  it('/report without a month offers the last months as buttons and shows «отправляет файл…» while building', async () => {
    h.tg.userSendsText(people.coordinator, '/report');
    const ask = await h.tg.waitForMessage(people.coordinator.id, /За какой месяц сводка/, 10_000);
    const labels = h.tg.buttonsOf(ask).map((b) => b.text);
    expect(labels).toEqual(['Февраль 2025', 'Январь 2025', 'Декабрь 2024', 'Ноябрь 2024', 'Октябрь 2024', 'Сентябрь 2024']);
    h.tg.userPressesButton(people.coordinator, ask, 'Февраль 2025');
    const doc = await h.tg.waitForCall('sendDocument', (c) => c.params.chat_id === people.coordinator.id && c.outcome === 'ok', 20_000);
    expect(doc.params.caption).toBe('Сводка за февраль 2025');
    const action = h.tg.calls('sendChatAction').find((c) => c.params.chat_id === people.coordinator.id);
    expect(action?.params.action).toBe('upload_document');
    expect(action!.seq).toBeLessThan(doc.seq);
    const photo = await h.tg.waitForCall('sendPhoto', (c) => c.params.chat_id === people.coordinator.id && c.outcome === 'ok', 20_000);
    expect(photo.params.caption).toBe('Сводка за февраль 2025');
    // The summary message says its durations are working time.
    await h.tg.waitForMessage(people.coordinator.id, /Сводная информация[\s\S]*в рабочих часах/, 10_000);
    // Someone the regulation does not name gets a refusal, not a report.
    h.tg.userSendsCallback(executor, 'rep.m:0:2025-02');
    await waitFor(() => h.tg.callbackAnswers().some((a) => a.userId === executor.id && a.data === 'rep.m:0:2025-02' && a.show_alert === true));
  }, 60_000);

  it('command menus: nothing is sent for the 60 people who never wrote (no failures for the administrator); writing once sets the menu', async () => {
    const never = (c: { params: Record<string, unknown> }) => {
      const scope = c.params.scope as { chat_id?: number } | undefined;
      return scope?.chat_id !== undefined && scope.chat_id >= 200000 && scope.chat_id < 200060;
    };
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.tg.calls('setMyCommands').filter(never)).toEqual([]);
    expect(texts(h.tg, admin).some((t) => /Не удалось выполнить/.test(t))).toBe(false);
    const newcomer = { id: 200007, first_name: 'Сотрудник08' };
    expect(h.tg.commands({ type: 'chat', chat_id: newcomer.id })).toBeUndefined();
    h.tg.userSendsText(newcomer, 'Здравствуйте');
    await waitFor(() => h.tg.commands({ type: 'chat', chat_id: newcomer.id }));
    const menu = (h.tg.commands({ type: 'chat', chat_id: newcomer.id }) as { command: string }[]).map((c) => c.command);
    expect(menu).toEqual(expect.arrayContaining(['queue', 'help', 'cancel']));
    expect(menu).not.toContain('invite');
    // His free text still gets its answer.
    await h.tg.waitForMessage(newcomer.id, /не понял/, 10_000);
  }, 30_000);
});
