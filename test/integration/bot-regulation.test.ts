import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { organizationYaml, people } from '../support/service.js';
import { expectNothingFor } from '../../src/sandbox/emulators/wait.js';
import { CALENDAR_CHECK_MS } from '../../src/scheduler/index.js';
import { adminCard, assign, designate, escaped, inWork, newCase, press, q, setup, status, waitFor, type Harness } from './bot-work-helpers.js';

/**
 * Ordinary situations of a real administration through the running service (fake Telegram and VK,
 * a real SQLite file), on both presets: a repeat's answer with its measures (К17, А7.11), the term of
 * an intermediate answer read from its text (К15, А7.8) and conditions instead of a date (А7.8), a
 * misrouted case moved at any moment, the acknowledgement (А7.1) when routing without a triage.
 */
const { admin, executor, deptHead, roadsHead } = people;
const run = promisify(execFile);
const ZONE = 'Europe/Moscow';
const day = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm');

/** Submitted draft → (К11 department head) → approved → published by whom the regulation names. */
async function approveAndPublish(h: Harness, regulation: string, id: number): Promise<void> {
  await waitFor(() => ['dept_review', 'on_approval'].includes(status(h.service, id)), 10_000);
  if (regulation === 'kanash-2020') await press(h.tg, deptHead, escaped(`dh.ok:${id}`));
  await waitFor(() => status(h.service, id) === 'on_approval', 10_000);
  await press(h.tg, admin, escaped(`ap.ok:${id}`));
  await waitFor(() => status(h.service, id) === 'approved', 10_000);
  await press(h.tg, regulation === 'kanash-2020' ? executor : admin, escaped(regulation === 'kanash-2020' ? `ex.pub:${id}` : `ap.pub:${id}`));
}

const draftAdded = (h: Harness) => h.tg.messagesTo(executor.id).filter((m) => /Добавлено в проект/.test(m.text ?? '')).length;

for (const regulation of ['kanash-2020', 'akhty-2021'] as const) {
  describe(`regulation fidelity in the bot (${regulation})`, () => {
    const h = setup(regulation);

    it('a repeat (К17, А7.11): the draft flow asks for the measures, and they are published with the answer', async () => {
      const earlier = await newCase(h, 'Яма у школы № 2');
      const text = 'Снова яма у школы № 2, уже месяц';
      const id = await newCase(h, text);
      h.tg.userSendsCallback(admin, `adm.rep:${id}:${earlier}`, adminCard(h.tg, id).message_id, admin.id);
      await waitFor(() => q<{ repeat_of: number | null }>(h.service, 'SELECT repeat_of FROM cases WHERE id = ?', id).repeat_of === earlier, 10_000);
      const idSame = id;
      await assign(h, idSame, '0-0');
      await designate(h, deptHead, id, /Петров/);
      await press(h.tg, executor, escaped(`ex.acc:${id}:`));
      await waitFor(() => status(h.service, id) === 'in_work', 10_000);
      await press(h.tg, executor, escaped(`ex.draft:${id}`));
      await h.tg.waitForMessage(executor.id, (m) => (m.text ?? '').includes(text) && /Проект ответа/.test(m.text ?? ''), 10_000);
      h.tg.userSendsText(executor, 'Яма будет заделана на этой неделе.');
      await h.tg.waitForMessage(executor.id, /Добавлено в проект/, 10_000);
      await press(h.tg, executor, escaped(`ex.send:${id}`));
      // Not refused, not submitted: the measures are asked for.
      await h.tg.waitForMessage(executor.id, /повторное.*принятых мерах/s, 10_000);
      expect(status(h.service, id)).toBe('in_work');
      h.tg.userSendsText(executor, 'Приняты меры: подрядчику выставлена претензия, гарантийный ремонт 05.03.');
      await h.tg.waitForMessage(executor.id, /Принятые меры добавлены/, 10_000);
      await press(h.tg, executor, escaped(`ex.send:${id}`));
      await approveAndPublish(h, regulation, id);
      await waitFor(() => q<{ n: number }>(h.service, `SELECT count(*) AS n FROM outbox WHERE channel = 'vk' AND case_id = ? AND payload LIKE '%гарантийный ремонт%'`, id).n === 1, 10_000);
      const row = q<{ payload: string }>(h.service, `SELECT payload FROM outbox WHERE channel = 'vk' AND case_id = ? AND payload LIKE '%гарантийный ремонт%'`, id);
      expect(row.payload).toContain('Яма будет заделана на этой неделе.');
      expect(q<{ measures: string }>(h.service, 'SELECT measures FROM drafts WHERE case_id = ?', id).measures).toBe('Приняты меры: подрядчику выставлена претензия, гарантийный ремонт 05.03.');
    }, 90_000);

    it('a repeat whose text already states the measures: one tap confirms and submits', async () => {
      const earlier = await newCase(h, 'Не вывозят мусор с ул. Ленина');
      const text = 'Опять не вывезли мусор на Ленина';
      const id = await newCase(h, text);
      h.tg.userSendsCallback(admin, `adm.rep:${id}:${earlier}`, adminCard(h.tg, id).message_id, admin.id);
      await waitFor(() => q<{ repeat_of: number | null }>(h.service, 'SELECT repeat_of FROM cases WHERE id = ?', id).repeat_of === earlier, 10_000);
      await assign(h, id, '0-0');
      await designate(h, deptHead, id, /Петров/);
      await press(h.tg, executor, escaped(`ex.acc:${id}:`));
      await press(h.tg, executor, escaped(`ex.draft:${id}`));
      h.tg.userSendsText(executor, 'Приняты меры: перевозчик оштрафован, график вывоза изменён.');
      await h.tg.waitForMessage(executor.id, /Добавлено в проект/, 10_000);
      await press(h.tg, executor, escaped(`ex.send:${id}`));
      await press(h.tg, executor, escaped(`ex.meas:${id}`));
      await waitFor(() => ['dept_review', 'on_approval'].includes(status(h.service, id)), 10_000);
      expect(q<{ measures: string }>(h.service, 'SELECT measures FROM drafts WHERE case_id = ?', id).measures).toBe('Приняты меры: перевозчик оштрафован, график вывоза изменён.');
    }, 90_000);

    it('«Промежуточный» first, then the text: the text is kept and the date it states is offered with one tap', async () => {
      const id = await inWork(h, 'Когда отремонтируют крышу дома 7?');
      await press(h.tg, executor, escaped(`ex.kind:${id}:intermediate`));
      await h.tg.waitForMessage(executor.id, /срок окончательного ответа|дату окончательного ответа/, 10_000);
      const before = draftAdded(h);
      h.tg.userSendsText(executor, 'Обследование крыши проведём до 7 марта, о результатах сообщим.');
      await waitFor(() => draftAdded(h) === before + 1, 10_000); // the text joined the draft, not taken as a bad date
      expect(h.tg.messagesTo(executor.id).some((m) => /Не понял дату/.test(m.text ?? ''))).toBe(false);
      await h.tg.waitForMessage(executor.id, /В тексте ответа указан срок: «до 7 марта»/, 10_000);
      await press(h.tg, executor, /^ex\.prom:\d+:t\d+$/);
      await h.tg.waitForMessage(executor.id, /Срок окончательного ответа: 17:00, пт 7 мар/, 10_000);
      await press(h.tg, executor, escaped(`ex.send:${id}`));
      await waitFor(() => ['dept_review', 'on_approval'].includes(status(h.service, id)), 10_000);
      const d = q<{ kind: string; promised_by: number }>(h.service, 'SELECT kind, promised_by FROM drafts WHERE case_id = ?', id);
      expect(d.kind).toBe('intermediate');
      expect(day(d.promised_by)).toBe('2025-03-07 17:00'); // a shortened pre-holiday day ends at 17:00
      const v = q<{ text: string }>(h.service, 'SELECT text FROM draft_versions WHERE case_id = ? ORDER BY n DESC', id);
      expect(v.text).toBe('Обследование крыши проведём до 7 марта, о результатах сообщим.');
    }, 90_000);

    it('conditions instead of a date (А7.8): accepted; the final answer gets its control point', async () => {
      const id = await inWork(h, 'Когда засыплют ямы на ул. Садовой?');
      h.tg.userSendsText(executor, 'Ямы на ул. Садовой засыплем после схода снега.');
      await h.tg.waitForMessage(executor.id, /Добавлено в проект/, 10_000);
      await press(h.tg, executor, escaped(`ex.kind:${id}:intermediate`));
      await h.tg.waitForMessage(executor.id, /указано условие: «после схода снега»/, 10_000);
      await press(h.tg, executor, escaped(`ex.cond:${id}`));
      await h.tg.waitForMessage(executor.id, /Условие окончательного ответа/, 10_000);
      await press(h.tg, executor, escaped(`ex.send:${id}`));
      await approveAndPublish(h, regulation, id);
      await waitFor(() => status(h.service, id) === 'awaiting_final', 15_000);
      expect(q<{ promised_conditions: string }>(h.service, 'SELECT promised_conditions FROM drafts WHERE case_id = ?', id).promised_conditions).toBe('после схода снега');
      const final = () => q<{ due_at: number; clause: string } | undefined>(h.service, `SELECT due_at, clause FROM deadlines WHERE case_id = ? AND kind = 'final_answer' AND status = 'open'`, id);
      if (regulation === 'kanash-2020') {
        // К15: 7 working days from the publication, whatever the conditions.
        expect(final()?.clause).toBe('К15');
        return;
      }
      // Ахты: the administrator is asked for the control date and sets it in ordinary Russian.
      expect(final()).toBeUndefined();
      await h.tg.waitForMessage(admin.id, /установите контрольный срок/, 10_000);
      await press(h.tg, admin, escaped(`cd.set:${id}`));
      await h.tg.waitForMessage(admin.id, /Напишите контрольный срок/, 10_000);
      h.tg.userSendsText(admin, 'до 15.04.2025');
      await h.tg.waitForMessage(admin.id, /Контрольный срок окончательного ответа/, 10_000);
      await waitFor(() => final() !== undefined, 10_000);
      expect(day(final()!.due_at)).toBe('2025-04-15 18:00');
      expect(final()!.clause).toBe('А7.8');
    }, 120_000);

    it('a misrouted case is moved by the administrator at any moment, with a reason, to another department', async () => {
      const id = await inWork(h, 'На перекрёстке не работает светофор');
      const answerBefore = q<{ due_at: number; starts_at: number }>(h.service, `SELECT due_at, starts_at FROM deadlines WHERE case_id = ? AND kind = 'answer'`, id);
      // Without a reason the move is refused, nothing changes.
      await press(h.tg, admin, escaped(`adm.rea:${id}`));
      await h.tg.waitForMessage(admin.id, /Передача обращения/, 10_000);
      const card = adminCard(h.tg, id);
      h.tg.userSendsCallback(admin, `adm.rea:${id}:1`, card.message_id, admin.id);
      await waitFor(() => h.tg.callbackAnswers().some((a) => a.userId === admin.id && a.data === `adm.rea:${id}:1` && a.show_alert === true && /причину/.test(a.text ?? '')), 10_000);
      expect(status(h.service, id)).toBe('in_work');
      h.tg.userSendsCallback(admin, `adm.note:${id}`, card.message_id, admin.id);
      await h.tg.waitForMessage(admin.id, /Напишите одним сообщением/, 10_000);
      h.tg.userSendsText(admin, 'Светофоры — дорожный отдел');
      await h.tg.waitForMessage(admin.id, /Поручение сохранено/, 10_000);
      h.tg.userSendsCallback(admin, `adm.rea:${id}:1`, card.message_id, admin.id);
      await waitFor(() => status(h.service, id) === 'assigned', 10_000);
      const ev = q<{ comment: string }>(h.service, `SELECT comment FROM audit_events WHERE case_id = ? AND type = 'reassigned'`, id);
      expect(ev.comment).toBe('Светофоры — дорожный отдел');
      // The roads head is asked to designate; the answer term keeps counting from the detection.
      await designate(h, roadsHead, id, /Васильев/);
      const after = q<{ due_at: number; starts_at: number; department_id: string }>(h.service, `SELECT due_at, starts_at, department_id FROM deadlines WHERE case_id = ? AND kind = 'answer'`, id);
      expect([after.starts_at, after.due_at, after.department_id]).toEqual([answerBefore.starts_at, answerBefore.due_at, 'roads']);
    }, 90_000);

    it('А17: a «срочно» question is not pushed to the head; an accident marked «значимое происшествие» is, whatever its term', async () => {
      const head = people.head;
      const ordinary = await newCase(h, 'Срочно: когда будет справка о составе семьи?');
      const urgentIndex = regulation === 'akhty-2021' ? 0 : -1;
      if (urgentIndex >= 0) {
        h.tg.userSendsCallback(admin, `adm.imp:${ordinary}:${urgentIndex}`, adminCard(h.tg, ordinary).message_id, admin.id);
        await waitFor(() => q<{ importance: string }>(h.service, 'SELECT importance FROM cases WHERE id = ?', ordinary).importance === 'urgent', 10_000);
      }
      const accident = await newCase(h, 'Прорыв теплотрассы на ул. Мира, кипяток на дороге');
      h.tg.userSendsCallback(admin, `adm.urg:${accident}`, adminCard(h.tg, accident).message_id, admin.id);
      if (regulation === 'kanash-2020') {
        // Канаш provides no report to the head (no А17 counterpart): refused, nothing pushed.
        await waitFor(() => h.tg.callbackAnswers().some((a) => a.userId === admin.id && a.data === `adm.urg:${accident}` && a.show_alert === true), 10_000);
        expect(h.tg.messagesTo(head.id).some((m) => /Прорыв теплотрассы/.test(m.text ?? ''))).toBe(false);
        return;
      }
      await h.tg.waitForMessage(head.id, (m) => (m.text ?? '').includes('Прорыв теплотрассы'), 10_000);
      expect(q<{ urgent: number }>(h.service, 'SELECT urgent FROM cases WHERE id = ?', ordinary).urgent).toBe(0);
      expect(h.tg.messagesTo(head.id).some((m) => /справка о составе семьи/.test(m.text ?? ''))).toBe(false);
    }, 60_000);

    it('routing without a triage acknowledges the author once (А7.1); such a message can no longer be rejected (А9)', async () => {
      const id = await newCase(h, 'Просим установить лавочки в парке');
      await assign(h, id, '0-0');
      const acks = () => q<{ n: number }>(h.service, `SELECT count(*) AS n FROM outbox WHERE channel = 'vk' AND case_id = ? AND payload LIKE ?`, id, `%ack-${id}-%`).n;
      if (regulation === 'kanash-2020') {
        await new Promise((r) => setTimeout(r, 500));
        expect(acks()).toBe(0); // Канаш provides no acknowledgement
        return;
      }
      await waitFor(() => acks() === 1, 10_000);
      await designate(h, deptHead, id, /Петров/);
      await press(h.tg, executor, escaped(`ex.ret:${id}:`));
      await h.tg.waitForMessage(executor.id, /причину/, 10_000);
      h.tg.userSendsText(executor, 'Это не наш вопрос');
      await waitFor(() => status(h.service, id) === 'returned', 10_000);
      h.tg.userSendsCallback(admin, `adm.rej:${id}:0`, adminCard(h.tg, id).message_id, admin.id);
      await waitFor(() => h.tg.callbackAnswers().some((a) => a.userId === admin.id && a.data === `adm.rej:${id}:0` && /принято к рассмотрению/.test(a.text ?? '')), 10_000);
      expect(status(h.service, id)).toBe('returned');
      expect(acks()).toBe(1);
    }, 90_000);
  });
}

describe('К11 «либо с курирующим заместителем главы» in the bot (kanash-2020)', () => {
  // Two more units: «Культура» has no head but a supervising deputy; «Спорт» has neither.
  const deputy = { id: 100008, first_name: 'Олег' };
  const cultureExecutor = { id: 100009, first_name: 'Инна' };
  const sportExecutor = { id: 100010, first_name: 'Тимур' };
  const yaml = organizationYaml({ regulation: 'kanash-2020' })
    .replace('departments:\n', 'departments:\n  - { id: culture, name: Отдел культуры }\n  - { id: sport, name: Отдел спорта }\n  - { id: youth, name: Отдел молодёжи }\n')
    .replace(
      'staff:\n',
      'staff:\n  - { telegramId: 100008, name: Орлов О.И., roles: [deputy], supervises: [culture] }\n  - { telegramId: 100009, name: Инина И.И., roles: [executor], department: culture }\n  - { telegramId: 100010, name: Тимуров Т.Т., roles: [executor], department: sport }\n  - { telegramId: 100011, name: Юнусов Ю.Ю., roles: [executor], department: youth }\n  - { telegramId: 100012, name: Юдина Ю.А., roles: [executor], department: youth }\n',
    );
  const h = setup('kanash-2020', undefined, yaml);

  it('a department without a head: the administrator names the executor himself (no case waits for nobody)', async () => {
    const id = await newCase(h, 'Будет ли молодёжный форум летом?');
    // departments by index: 0 culture, 1 sport, 2 youth, 3 zhkh, 4 roads
    await assign(h, id, '2-2');
    expect(q<{ executor_id: number | null }>(h.service, 'SELECT executor_id FROM assignments WHERE case_id = ?', id).executor_id).toBeNull();
    await press(h.tg, admin, new RegExp(`^dh\\.des:${id}:1\\.`));
    await waitFor(() => q<{ executor_id: number | null }>(h.service, 'SELECT executor_id FROM assignments WHERE case_id = ?', id).executor_id !== null, 10_000);
    const named = q<{ telegram_id: number }>(h.service, 'SELECT s.telegram_id FROM assignments a JOIN staff s ON s.id = a.executor_id WHERE a.case_id = ?', id).telegram_id;
    expect([100011, 100012]).toContain(named);
    await press(h.tg, { id: named, first_name: 'Ю' }, escaped(`ex.acc:${id}:`));
    await waitFor(() => status(h.service, id) === 'in_work', 10_000);
  }, 60_000);

  it('warns at start about a unit nobody agrees drafts for: in the log and to the administrator, once', async () => {
    await h.service.waitForLog(/no department head and no supervising deputy.*sport|sport.*no department head and no supervising deputy/);
    expect(h.service.logs).not.toMatch(/supervising deputy[^\n]*culture/);
    const notice = await h.tg.waitForMessage(admin.id, /некому согласовать/, 10_000);
    expect(notice.text).toContain('Отдел спорта');
    expect(notice.text).not.toMatch(/Культур/);
    // A restart with the same gap does not repeat it.
    const before = h.service.logs.length;
    await h.service.restart();
    await h.service.waitForLog(/no department head and no supervising deputy/, 10_000, before);
    await expectNothingFor(() => h.tg.messagesTo(admin.id).filter((m) => /некому согласовать/.test(m.text ?? '')).length > 1, 2_000, 'the notice repeated');
  }, 60_000);

  it('the supervising deputy gets the draft and agrees it; a unit with nobody sends it straight to the curator', async () => {
    // departments by index: 0 culture, 1 sport, 2 youth, 3 zhkh, 4 roads
    const id = await newCase(h, 'Когда откроют библиотеку после ремонта?');
    await assign(h, id, '0-0');
    await press(h.tg, cultureExecutor, escaped(`ex.acc:${id}:`));
    await press(h.tg, cultureExecutor, escaped(`ex.draft:${id}`));
    h.tg.userSendsText(cultureExecutor, 'Библиотека откроется 10 марта.');
    await h.tg.waitForMessage(cultureExecutor.id, /Добавлено в проект/, 10_000);
    await press(h.tg, cultureExecutor, escaped(`ex.send:${id}`));
    await waitFor(() => status(h.service, id) === 'dept_review', 10_000);
    await h.tg.waitForMessage(deputy.id, /Библиотека откроется 10 марта/, 10_000);
    await press(h.tg, deputy, escaped(`dh.ok:${id}`));
    await waitFor(() => status(h.service, id) === 'on_approval', 10_000);
    expect(q<{ actor_name: string }>(h.service, `SELECT actor_name FROM audit_events WHERE case_id = ? AND type = 'department_approved'`, id).actor_name).toBe('Орлов О.И.');

    const other = await newCase(h, 'Когда залют каток?');
    await assign(h, other, '1-1');
    await press(h.tg, sportExecutor, escaped(`ex.acc:${other}:`));
    await press(h.tg, sportExecutor, escaped(`ex.draft:${other}`));
    h.tg.userSendsText(sportExecutor, 'Каток зальём при устойчивом морозе.');
    await h.tg.waitForMessage(sportExecutor.id, /Добавлено в проект/, 10_000);
    await press(h.tg, sportExecutor, escaped(`ex.send:${other}`));
    await waitFor(() => status(h.service, other) === 'on_approval', 10_000);
    // The deputy supervises culture only: he never sees the sports case.
    expect(h.tg.messagesTo(deputy.id).some((m) => /каток/i.test(m.text ?? ''))).toBe(false);
  }, 90_000);
});

describe('regional days off declared in the bot (akhty-2021, Дагестан 2026)', () => {
  // No calendar region in the organization file: the preset's own (Дагестан) applies.
  const yaml = organizationYaml({ regulation: 'akhty-2021' }).replace('calendar: { region: RU-CU }\n', '');
  const h = setup('akhty-2021', { OTKLIK_FAKE_NOW: '2026-03-19T10:00:00', LOG_LEVEL: 'info' }, yaml);

  it('warns that Ураза-байрам is not declared; a declared day off recomputes the open terms at once and tells the executor', async () => {
    // At start: the administrator and the coordinator are told the movable holidays of 2026 are not declared.
    await h.tg.waitForMessage(admin.id, /не объявлены/, 15_000);
    await h.tg.waitForMessage(people.coordinator.id, /не объявлены/, 15_000);
    const id = await newCase(h, 'Когда починят освещение на ул. Гагарина?');
    await assign(h, id, '0-0');
    await designate(h, deptHead, id, /Петров/);
    await press(h.tg, executor, escaped(`ex.acc:${id}:`));
    await waitFor(() => status(h.service, id) === 'in_work', 10_000);
    const answer = () => q<{ due_at: number }>(h.service, `SELECT due_at FROM deadlines WHERE case_id = ? AND kind = 'answer'`, id).due_at;
    // «оперативно»: 2 working days from Thursday 19 March 10:00 → Monday 23 March 10:00.
    expect(day(answer())).toBe('2026-03-23 10:00');
    // An executor cannot declare days.
    h.tg.userSendsText(executor, '/day 20.03.2026 — нерабочий, Ураза-байрам');
    await h.tg.waitForMessage(executor.id, /не предусмотрено для вашей роли/, 10_000);
    expect(day(answer())).toBe('2026-03-23 10:00');
    h.tg.userSendsText(admin, '/day 20.03.2026 — нерабочий, Ураза-байрам');
    await h.tg.waitForMessage(admin.id, /20\.03\.2026 — нерабочий день Ураза-байрам\. Сроки пересчитаны: изменились в 1/, 10_000);
    expect(day(answer())).toBe('2026-03-24 10:00');
    await h.tg.waitForMessage(executor.id, /пересчитаны по календарю/, 10_000);
    expect(q<{ n: number }>(h.service, `SELECT count(*) AS n FROM audit_events WHERE case_id = ? AND type = 'deadlines_recomputed'`, id).n).toBe(1);
    // A bad declaration changes nothing.
    h.tg.userSendsText(admin, '/day 20.03 выходной');
    await h.tg.waitForMessage(admin.id, /Не понял/, 10_000);
    expect(day(answer())).toBe('2026-03-24 10:00');
  }, 90_000);
});

/** A case in work whose К10 answer term (8 working hours from Thursday 10:00) ends on Friday 20 March 10:00; returns its answer due. */
async function caseDueFriday(h: Harness, text: string): Promise<() => number> {
  const id = await newCase(h, text);
  await assign(h, id, '0-0');
  await designate(h, deptHead, id, /Петров/);
  await press(h.tg, executor, escaped(`ex.acc:${id}:`));
  await waitFor(() => status(h.service, id) === 'in_work', 10_000);
  const answer = () => q<{ due_at: number }>(h.service, `SELECT due_at FROM deadlines WHERE case_id = ? AND kind = 'answer'`, id).due_at;
  expect(day(answer())).toBe('2026-03-20 10:00');
  return answer;
}

/** `otklik calendar import` of a 2026 calendar that makes Friday 20 March a day off, on the service's database. */
async function importFridayOff(h: Harness, file: string): Promise<void> {
  const xml = path.join(h.service.dir, file);
  writeFileSync(xml, '<calendar year="2026" lang="ru" country="ru"><days><day d="01.01" t="1" h="1"/><day d="03.20" t="1"/></days></calendar>');
  await run(process.execPath, ['bin/otklik.js', 'calendar', 'import', xml, '--db', h.service.dbPath], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, DATABASE_PATH: h.service.dbPath },
  });
}

describe('otklik calendar import while the service is stopped (kanash-2020)', () => {
  const h = setup('kanash-2020', { OTKLIK_FAKE_NOW: '2026-03-19T10:00:00', LOG_LEVEL: 'info' });

  it('the next start recomputes the open deadlines and tells the executor the new time', async () => {
    const answer = await caseDueFriday(h, 'Когда уберут сугробы у детского сада?');
    await h.service.stop();
    await importFridayOff(h, '2026.xml');
    await h.service.start();
    await waitFor(() => day(answer()) === '2026-03-23 10:00', 15_000);
    await h.tg.waitForMessage(executor.id, /пересчитаны по календарю/, 15_000);
  }, 90_000);
});

describe('otklik calendar import while the service runs (kanash-2020)', () => {
  const h = setup('kanash-2020', { OTKLIK_FAKE_NOW: '2026-03-19T10:00:00', LOG_LEVEL: 'info' });

  it('within seconds the working time is rebuilt, the open deadlines recomputed and the executor told', async () => {
    const answer = await caseDueFriday(h, 'Когда починят скамейки в сквере?');
    await importFridayOff(h, '2026-running.xml');
    // The scheduler looks for a changed calendar every CALENDAR_CHECK_MS (wall clock): picked up without a restart.
    await waitFor(() => day(answer()) === '2026-03-23 10:00', CALENDAR_CHECK_MS + 10_000);
    await h.tg.waitForMessage(executor.id, /пересчитаны по календарю/, 15_000);
  }, 120_000);
});
