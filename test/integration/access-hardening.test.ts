import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { type ChatMessage } from '../../src/sandbox/emulators/telegram.js';
import { organizationYaml, people } from '../support/service.js';
import { CITIZEN, serviceHarness } from '../support/harness.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';
import { answerOf, readDb } from './bot-admin-helpers.js';

/**
 * Case text never leaves the people entitled to it, through the real service process and the fake
 * Bot API: group chats get no command answer and no card; a person whose access ended has every card
 * neutralized and gets nothing more; an open input re-checks the role when the text arrives; a
 * department head can only name an executor of his department; a substitute is one of those offered;
 * forged presses by every kind of attacker change nothing and reveal nothing.
 */
const discussion = { id: -1001234567001, type: 'supergroup' as const, title: 'Обсуждение', username: 'adm_talk' };
const otherGroup = { id: -1001234567002, type: 'group' as const, title: 'Рабочая группа' };
const secondAdmin = { id: 100008, first_name: 'Алла' };
const citizen = CITIZEN.id;
/** How long the fake Bot API holds its answer to a send in the in-flight test. */
const SLOW_ANSWER_MS = 3_000;

function orgYaml(opts: { withoutRoadsExecutor?: boolean } = {}): string {
  let y = organizationYaml({ extra: `telegramChannel: { discussionChatId: ${discussion.id} }` }).replace(
    '  - { telegramId: 100007,',
    '  - { telegramId: 100008, name: Админова А.А., roles: [administrator], department: zhkh }\n  - { telegramId: 100007,',
  );
  if (opts.withoutRoadsExecutor) y = y.replace(/ {2}- \{ telegramId: 100006,[^\n]*\n/, '');
  return y;
}

describe('access hardening through the service', () => {
  const secret = 'Текст жалобы: протекает крыша, тел. +7 900 111-22-33';

  const { tg, vk, service } = serviceHarness({
    orgYaml: orgYaml(),
    env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', LOG_LEVEL: 'info' },
    vkUsers: [CITIZEN],
    before: ({ tg }) => [discussion, otherGroup].forEach((chat) => tg.addChat(chat)),
  });

  const staffId = (telegramId: number) => readDb<{ id: number }>(service.dbPath, 'SELECT id FROM staff WHERE telegram_id = ?', telegramId)[0]!.id;
  const caseVersion = (id: number) => readDb<{ version: number }>(service.dbPath, 'SELECT version FROM cases WHERE id = ?', id)[0]!.version;
  const eventCount = (id: number) => readDb<{ n: number }>(service.dbPath, 'SELECT count(*) AS n FROM audit_events WHERE case_id = ?', id)[0]!.n;
  const mentions = (chatId: number, text: string) => tg.messagesTo(chatId).filter((m) => (m.text ?? '').includes(text) || m.history.some((h) => (h.text ?? '').includes(text)));

  async function newCase(text: string): Promise<{ id: number; number: number }> {
    const post = vk.addPost({ text: 'Новости города' });
    vk.commentArrives({ post_id: post.id, from_id: citizen, text });
    const card = await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes(text), 15_000);
    const id = Number(
      tg
        .buttonsOf(card)
        .find((b) => b.callback_data?.startsWith('adm.'))!
        .callback_data!.split(':')[1],
    );
    return { id, number: readDb<{ number: number }>(service.dbPath, 'SELECT number FROM cases WHERE id = ?', id)[0]!.number };
  }

  /** Assigns to ЖКХ and has the department head designate Петров; returns his card. */
  async function assignedToPetrov(caseId: number, text: string): Promise<ChatMessage> {
    tg.userSendsCallback(people.admin, `adm.assign:${caseId}:0-0`, undefined, people.admin.id);
    const headCard = await tg.waitForMessage(people.deptHead.id, (m) => tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`dh.des:${caseId}:`) && b.text.includes('Петров')), 15_000);
    const b = tg.buttonsOf(headCard).find((x) => x.callback_data?.startsWith(`dh.des:${caseId}:`) && x.text.includes('Петров'))!;
    tg.userPressesButton(people.deptHead, headCard, b.callback_data!);
    return tg.waitForMessage(people.executor.id, (m) => (m.text ?? '').includes(text), 15_000);
  }

  /** The first administrator makes the second one an executor and takes the administrator's role away (through /staff buttons). */
  async function demoteSecondAdmin(): Promise<void> {
    const target = staffId(secondAdmin.id);
    const roles = () => readDb<{ roles: string }>(service.dbPath, 'SELECT roles FROM staff WHERE id = ?', target)[0]!.roles;
    if (roles() === '["executor"]') return;
    tg.userSendsCallback(people.admin, `stf.role:0:${target}.3`);
    await waitFor(() => roles().includes('executor'), { timeoutMs: 10_000 });
    tg.userSendsCallback(people.admin, `stf.role:0:${target}.0`);
    await waitFor(() => roles() === '["executor"]', { timeoutMs: 10_000 });
  }

  it('group chats: no command is answered, no card is sent, a command in the discussion group is not a case', async () => {
    const c = await newCase(`${secret} (группы)`);
    const messagesBefore = readDb<{ n: number }>(service.dbPath, 'SELECT count(*) AS n FROM messages')[0]!.n;
    const versionBefore = caseVersion(c.id);
    for (const chat of [discussion, otherGroup]) {
      tg.userSendsText(people.admin, `/case ${c.number}`, { chat });
      tg.userSendsText(people.admin, '/find крыша', { chat });
      tg.userSendsText(people.admin, '/staff', { chat });
      tg.userSendsText(people.executor, '/queue', { chat });
      // A forged triage press from a message in the group.
      tg.userSendsCallback(people.admin, `adm.imp:${c.id}:0`, 1, chat.id);
    }
    await tg.waitForCall('getUpdates', () => tg.pendingUpdates().length === 0, 10_000);
    await expectNothingFor(() => tg.messagesTo(discussion.id).length + tg.messagesTo(otherGroup.id).length > 0, 1_500, 'a bot message in a group chat');
    expect(readDb<{ n: number }>(service.dbPath, 'SELECT count(*) AS n FROM messages')[0]!.n).toBe(messagesBefore);
    expect(readDb<{ n: number }>(service.dbPath, 'SELECT count(*) AS n FROM case_cards WHERE chat_id < 0')[0]!.n).toBe(0);
    expect(caseVersion(c.id)).toBe(versionBefore);
    // A citizen's ordinary comment in the discussion group still becomes a case.
    tg.userSendsText({ id: 777001, first_name: 'Нина' }, 'Во дворе нет освещения', { chat: discussion });
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('Во дворе нет освещения'), 15_000);
  }, 40_000);

  it('a press on an inline-mode message (no chat) is answered and changes nothing', async () => {
    const c = await newCase(`${secret} (inline)`);
    const from = service.logs.length;
    tg.pushUpdate({
      callback_query: { id: 'inline-1', from: { id: people.admin.id, is_bot: false, first_name: 'Анна' }, inline_message_id: 'AAQ', chat_instance: '1', data: `adm.rep:${c.id}:search` },
    });
    const answer = await tg.waitForCall('answerCallbackQuery', (call) => call.params.callback_query_id === 'inline-1', 10_000);
    expect(String(answer.params.text ?? '')).not.toMatch(/Не удалось/);
    await expectNothingFor(() => /TypeError|feature failed|unhandled error/.test(service.logs.slice(from)), 500, 'an error logged for the press');
  }, 20_000);

  it('a department head can name only an active executor of his department; a substitute only one of those offered', async () => {
    const c = await newCase(`${secret} (назначение)`);
    tg.userSendsCallback(people.admin, `adm.assign:${c.id}:0-0`, undefined, people.admin.id);
    await tg.waitForMessage(people.deptHead.id, (m) => tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`dh.des:${c.id}:`)), 15_000);
    const version = caseVersion(c.id);
    for (const forged of [staffId(people.roadsExecutor.id), staffId(people.roadsHead.id), 999_999]) {
      const q = tg.userSendsCallback(people.deptHead, `dh.des:${c.id}:1.${forged}`);
      expect((await answerOf(tg, q)).show_alert).toBe(true);
    }
    expect(caseVersion(c.id)).toBe(version);
    expect(readDb<{ executor_id: number | null }>(service.dbPath, 'SELECT executor_id FROM assignments WHERE case_id = ? AND seq = 1', c.id)[0]!.executor_id).toBeNull();

    // /away: the roads department head is not offered to a ЖКХ executor; forging him is refused.
    const own = staffId(people.executor.id);
    const q = tg.userSendsCallback(people.executor, `stf.aws:0:${own}.3.${staffId(people.roadsHead.id)}`);
    expect((await answerOf(tg, q)).show_alert).toBe(true);
    expect(readDb(service.dbPath, 'SELECT id FROM absences WHERE staff_id = ?', own)).toHaveLength(0);
  }, 40_000);

  it('a demoted administrator: his open search input re-checks the role and returns nothing', async () => {
    const c = await newCase(`${secret} (поиск)`);
    const earlier = `${secret} (ранее)`;
    await newCase(earlier);
    tg.userSendsCallback(secondAdmin, `adm.rep:${c.id}:search`);
    await tg.waitForMessage(secondAdmin.id, /номер|текст/i, 10_000);
    await demoteSecondAdmin();
    const before = tg.messagesTo(secondAdmin.id).length;
    tg.userSendsText(secondAdmin, 'ранее');
    await tg.waitForMessage(secondAdmin.id, (m) => tg.messagesTo(secondAdmin.id).length > before && /права изменились/.test(m.text ?? ''), 10_000);
    await expectNothingFor(
      () =>
        tg
          .messagesTo(secondAdmin.id)
          .slice(before)
          .some((m) => (m.text ?? '').includes(earlier)),
      1_000,
      'an earlier case shown to the demoted administrator',
    );
  }, 40_000);

  it('a demoted administrator keeps only the cards of cases he may still open; the others are neutralized and never updated', async () => {
    // He is an administrator again (the test above made him an executor of ЖКХ) and gets the cards of two new cases.
    const target = staffId(secondAdmin.id);
    const roles = () => readDb<{ roles: string }>(service.dbPath, 'SELECT roles FROM staff WHERE id = ?', target)[0]!.roles;
    const toggleAdministrator = `stf.role:0:${target}.0`;
    tg.userSendsCallback(people.admin, toggleAdministrator);
    await waitFor(() => roles().includes('administrator'), { timeoutMs: 10_000 });
    const unassignedText = `${secret} (не его отдела)`;
    const assignedText = `${secret} (его отдела)`;
    const unassigned = await newCase(unassignedText);
    const assigned = await newCase(assignedText);
    const cardAbout = (text: string) => tg.messagesTo(secondAdmin.id).find((m) => [m, ...m.history].some((h) => (h.text ?? '').includes(text)));
    await waitFor(() => cardAbout(unassignedText) && cardAbout(assignedText), { timeoutMs: 15_000, message: 'both cards in his chat' });
    tg.userSendsCallback(people.admin, `adm.assign:${assigned.id}:0-0`, undefined, people.admin.id);
    await waitFor(() => readDb(service.dbPath, 'SELECT seq FROM assignments WHERE case_id = ?', assigned.id).length > 0, { timeoutMs: 10_000 });

    tg.userSendsCallback(people.admin, toggleAdministrator);
    await waitFor(() => roles() === '["executor"]', { timeoutMs: 10_000 });
    const hidden = await waitFor(
      () => {
        const m = cardAbout(unassignedText);
        return m && /Доступ к обращениям закрыт/.test(m.text ?? '') ? m : undefined;
      },
      { timeoutMs: 15_000, message: 'the card of a case he may no longer open neutralized' },
    );
    expect(tg.buttonsOf(hidden)).toHaveLength(0);
    expect(readDb(service.dbPath, 'SELECT case_id FROM case_cards WHERE chat_id = ? AND case_id = ?', secondAdmin.id, unassigned.id)).toHaveLength(0);
    // The case of his department (assigned to ЖКХ) stays on his screen.
    expect(cardAbout(assignedText)!.text ?? '').toContain(assignedText);
    expect(readDb(service.dbPath, 'SELECT case_id FROM case_cards WHERE chat_id = ? AND case_id = ?', secondAdmin.id, assigned.id)).toHaveLength(1);
    // A later change of the hidden case (the administrator sets its topic) does not edit the neutral card again.
    const edits = hidden.history.length;
    const version = caseVersion(unassigned.id);
    const adminCard = tg.messagesTo(people.admin.id).find((m) => tg.buttonsOf(m).some((b) => new RegExp(`^adm\\.[a-z]+:${unassigned.id}(:|$)`).test(b.callback_data ?? '')));
    expect(adminCard, 'the administrator has the card of that case').toBeDefined();
    tg.userPressesButton(people.admin, adminCard!, `adm.topic:${unassigned.id}:0`);
    await waitFor(() => caseVersion(unassigned.id) > version, { timeoutMs: 10_000, message: 'the topic set' });
    await expectNothingFor(
      () => cardAbout(unassignedText)!.history.length !== edits || !/Доступ к обращениям закрыт/.test(cardAbout(unassignedText)!.text ?? ''),
      1_500,
      'the neutral card edited again',
    );
  }, 60_000);

  it('an earlier copy of a card keeps no case text once a fresh one is sent below (/case)', async () => {
    const text = `${secret} (копия)`;
    const c = await newCase(text);
    const first = tg.messagesTo(people.admin.id).find((m) => (m.text ?? '').includes(text))!;
    tg.userSendsText(people.admin, `/case_${c.number}`);
    const fresh = await tg.waitForMessage(people.admin.id, (m) => m.message_id > first.message_id && (m.text ?? '').includes(text), 15_000);
    const moved = await tg.waitForMessage(people.admin.id, (m) => m.message_id === first.message_id && !(m.text ?? '').includes(text), 15_000);
    expect(moved.text).toContain(`№ ${c.number}`);
    expect(tg.buttonsOf(moved)).toHaveLength(0);
    expect(tg.buttonsOf(fresh).length).toBeGreaterThan(0);
  }, 40_000);

  it('a card still being sent when access ends is taken back as soon as it arrives', async () => {
    await demoteSecondAdmin();
    const text = `${secret} (в пути)`;
    const c = await newCase(text);
    tg.userSendsCallback(people.admin, `adm.assign:${c.id}:0-0`, undefined, people.admin.id);
    const isHers = (x: { text: string; callback_data?: string }) => x.callback_data?.startsWith(`dh.des:${c.id}:`) && x.text.includes('Админова');
    const headCard = await tg.waitForMessage(people.deptHead.id, (m) => tg.buttonsOf(m).some(isHers), 15_000);
    // Telegram is slow to answer: the card is in her chat before the service learns its message id.
    tg.failNext('sendMessage', { kind: 'delay', ms: SLOW_ANSWER_MS }, 5);
    tg.userPressesButton(people.deptHead, headCard, tg.buttonsOf(headCard).find(isHers)!.callback_data!);
    const card = await tg.waitForMessage(secondAdmin.id, (m) => (m.text ?? '').includes(text), 15_000);
    tg.userSendsCallback(people.admin, `stf.offok:0:${staffId(secondAdmin.id)}`);
    await waitFor(() => readDb<{ active: number }>(service.dbPath, 'SELECT active FROM staff WHERE telegram_id = ?', secondAdmin.id)[0]!.active === 0, { timeoutMs: 10_000 });
    const neutral = await tg.waitForMessage(secondAdmin.id, (m) => m.message_id === card.message_id && /Доступ к обращениям закрыт/.test(m.text ?? ''), 15_000);
    expect(tg.buttonsOf(neutral)).toHaveLength(0);
    expect(tg.messagesTo(secondAdmin.id).filter((m) => (m.text ?? '').includes(text))).toHaveLength(0);
  }, 60_000);

  it('access ended in the bot: every card in the chat is neutralized and never updated; forged presses by every kind of attacker change nothing', async () => {
    await demoteSecondAdmin();
    const text = `${secret} (отключение)`;
    const c = await newCase(text);
    const card = await assignedToPetrov(c.id, text);
    // Петров is deactivated by the administrator.
    tg.userSendsCallback(people.admin, `stf.offok:0:${staffId(people.executor.id)}`);
    await waitFor(() => readDb<{ active: number }>(service.dbPath, 'SELECT active FROM staff WHERE telegram_id = ?', people.executor.id)[0]!.active === 0, { timeoutMs: 10_000 });
    const neutral = await tg.waitForMessage(people.executor.id, (m) => m.message_id === card.message_id && /Доступ к обращениям закрыт/.test(m.text ?? ''), 10_000);
    expect(tg.buttonsOf(neutral)).toHaveLength(0);
    expect(readDb(service.dbPath, 'SELECT id FROM case_cards WHERE chat_id = ?', people.executor.id)).toHaveLength(0);

    // Attackers of every kind press the buttons of this case.
    const inGroup = { ...people.admin };
    const attackers: Array<{ who: { id: number; first_name: string }; chat?: number }> = [
      { who: people.stranger },
      { who: people.roadsExecutor },
      { who: people.roadsHead },
      { who: people.executor }, // deactivated
      { who: secondAdmin }, // demoted to executor in the test above
      { who: inGroup, chat: otherGroup.id },
    ];
    const version = caseVersion(c.id);
    const events = eventCount(c.id);
    const outboxBefore = readDb<{ n: number }>(service.dbPath, "SELECT count(*) AS n FROM outbox WHERE channel = 'vk'")[0]!.n;
    const forged = [
      `adm.imp:${c.id}:0`,
      `adm.rej:${c.id}:0`,
      `adm.assign:${c.id}:1-1`,
      `dh.des:${c.id}:1.${staffId(people.roadsExecutor.id)}`,
      `ex.acc:${c.id}:1`,
      `ex.ret:${c.id}:1`,
      `ap.ok:${c.id}`,
      `ap.pub:${c.id}`,
      `ext.req:${c.id}`,
    ];
    const privateQueries: Array<{ q: string; what: string }> = [];
    for (const a of attackers) {
      for (const data of forged) {
        const q = tg.userSendsCallback(a.who, data, a.chat ? 1 : undefined, a.chat);
        if (!a.chat) privateQueries.push({ q, what: `${a.who.first_name} ${data}` });
      }
    }
    const quiet: string[] = [];
    for (const p of privateQueries) if ((await answerOf(tg, p.q)).show_alert !== true) quiet.push(p.what);
    expect(quiet, 'presses answered without a refusal').toEqual([]);
    await expectNothingFor(() => tg.messagesTo(otherGroup.id).length > 0, 1_000, 'a bot message in the group');
    expect(caseVersion(c.id)).toBe(version);
    expect(eventCount(c.id)).toBe(events);
    expect(readDb<{ n: number }>(service.dbPath, "SELECT count(*) AS n FROM outbox WHERE channel = 'vk'")[0]!.n).toBe(outboxBefore);
    for (const a of attackers.filter((x) => x.who.id !== people.executor.id)) {
      expect(mentions(a.chat ?? a.who.id, text), `case text shown to ${a.who.first_name}`).toHaveLength(0);
    }

    // The case moves on (the citizen writes again, the administrator sets the topic): the neutral card stays neutral.
    const executorMessages = tg.messagesTo(people.executor.id).length;
    const edits = neutral.history.length;
    vk.commentArrives({ post_id: vk.addPost({ text: 'Ещё пост' }).id, from_id: citizen, text: 'Добавлю: вода уже в подъезде' });
    tg.userSendsCallback(people.admin, `adm.topic:${c.id}:0`, undefined, people.admin.id);
    await waitFor(() => caseVersion(c.id) > version, { timeoutMs: 10_000 });
    await expectNothingFor(
      () => tg.messagesTo(people.executor.id).length !== executorMessages || tg.messagesTo(people.executor.id).find((m) => m.message_id === card.message_id)!.history.length !== edits,
      1_500,
      'a message or an edit to the deactivated person',
    );
  }, 60_000);

  it('removed from the organization file: his cards are neutralized at start', async () => {
    const text = `${secret} (удалён из файла)`;
    const c = await newCase(text);
    tg.userSendsCallback(people.admin, `adm.assign:${c.id}:1-1`, undefined, people.admin.id);
    const headCard = await tg.waitForMessage(people.roadsHead.id, (m) => tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`dh.des:${c.id}:`)), 15_000);
    tg.userPressesButton(people.roadsHead, headCard, tg.buttonsOf(headCard).find((b) => b.callback_data?.startsWith(`dh.des:${c.id}:`))!.callback_data!);
    const card = await tg.waitForMessage(people.roadsExecutor.id, (m) => (m.text ?? '').includes(text), 15_000);
    await service.stop();
    writeFileSync(service.configPath, orgYaml({ withoutRoadsExecutor: true }));
    await service.start();
    await tg.waitForMessage(people.roadsExecutor.id, (m) => m.message_id === card.message_id && /Доступ к обращениям закрыт/.test(m.text ?? ''), 15_000);
    expect(readDb(service.dbPath, 'SELECT id FROM case_cards WHERE chat_id = ?', people.roadsExecutor.id)).toHaveLength(0);
  }, 60_000);

  it('a card an older version left in a group chat is neutralized at start and never updated by a later triage', async () => {
    const c = await newCase(`${secret} (старая групповая карточка)`);
    await service.stop();
    // The state an older version left behind: the case's card registered in a group chat.
    const db = new Database(service.dbPath);
    try {
      db.prepare('INSERT INTO case_cards (case_id, chat_id, staff_id, message_ids, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?)').run(c.id, otherGroup.id, '[777]', Date.now(), Date.now());
    } finally {
      db.close();
    }
    await service.start();
    await tg.waitForCall('editMessageText', (call) => Number(call.params.chat_id) === otherGroup.id && /Доступ к обращениям закрыт/.test(String(call.params.text)), 15_000);
    expect(readDb(service.dbPath, 'SELECT id FROM case_cards WHERE chat_id < 0')).toHaveLength(0);
    const calls = () => tg.calls().filter((call) => Number(call.params.chat_id) === otherGroup.id).length;
    const before = calls();
    tg.userSendsCallback(people.admin, `adm.topic:${c.id}:1`, undefined, people.admin.id);
    await waitFor(() => readDb<{ topic: string | null }>(service.dbPath, 'SELECT topic FROM cases WHERE id = ?', c.id)[0]!.topic !== null, { timeoutMs: 10_000 });
    await expectNothingFor(() => calls() > before, 1_500, 'a call to the group chat after the triage');
  }, 60_000);
});
