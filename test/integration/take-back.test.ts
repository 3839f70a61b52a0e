import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ServiceProcess, maxOrganizationYaml, maxPeople, organizationYaml, people } from '../support/service.js';
import { CITIZEN, randomTelegramToken } from '../support/harness.js';
import { FakeTelegram, type ChatMessage } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { FakeMax, type MaxPerson, type MaxSentMessage } from '../../src/sandbox/emulators/max.js';
import { MAX_WORKSPACE_BASE } from '../../src/kernel/workspace-id.js';
import { assign, designate, escaped, newCase, press, q, setup, status, waitFor, type Harness } from './bot-work-helpers.js';

/**
 * When a person's access ends, every bot message in his chat that quotes a case is taken back — not
 * only the cards: the draft preview, the rework comment with the earlier version, the photo of the
 * draft. Through the running service and the fake Bot API (which keeps each message's edit history
 * and deleted flag).
 */
const { admin, executor, deptHead } = people;
/** How long the fake Bot API holds its answer to a photo in the in-flight test. */
const SLOW_ANSWER_MS = 5_000;

/** A case in Петров's hands with a draft (a photo and a text) sent to rework by the administrator: his chat quotes it all. */
async function caseWithRework(h: Harness, complaint: string, answer: string, remark: string): Promise<number> {
  const id = await draftOnApproval(h, complaint, answer);
  await h.tg.waitForMessage(admin.id, (m) => (m.text ?? '').includes(answer), 10_000);
  await press(h.tg, admin, escaped(`ap.rw:${id}`));
  await h.tg.waitForMessage(admin.id, /замечание/, 10_000);
  h.tg.userSendsText(admin, remark);
  await waitFor(() => status(h.service, id) === 'rework', 10_000);
  // The rework comment beside the earlier version.
  await h.tg.waitForMessage(executor.id, (m) => (m.text ?? '').includes(remark) && (m.text ?? '').includes(answer), 10_000);
  return id;
}

/** Петров drafts a photo and a text, previews it and sends it: the administrators get it as it will be published. */
async function draftOnApproval(h: Harness, complaint: string, answer: string, beforeSend?: () => void): Promise<number> {
  const id = await newCase(h, complaint);
  await assign(h, id, '0-0');
  await designate(h, deptHead, id, /Петров/);
  await press(h.tg, executor, escaped(`ex.acc:${id}:`));
  await waitFor(() => status(h.service, id) === 'in_work', 10_000);
  await press(h.tg, executor, escaped(`ex.draft:${id}`));
  await h.tg.waitForMessage(executor.id, (m) => (m.text ?? '').includes(complaint) && /Проект ответа/.test(m.text ?? ''), 10_000);
  h.tg.userSendsPhoto(executor, {});
  await h.tg.waitForMessage(executor.id, /Добавлено в проект/, 10_000);
  h.tg.userSendsText(executor, answer);
  await waitFor(() => h.tg.messagesTo(executor.id).filter((m) => /Добавлено в проект/.test(m.text ?? '')).length >= 2, 10_000);
  // The preview: the photo, then the text as it will be published.
  await press(h.tg, executor, escaped(`ex.show:${id}`));
  await waitFor(() => h.tg.messagesTo(executor.id).some((m) => m.kind === 'photo'), 10_000);
  beforeSend?.();
  await press(h.tg, executor, escaped(`ex.send:${id}`));
  await waitFor(() => status(h.service, id) === 'on_approval', 10_000);
  return id;
}

/** The bot's messages in the chat that still show case content: a quoted text, or a photo not deleted. */
function stillShown(tg: FakeTelegram, chatId: number, texts: string[]): ChatMessage[] {
  return tg.messagesTo(chatId).filter((m) => m.kind !== 'text' || texts.some((t) => (m.text ?? '').includes(t) || (m.caption ?? '').includes(t)));
}

const staffId = (h: Harness, telegramId: number) => q<{ id: number }>(h.service, 'SELECT id FROM staff WHERE telegram_id = ?', telegramId).id;

/** A second administrator, of the roads department: as an executor he may not open a ЖКХ case. */
const secondAdmin = { id: 100008, first_name: 'Алла' };
const orgYaml = organizationYaml({ regulation: 'akhty-2021' }).replace(
  '  - { telegramId: 100001,',
  `  - { telegramId: ${secondAdmin.id}, name: Админова А.А., roles: [administrator], department: roads }\n  - { telegramId: 100001,`,
);

describe('access ended: every message quoting a case is taken back (akhty-2021)', () => {
  const h = setup('akhty-2021', undefined, orgYaml);

  it('an administrator made an executor of another department keeps no preview and no search result of a case he may no longer open; its photo, too old to delete, loses its caption', async () => {
    const complaint = 'Подвал дома 21 затоплен, жильцы жалуются на запах';
    const answer = 'Воду откачают до вечера среды.';
    const remark = 'Добавьте номер аварийной службы';
    await caseWithRework(h, complaint, answer, remark);
    const texts = [complaint, answer];
    // He saw the draft for approval: the photo and the text as it will be published.
    await waitFor(() => stillShown(h.tg, secondAdmin.id, texts).some((m) => m.kind === 'photo'), 10_000);
    expect(stillShown(h.tg, secondAdmin.id, texts).some((m) => m.kind === 'text' && (m.text ?? '').includes(answer))).toBe(true);

    // A search result listing the case (a direct answer of the bot, about several cases).
    const listed = stillShown(h.tg, secondAdmin.id, [complaint]).length;
    h.tg.userSendsText(secondAdmin, '/find подвал дома 21');
    await waitFor(() => stillShown(h.tg, secondAdmin.id, [complaint]).some((m) => /Найдено/.test(m.text ?? '')) && stillShown(h.tg, secondAdmin.id, [complaint]).length > listed, 10_000);

    // His photo was sent three days ago (as far as the record knows): Telegram no longer lets the bot delete it.
    const photo = h.tg.messagesTo(secondAdmin.id).find((m) => m.kind === 'photo')!;
    const db = new Database(h.service.dbPath);
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare('UPDATE sent_messages SET sent_at = ? WHERE chat_id = ? AND message_id = ?').run(Date.now() - 72 * 3_600_000, secondAdmin.id, photo.message_id);
    } finally {
      db.close();
    }

    const target = staffId(h, secondAdmin.id);
    const roles = () => q<{ roles: string }>(h.service, 'SELECT roles FROM staff WHERE id = ?', target).roles;
    h.tg.userSendsCallback(admin, `stf.role:0:${target}.3`);
    await waitFor(() => roles().includes('executor'), 10_000);
    h.tg.userSendsCallback(admin, `stf.role:0:${target}.0`);
    await waitFor(() => roles() === '["executor"]', 10_000);

    // The text is neutralized; the old photo stays with the neutral caption instead of being deleted.
    await waitFor(() => /Доступ к обращениям закрыт/.test(photo.caption ?? ''), 20_000);
    expect(photo.deleted).toBe(false);
    expect(h.tg.calls('deleteMessage').some((c) => c.params.chat_id === secondAdmin.id && c.params.message_id === photo.message_id)).toBe(false);
    await waitFor(() => stillShown(h.tg, secondAdmin.id, texts).filter((m) => m !== photo).length === 0, 20_000);
    expect(h.tg.buttonsOf(photo)).toEqual([]);
  }, 120_000);

  it('a draft photo still on its way when access ends is deleted as soon as it arrives; the text behind it is not sent', async () => {
    const target = staffId(h, secondAdmin.id);
    const roles = () => q<{ roles: string }>(h.service, 'SELECT roles FROM staff WHERE id = ?', target).roles;
    h.tg.userSendsCallback(admin, `stf.role:0:${target}.0`);
    await waitFor(() => roles().includes('administrator'), 10_000);
    const answer = 'Трубу заменят в четверг.';
    const photos = () => h.tg.allMessages(secondAdmin.id).filter((m) => m.sender === 'bot' && m.kind === 'photo');
    const earlier = photos().length;
    // Both administrators' photos: executed by the fake at once, answered only after SLOW_ANSWER_MS.
    await draftOnApproval(h, 'Течёт труба в подъезде дома 2', answer, () => h.tg.failNext('sendPhoto', { kind: 'delay', ms: SLOW_ANSWER_MS }, 2));
    // The photo to him has reached the fake (its answer held back): now his access ends.
    await waitFor(() => photos().length > earlier, 10_000);
    h.tg.userSendsCallback(admin, `stf.offok:0:${target}`);
    await waitFor(() => q<{ active: number }>(h.service, 'SELECT active FROM staff WHERE id = ?', target).active === 0, 10_000);
    await waitFor(
      () =>
        photos().length > earlier &&
        photos()
          .slice(earlier)
          .every((m) => m.deleted),
      SLOW_ANSWER_MS + 10_000,
    );
    expect(stillShown(h.tg, secondAdmin.id, [answer]).filter((m) => m.kind === 'text')).toEqual([]);
    await h.tg.waitForMessage(admin.id, (m) => (m.text ?? '').includes(answer), 10_000);
  }, 120_000);

  it('a deactivated executor keeps no preview, no quoted comment, no search result, no photo; a restart before the take-back was sent still takes everything back', async () => {
    const complaint = 'Во дворе дома 9 прорвало трубу, тел. +7 900 555-44-33';
    const answer = 'Аварийная бригада устранит прорыв сегодня.';
    const remark = 'Уточните время приезда бригады';
    await caseWithRework(h, complaint, answer, remark);
    const texts = [complaint, answer, remark];
    // A search result quoting the citizen (a direct answer of the bot, not an outbox row).
    const quoting = () => stillShown(h.tg, executor.id, [complaint]).length;
    const quoted = quoting();
    h.tg.userSendsText(executor, '/find прорвало трубу');
    await h.tg.waitForMessage(executor.id, /Найдено/, 10_000);
    await waitFor(() => quoting() > quoted, 10_000);
    const before = stillShown(h.tg, executor.id, texts);
    expect(before.some((m) => m.kind === 'photo')).toBe(true);
    expect(before.filter((m) => m.kind === 'text').length).toBeGreaterThan(2);

    // The take-back cannot reach Telegram yet; the service dies after the deactivation was stored.
    h.tg.failNext('editMessageText', { kind: 'drop' }, 1_000);
    h.tg.failNext('deleteMessage', { kind: 'drop' }, 1_000);
    h.tg.userSendsCallback(admin, `stf.offok:0:${staffId(h, executor.id)}`);
    await waitFor(() => q<{ n: number }>(h.service, `SELECT count(*) AS n FROM outbox WHERE action = 'retireCards' AND json_extract(payload, '$.chatId') = ?`, executor.id).n > 0, 10_000);
    await h.service.kill();
    expect(stillShown(h.tg, executor.id, texts).length).toBe(before.length);
    h.tg.clearFailures();
    await h.service.start();

    await waitFor(() => stillShown(h.tg, executor.id, texts).length === 0, 20_000);
    const photos = h.tg.allMessages(executor.id).filter((m) => m.sender === 'bot' && m.kind === 'photo');
    expect(photos.length).toBeGreaterThan(0);
    expect(photos.every((m) => m.deleted)).toBe(true);
    // The edited messages show the neutral text and no buttons.
    const neutral = h.tg.messagesTo(executor.id).filter((m) => /Доступ к обращениям закрыт/.test(m.text ?? ''));
    expect(neutral.length).toBeGreaterThanOrEqual(before.filter((m) => m.kind === 'text').length);
    expect(neutral.every((m) => h.tg.buttonsOf(m).length === 0)).toBe(true);
  }, 120_000);

  it('removed from the organization file: his draft preview is taken back at start', async () => {
    const { roadsExecutor, roadsHead } = people;
    const complaint = 'Разбита дорога у школы № 3, машины вязнут';
    const id = await newCase(h, complaint);
    await assign(h, id, '1-1');
    await designate(h, roadsHead, id, /Васильев/);
    await press(h.tg, roadsExecutor, escaped(`ex.acc:${id}:`));
    await waitFor(() => status(h.service, id) === 'in_work', 10_000);
    await press(h.tg, roadsExecutor, escaped(`ex.draft:${id}`));
    const preview = await h.tg.waitForMessage(roadsExecutor.id, (m) => (m.text ?? '').includes(complaint) && /Проект ответа/.test(m.text ?? ''), 10_000);
    await h.service.stop();
    writeFileSync(h.service.configPath, orgYaml.replace(/ {2}- \{ telegramId: 100006,[^\n]*\n/, ''));
    await h.service.start();
    await waitFor(() => stillShown(h.tg, roadsExecutor.id, [complaint]).length === 0, 20_000);
    expect(preview.text).toMatch(/Доступ к обращениям закрыт/);
  }, 120_000);
});

describe('access ended in MAX: the same take-back through the MAX bridge', () => {
  const { admin, executor, deptHead } = maxPeople;
  const orgYaml = maxOrganizationYaml();
  const max = new FakeMax({ token: `max-${randomBytes(16).toString('hex')}`, name: 'Отклик' });
  const tg = new FakeTelegram({ token: randomTelegramToken() });
  const vk = new FakeVk();
  let h: Harness;
  beforeAll(async () => {
    await Promise.all([tg.start(), vk.start(), max.start()]);
    vk.addUser(CITIZEN);
    for (const p of [admin, executor, deptHead]) max.userStartsBot(p);
    const env = { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', LOG_LEVEL: 'info', MAX_API_ROOT: max.url, MAX_BOT_TOKEN: max.token };
    h = { tg, vk, service: new ServiceProcess({ telegram: tg, vk, orgYaml, env }) };
    await h.service.start();
    await vk.waitForPoller(10_000);
  }, 40_000);
  afterAll(async () => {
    await h?.service.dispose();
    await Promise.all([max.stop(), vk.stop(), tg.stop()]);
  });

  async function pressMax(user: MaxPerson, data: RegExp): Promise<void> {
    let found: { message: MaxSentMessage; payload: string } | null = null;
    await waitFor(() => {
      for (const m of [...max.messagesTo(user.user_id)].reverse()) {
        const b = max.buttonsOf(m).find((x) => x.type === 'callback' && x.payload && data.test(x.payload));
        if (b) return (found = { message: m, payload: b.payload! });
      }
      return false;
    }, 10_000);
    max.userPresses(user, found!.payload, found!.message.mid);
  }
  const added = () => max.messagesTo(executor.user_id).filter((m) => /Добавлено в проект/.test(m.text)).length;

  it('a deactivated executor in MAX keeps no case text and no photo', async () => {
    const complaint = 'На детской площадке сломаны качели, дом 14';
    const answer = 'Качели заменят до пятницы.';
    const remark = 'Назовите подрядчика';
    const post = h.vk.addPost({ text: 'Новости района' });
    h.vk.commentArrives({ post_id: post.id, from_id: CITIZEN.id, text: complaint });
    const card = await max.waitForMessage(admin.user_id, (m) => m.text.includes(complaint) && max.buttonsOf(m).some((b) => b.payload?.startsWith('adm.')), 15_000);
    const id = Number(
      max
        .buttonsOf(card)
        .find((b) => b.payload?.startsWith('adm.'))!
        .payload!.split(':')[1],
    );
    await pressMax(admin, new RegExp(`^adm\\.assign:${id}:`));
    await waitFor(() => status(h.service, id) === 'assigned', 10_000);
    await pressMax(deptHead, new RegExp(`^dh\\.des:${id}:`));
    await pressMax(executor, escaped(`ex.acc:${id}:`));
    await waitFor(() => status(h.service, id) === 'in_work', 10_000);
    await pressMax(executor, escaped(`ex.draft:${id}`));
    await max.waitForMessage(executor.user_id, (m) => m.text.includes(complaint) && /Проект ответа/.test(m.text), 10_000);
    max.userSendsPhoto(executor, Buffer.from('photo of the playground'));
    await waitFor(() => added() >= 1, 10_000);
    max.userSendsText(executor, answer);
    await waitFor(() => added() >= 2, 10_000);
    await pressMax(executor, escaped(`ex.show:${id}`));
    const hasImage = (m: MaxSentMessage) => m.attachments.some((a) => a.type === 'image');
    await waitFor(() => max.messagesTo(executor.user_id).some(hasImage), 10_000);
    await pressMax(executor, escaped(`ex.send:${id}`));
    await waitFor(() => status(h.service, id) === 'on_approval', 10_000);
    await pressMax(admin, escaped(`ap.rw:${id}`));
    await max.waitForMessage(admin.user_id, /замечание/, 10_000);
    max.userSendsText(admin, remark);
    await max.waitForMessage(executor.user_id, (m) => m.text.includes(remark) && m.text.includes(answer), 10_000);

    const texts = [complaint, answer, remark];
    const shown = () => max.messagesTo(executor.user_id).filter((m) => hasImage(m) || texts.some((t) => m.text.includes(t)));
    expect(shown().filter((m) => !hasImage(m)).length).toBeGreaterThan(2);
    const staffId = q<{ id: number }>(h.service, 'SELECT id FROM staff WHERE telegram_id = ?', MAX_WORKSPACE_BASE + executor.user_id).id;
    // The administrator deactivates him through /staff in MAX.
    max.userSendsText(admin, '/staff');
    await pressMax(admin, new RegExp(`^stf\\.p:\\d+:${staffId}$`));
    await pressMax(admin, new RegExp(`^stf\\.off:\\d+:${staffId}$`));
    await pressMax(admin, new RegExp(`^stf\\.offok:\\d+:${staffId}$`));
    await waitFor(() => shown().length === 0, 20_000);
    expect(
      max
        .dialogMessages(executor.user_id)
        .filter((m) => m.sender === 'bot' && hasImage(m))
        .every((m) => m.deleted),
    ).toBe(true);
    expect(max.messagesTo(executor.user_id).some((m) => /Доступ к обращениям закрыт/.test(m.text))).toBe(true);
  }, 120_000);
});
