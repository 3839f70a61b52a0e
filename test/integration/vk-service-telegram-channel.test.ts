import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { type ChatMessage } from '../../src/sandbox/emulators/telegram.js';
import { people } from '../support/service.js';
import { serviceHarness } from '../support/harness.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';

/**
 * The Telegram channel source through the REAL service process: a citizen's comment in the discussion group of the
 * administration's Telegram channel (`telegramChannel.discussionChatId`) becomes a case with source
 * `telegram`; the channel's automatic forwards of its own posts do not; the bot does not answer
 * citizens there (they are not staff); the approved answer is posted as a reply to the comment, once,
 * and the case records its link (Ахты preset: the administrator approves and publishes).
 */
const discussion = { id: -1001234567890, type: 'supergroup' as const, title: 'Обсуждение: Администрация', username: 'adm_chat' };
const channel = { id: -1009876543210, type: 'channel' as const, title: 'Администрация', username: 'adm_channel' };
const citizen = { id: 777001, first_name: 'Нина', last_name: 'Орлова', username: 'nina' };

describe("the administration's Telegram channel through the service", () => {
  const { tg, service } = serviceHarness({
    vk: false,
    regulation: 'akhty-2021',
    extra: `telegramChannel: { discussionChatId: ${discussion.id}, channelUsername: ${channel.username} }`,
    env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' },
    before: ({ tg }) => [discussion, channel].forEach((chat) => tg.addChat(chat)),
  });

  const q = <T>(sql: string, ...args: unknown[]): T => {
    const d = new Database(service.dbPath, { readonly: true, fileMustExist: true });
    try {
      return d.prepare(sql).all(...args) as T;
    } finally {
      d.close();
    }
  };

  it("a citizen's comment becomes a case with source telegram; the channel's automatic forward does not", async () => {
    // The channel posts: Telegram forwards the post into the discussion group automatically.
    const forward = tg.pushUpdate({
      message: {
        message_id: 10,
        date: Math.floor(Date.now() / 1000),
        chat: discussion,
        sender_chat: channel,
        is_automatic_forward: true,
        forward_origin: { type: 'channel', chat: channel, message_id: 5, date: Math.floor(Date.now() / 1000) },
        text: 'Пост канала: график приёма граждан',
      },
    });
    void forward;
    const m = tg.userSendsText(citizen, 'Комментарий в канале: на остановке нет расписания', { chat: discussion, replyTo: 10 });
    const card = await tg.waitForMessage(people.admin.id, (x) => (x.text ?? '').includes('на остановке нет расписания'), 15_000);
    expect(card.text).toContain('Нина Орлова');

    const rows = q<Array<{ source_key: string; kind: string; network: string; source_kind: string; permalink: string }>>(
      'SELECT m.source_key, m.kind, m.network, c.source_kind, m.permalink FROM messages m JOIN case_messages cm ON cm.message_id = m.id JOIN cases c ON c.id = cm.case_id',
    );
    expect(rows).toEqual([
      {
        source_key: `tg:${discussion.id}_${m.message_id}`,
        kind: 'telegram',
        network: 'telegram',
        source_kind: 'telegram',
        permalink: `https://t.me/${discussion.username}/${m.message_id}`,
      },
    ]);
    await expectNothingFor(() => tg.messagesTo(discussion.id).length > 0, 500, 'no bot message in the discussion group');
    expect(q<Array<{ n: number }>>("SELECT count(*) AS n FROM messages WHERE text LIKE 'Пост канала%'")[0]!.n).toBe(0);
  }, 30_000);

  it('an edit does not make a second case; it is kept as a revision and told', async () => {
    const before = q<Array<{ n: number }>>('SELECT count(*) AS n FROM cases')[0]!.n;
    const m = tg.userSendsText(citizen, 'Второй комментарий: темно во дворе', { chat: discussion });
    await tg.waitForMessage(people.admin.id, (x) => (x.text ?? '').includes('темно во дворе'), 15_000);
    tg.pushUpdate({ edited_message: { ...(m.raw as Record<string, unknown>), text: 'Второй комментарий: темно во дворе дома 4', edit_date: Math.floor(Date.now() / 1000) } });
    await waitFor(() => q<Array<{ n: number }>>('SELECT count(*) AS n FROM message_revisions')[0]!.n === 1, { timeoutMs: 10_000 });
    await tg.waitForMessage(people.admin.id, /изменил сообщение/, 10_000);
    expect(q<Array<{ n: number }>>('SELECT count(*) AS n FROM cases')[0]!.n).toBe(before + 1);
  }, 30_000);

  const status = (id: number) => q<Array<{ status: string }>>('SELECT status FROM cases WHERE id = ?', id)[0]!.status;

  async function press(user: { id: number; first_name: string }, data: RegExp): Promise<void> {
    let found: { message: ChatMessage; data: string } | null = null;
    await waitFor(
      () => {
        for (const m of [...tg.messagesTo(user.id)].reverse()) {
          const b = tg.buttonsOf(m).find((x) => x.callback_data && data.test(x.callback_data));
          if (b) return (found = { message: m, data: b.callback_data! });
        }
        return false;
      },
      { timeoutMs: 10_000, message: `a button ${data} for ${user.first_name}` },
    );
    tg.userPressesButton(user, found!.message, found!.data);
  }

  it('the approved answer is posted as a reply to the comment in the discussion group, exactly once, and the case records its link', async () => {
    const { admin, deptHead, executor } = people;
    const m = tg.userSendsText(citizen, 'Третий комментарий: когда откроют бассейн?', { chat: discussion, replyTo: 10 });
    const card = await tg.waitForMessage(admin.id, (x) => (x.text ?? '').includes('когда откроют бассейн'), 15_000);
    const id = Number(
      tg
        .buttonsOf(card)
        .find((b) => b.callback_data?.startsWith('adm.'))!
        .callback_data!.split(':')[1],
    );
    tg.userSendsCallback(admin, `adm.assign:${id}:0-0`, card.message_id, admin.id);
    await waitFor(() => status(id) === 'assigned', { timeoutMs: 10_000 });
    await press(deptHead, new RegExp(`^dh\\.des:${id}:`));
    await press(executor, new RegExp(`^ex\\.acc:${id}(?::|$)`));
    await waitFor(() => status(id) === 'in_work', { timeoutMs: 10_000 });
    await press(executor, new RegExp(`^ex\\.draft:${id}(?::|$)`));
    await tg.waitForMessage(executor.id, /Проект ответа/, 10_000);
    const added = () => tg.messagesTo(executor.id).filter((x) => /Добавлено в/.test(x.text ?? '')).length;
    const n = added();
    const answer = 'Бассейн откроется 1 апреля после ремонта.';
    tg.userSendsText(executor, answer);
    await waitFor(() => added() > n, { timeoutMs: 10_000 });
    await press(executor, new RegExp(`^ex\\.send:${id}(?::|$)`));
    await waitFor(() => status(id) === 'on_approval', { timeoutMs: 10_000 });
    await press(admin, new RegExp(`^ap\\.ok:${id}(?::|$)`));
    await waitFor(() => status(id) === 'approved', { timeoutMs: 10_000 });
    await press(admin, new RegExp(`^ap\\.pub:${id}(?::|$)`));

    await waitFor(() => status(id) === 'published', { timeoutMs: 20_000, message: 'the case published' });
    const sends = tg.calls('sendMessage').filter((c) => c.params.chat_id === discussion.id && c.params.text === answer);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.params.reply_parameters).toMatchObject({ message_id: m.message_id });
    const posted = tg.messagesTo(discussion.id).filter((x) => x.text === answer);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.reply_to_message_id).toBe(m.message_id);
    const pub = q<Array<{ external_id: string; permalink: string }>>('SELECT external_id, permalink FROM publications WHERE case_id = ?', id);
    expect(pub).toEqual([{ external_id: String(posted[0]!.message_id), permalink: `https://t.me/${discussion.username}/${posted[0]!.message_id}` }]);
    await tg.waitForMessage(admin.id, (x) => x.message_id === card.message_id && (x.sentText ?? '').includes(`t.me/${discussion.username}/${posted[0]!.message_id}`), 10_000);
    await expectNothingFor(() => tg.calls('sendMessage').filter((c) => c.params.chat_id === discussion.id && c.params.text === answer).length > 1, 1_000);
  }, 90_000);
});
