import { beforeAll, describe, expect, it } from 'vitest';
import { type ChatMessage } from '../../src/sandbox/emulators/telegram.js';
import { people } from '../support/service.js';
import { CITIZEN, serviceHarness } from '../support/harness.js';
import { waitFor as waitForProbe } from '../../src/sandbox/emulators/wait.js';
import { buttonShown, press, readDb, waitForEdit } from './bot-admin-helpers.js';

const waitFor = <T>(probe: () => T | undefined | null | false, timeoutMs = 10_000) => waitForProbe(probe, { timeoutMs });

/**
 * The assistance through the running service (Ахты: bans and «срочно — главе» exist): citizens'
 * VK comments arrive, the administrator's card shows «Подсказки» with one-tap buttons, and nothing is
 * decided until he presses one. The department model learns from his stored routing decisions.
 * The draft check appears on the executor's preview and on the approver's notice.
 */
describe('assistance on the card and on drafts (akhty-2021)', () => {
  const { admin, executor, deptHead } = people;
  let post: { id: number };

  const { tg, vk, service } = serviceHarness({ regulation: 'akhty-2021', env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' }, vkUsers: [CITIZEN, { id: 502, first_name: 'Руслан', last_name: 'Алиев' }] });
  beforeAll(() => {
    post = vk.addPost({ text: 'Новости района' });
  });

  const caseOf = (text: string) =>
    readDb<{ id: number; number: number; status: string; topic: string | null; location: string | null; urgent: number; rejection_reason_id: string | null; repeat_of: number | null }>(
      service.dbPath,
      `SELECT c.* FROM cases c JOIN case_messages cm ON cm.case_id = c.id JOIN messages m ON m.id = cm.message_id WHERE m.text = ?`,
      text,
    )[0];
  const assignmentsOf = (caseId: number) =>
    readDb<{ department_id: string; role: string; status: string }>(service.dbPath, 'SELECT department_id, role, status FROM assignments WHERE case_id = ? ORDER BY seq', caseId);

  /** A citizen's comment arrives; returns the administrator's card once it shows the buttons. */
  async function comment(from: number, text: string): Promise<ChatMessage> {
    vk.commentArrives({ post_id: post.id, from_id: from, text });
    return tg.waitForMessage(admin.id, (m) => (m.text ?? '').includes(text) && tg.buttonsOf(m).some((b) => b.callback_data?.startsWith('adm.')), 15_000);
  }

  it('suggests department, topic and location from the organization file; applies one only when pressed', async () => {
    const text = 'На ул. Ленина огромная яма, асфальт разбит, машины объезжают по тротуару';
    const card = await comment(CITIZEN.id, text);
    expect(card.text).toContain('Подсказки');
    expect(card.text).toMatch(/Отдел дорожного хозяйства · \d+ %, по словам: [^\n]*(яма|асфальт)/);
    expect(card.text).toContain('Тема: Дороги');
    expect(card.text).toContain('Локация: ул. Ленина («ленина»)');
    const c = caseOf(text)!;
    // Shown, not applied.
    expect(c).toMatchObject({ status: 'new', topic: null, location: null });
    expect(assignmentsOf(c.id)).toEqual([]);

    await press(tg, admin, card, '💡 Локация: ул. Ленина');
    await waitForEdit(tg, card, /Локация: ул\. Ленина\n/);
    await waitFor(() => caseOf(text)!.location === 'ул. Ленина');
    expect(caseOf(text)!.topic).toBeNull(); // only what was pressed
    await press(tg, admin, card, /^💡 → Отдел дорожного хозяйства/);
    await waitForEdit(tg, card, /Статус: направлено исполнителю/, 15_000);
    expect(assignmentsOf(c.id)).toEqual([{ department_id: 'roads', role: 'responsible', status: expect.any(String) }]);
  }, 60_000);

  it('learns from the administrator’s routing: words unknown to the organization file point to the department he chose', async () => {
    const first = 'Шлагбаум у переезда третий день не поднимается';
    const card1 = await comment(CITIZEN.id, first);
    expect(tg.buttonsOf(card1).some((b) => b.text.startsWith('💡 →'))).toBe(false); // nothing known yet
    // He routes it to the ЖКХ department through the ordinary picker: one decision stored.
    await press(tg, admin, card1, 'Направить в подразделения');
    await press(tg, admin, card1, /^Отдел ЖКХ$/);
    await buttonShown(tg, card1, /^1\. Отдел ЖКХ ★$/);
    await press(tg, admin, card1, /Направить \(1/);
    await waitForEdit(tg, card1, /Статус: направлено исполнителю/, 15_000);

    const second = 'Шлагбаум у переезда опять не поднимается, машины стоят';
    const card2 = await comment(502, second);
    expect(card2.text).toMatch(/Отдел ЖКХ · \d+ %, по словам: [^\n]*(шлагбаум|переезда|поднимается)/);
    expect(tg.buttonsOf(card2).some((b) => b.text.startsWith('💡 → Отдел ЖКХ'))).toBe(true);
    // Another citizen about the same thing: offered as a repeat of the first case, with its answer state.
    const n1 = caseOf(first)!.number;
    expect(card2.text).toContain(`Повторное: № ${n1}`);
    expect(card2.text).toContain(`По № ${n1} ответ ещё не опубликован`);
    await press(tg, admin, card2, `💡 Повторное: № ${n1}`);
    await waitFor(() => caseOf(second)!.repeat_of === caseOf(first)!.id);
  }, 60_000);

  it('flags a disguised obscenity and suggests the rejection and ban buttons; the press rejects with that reason', async () => {
    const text = 'Вы там все ох**ли, дебилы, х*рней занимаетесь, а дороги стоят';
    const card = await comment(502, text);
    expect(card.text).toContain('🛑 Нецензурные выражения: «ох**ли»');
    expect(card.text).toContain('🛑 Оскорбления: «дебилы»');
    // А10: an insult is also a ground to block; the button opens the term choice (a second press).
    expect(tg.buttonsOf(card).some((b) => b.text.startsWith('💡 Заблокировать: оскорбления'))).toBe(true);
    expect(tg.buttonsOf(card).some((b) => b.text.startsWith('💡 →'))).toBe(false); // no routing for a flagged text
    expect(caseOf(text)!.status).toBe('new');
    await press(tg, admin, card, /^💡 Отклонить: нецензурные/);
    await waitForEdit(tg, card, /Статус: отклонено/, 15_000);
    expect(caseOf(text)).toMatchObject({ status: 'rejected', rejection_reason_id: 'obscene_or_offensive' });
  }, 60_000);

  it('suggests «Срочно — главе» for an accident (А17) and escalates only on the press', async () => {
    const text = 'Прорвало водопровод на ул. Ленина, вода хлещет, затопило подвалы двух домов';
    const card = await comment(CITIZEN.id, text);
    expect(card.text).toMatch(/Похоже на значимое происшествие \(А17\): [^\n]*(прорвало|хлещет|затопило)/);
    expect(caseOf(text)!.urgent).toBe(0);
    await press(tg, admin, card, '💡 Срочно — главе');
    await waitFor(() => caseOf(text)!.urgent === 1);
  }, 60_000);

  it('checks a stub draft: warnings on the executor’s preview and on the approver’s notice, the draft still goes', async () => {
    const text = 'Во дворе дома 3 не вывозят мусор вторую неделю';
    const card = await comment(CITIZEN.id, text);
    const id = caseOf(text)!.id;
    await press(tg, admin, card, /^💡 → Отдел ЖКХ/);
    await waitFor(() => assignmentsOf(id).length === 1);
    const designation = await tg.waitForMessage(deptHead.id, (m) => tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`dh.des:${id}:`) && /Петров/.test(b.text)), 15_000);
    tg.userPressesButton(deptHead, designation, tg.buttonsOf(designation).find((b) => b.callback_data?.startsWith(`dh.des:${id}:`) && /Петров/.test(b.text))!.callback_data!);
    const pressData = async (re: RegExp) => {
      const m = await tg.waitForMessage(executor.id, (x) => tg.buttonsOf(x).some((b) => re.test(b.callback_data ?? '')), 15_000);
      tg.userPressesButton(executor, m, tg.buttonsOf(m).find((b) => re.test(b.callback_data ?? ''))!.callback_data!);
    };
    await pressData(new RegExp(`^ex\\.acc:${id}:`));
    await waitFor(() => readDb<{ status: string }>(service.dbPath, 'SELECT status FROM cases WHERE id = ?', id)[0]!.status === 'in_work');
    await pressData(new RegExp(`^ex\\.draft:${id}`));
    await tg.waitForMessage(executor.id, /Проект ответа/, 10_000);
    tg.userSendsText(executor, 'Ваше обращение рассмотрено.');
    await tg.waitForMessage(executor.id, /Добавлено в проект/, 10_000);
    await pressData(new RegExp(`^ex\\.show:${id}`));
    const preview = await tg.waitForMessage(executor.id, (m) => /Проверка черновика/.test(m.text ?? ''), 10_000);
    expect(preview.text).toContain('отписку');
    expect(preview.text).toContain('нет приветствия');
    expect(preview.text).toContain('автор не назван по имени (Ольга)');
    await pressData(new RegExp(`^ex\\.send:${id}`));
    await waitFor(() => readDb<{ status: string }>(service.dbPath, 'SELECT status FROM cases WHERE id = ?', id)[0]!.status === 'on_approval');
    const notice = await tg.waitForMessage(admin.id, (m) => /проект ответа на утверждение/.test(m.text ?? '') && /Проверка черновика/.test(m.text ?? ''), 10_000);
    expect(notice.text).toContain('отписку');
  }, 90_000);

  it('/find with Russian morphology and ranking: «ям» finds «яма», «Ленина» finds «ул. Ленина», the closest first', async () => {
    const pothole = caseOf('На ул. Ленина огромная яма, асфальт разбит, машины объезжают по тротуару')!.number;
    const flood = caseOf('Прорвало водопровод на ул. Ленина, вода хлещет, затопило подвалы двух домов')!.number;
    const find = async (q: string) => {
      const before = tg.messagesTo(admin.id).length;
      tg.userSendsText(admin, `/find ${q}`);
      return (await tg.waitForMessage(admin.id, (m) => /Найдено|Ничего не найдено/.test(m.text ?? '') && tg.messagesTo(admin.id).indexOf(m) >= before, 10_000)).text ?? '';
    };
    expect(await find('ям')).toContain(`/case_${pothole} `);
    expect(await find('ямами')).toContain(`/case_${pothole} `);
    const lenina = await find('Ленина');
    expect(lenina).toContain(`/case_${pothole} `);
    expect(lenina).toContain(`/case_${flood} `);
    // Every word is required.
    const both = (await find('Ленина водопровод')).split('\n').filter((l) => l.startsWith('/case_'));
    expect(both).toHaveLength(1);
    expect(both[0]).toContain(`/case_${flood} `);
    expect(await find('трамвай')).toMatch(/Ничего не найдено/);
  }, 60_000);
});

describe('assistance under the Канаш regulation (no bans, no push to the head)', () => {
  let post: { id: number };

  const { tg, vk } = serviceHarness({ regulation: 'kanash-2020', env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' }, vkUsers: [{ id: 601, first_name: 'Пётр', last_name: 'Иванов' }] });
  beforeAll(() => {
    post = vk.addPost({ text: 'Новости города' });
  });

  async function comment(text: string): Promise<ChatMessage> {
    vk.commentArrives({ post_id: post.id, from_id: 601, text });
    return tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes(text) && tg.buttonsOf(m).some((b) => b.callback_data?.startsWith('adm.')), 15_000);
  }

  it('advertising is flagged without a button (К19 has no such ground); a threat suggests the К19 rejection', async () => {
    const ad = await comment('Натяжные потолки недорого, скидка 20 %, звоните 8-927-000-11-22');
    expect(ad.text).toContain('🛑 Реклама или спам');
    expect(ad.text).toContain('в регламенте нет такого основания, решите сами');
    expect(tg.buttonsOf(ad).some((b) => b.text.startsWith('💡'))).toBe(false);

    const threat = await comment('Если не почините свет, приду и голову оторву вашему начальнику');
    expect(threat.text).toContain('🛑 Угрозы');
    await press(tg, people.admin, threat, /^💡 Отклонить: угрозы жизни/);
    await waitForEdit(tg, threat, /Статус: отклонено/, 15_000);

    const flood = await comment('На ул. Ленина прорвало трубу, вода хлещет');
    expect(flood.text).not.toContain('значимое происшествие'); // the push to the head is Ахты's rule (А17)
    expect(tg.buttonsOf(flood).some((b) => b.text.includes('💡 Срочно'))).toBe(false);
  }, 60_000);
});
