import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk } from '../../src/sandbox/emulators/vk.js';
import { ServiceProcess, people } from '../support/service.js';
import { freePort } from '../support/chaos.js';
import { CITIZEN, serviceHarness } from '../support/harness.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';

/**
 * Receiving VK events through the REAL service process (node bin/otklik.js serve) against the fake VK and
 * Telegram servers: every collected event type becomes a case, the community's own comments do not,
 * edits are kept as revisions and told to whoever holds the case, duplicates and restarts do not
 * duplicate, `failed: 1` triggers a catch-up (user token) or a notice (without), and the Callback
 * API answers the confirmation, refuses a wrong secret and stores the event before `ok`.
 */

function q<T>(service: ServiceProcess, sql: string, ...args: unknown[]): T {
  const d = new Database(service.dbPath, { readonly: true, fileMustExist: true });
  try {
    return d.prepare(sql).get(...args) as T;
  } finally {
    d.close();
  }
}
function all<T>(service: ServiceProcess, sql: string, ...args: unknown[]): T[] {
  const d = new Database(service.dbPath, { readonly: true, fileMustExist: true });
  try {
    return d.prepare(sql).all(...args) as T[];
  } finally {
    d.close();
  }
}
const count = (s: ServiceProcess, sql: string, ...args: unknown[]) => q<{ n: number }>(s, sql, ...args).n;
const caseOf = (s: ServiceProcess, sourceKey: string) =>
  q<{ case_id: number } | undefined>(s, 'SELECT cm.case_id FROM messages m JOIN case_messages cm ON cm.message_id = m.id WHERE m.source_key = ?', sourceKey)?.case_id ?? null;
const settled = (s: ServiceProcess) => count(s, "SELECT count(*) AS n FROM source_events WHERE status = 'pending'") === 0;
const textTo = (tg: FakeTelegram, chatId: number, re: RegExp) => tg.messagesTo(chatId).filter((m) => re.test(m.text ?? ''));

describe('VK events through the service (Bots Long Poll, community token only)', () => {
  const { tg, vk, service } = serviceHarness({ vkUsers: [CITIZEN, { id: 502, first_name: 'Иван', last_name: 'Петров' }, { id: 503, first_name: 'Мария', last_name: 'Козлова' }] });
  const g = vk.groupId;

  it("each event type becomes a case with its source; the community's own comments and posts do not", async () => {
    const events: Array<[string, Record<string, unknown>, string, string]> = [
      ['wall_reply_new', vk.wallReplyNew({ id: 11, from_id: 501, post_id: 1, text: 'Комментарий: яма у школы' }), `vk:wall:-${g}_1_11`, 'vk_comment'],
      ['wall_post_new', vk.wallPostNew({ id: 2, from_id: 502, text: 'Запись на стене: нет света' }), `vk:post:-${g}_2`, 'vk_post'],
      ['wall_post_new', { ...vk.wallPostNew({ id: 3, from_id: 503, text: 'Предложенная запись: уберите сугробы' }), post_type: 'suggest' }, `vk:post:-${g}_3`, 'vk_post'],
      ['message_new', vk.messageNew({ id: 41, from_id: 502, text: 'Личное сообщение: когда приём?' }), 'vk:msg:502_41', 'vk_message'],
      ['board_post_new', vk.boardPostNew({ id: 51, from_id: 501, topic_id: 5, text: 'Обсуждение: автобус не ходит' }), `vk:board:-${g}_5_51`, 'vk_board'],
      ['photo_comment_new', vk.photoCommentNew({ id: 61, from_id: 503, photo_id: 6, text: 'Под фото: это наш двор' }), `vk:photo:-${g}_6_61`, 'vk_photo_comment'],
      ['video_comment_new', vk.videoCommentNew({ id: 71, from_id: 502, video_id: 7, text: 'Под видео: где это?' }), `vk:video:-${g}_7_71`, 'vk_video_comment'],
      ['market_comment_new', vk.marketCommentNew({ id: 81, from_id: 501, item_id: 8, text: 'Под товаром: есть ли скидка?' }), `vk:market:-${g}_8_81`, 'vk_market_comment'],
    ];
    for (const [type, object] of events) vk.pushEvent(type, object);
    // The community itself: a comment, and a post of its own news.
    vk.pushEvent('wall_reply_new', vk.wallReplyNew({ id: 12, from_id: -g, post_id: 1, text: 'Сообщество: спасибо, передали' }));
    vk.pushEvent('wall_post_new', vk.wallPostNew({ id: 4, text: 'Новости администрации' }));

    for (const [, object, key, kind] of events) {
      const text = String((object as { text?: string }).text ?? (object as { message?: { text: string } }).message?.text);
      await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes(text), 15_000);
      const row = q<{ kind: string; author_name: string; case_id: number; source_kind: string }>(
        service,
        'SELECT m.kind, m.author_name, cm.case_id, c.source_kind FROM messages m JOIN case_messages cm ON cm.message_id = m.id JOIN cases c ON c.id = cm.case_id WHERE m.source_key = ?',
        key,
      );
      expect(row.kind).toBe(kind);
      expect(row.source_kind).toBe(kind);
      // Names come from users.get (one call per batch, cached).
      const from = Number((object as { from_id?: number }).from_id ?? (object as { message?: { from_id: number } }).message?.from_id);
      expect(row.author_name).toBe({ 501: 'Ольга Смирнова', 502: 'Иван Петров', 503: 'Мария Козлова' }[from]);
    }
    await waitFor(() => settled(service), { timeoutMs: 5000 });
    expect(count(service, 'SELECT count(*) AS n FROM cases')).toBe(events.length);
    expect(count(service, 'SELECT count(*) AS n FROM messages')).toBe(events.length);
    expect(count(service, `SELECT count(*) AS n FROM messages WHERE source_key IN ('vk:wall:-${g}_1_12', 'vk:post:-${g}_4')`)).toBe(0);
  }, 40_000);

  it('a duplicate event_id, the same comment under a new event_id and a restart do not duplicate', async () => {
    const obj = vk.wallReplyNew({ id: 101, from_id: 501, post_id: 10, text: 'Дубль: не работает фонарь' });
    const eventId = vk.pushEvent('wall_reply_new', obj);
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('Дубль: не работает фонарь'), 15_000);
    vk.pushRaw({ type: 'wall_reply_new', object: obj, group_id: g, event_id: eventId, v: '5.199' });
    vk.pushEvent('wall_reply_new', obj);
    await waitFor(() => count(service, 'SELECT count(*) AS n FROM source_events') >= 12 && settled(service), { timeoutMs: 5000 });

    await service.restart();
    await vk.waitForPoller(10_000);
    vk.pushEvent('wall_reply_new', vk.wallReplyNew({ id: 102, from_id: 502, post_id: 10, text: 'После перезапуска: спасибо' }));
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('После перезапуска'), 15_000);
    await expectNothingFor(() => textTo(tg, people.admin.id, /Дубль: не работает фонарь/).length > 1, 500);
    expect(count(service, `SELECT count(*) AS n FROM messages WHERE source_key = 'vk:wall:-${g}_10_101'`)).toBe(1);
    expect(count(service, 'SELECT count(*) AS n FROM cases')).toBe(10);
    // The same event_id is stored once; the same comment under a new event_id is a second event, a duplicate message.
    expect(count(service, `SELECT count(*) AS n FROM source_events WHERE event_key = 'vk:event:${eventId}'`)).toBe(1);
    expect(all<{ note: string }>(service, "SELECT note FROM source_events WHERE note LIKE 'duplicate%'").length).toBe(1);
  }, 40_000);

  it('an edit is kept as a new revision (original text and raw payload unchanged) and told to the administrators while nobody holds the case', async () => {
    const key = `vk:wall:-${g}_1_11`;
    const before = q<{ text: string; raw: string }>(service, 'SELECT text, raw FROM messages WHERE source_key = ?', key);
    vk.pushEvent('wall_reply_edit', vk.wallReplyEdit({ id: 11, from_id: 501, post_id: 1, text: 'Комментарий: яма у школы №2, глубокая' }));
    const notice = await tg.waitForMessage(people.admin.id, /изменил сообщение/, 10_000);
    expect(notice.text).toContain('яма у школы №2, глубокая');
    expect(notice.text).toContain('Комментарий: яма у школы');
    const after = q<{ text: string; raw: string }>(service, 'SELECT text, raw FROM messages WHERE source_key = ?', key);
    expect(after).toEqual(before);
    const rev = q<{ n: number; action: string; text: string; raw: string }>(service, 'SELECT n, action, text, raw FROM message_revisions WHERE source_key = ?', key);
    expect(rev).toMatchObject({ n: 1, action: 'edit', text: 'Комментарий: яма у школы №2, глубокая' });
    expect(JSON.parse(rev.raw).type).toBe('wall_reply_edit');
  }, 20_000);

  it('delete and restore are revisions too and go to the executor holding the case, not the administrators', async () => {
    const key = `vk:wall:-${g}_1_11`;
    const caseId = caseOf(service, key)!;
    // The administrator assigns (the bot's triage button), the department head designates the executor.
    const card = [...tg.messagesTo(people.admin.id)].reverse().find((m) => tg.buttonsOf(m).some((b) => b.callback_data?.split(':')[1] === String(caseId)))!;
    tg.userSendsCallback(people.admin, `adm.assign:${caseId}:0-0`, card.message_id, people.admin.id);
    await waitFor(() => count(service, 'SELECT count(*) AS n FROM assignments WHERE case_id = ?', caseId) === 1, { timeoutMs: 10_000 });
    await waitFor(() => tg.messagesTo(people.deptHead.id).some((m) => tg.buttonsOf(m).some((b) => b.callback_data?.startsWith(`dh.des:${caseId}:`) && /Петров/.test(b.text))), { timeoutMs: 10_000 });
    const m = [...tg.messagesTo(people.deptHead.id)].reverse().find((x) => tg.buttonsOf(x).some((b) => b.callback_data?.startsWith(`dh.des:${caseId}:`)))!;
    const b = tg.buttonsOf(m).find((x) => x.callback_data?.startsWith(`dh.des:${caseId}:`) && /Петров/.test(x.text))!;
    tg.userPressesButton(people.deptHead, m, b.callback_data!);
    await waitFor(() => q<{ e: number | null }>(service, 'SELECT executor_id AS e FROM assignments WHERE case_id = ?', caseId).e !== null, { timeoutMs: 10_000 });

    const adminEditsBefore = textTo(tg, people.admin.id, /удалил сообщение|восстановлено/).length;
    vk.pushEvent('wall_reply_delete', vk.wallReplyDelete({ id: 11, post_id: 1, deleter_id: 501 }));
    await tg.waitForMessage(people.executor.id, /удалил сообщение по обращению/, 10_000);
    vk.pushEvent('wall_reply_restore', vk.wallReplyRestore({ id: 11, from_id: 501, post_id: 1, text: 'Комментарий: яма у школы №2, глубокая' }));
    await tg.waitForMessage(people.executor.id, /восстановлено/, 10_000);
    expect(all<{ n: number; action: string }>(service, 'SELECT n, action FROM message_revisions WHERE source_key = ? ORDER BY n', key)).toEqual([
      { n: 1, action: 'edit' },
      { n: 2, action: 'delete' },
      { n: 3, action: 'restore' },
    ]);
    expect(textTo(tg, people.admin.id, /удалил сообщение|восстановлено/).length).toBe(adminEditsBefore);
  }, 40_000);

  it('failed: 1 without the user token: the administrators are told which period may have been missed', async () => {
    vk.failLongPoll(1);
    const notice = await tg.waitForMessage(people.admin.id, /могли быть пропущены/, 10_000);
    // Staff read what is missing in words, not the environment variable's name.
    expect(notice.text).toContain('ключ доступа администратора сообщества ВКонтакте');
    expect(notice.text).not.toContain('VK_USER_TOKEN');
    expect(notice.text).toContain(`https://vk.com/club${g}`);
    expect(vk.calls('wall.get')).toHaveLength(0);
  }, 20_000);
});

describe('VK catch-up through the service (with the user token)', () => {
  const { tg, vk, service } = serviceHarness({ vkUserToken: true });

  it('failed: 1 triggers a scan of recent posts and comments (comments of all posts in one execute) that turns the missed comments into cases, once', async () => {
    const posts = [vk.addPost({ text: 'Новости 1' }), vk.addPost({ text: 'Новости 2' }), vk.addPost({ text: 'Новости 3' })];
    vk.addComment({ post_id: posts[0]!.id, from_id: 601, text: 'Пропущенный комментарий: течёт крыша' });
    vk.addComment({ post_id: posts[0]!.id, from_id: -vk.groupId, text: 'Ответ сообщества' });
    vk.addComment({ post_id: posts[2]!.id, from_id: 602, text: 'Пропущенный комментарий: нет отопления' });
    vk.failLongPoll(1);
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('течёт крыша'), 15_000);
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('нет отопления'), 15_000);
    expect(vk.calls('wall.get').every((c) => c.token === 'user')).toBe(true);
    const batches = vk.calls('execute');
    expect(batches).toHaveLength(1);
    expect(batches[0]!.token).toBe('user');
    expect(batches[0]!.params.code!.match(/API\.wall\.getComments/g)).toHaveLength(2);
    // A second failure scans again and finds nothing new.
    vk.failLongPoll(1);
    await waitFor(() => vk.calls('wall.get').length >= 2 && vk.calls('execute').length >= 2, { timeoutMs: 10_000 });
    await expectNothingFor(() => textTo(tg, people.admin.id, /Пропущенный комментарий/).length > 2, 800);
    expect(count(service, 'SELECT count(*) AS n FROM cases')).toBe(2);
  }, 30_000);
});

describe('VK Callback API through the service', () => {
  let tg: FakeTelegram;
  let vk: FakeVk;
  let service: ServiceProcess;
  let url: string;
  const secret = 'callback-secret-123';

  beforeAll(async () => {
    tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
    vk = await new FakeVk().start();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/vk/callback`;
    service = await new ServiceProcess({
      telegram: tg,
      vk,
      env: { VK_MODE: 'callback', VK_CALLBACK_SECRET: secret, VK_CALLBACK_CONFIRMATION: 'a1b2c3d4', PORT: String(port) },
    }).start();
  }, 30_000);
  afterAll(async () => {
    await service?.dispose();
    await vk?.stop();
    await tg?.stop();
  });

  const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers the confirmation request with the code', async () => {
    const r = await post({ type: 'confirmation', group_id: vk.groupId });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('a1b2c3d4');
  });

  it('refuses a wrong secret and another community; nothing is stored', async () => {
    const object = vk.wallReplyNew({ id: 5, from_id: 701, post_id: 3, text: 'Подделка' });
    const wrong = await post({ type: 'wall_reply_new', object, group_id: vk.groupId, event_id: 'e-wrong', secret: 'nope' });
    expect(wrong.status).toBe(403);
    const other = await post({ type: 'wall_reply_new', object, group_id: vk.groupId + 1, event_id: 'e-other', secret });
    expect(other.status).toBe(403);
    expect(count(service, 'SELECT count(*) AS n FROM source_events')).toBe(0);
    expect(vk.longPolls()).toHaveLength(0);
  });

  it('stores the event before answering ok; a redelivery is one case', async () => {
    const object = vk.wallReplyNew({ id: 6, from_id: 701, post_id: 3, text: 'Через Callback API: сломана скамейка' });
    const body = { type: 'wall_reply_new', object, group_id: vk.groupId, event_id: 'cb-event-1', v: '5.199', secret };
    const r = await post(body);
    expect(await r.text()).toBe('ok');
    // Already in the database when VK reads `ok`.
    expect(count(service, "SELECT count(*) AS n FROM source_events WHERE event_key = 'vk:event:cb-event-1'")).toBe(1);
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('сломана скамейка'), 15_000);
    expect(await (await post(body)).text()).toBe('ok');
    await expectNothingFor(() => textTo(tg, people.admin.id, /сломана скамейка/).length > 1, 500);
    expect(count(service, 'SELECT count(*) AS n FROM source_events')).toBe(1);
    expect(count(service, 'SELECT count(*) AS n FROM cases')).toBe(1);
  }, 30_000);
});
