import { describe, expect, it } from 'vitest';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { answerOf, buttonShown, caseRow, current, press, readDb, waitForEdit } from './bot-admin-helpers.js';

/**
 * The administrator's half of the Telegram workspace, driven through the fake Bot API
 * against the real service process, for both regulation presets: manual registration, triage,
 * assignment to two departments with one responsible, reject, not competent, repeat, refused presses.
 */
for (const preset of ['kanash-2020', 'akhty-2021'] as const) {
  describe(`administrator in the bot (${preset})`, () => {
    const admin = people.admin;
    let n = 0;

    /** The administrator pastes a message with its link: a case, and its card in his chat. */
    async function register(text: string) {
      n += 1;
      const link = `https://ok.ru/group/5/topic/${n}`;
      tg.userSendsText(admin, `${text}\n${link}`);
      // Nothing becomes a case by accident: the bot asks first.
      const ask = await tg.waitForMessage(admin.id, (m) => /Зарегистрировать как обращение\?/.test(m.text ?? '') && (m.text ?? '').includes(link), 15_000);
      tg.userPressesButton(admin, ask, '✅ Да, зарегистрировать');
      await tg.waitForMessage(admin.id, `Зарегистрировано обращение № ${n}`, 15_000);
      const card = await tg.waitForMessage(admin.id, (m) => (m.text ?? '').includes(`Обращение № ${n} ·`) && tg.buttonsOf(m).length > 0, 15_000);
      return card;
    }

    const { tg, service } = serviceHarness({ vk: false, regulation: preset, env: { OTKLIK_FAKE_NOW: '2026-12-07T10:00' } });

    it('registers a pasted Одноклассники message, triages it and assigns it to two departments, editing the card in place', async () => {
      const card = await register('Яма на дороге у дома <5> & лужа');
      expect(card.text).toContain('Одноклассники');
      expect(card.text).toContain('Яма на дороге у дома <5> & лужа');
      expect(card.text).toContain('ok.ru/group/5/topic/1');
      expect(card.text).toContain(preset === 'kanash-2020' ? 'куратор' : 'администратор');

      await press(tg, admin, card, 'Тема');
      await press(tg, admin, card, 'Дороги');
      await waitForEdit(tg, card, /Тема: Дороги/);
      await press(tg, admin, card, 'Локация');
      await press(tg, admin, card, 'ул. Ленина');
      await waitForEdit(tg, card, /Локация: ул\. Ленина/);
      if (preset === 'akhty-2021') {
        await press(tg, admin, card, 'Важность');
        await press(tg, admin, card, /^срочно/);
        await waitForEdit(tg, card, /Важность: срочно/);
      }
      expect(caseRow(service.dbPath, 1)).toMatchObject({ topic: 'Дороги', location: 'ул. Ленина', status: 'new' });

      await press(tg, admin, card, 'Направить в подразделения');
      // Each button carries the whole selection, so wait for the keyboard to show the last press.
      await press(tg, admin, card, /^Отдел дорожного хозяйства$/); // first chosen: responsible (the picker's button, not the suggestion)
      await buttonShown(tg, card, /^1\. Отдел дорожного хозяйства ★$/);
      await press(tg, admin, card, /^Отдел ЖКХ$/);
      await buttonShown(tg, card, /^2\. Отдел ЖКХ$/);
      await press(tg, admin, card, /Направить \(2/);
      const moved = await waitForEdit(tg, card, /Статус: направлено исполнителю/, 15_000);
      expect(moved.message_id).toBe(card.message_id);
      expect(moved.editCount).toBeGreaterThan(0);
      expect(moved.text).toMatch(/1\. Отдел дорожного хозяйства — .*ответственный/);
      expect(moved.text).toMatch(/2\. Отдел ЖКХ — .*соисполнитель/);
      expect(tg.calls('editMessageText').some((c) => c.params.message_id === card.message_id)).toBe(true);

      const rows = readDb<{ department_id: string; role: string; ord: number }>(service.dbPath, 'SELECT department_id, role, ord FROM assignments WHERE case_id = 1 ORDER BY ord');
      expect(rows).toEqual([
        { department_id: 'roads', role: 'responsible', ord: 1 },
        { department_id: 'zhkh', role: 'co_executor', ord: 2 },
      ]);
      // The department heads designate the executors (К7): each gets the card.
      await tg.waitForMessage(people.roadsHead.id, /Обращение № 1 ·/, 15_000);
      await tg.waitForMessage(people.deptHead.id, /Обращение № 1 ·/, 15_000);
      // Nobody else got it.
      expect(tg.messagesTo(people.coordinator.id).some((m) => /Обращение № 1/.test(m.text ?? ''))).toBe(false);
    }, 60_000);

    it('rejects with a reason of the regulation', async () => {
      const card = await register('Нецензурное сообщение');
      await press(tg, admin, card, 'Отклонить');
      await press(tg, admin, card, preset === 'kanash-2020' ? /нецензурные/ : /нецензурные/);
      await waitForEdit(tg, card, /Статус: отклонено/, 15_000);
      expect(caseRow(service.dbPath, n).status).toBe('rejected');
    }, 30_000);

    it('marks a case not our competence with an outside body after the reply text is confirmed', async () => {
      const card = await register('Протекает крыша, управляющая компания не отвечает');
      await press(tg, admin, card, 'Не наша компетенция');
      await press(tg, admin, card, 'Государственная жилищная инспекция');
      const confirm = await tg.waitForMessage(admin.id, (m) => /не относится к компетенции администрации\. Ответственный орган/.test(m.text ?? '') && tg.buttonsOf(m).length > 0, 10_000);
      if (preset === 'akhty-2021') expect(confirm.text).toContain('Автор получит такой ответ'); // А7.12
      expect(caseRow(service.dbPath, n).status).toBe('new'); // nothing before the confirmation
      await press(tg, admin, confirm, 'Подтвердить');
      await waitForEdit(tg, card, /Статус: не относится к компетенции/, 15_000);
      expect(caseRow(service.dbPath, n)).toMatchObject({ status: 'not_competent', outside_body_id: 'gji' });
    }, 30_000);

    it('marks a repeat of an earlier case from the offered candidates', async () => {
      const card = await register('Опять яма на дороге');
      await press(tg, admin, card, 'Повторное');
      await press(tg, admin, card, /^№ 1 ·/);
      await waitForEdit(tg, card, /Повторное сообщение по обращению № 1/, 15_000);
      expect(caseRow(service.dbPath, n).repeat_of).toBe(caseRow(service.dbPath, 1).id);
    }, 30_000);

    it('refuses an outsider, a wrong role and forged data with an alert, changing nothing', async () => {
      const card = await register('Сломан фонарь');
      const before = caseRow(service.dbPath, n);
      const reject = tg.buttonsOf(card).find((b) => b.text.includes('Отклонить'))!.callback_data!;
      const rejectNow = reject.replace(/^adm\.rej:(\d+)$/, 'adm.rej:$1:0');

      const q1 = tg.userSendsCallback(people.stranger, rejectNow, card.message_id, admin.id);
      const a1 = await answerOf(tg, q1);
      expect(a1.show_alert).toBe(true);

      const q2 = tg.userSendsCallback(people.executor, rejectNow);
      const a2 = await answerOf(tg, q2);
      expect(a2.show_alert).toBe(true);
      expect(a2.text).toMatch(/не предусмотрено для вашей роли/);

      const q3 = tg.userSendsCallback(admin, rejectNow.replace(/:0$/, ':99'), card.message_id);
      expect((await answerOf(tg, q3)).show_alert).toBe(true);
      const q4 = tg.userSendsCallback(admin, `adm.assign:${before.id}:7-7.8`, card.message_id);
      expect((await answerOf(tg, q4)).show_alert).toBe(true);
      const q5 = tg.userSendsCallback(admin, 'adm.rej:abc:<script>', card.message_id);
      await new Promise((r) => setTimeout(r, 500));
      void q5;

      const after = caseRow(service.dbPath, n);
      expect(after).toEqual(before);
      expect(current(tg, card).text).toContain('новое, ждёт распределения');

      // A stale card: the case moved on; pressing an old menu button explains and changes nothing.
      await press(tg, admin, card, 'Отклонить');
      await press(tg, admin, card, /нецензурные/);
      await waitForEdit(tg, card, /Статус: отклонено/, 15_000);
      const q6 = tg.userSendsCallback(admin, `adm.nc:${before.id}`, card.message_id);
      const a6 = await answerOf(tg, q6);
      expect(a6.show_alert).toBe(true);
      expect(a6.text).toMatch(/карточка устарела/);
      expect(caseRow(service.dbPath, n).status).toBe('rejected');
    }, 40_000);

    it('shows views: /queue, /case N, /find', async () => {
      tg.userSendsText(admin, '/find яма');
      await tg.waitForMessage(admin.id, /Найдено: \d+ обращени/, 10_000);
      tg.userSendsText(admin, '/case 1');
      const fresh = await tg.waitForMessage(admin.id, (m) => /Обращение № 1 ·/.test(m.text ?? '') && /направлено исполнителю/.test(m.text ?? '') && m.editCount === 0, 10_000);
      expect(fresh).toBeDefined();
      tg.userSendsText(people.roadsHead, '/queue');
      await tg.waitForMessage(people.roadsHead.id, /Ждёт вас: 1 обращение|Сейчас ничего/, 10_000);
    }, 30_000);
  });
}
