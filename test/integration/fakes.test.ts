/**
 * Proves the fake Telegram and VK servers against the real client libraries (grammY, vk-io),
 * in-process. Later integration tests rely on the behaviour checked here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Bot, GrammyError, InputFile } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { APIError, VK, type CommentContext } from 'vk-io';
import { FakeTelegram, type TgUser } from '../../src/sandbox/emulators/telegram.js';
import { FakeVk, vkHttpAgent } from '../../src/sandbox/emulators/vk.js';
import { sleep, waitFor } from '../../src/sandbox/emulators/wait.js';

const alice: TgUser = { id: 1001, first_name: 'Алиса', username: 'alice' };

describe('FakeTelegram with grammY', () => {
  const tg = new FakeTelegram();
  let bot: Bot;
  let running: Promise<void> | undefined;
  const downloaded: Buffer[] = [];

  beforeAll(async () => {
    await tg.start();
    bot = new Bot(tg.token, { client: { apiRoot: tg.url } });
    bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5 }));
    bot.command('start', (ctx) =>
      ctx.reply('Здравствуйте, <b>Алиса</b> &amp; co', {
        parse_mode: 'HTML',
        reply_markup: {
          inline_keyboard: [
            [
              { text: 'Принять', callback_data: 'acc:1' },
              { text: 'Сайт', url: 'https://example.org' },
            ],
          ],
        },
      }),
    );
    bot.callbackQuery('acc:1', async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Принято' });
      await ctx.editMessageText('Принято в работу');
    });
    bot.on('callback_query:data', (ctx) => ctx.answerCallbackQuery({ text: 'Устарело', show_alert: true }));
    bot.hears('photo', (ctx) => ctx.replyWithPhoto(new InputFile(Buffer.from('PNGDATA-1234567890'), 'card.png'), { caption: 'Карточка' }));
    bot.on('message:photo', async (ctx) => {
      const file = await ctx.getFile();
      const res = await fetch(`${tg.url}/file/bot${tg.token}/${file.file_path}`);
      downloaded.push(Buffer.from(await res.arrayBuffer()));
      await ctx.reply(`got photo ${ctx.message.caption ?? ''}`);
    });
    running = bot.start({ timeout: 2 });
    await tg.waitForCall('getUpdates');
  });

  afterAll(async () => {
    await bot.stop();
    await running;
    await tg.stop();
  });

  it('delivers a command through long polling and records the reply with its keyboard', async () => {
    expect(tg.calls('getMe')).toHaveLength(1);
    expect(tg.calls('deleteWebhook')).toHaveLength(1);
    tg.userSendsText(alice, '/start');
    const msg = await tg.waitForMessage(alice.id, /Здравствуйте/);
    expect(msg.text).toBe('Здравствуйте, Алиса & co'); // HTML rendered as the user sees it
    expect(msg.sentText).toContain('<b>Алиса</b>');
    expect(msg.parse_mode).toBe('HTML');
    expect(tg.buttonsOf(msg).map((b) => b.text)).toEqual(['Принять', 'Сайт']);
    expect(() => tg.userPressesButton(alice, msg, 'Сайт')).toThrow(/No callback button/);
    expect(() => tg.userPressesButton(alice, msg, 'Нет такой')).toThrow(/No callback button/);
  });

  it('presses a button: the bot answers the callback and edits the card in place', async () => {
    const card = tg.lastMessageTo(alice.id);
    expect(card).toBeDefined();
    if (!card) return;
    tg.userPressesButton(alice, card, 'Принять');
    const edited = await tg.waitForMessage(alice.id, 'Принято в работу');
    expect(edited.message_id).toBe(card.message_id);
    expect(edited.editCount).toBe(1);
    expect(edited.reply_markup).toBeUndefined();
    expect(edited.history[0]?.text).toContain('Здравствуйте');
    expect(tg.callbackAnswers()).toMatchObject([{ data: 'acc:1', userId: alice.id, text: 'Принято' }]);
    // forged data reaches the bot as is
    tg.userSendsCallback(alice, 'forged:999', card.message_id);
    await waitFor(() => tg.callbackAnswers().find((a) => a.data === 'forged:999'));
    expect(tg.callbackAnswers()[1]).toMatchObject({ show_alert: true, text: 'Устарело' });
    // confirmed updates are gone
    await waitFor(() => tg.pendingUpdates().length === 0);
  });

  it('uploads a photo with InputFile as multipart and keeps name, size and bytes', async () => {
    tg.userSendsText(alice, 'photo');
    const call = await tg.waitForCall('sendPhoto', (c) => c.outcome === 'ok');
    expect(call.files).toHaveLength(1);
    expect(call.files[0]).toMatchObject({ fileName: 'card.png', size: 18 });
    expect(call.files[0]?.bytes.toString()).toBe('PNGDATA-1234567890');
    expect(call.params.caption).toBe('Карточка');
    expect(call.params.chat_id).toBe(alice.id);
    const msg = await tg.waitForMessage(alice.id, 'Карточка');
    expect(msg.kind).toBe('photo');
    expect(msg.file?.bytes.toString()).toBe('PNGDATA-1234567890');
  });

  it('serves getFile and the file download for a photo the user sends', async () => {
    const sent = tg.userSendsPhoto(alice, { caption: 'яма', bytes: Buffer.from('JPEG-BYTES') });
    await tg.waitForMessage(alice.id, 'got photo яма');
    expect(downloaded.at(-1)?.toString()).toBe('JPEG-BYTES');
    expect(tg.calls('getFile')[0]?.params.file_id).toBe(sent.file?.file_id);
  });

  it('answers 429 with retry_after, which auto-retry honours', async () => {
    tg.failNext('sendMessage', { code: 429, retry_after: 1 });
    const before = tg.calls('sendMessage').length;
    const t0 = Date.now();
    await bot.api.sendMessage(alice.id, 'после паузы');
    const calls = tg.calls('sendMessage').slice(before);
    expect(calls.map((c) => c.outcome)).toEqual(['error', 'ok']);
    expect(calls[0]?.response).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('answers 403, bad HTML and "not modified" like Telegram', async () => {
    tg.failNext('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    await expect(bot.api.sendMessage(alice.id, 'x')).rejects.toMatchObject({ error_code: 403 });
    await expect(bot.api.sendMessage(alice.id, 'a <script> b', { parse_mode: 'HTML' })).rejects.toThrow(/can't parse entities/);
    const m = await bot.api.sendMessage(alice.id, 'same');
    const err = await bot.api.editMessageText(alice.id, m.message_id, 'same').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).description).toMatch(/message is not modified/);
  });

  it('sends a media group of uploaded files', async () => {
    const msgs = await bot.api.sendMediaGroup(alice.id, [
      { type: 'photo', media: new InputFile(Buffer.from('ONE'), 'one.jpg'), caption: 'Фото 1' },
      { type: 'photo', media: new InputFile(Buffer.from('TWO!'), 'two.jpg') },
    ]);
    expect(msgs).toHaveLength(2);
    const call = tg.calls('sendMediaGroup')[0];
    expect(call?.files.map((f) => [f.fileName, f.size])).toEqual([
      ['one.jpg', 3],
      ['two.jpg', 4],
    ]);
    const stored = tg.messagesTo(alice.id).slice(-2);
    expect(stored[0]?.media_group_id).toBeDefined();
    expect(stored[0]?.media_group_id).toBe(stored[1]?.media_group_id);
    expect(stored[0]?.caption).toBe('Фото 1');
  });

  it('drops a connection, or executes but loses the answer', async () => {
    const plain = new Bot(tg.token, { client: { apiRoot: tg.url, timeoutSeconds: 1 } });
    tg.failNext('sendMessage', { kind: 'drop' });
    await expect(plain.api.sendMessage(alice.id, 'dropped')).rejects.toThrow(/Network request/);
    expect(tg.messagesTo(alice.id).some((m) => m.text === 'dropped')).toBe(false);
    tg.failNext('sendMessage', { kind: 'timeout' });
    await expect(plain.api.sendMessage(alice.id, 'lost answer')).rejects.toThrow();
    // Telegram did deliver it: a retry without dedupe would send a duplicate
    expect(tg.messagesTo(alice.id).some((m) => m.text === 'lost answer')).toBe(true);
    expect(tg.calls('sendMessage').at(-1)?.outcome).toBe('timeout');
  });

  it('enforces Telegram-like rate limits when asked', async () => {
    const limited = new FakeTelegram({ rateLimit: { privatePerSecond: 1 } });
    await limited.start();
    try {
      const b = new Bot(limited.token, { client: { apiRoot: limited.url } });
      await b.api.sendMessage(alice.id, 'one');
      await expect(b.api.sendMessage(alice.id, 'two')).rejects.toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
      expect(limited.rateLimitHits).toBe(1);
      await b.api.sendMessage(2002, 'other chat is fine');
    } finally {
      await limited.stop();
    }
  });
});

describe('FakeVk with vk-io', () => {
  const fake = new FakeVk();
  let vk: VK;
  const comments: CommentContext[] = [];

  beforeAll(async () => {
    await fake.start();
    vk = new VK({
      token: fake.groupToken,
      apiBaseUrl: fake.apiBaseUrl,
      agent: vkHttpAgent(),
      pollingGroupId: fake.groupId,
      apiLimit: 20,
      apiTimeout: 1_000,
      apiWait: 100,
      apiRetryLimit: 2,
    });
    vk.updates.on('wall_reply_new', (ctx) => {
      comments.push(ctx);
    });
    await vk.updates.start();
    await fake.waitForPoller();
  });

  afterAll(async () => {
    await vk.updates.stop();
    await fake.stop();
  });

  afterEach(() => fake.clearCalls());

  it('delivers wall_reply_new through Bots Long Poll', async () => {
    const post = fake.addPost({ text: 'Ремонт дорог' });
    const { comment } = fake.commentArrives({ post_id: post.id, from_id: 555, text: 'Яма на Ленина, 5' });
    const ctx = await waitFor(() => comments.find((c) => c.id === comment.id));
    expect(ctx.text).toBe('Яма на Ленина, 5');
    expect(ctx.objectId).toBe(post.id);
    expect(ctx.ownerId).toBe(-fake.groupId);
    expect(ctx.fromId).toBe(555);
    expect(ctx.isWallComment).toBe(true);
  });

  it('creates a comment once per guid', async () => {
    const post = fake.addPost();
    const a = await vk.api.wall.createComment({ owner_id: -fake.groupId, post_id: post.id, from_group: fake.groupId, message: 'Ответ', guid: 'case-1' });
    const b = await vk.api.wall.createComment({ owner_id: -fake.groupId, post_id: post.id, from_group: fake.groupId, message: 'Ответ', guid: 'case-1' });
    expect(b.comment_id).toBe(a.comment_id);
    expect(fake.communityComments(post.id)).toHaveLength(1);
    expect(fake.calls('wall.createComment')).toHaveLength(2);
    expect(fake.calls('wall.createComment')[0]?.params).toMatchObject({ guid: 'case-1', v: '5.199', message: 'Ответ' });
  });

  it('a lost reply (timeout) is retried by vk-io and the guid prevents a double post', async () => {
    const post = fake.addPost();
    fake.timeoutNext('wall.createComment');
    const r = await vk.api.wall.createComment({ owner_id: -fake.groupId, post_id: post.id, message: 'Ещё', guid: 'case-2' });
    expect(fake.calls('wall.createComment').map((c) => c.outcome)).toEqual(['timeout', 'ok']);
    expect(fake.communityComments(post.id).map((c) => c.id)).toEqual([r.comment_id]);
  });

  it('answers an injected error code (9, flood control)', async () => {
    fake.failNext('wall.createComment', 9);
    const err = await vk.api.wall.createComment({ owner_id: -fake.groupId, post_id: 1, message: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).code).toBe(9);
    expect(fake.calls('wall.createComment')[0]?.outcome).toBe('error');
  });

  it('refuses user-token methods with the community token (error 27) and unknown methods (error 3)', async () => {
    await expect(vk.api.wall.getComments({ owner_id: -fake.groupId, post_id: 1 })).rejects.toMatchObject({ code: 27 });
    await expect(vk.api.call('foo.bar', {})).rejects.toMatchObject({ code: 3 });
    const user = new VK({ token: fake.userToken, apiBaseUrl: fake.apiBaseUrl, agent: vkHttpAgent() });
    const post = fake.addPost();
    fake.addComment({ post_id: post.id, from_id: 7, text: 'первый' });
    const list = await user.api.wall.getComments({ owner_id: -fake.groupId, post_id: post.id });
    expect(list.items.map((c) => c.text)).toEqual(['первый']);
    await user.api.groups.ban({ group_id: fake.groupId, owner_id: 7, end_date: 2_000_000_000, reason: 1, comment: 'спам' });
    expect(fake.bans()).toMatchObject([{ owner_id: 7, end_date: 2_000_000_000, reason: 1, comment: 'спам', active: true }]);
  });

  it('deduplicates messages.send by random_id and names users', async () => {
    fake.addUser({ id: 42, first_name: 'Иван', last_name: 'Петров', screen_name: 'ivan' });
    const a = await vk.api.messages.send({ peer_id: 42, message: 'Здравствуйте', random_id: 77 });
    const b = await vk.api.messages.send({ peer_id: 42, message: 'Здравствуйте', random_id: 77 });
    expect(b).toBe(a);
    expect(fake.sentMessages(42)).toHaveLength(1);
    const [u] = await vk.api.users.get({ user_ids: [42] });
    expect(u).toMatchObject({ first_name: 'Иван', last_name: 'Петров' });
  });

  it('uploads a wall photo through the upload URL (user token)', async () => {
    const user = new VK({ token: fake.userToken, apiBaseUrl: fake.apiBaseUrl, agent: vkHttpAgent() });
    const photo = await user.upload.wallPhoto({ group_id: fake.groupId, source: { value: Buffer.from('IMG'), filename: 'a.jpg' } });
    expect(photo.ownerId).toBe(-fake.groupId);
    expect(fake.uploads()).toMatchObject([{ kind: 'wall', saved: true }]);
    expect(fake.uploads()[0]?.files[0]).toMatchObject({ fileName: 'a.jpg', size: 3 });
  });

  it('delivers a duplicate event_id as is (the service must dedupe)', async () => {
    await fake.waitForPoller();
    const object = fake.wallReplyNew({ id: 777_001, from_id: 3, post_id: 1, text: 'дубль' });
    const eventId = fake.pushEvent('wall_reply_new', object);
    fake.pushRaw({ type: 'wall_reply_new', object, group_id: fake.groupId, event_id: eventId, v: '5.199' });
    await waitFor(() => comments.filter((c) => c.id === 777_001).length === 2);
  });

  it('runs execute the way vk-io batches calls in parallel mode', async () => {
    const batched = new VK({ token: fake.groupToken, apiBaseUrl: fake.apiBaseUrl, agent: vkHttpAgent(), apiMode: 'parallel' });
    fake.addUser({ id: 43, first_name: 'Анна', last_name: 'Смирнова' });
    const [a, b] = await Promise.all([batched.api.users.get({ user_ids: [43] }), batched.api.wall.getComments({ owner_id: -1, post_id: 1 }).catch((e: unknown) => e)]);
    expect(a[0]).toMatchObject({ first_name: 'Анна' });
    expect(b).toMatchObject({ code: 27 });
    expect(fake.calls('execute').length).toBeGreaterThanOrEqual(1);
  });

  it('survives failed: 1 (history lost) and failed: 2 (key expired)', async () => {
    await fake.waitForPoller();
    fake.failLongPoll(1);
    await sleep(50);
    await fake.waitForPoller();
    const one = fake.commentArrives({ post_id: 1, from_id: 9, text: 'после failed 1' });
    await waitFor(() => comments.find((c) => c.id === one.comment.id));

    fake.failLongPoll(2);
    await fake.waitForCall('groups.getLongPollServer');
    await fake.waitForPoller();
    const two = fake.commentArrives({ post_id: 1, from_id: 9, text: 'после failed 2' });
    await waitFor(() => comments.find((c) => c.id === two.comment.id));

    fake.clearCalls();
    fake.failLongPoll(3);
    await fake.waitForCall('groups.getLongPollServer');
    await fake.waitForPoller();
    const three = fake.commentArrives({ post_id: 1, from_id: 9, text: 'после failed 3' });
    await waitFor(() => comments.find((c) => c.id === three.comment.id));
  });

  it('a comment missed during an outage is found by a catch-up scan (wall.get + wall.getComments)', async () => {
    const user = new VK({ token: fake.userToken, apiBaseUrl: fake.apiBaseUrl, agent: vkHttpAgent() });
    const post = fake.addPost({ text: 'Новость' });
    const missed = fake.addComment({ post_id: post.id, from_id: 11, text: 'пока лежал long poll' });
    fake.addComment({ post_id: post.id, from_id: 12, text: 'ответ', reply_to_comment: missed.id });
    const wall = await user.api.wall.get({ owner_id: -fake.groupId, count: 10 });
    expect(wall.items[0]?.id).toBe(post.id);
    expect(wall.items[0]?.comments?.count).toBe(2);
    const list = await user.api.wall.getComments({ owner_id: -fake.groupId, post_id: post.id, thread_items_count: 10 });
    expect(list.items.map((c) => c.text)).toEqual(['пока лежал long poll']);
    expect(list.items[0]?.thread?.items?.map((c: { text?: string }) => c.text)).toEqual(['ответ']);
  });
});
