import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { FakeTelegram, type ChatMessage, type TgUser } from '../../src/sandbox/emulators/telegram.js';
import { CITIZEN, serviceHarness, vkCase } from '../support/harness.js';
import { ServiceProcess, people } from '../support/service.js';
import { waitFor, expectNothingFor } from '../../src/sandbox/emulators/wait.js';
import { answerOf, buttonShown, press, readDb, waitForEdit } from './bot-admin-helpers.js';

/**
 * Workspace flows not covered by the other bot suites, through the running service and the fake Bot
 * API (and FakeVk with the administrator's user token), for both presets: the administrator reassigns
 * after a return (К9: within 15 minutes; А: no window), typed topic and location and the assignment's
 * note, a card that grows past 4096 characters, a conversation that went stale, /cancel, a forwarded
 * message, /find in any letter case, /staff (role change → menu, absence with a substitute, deactivation),
 * and in Ахты the ban (groups.ban with end_date), the urgent push to the head, the extension (А7.9).
 */
const { admin, executor, deptHead, head, coordinator } = people;
const AUTHOR = CITIZEN.id;

function one<T>(dbPath: string, sql: string, ...args: unknown[]): T {
  return readDb<T>(dbPath, sql, ...args)[0]!;
}

function setup(regulation: 'kanash-2020' | 'akhty-2021', extra = '') {
  return serviceHarness({ regulation, extra, env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' }, vkUserToken: true, vkUsers: [CITIZEN] });
}

const status = (h: { service: ServiceProcess }, id: number) => one<{ status: string }>(h.service.dbPath, 'SELECT status FROM cases WHERE id = ?', id).status;

/** The live card of case `id` in a chat (the one whose buttons are about it, or whose title names it). */
function cardIn(tg: FakeTelegram, chatId: number, number: number): ChatMessage | undefined {
  return [...tg.messagesTo(chatId)].reverse().find((m) => (m.text ?? '').includes(`Обращение № ${number} ·`) && !/часть \d+ из/.test(m.text ?? ''));
}

async function cardOf(tg: FakeTelegram, chatId: number, number: number): Promise<ChatMessage> {
  return waitFor(() => cardIn(tg, chatId, number), { timeoutMs: 15_000, message: () => `card № ${number} in chat ${chatId}` });
}

/** The administrator sends the case to one department through the picker on the card. */
async function assignTo(h: { tg: FakeTelegram; service: ServiceProcess }, card: ChatMessage, id: number, department: RegExp): Promise<void> {
  await press(h.tg, admin, card, 'Направить в подразделения');
  await press(h.tg, admin, card, department);
  await press(h.tg, admin, card, /Направить \(1/);
  await waitFor(() => status(h, id) === 'assigned', { timeoutMs: 10_000 });
}

async function designate(tg: FakeTelegram, who: TgUser, number: number, name: string): Promise<void> {
  const card = await cardOf(tg, who.id, number);
  await press(tg, who, card, `Назначить: ${name}`, 15_000);
}

for (const regulation of ['kanash-2020', 'akhty-2021'] as const) {
  describe(`workspace flows (${regulation})`, () => {
    const h = setup(regulation);

    it('the administrator reassigns after the executor returned, pressing the buttons on the card (К9: 15 minutes; А: no window)', async () => {
      const { card, id, number } = await vkCase(h, 'Не горит фонарь у школы');
      // What is asked: the administrator's note, shown on the executor's card with who assigned it.
      await press(h.tg, admin, card, 'Направить в подразделения');
      await press(h.tg, admin, card, 'Что поручить');
      await h.tg.waitForMessage(admin.id, /что поручается по обращению/, 10_000);
      h.tg.userSendsText(admin, 'Проверить линию освещения и назвать срок');
      await h.tg.waitForMessage(admin.id, /Поручение сохранено/, 10_000);
      await press(h.tg, admin, card, /^Отдел ЖКХ$/);
      await press(h.tg, admin, card, /Направить \(1/);
      await waitFor(() => status(h, id) === 'assigned', { timeoutMs: 10_000 });
      await designate(h.tg, deptHead, number, 'Петров');
      const exCard = await waitFor(() => cardIn(h.tg, executor.id, number), { timeoutMs: 15_000 });
      const title = regulation === 'kanash-2020' ? 'куратор' : 'администратор';
      await waitForEdit(h.tg, exCard, new RegExp(`Поручение: Иванова А\\.П\\., ${title}`), 10_000).catch(() => undefined);
      const shown = await h.tg.waitForMessage(executor.id, (m) => m.message_id === exCard.message_id && /Что поручено: Проверить линию освещения/.test(m.text ?? ''), 10_000);
      expect(shown.text).toMatch(new RegExp(`Поручение: Иванова А\\.П\\., ${title}`));
      expect(shown.text).toContain('Назначение исполнителя: Сидоров С.С.');
      expect(shown.text).toMatch(/— до \d\d:\d\d, (пн|вт|ср|чт|пт|сб|вс) \d{1,2} (янв\.|февр\.|мар\.|апр\.|мая|июн\.|июл\.|авг\.|сент\.|окт\.|нояб\.|дек\.)/);

      await press(h.tg, executor, exCard, 'Вернуть');
      await h.tg.waitForMessage(executor.id, /причину/, 10_000);
      h.tg.userSendsText(executor, 'Освещение обслуживает дорожный отдел');
      await waitFor(() => status(h, id) === 'returned', { timeoutMs: 10_000 });

      const back = await waitForEdit(h.tg, card, /Статус: возвращено исполнителем/, 15_000);
      const reassignDeadline = readDb<{ status: string; clause: string }>(h.service.dbPath, `SELECT status, clause FROM deadlines WHERE case_id = ? AND kind = 'reassign'`, id);
      if (regulation === 'kanash-2020') {
        // К9: the curator names a new executor within 15 working minutes; the card shows that deadline.
        expect(back.text).toMatch(/назначение нового исполнителя — до 10:\d\d, пн 3 мар\. .*\(К9\)/);
        expect(reassignDeadline).toEqual([{ status: 'open', clause: 'К9' }]);
      } else {
        expect(back.text).not.toMatch(/назначение нового исполнителя/);
        expect(reassignDeadline).toEqual([]);
      }
      await press(h.tg, admin, card, 'Назначить другого исполнителя');
      await press(h.tg, admin, card, /^Отдел дорожного хозяйства$/);
      await waitFor(() => status(h, id) === 'assigned', { timeoutMs: 10_000 });
      await waitForEdit(h.tg, card, /1\. Отдел дорожного хозяйства/, 15_000);
      // The roads head designates (К7); the card reached him.
      await cardOf(h.tg, people.roadsHead.id, number);
      const rows = readDb<{ department_id: string; status: string }>(h.service.dbPath, 'SELECT department_id, status FROM assignments WHERE case_id = ? ORDER BY seq', id);
      expect(rows).toEqual([
        { department_id: 'zhkh', status: 'returned' },
        { department_id: 'roads', status: 'assigned' },
      ]);
      if (regulation === 'kanash-2020') expect(one<{ status: string }>(h.service.dbPath, `SELECT status FROM deadlines WHERE case_id = ? AND kind = 'reassign'`, id).status).toBe('met');
    }, 60_000);

    it('typed topic and location; /find matches Cyrillic in any letter case', async () => {
      const { card, number } = await vkCase(h, 'Большая ЯМА во дворе на Садовой');
      await press(h.tg, admin, card, 'Тема');
      await press(h.tg, admin, card, 'Ввести вручную');
      await h.tg.waitForMessage(admin.id, new RegExp(`тему обращения № ${number}`), 10_000);
      h.tg.userSendsText(admin, 'Дворовые территории');
      await waitForEdit(h.tg, card, /Тема: Дворовые территории/, 10_000);
      await press(h.tg, admin, card, 'Локация');
      await press(h.tg, admin, card, 'Ввести вручную');
      await h.tg.waitForMessage(admin.id, /локацию|location/i, 10_000);
      h.tg.userSendsText(admin, 'ул. Садовая, 12');
      await waitForEdit(h.tg, card, /Локация: ул\. Садовая, 12/, 10_000);

      for (const q of ['яма во дворе', 'ЯМА', 'садовой', 'ДВОРОВЫЕ']) {
        h.tg.userSendsText(admin, `/find ${q}`);
        await h.tg.waitForMessage(admin.id, (m) => /Найдено: \d+ обращени/.test(m.text ?? '') && (m.text ?? '').includes(`/case_${number} `), 10_000);
      }
      h.tg.userSendsText(admin, '/find ямка на луне');
      await h.tg.waitForMessage(admin.id, /Ничего не найдено по запросу «ямка на луне»/, 10_000);
    }, 40_000);

    it('a card that grows past 4096 characters on an edit is sent again, split, with no text lost', async () => {
      const long = `Длинное обращение про дорогу. ${'Асфальт разрушен, ямы глубокие, машины ломаются. '.repeat(66)}Конец текста.`;
      h.tg.userSendsText(admin, `${long}\nhttps://ok.ru/group/7/topic/42`);
      const ask = await h.tg.waitForMessage(admin.id, /Зарегистрировать как обращение\?[\s\S]*ok\.ru\/group\/7\/topic\/42/, 10_000);
      h.tg.userPressesButton(admin, ask, '✅ Да, зарегистрировать');
      const card = await h.tg.waitForMessage(admin.id, (m) => (m.text ?? '').includes('Конец текста.') && h.tg.buttonsOf(m).length > 0, 15_000);
      expect(card.sentText!.length).toBeLessThanOrEqual(4096);
      expect(card.sentText!.length).toBeGreaterThan(3700);
      const number = Number(/Обращение № (\d+)/.exec(card.text!)![1]);
      const id = one<{ id: number }>(h.service.dbPath, 'SELECT id FROM cases WHERE number = ?', number).id;
      // Two departments, a long note and the deadlines: the card no longer fits one message.
      await press(h.tg, admin, card, 'Направить в подразделения');
      await press(h.tg, admin, card, 'Что поручить');
      await h.tg.waitForMessage(admin.id, /что поручается по обращению/, 10_000);
      const saved = () => h.tg.messagesTo(admin.id).filter((x) => /Поручение сохранено/.test(x.text ?? '')).length;
      const savedBefore = saved();
      h.tg.userSendsText(admin, `Проверить все участки. ${'Указать сроки ремонта по каждому адресу. '.repeat(22)}`);
      await waitFor(() => saved() > savedBefore, { timeoutMs: 10_000, message: () => 'the note saved' });
      await press(h.tg, admin, card, 'Отдел дорожного хозяйства');
      await buttonShown(h.tg, card, /^1\. Отдел дорожного хозяйства ★$/);
      await press(h.tg, admin, card, /^Отдел ЖКХ$/);
      await buttonShown(h.tg, card, /^2\. Отдел ЖКХ$/);
      await press(h.tg, admin, card, /Направить \(2/);
      await waitFor(() => status(h, id) === 'assigned', { timeoutMs: 10_000 });
      const last = await h.tg.waitForMessage(
        admin.id,
        (m) => /Статус: направлено исполнителю/.test(m.text ?? '') && (m.text ?? '').includes(`Обращение № ${number} ·`) && /Текст сообщения — выше/.test(m.text ?? ''),
        15_000,
      );
      // The re-send is recorded once all parts are out, then the old message is deleted.
      const ids = await waitFor(
        () => {
          const [row] = readDb<{ message_ids: string }>(h.service.dbPath, 'SELECT message_ids FROM case_cards WHERE case_id = ? AND chat_id = ?', id, admin.id);
          const list = JSON.parse(row!.message_ids) as number[];
          const oldGone = !h.tg.messagesTo(admin.id).some((m) => m.message_id === card.message_id);
          return list.length > 1 && oldGone ? list : undefined;
        },
        { timeoutMs: 10_000, message: () => 'the card re-sent in parts and the old message deleted' },
      );
      expect(ids.at(-1)).toBe(last.message_id);
      const live = h.tg.messagesTo(admin.id).filter((m) => ids.includes(m.message_id));
      expect(live).toHaveLength(ids.length);
      for (const m of live) expect(m.sentText!.length).toBeLessThanOrEqual(4096);
      const text = live
        .slice(0, -1)
        .map((m) => m.text ?? '')
        .join(' ');
      const words = (s: string) => s.replace(/Обращение № \d+, текст \(часть \d+ из \d+\):/g, '').replace(/\s+/g, '');
      expect(words(text)).toContain(words(long));
      // The old single message is gone; buttons (Ахты: urgent, ban) only on the new last part.
      expect(h.tg.messagesTo(admin.id).some((m) => m.message_id === card.message_id)).toBe(false);
      for (const m of live.slice(0, -1)) expect(h.tg.buttonsOf(m)).toEqual([]);
      if (regulation === 'akhty-2021') expect(h.tg.buttonsOf(last).length).toBeGreaterThan(0);
    }, 60_000);

    it('a forwarded message is registered manually with its sender; /cancel leaves a conversation', async () => {
      const date = Math.floor(Date.now() / 1000) - 600;
      h.tg.pushUpdate({
        message: {
          message_id: 900_001,
          date: Math.floor(Date.now() / 1000),
          chat: { id: admin.id, type: 'private', first_name: admin.first_name },
          from: { id: admin.id, is_bot: false, first_name: admin.first_name },
          forward_origin: { type: 'user', date, sender_user: { id: 777_001, is_bot: false, first_name: 'Мария', last_name: 'Котова', username: 'kotova' } },
          text: 'Во дворе дома 7 не вывозят мусор неделю',
        },
      });
      const ask = await h.tg.waitForMessage(admin.id, (m) => /Зарегистрировать как обращение\?/.test(m.text ?? '') && (m.text ?? '').includes('Мария Котова'), 10_000);
      h.tg.userPressesButton(admin, ask, '✅ Да, зарегистрировать');
      const ack = await h.tg.waitForMessage(admin.id, /Зарегистрировано обращение № \d+ \(Telegram\)/, 10_000);
      const number = Number(/№ (\d+)/.exec(ack.text!)![1]);
      const card = await cardOf(h.tg, admin.id, number);
      expect(card.text).toContain('Мария Котова');
      expect(card.text).toContain('зарегистрировано вручную');
      const m = one<{ network: string; author_name: string; author_external_id: string; kind: string }>(
        h.service.dbPath,
        'SELECT m.network, m.author_name, m.author_external_id, m.kind FROM messages m JOIN case_messages cm ON cm.message_id = m.id JOIN cases c ON c.id = cm.case_id WHERE c.number = ?',
        number,
      );
      expect(m).toEqual({ network: 'telegram', author_name: 'Мария Котова', author_external_id: 'tg:777001', kind: 'manual' });

      // /cancel: the typed topic is not applied after it.
      await press(h.tg, admin, card, 'Тема');
      await press(h.tg, admin, card, 'Ввести вручную');
      await h.tg.waitForMessage(admin.id, new RegExp(`тему обращения № ${number}`), 10_000);
      h.tg.userSendsText(admin, '/cancel');
      await h.tg.waitForMessage(admin.id, /ввод отменён/, 10_000);
      expect(readDb(h.service.dbPath, 'SELECT chat_id FROM conversations WHERE chat_id = ?', admin.id)).toEqual([]);
      h.tg.userSendsText(admin, 'Не тема');
      await expectNothingFor(() => (one<{ topic: string | null }>(h.service.dbPath, 'SELECT topic FROM cases WHERE number = ?', number).topic === 'Не тема' ? true : undefined), 800);
      h.tg.userSendsText(admin, '/cancel');
      await h.tg.waitForMessage(admin.id, /Сейчас нечего отменять/, 10_000);
    }, 40_000);

    it('/staff: a role change updates the menu and the rights at once; a stale input gets an explanation, not an action', async () => {
      // Chat-scoped menus exist only for chats their person has started.
      h.tg.userSendsText(coordinator, '/start');
      h.tg.userSendsText(executor, '/start');
      await h.tg.waitForMessage(coordinator.id, /Вы вошли как/, 10_000);
      h.tg.userSendsText(admin, '/staff');
      const list = await h.tg.waitForMessage(admin.id, /Сотрудники \(активных/, 10_000);
      await press(h.tg, admin, list, 'Кисина С.О.');
      await press(h.tg, admin, list, new RegExp(`▫️ ${regulation === 'kanash-2020' ? 'куратор' : 'администратор'}`));
      await waitFor(() => (one<{ roles: string }>(h.service.dbPath, 'SELECT roles FROM staff WHERE telegram_id = ?', coordinator.id).roles.includes('administrator') ? true : undefined), {
        timeoutMs: 10_000,
      });
      // setMyCommands with the person's chat scope: the administrator's commands now.
      await waitFor(() => ((h.tg.commands({ type: 'chat', chat_id: coordinator.id }) as { command: string }[] | undefined)?.some((c) => c.command === 'staff') ? true : undefined), {
        timeoutMs: 15_000,
        message: () => 'coordinator menu with /staff',
      });
      expect((h.tg.commands({ type: 'chat', chat_id: executor.id }) as { command: string }[]).some((c) => c.command === 'staff')).toBe(false);
      expect((h.tg.commands() as { command: string }[] | undefined)?.map((c) => c.command)).toEqual(['start']);

      // A case on approval; the administrator starts a rework comment, the new co-administrator approves first.
      const { card, id, number } = await vkCase(h, 'Когда починят качели во дворе?');
      await assignTo(h, card, id, /^Отдел ЖКХ$/);
      await designate(h.tg, deptHead, number, 'Петров');
      const exCard = await cardOf(h.tg, executor.id, number);
      await press(h.tg, executor, exCard, 'Принять');
      await press(h.tg, executor, exCard, 'Написать ответ');
      await h.tg.waitForMessage(executor.id, new RegExp(`Проект ответа по обращению № ${number}`), 10_000);
      h.tg.userSendsText(executor, 'Качели починят до конца недели.');
      const ack = await h.tg.waitForMessage(executor.id, new RegExp(`Добавлено в проект по № ${number}`), 10_000);
      await press(h.tg, executor, ack, 'Отправить');
      if (regulation === 'kanash-2020') {
        await waitFor(() => status(h, id) === 'dept_review', { timeoutMs: 10_000 });
        await press(h.tg, deptHead, await cardOf(h.tg, deptHead.id, number), 'Согласовать');
      }
      await waitFor(() => status(h, id) === 'on_approval', { timeoutMs: 10_000 });
      await press(h.tg, admin, card, 'На доработку');
      await h.tg.waitForMessage(admin.id, new RegExp(`№ ${number}: напишите замечание`), 10_000);
      const coCard = await cardOf(h.tg, coordinator.id, number);
      await press(h.tg, coordinator, coCard, 'Утвердить');
      await waitFor(() => status(h, id) === 'approved', { timeoutMs: 10_000 });
      const version = one<{ version: number }>(h.service.dbPath, 'SELECT version FROM cases WHERE id = ?', id).version;
      h.tg.userSendsText(admin, 'Добавьте дату');
      await h.tg.waitForMessage(admin.id, new RegExp(`Обращение № ${number} уже продвинулось дальше \\(сейчас: согласовано, ждёт публикации; последнее действие: Кисина С\\.О\\.\\)`), 10_000);
      expect(one<{ version: number; status: string }>(h.service.dbPath, 'SELECT version, status FROM cases WHERE id = ?', id)).toEqual({ version, status: 'approved' });
      expect(readDb(h.service.dbPath, 'SELECT chat_id FROM conversations WHERE chat_id = ?', admin.id)).toEqual([]);
    }, 90_000);

    if (regulation === 'akhty-2021') {
      it('А10: the ban button asks the reason and the term; groups.ban goes to VK with end_date', async () => {
        const { card, id } = await vkCase(h, 'Оскорбительный комментарий');
        await press(h.tg, admin, card, 'Заблокировать автора');
        await press(h.tg, admin, card, /^оскорбления/);
        await press(h.tg, admin, card, /^7 /);
        await waitForEdit(h.tg, card, /Статус/, 10_000);
        await waitFor(() => (readDb(h.service.dbPath, 'SELECT seq FROM bans WHERE case_id = ?', id).length ? true : undefined), { timeoutMs: 10_000 }).catch(() => undefined);
        const call = await waitFor(() => h.vk.calls('groups.ban').find((c) => c.params.owner_id === String(AUTHOR) || c.params.user_id === String(AUTHOR)), {
          timeoutMs: 15_000,
          message: () =>
            `groups.ban; VK calls: ${h.vk
              .calls()
              .map((c) => c.method)
              .join(', ')}`,
        });
        expect(call.token).toBe('user');
        expect(call.params.reason).toBe('2'); // verbal abuse
        const end = Number(call.params.end_date);
        const now = Math.floor(Date.parse('2025-03-03T07:00:00Z') / 1000);
        expect(end - now).toBeGreaterThan(7 * 86_400 - 3_600);
        expect(end - now).toBeLessThan(7 * 86_400 + 3_600);
        // No second ban button on the card.
        await waitFor(() => (!h.tg.buttonsOf(h.tg.messagesTo(admin.id).find((m) => m.message_id === card.message_id)!).some((b) => b.text.includes('Заблокировать')) ? true : undefined), {
          timeoutMs: 10_000,
        });
      }, 40_000);

      it('А17: the urgent button pushes the case to the head at once', async () => {
        const { card, number } = await vkCase(h, 'Прорвало трубу, затопило улицу');
        await press(h.tg, admin, card, 'Срочно — главе');
        const push = await h.tg.waitForMessage(head.id, (m) => /🚨 Срочное обращение/.test(m.text ?? '') && (m.text ?? '').includes('Прорвало трубу'), 10_000);
        expect(push.text).toContain(String(number));
        await waitForEdit(h.tg, card, /🚨 срочно/, 10_000);
      }, 30_000);

      it('А7.9: the executor asks for an extension, the administrator grants +7 days within the limit, the author notice is queued', async () => {
        const { card, id, number } = await vkCase(h, 'Нужно заменить трубы в доме 3');
        await assignTo(h, card, id, /^Отдел ЖКХ$/);
        await designate(h.tg, deptHead, number, 'Петров');
        const exCard = await cardOf(h.tg, executor.id, number);
        await press(h.tg, executor, exCard, 'Принять');
        const dueBefore = one<{ due_at: number }>(h.service.dbPath, `SELECT due_at FROM deadlines WHERE case_id = ? AND kind = 'answer' AND status IN ('open','paused')`, id).due_at;
        await press(h.tg, executor, exCard, 'Нужно продлить срок');
        await h.tg.waitForMessage(executor.id, new RegExp(`№ ${number}: почему нужно продлить срок \\(А7\\.9`), 10_000);
        h.tg.userSendsText(executor, 'Нужна закупка труб');
        const ask = await h.tg.waitForMessage(admin.id, (m) => new RegExp(`№ ${number}: просьба продлить срок`).test(m.text ?? '') && /Нужна закупка труб/.test(m.text ?? ''), 10_000);
        await press(h.tg, admin, ask, /\+?7/);
        await h.tg.waitForMessage(admin.id, new RegExp(`Срок по № ${number} продлён до`), 10_000);
        const dueAfter = one<{ due_at: number }>(h.service.dbPath, `SELECT due_at FROM deadlines WHERE case_id = ? AND kind = 'answer' AND status IN ('open','paused') ORDER BY seq DESC`, id).due_at;
        expect(dueAfter - dueBefore).toBe(7 * 86_400_000);
        const notice = await waitFor(
          () => readDb<{ payload: string }>(h.service.dbPath, `SELECT payload FROM outbox WHERE channel = 'vk' AND case_id = ? AND payload LIKE '%"purpose":"extension"%'`, id)[0],
          { timeoutMs: 10_000 },
        );
        // The author is told the new date (dd.MM.yyyy in the organization's zone).
        expect(notice.payload).toContain(DateTime.fromMillis(dueAfter, { zone: 'Europe/Moscow' }).toFormat('dd.MM.yyyy'));
      }, 60_000);
    }

    it('/staff: absence with a substitute sends new assignments to the substitute (А6.3); deactivation refuses the next press', async () => {
      h.tg.userSendsText(admin, '/staff');
      const list = await h.tg.waitForMessage(admin.id, (m) => /Сотрудники \(активных/.test(m.text ?? '') && h.tg.buttonsOf(m).some((b) => b.text === 'Петров П.П.'), 10_000);
      await press(h.tg, admin, list, 'Петров П.П.');
      await press(h.tg, admin, list, 'Отсутствие и замещение');
      await press(h.tg, admin, list, /^3$/);
      await press(h.tg, admin, list, 'Сидоров С.С.');
      await h.tg.waitForMessage(admin.id, /Петров П\.П\. отсутствует до [\s\S]*Замещает: Сидоров С\.С\./, 10_000);

      const { card, id, number } = await vkCase(h, 'Протекает крыша в подъезде');
      await assignTo(h, card, id, /^Отдел ЖКХ$/);
      await designate(h.tg, deptHead, number, 'Петров');
      await waitFor(() => (one<{ executor_id: number | null }>(h.service.dbPath, 'SELECT executor_id FROM assignments WHERE case_id = ?', id).executor_id !== null ? true : undefined), {
        timeoutMs: 10_000,
      });
      const a = one<{ executor_id: number; substitute_for: number | null }>(h.service.dbPath, 'SELECT executor_id, substitute_for FROM assignments WHERE case_id = ?', id);
      const ids = Object.fromEntries(readDb<{ id: number; telegram_id: number }>(h.service.dbPath, 'SELECT id, telegram_id FROM staff').map((r) => [r.telegram_id, r.id]));
      expect(a).toEqual({ executor_id: ids[deptHead.id], substitute_for: ids[executor.id] });
      // The substitute works the case on his card; the absent executor got nothing about it.
      const subCard = await h.tg.waitForMessage(deptHead.id, (m) => (m.text ?? '').includes(`Обращение № ${number} ·`) && h.tg.buttonsOf(m).some((b) => b.text.includes('Принять')), 15_000);
      expect(cardIn(h.tg, executor.id, number)).toBeUndefined();
      const acceptData = h.tg.buttonsOf(subCard).find((b) => b.text.includes('Принять'))!.callback_data!;

      // Deactivation: the very next press of the substitute is refused, nothing changes.
      h.tg.userSendsText(admin, '/staff');
      const list2 = await h.tg.waitForMessage(admin.id, (m) => m.message_id !== list.message_id && /Сотрудники \(активных/.test(m.text ?? ''), 10_000);
      await press(h.tg, admin, list2, 'Сидоров С.С.');
      await press(h.tg, admin, list2, 'Отключить доступ');
      await press(h.tg, admin, list2, 'Да, отключить');
      await h.tg.waitForMessage(admin.id, (m) => m.message_id === list2.message_id && /отключён/.test(m.text ?? ''), 10_000);
      const before = one<{ version: number }>(h.service.dbPath, 'SELECT version FROM cases WHERE id = ?', id).version;
      // The button he still sees (a card re-rendered for an inactive person has none): pressed, refused.
      const q = h.tg.userSendsCallback(deptHead, acceptData, subCard.message_id);
      const answer = await answerOf(h.tg, q);
      expect(answer.show_alert).toBe(true);
      expect(answer.text).toMatch(/Telegram ID/);
      expect(one<{ version: number }>(h.service.dbPath, 'SELECT version FROM cases WHERE id = ?', id).version).toBe(before);
    }, 60_000);
  });
}

describe('publication on approval (options.publisher: on_approval)', () => {
  const h = setup('akhty-2021', 'options: { publisher: on_approval }');

  it('approving publishes at once: no «Опубликовать» button, the VK reply goes out and the card shows its link', async () => {
    const { card, id, number } = await vkCase(h, 'Когда откроют новый сквер?');
    await assignTo(h, card, id, /^Отдел ЖКХ$/);
    await designate(h.tg, deptHead, number, 'Петров');
    const exCard = await cardOf(h.tg, executor.id, number);
    await press(h.tg, executor, exCard, 'Принять');
    await press(h.tg, executor, exCard, 'Написать ответ');
    await h.tg.waitForMessage(executor.id, new RegExp(`Проект ответа по обращению № ${number}`), 10_000);
    h.tg.userSendsText(executor, 'Сквер откроют 1 мая.');
    const ack = await h.tg.waitForMessage(executor.id, new RegExp(`Добавлено в проект по № ${number}`), 10_000);
    await press(h.tg, executor, ack, 'Отправить');
    await waitFor(() => status(h, id) === 'on_approval', { timeoutMs: 10_000 });
    await press(h.tg, admin, card, 'Утвердить');
    await h.tg.waitForMessage(admin.id, new RegExp(`Ответ по № ${number} утверждён и отправлен на публикацию`), 10_000);
    const comment = await waitFor(() => h.vk.calls('wall.createComment').find((c) => (c.params.message ?? '').includes('Сквер откроют 1 мая.')), {
      timeoutMs: 15_000,
      message: () => 'wall.createComment',
    });
    expect(comment).toBeDefined();
    await waitFor(() => (['published', 'closed', 'awaiting_author'].includes(status(h, id)) ? true : undefined), { timeoutMs: 15_000 });
    await waitForEdit(h.tg, card, /Ответ опубликован/, 15_000);
    for (const who of [admin, executor]) {
      expect(h.tg.messagesTo(who.id).some((m) => h.tg.buttonsOf(m).some((b) => /^(ap|ex)\.pub:/.test(b.callback_data ?? '')))).toBe(false);
    }
  }, 60_000);
});
