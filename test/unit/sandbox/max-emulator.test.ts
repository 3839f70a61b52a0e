/**
 * The fake MAX Bot API server validated by the official client `@maxhub/max-bot-api`: every call below goes
 * through the library over HTTP to FakeMax, so a shape the fake got wrong fails here rather than in the service.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bot, Keyboard, MaxError, type Api } from '@maxhub/max-bot-api';
import { FakeMax, MAX_TEXT_LIMIT } from '../../../src/sandbox/emulators/max.js';
import { waitFor } from '../../../src/sandbox/emulators/wait.js';

const anna = { user_id: 501, name: 'Анна Петрова' };
const ivan = { user_id: 502, name: 'Иван Сидоров' };

let max: FakeMax;
let api: Api;
const bots: Bot[] = [];

function botFor(token: string): Bot {
  const bot = new Bot(token, { clientOptions: { baseUrl: max.url } });
  bots.push(bot);
  return bot;
}

/**
 * POST /answers takes `notification` (dev.max.ru POST /answers: message and/or notification); the library's
 * AnswerOnCallbackExtra type lists only `message` but sends the body as given (modules/messages/api.js).
 */
type AnswerExtra = NonNullable<Parameters<Api['answerOnCallback']>[1]>;
const notification = (text: string): AnswerExtra => ({ notification: text }) as AnswerExtra;

async function rejection(p: Promise<unknown>): Promise<MaxError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof MaxError)) throw new Error(`expected a MaxError, got ${String(err)}`);
  return err;
}

beforeEach(async () => {
  max = await new FakeMax({ token: 'max-token-test', botUserId: 777, name: 'Отклик' }).start();
  api = botFor(max.token).api;
});

afterEach(async () => {
  for (const b of bots.splice(0)) b.stopPolling();
  await max.stop();
});

describe('FakeMax with the official client', () => {
  it('getMyInfo returns the bot; setMyCommands stores the command menu', async () => {
    const me = await api.getMyInfo();
    expect(me).toMatchObject({ user_id: 777, name: 'Отклик', is_bot: true });
    await api.setMyCommands([{ name: 'start', description: 'Начать' }]);
    expect(max.myCommands()).toEqual([{ name: 'start', description: 'Начать' }]);
    expect(max.calls('PATCH /me/commands')).toHaveLength(1);
  });

  it('sendMessageToUser with an inline keyboard and html format; the person sees the text without tags', async () => {
    max.userStartsBot(anna);
    const keyboard = Keyboard.inlineKeyboard([[Keyboard.button.callback('Взять', 'take:1'), Keyboard.button.link('Открыть', 'https://example.org/c/1')]]);
    const sent = await api.sendMessageToUser(anna.user_id, '<b>Обращение №1</b> &amp; срок', { format: 'html', attachments: [keyboard] });
    expect(sent.body.mid).toMatch(/^mid\./);
    expect(sent.recipient).toMatchObject({ chat_type: 'dialog', user_id: anna.user_id });
    const [m] = max.messagesTo(anna.user_id);
    expect(m?.text).toBe('Обращение №1 & срок');
    expect(m?.sentText).toBe('<b>Обращение №1</b> &amp; срок');
    expect(max.buttonsOf(m!)).toEqual([
      { type: 'callback', text: 'Взять', payload: 'take:1' },
      { type: 'link', text: 'Открыть', url: 'https://example.org/c/1' },
    ]);
    // getMessage and getChat read the same model back
    expect((await api.getMessage(sent.body.mid)).body.text).toBe('Обращение №1 & срок');
    const chat = await api.getChat(sent.recipient.chat_id!);
    expect(chat).toMatchObject({ type: 'dialog', dialog_with_user: { user_id: anna.user_id } });
  });

  it('a wrong field, an unknown button type, broken html or a person who never wrote is refused with 400/404', async () => {
    max.userStartsBot(anna);
    const unknownField = await rejection(api.raw.post('messages', { query: { user_id: anna.user_id }, body: { text: 'x', parse_mode: 'HTML' } } as never));
    expect(unknownField.status).toBe(400);
    expect(unknownField.description).toMatch(/parse_mode/);
    const badButton = await rejection(
      api.sendMessageToUser(anna.user_id, 'x', { attachments: [{ type: 'inline_keyboard', payload: { buttons: [[{ type: 'callback', text: 'y', callback_data: 'z' } as never]] } }] }),
    );
    expect(badButton.status).toBe(400);
    expect((await rejection(api.sendMessageToUser(anna.user_id, '<b>x', { format: 'html' }))).status).toBe(400);
    expect((await rejection(api.sendMessageToUser(ivan.user_id, 'x'))).status).toBe(404);
    expect(max.messagesTo(anna.user_id)).toHaveLength(0);
  });

  it('editMessage replaces text and keyboard; deleteMessage removes the message', async () => {
    max.userStartsBot(anna);
    const keyboard = Keyboard.inlineKeyboard([[Keyboard.button.callback('Взять', 'take:1')]]);
    const sent = await api.sendMessageToUser(anna.user_id, 'Новое обращение', { attachments: [keyboard] });
    await api.editMessage(sent.body.mid, { text: 'Обращение взято', attachments: [] });
    const [edited] = max.messagesTo(anna.user_id);
    expect(edited).toMatchObject({ text: 'Обращение взято', editCount: 1 });
    expect(max.buttonsOf(edited!)).toEqual([]);
    // text-only edit keeps the attachments (docs: attachments omitted → unchanged)
    const second = await api.sendMessageToUser(anna.user_id, 'Второе', { attachments: [keyboard] });
    await api.editMessage(second.body.mid, { text: 'Второе (изм.)' });
    expect(max.buttonsOf(max.message(second.body.mid)!)).toHaveLength(1);
    await api.deleteMessage(sent.body.mid);
    expect(max.messagesTo(anna.user_id).map((m) => m.text)).toEqual(['Второе (изм.)']);
    expect((await rejection(api.editMessage(sent.body.mid, { text: 'снова' }))).status).toBe(404);
  });

  it('answerOnCallback records the notification and can replace the pressed message', async () => {
    max.userStartsBot(anna);
    await api.sendMessageToUser(anna.user_id, 'Взять?', { attachments: [Keyboard.inlineKeyboard([[Keyboard.button.callback('Да', 'yes')]])] });
    const { callbackId } = max.userPresses(anna, 'yes');
    await api.answerOnCallback(callbackId, notification('Принято'));
    await api.answerOnCallback(callbackId, { message: { text: 'Взято', attachments: [] } });
    expect(max.answersTo(callbackId).map((a) => a.notification ?? 'message')).toEqual(['Принято', 'message']);
    expect(max.messagesTo(anna.user_id)[0]?.text).toBe('Взято');
    expect((await rejection(api.answerOnCallback('cb.unknown', notification('x')))).status).toBe(404);
    expect(() => max.userPresses(anna, 'no-such-button')).toThrow(/no bot message/);
  });

  it('getUpdates redelivers updates until a later call passes a marker past them', async () => {
    max.userStartsBot(anna, 'invite-abc');
    max.userSendsText(anna, 'Здравствуйте');
    const first = await api.getUpdates([], { timeout: 0 });
    expect(first.updates.map((u) => u.update_type)).toEqual(['bot_started', 'message_created']);
    expect(first.updates[0]).toMatchObject({ payload: 'invite-abc', user: { user_id: anna.user_id } });
    // not acknowledged yet: the same two again
    const again = await api.getUpdates([], { timeout: 0 });
    expect(again.updates).toHaveLength(2);
    expect(again.marker).toBe(first.marker);
    // the marker acknowledges them; a long poll then waits for the next update
    const waiting = api.getUpdates([], { marker: first.marker, timeout: 5 });
    setTimeout(() => max.userSendsText(anna, 'Ещё вопрос'), 100);
    const next = await waiting;
    expect(next.updates.map((u) => (u as { message?: { body: { text: string } } }).message?.body.text)).toEqual(['Ещё вопрос']);
    // types filter
    max.userPresses(anna, 'whatever', 'mid.none');
    const onlyCallbacks = await api.getUpdates(['message_callback'], { marker: next.marker, timeout: 0 });
    expect(onlyCallbacks.updates.map((u) => u.update_type)).toEqual(['message_callback']);
  });

  it('a Bot with long polling receives bot_started, message_created and message_callback and replies via ctx', async () => {
    const bot = botFor(max.token);
    const seen: string[] = [];
    bot.on('bot_started', async (ctx) => {
      seen.push(`start:${ctx.startPayload ?? ''}`);
      await ctx.reply('Добро пожаловать', { attachments: [Keyboard.inlineKeyboard([[Keyboard.button.callback('Меню', 'menu')]])] });
    });
    bot.on('message_created', async (ctx) => {
      seen.push(`text:${ctx.message.body.text ?? ''}`);
      await ctx.reply(`Вы написали: ${ctx.message.body.text ?? ''}`);
    });
    bot.on('message_callback', async (ctx) => {
      seen.push(`press:${ctx.callback.payload ?? ''}`);
      await ctx.answerOnCallback(notification('Открываю меню'));
    });
    void bot.start();
    max.userStartsBot(anna, 'hello');
    await max.waitForMessage(anna.user_id, /Добро пожаловать/);
    max.userSendsText(anna, 'Яма на дороге');
    await max.waitForMessage(anna.user_id, 'Вы написали: Яма на дороге');
    const { callbackId } = max.userPresses(anna, 'menu');
    await waitFor(() => max.answersTo(callbackId)[0]);
    expect(seen).toEqual(['start:hello', 'text:Яма на дороге', 'press:menu']);
    expect(max.answersTo(callbackId)[0]?.notification).toBe('Открываю меню');
    // everything handled was acknowledged by the next poll's marker
    await waitFor(() => max.pendingUpdates().length === 0);
  });

  it('uploadImage stores the bytes and the image can be sent', async () => {
    max.userStartsBot(anna);
    const bytes = Buffer.from('fake-png-bytes');
    const image = await api.uploadImage({ source: bytes });
    const sent = await api.sendMessageToUser(anna.user_id, 'Фото', { attachments: [image.toJson()] });
    const attachment = sent.body.attachments?.[0] as { type: string; payload: { url: string; token: string } };
    expect(attachment.type).toBe('image');
    expect(max.fileByToken(attachment.payload.token)?.bytes.equals(bytes)).toBe(true);
    const downloaded = Buffer.from(await (await fetch(attachment.payload.url)).arrayBuffer());
    expect(downloaded.equals(bytes)).toBe(true);
    expect((await rejection(api.sendMessageToUser(anna.user_id, 'x', { attachments: [{ type: 'image', payload: { token: 'forged' } }] }))).status).toBe(400);
  });

  it('a person’s photo is downloadable from its attachment url', async () => {
    const bytes = Buffer.from('photo from a citizen');
    max.userSendsPhoto(anna, bytes, 'Вот фото');
    const { updates } = await api.getUpdates([], { timeout: 0 });
    const message = (updates[0] as { message: { body: { text: string; attachments: Array<{ payload: { url: string } }> } } }).message;
    expect(message.body.text).toBe('Вот фото');
    const url = message.body.attachments[0]?.payload.url ?? '';
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('subscribe switches to webhook delivery with the X-Max-Bot-Api-Secret header; unsubscribe back to polling', async () => {
    const received: Array<{ secret: string | undefined; update: { update_type: string } }> = [];
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ secret: req.headers['x-max-bot-api-secret'] as string | undefined, update: JSON.parse(body) as { update_type: string } });
        res.writeHead(200).end('OK');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/max`;
    try {
      await api.subscribe(hookUrl, 'secret_12345', ['message_created']);
      expect(await api.getSubscriptions()).toEqual([{ url: hookUrl, time: expect.any(Number) as number, updateTypes: ['message_created'] }]);
      max.userSendsText(anna, 'Через вебхук');
      max.userStartsBot(anna); // not subscribed to bot_started: not delivered
      await waitFor(() => received.length === 1 && max.webhookDeliveries.length === 1);
      expect(received[0]).toMatchObject({ secret: 'secret_12345', update: { update_type: 'message_created' } });
      expect((await rejection(api.subscribe(hookUrl, 'bad secret!'))).status).toBe(400);
      await api.unsubscribe(hookUrl);
      expect(max.subscriptions).toEqual([]);
      max.userSendsText(anna, 'Снова опрос');
      expect((await api.getUpdates([], { timeout: 0 })).updates).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });

  it(`text over ${MAX_TEXT_LIMIT} characters is a 400; exactly ${MAX_TEXT_LIMIT} is accepted`, async () => {
    max.userStartsBot(anna);
    const tooLong = await rejection(api.sendMessageToUser(anna.user_id, 'я'.repeat(MAX_TEXT_LIMIT + 1)));
    expect(tooLong.status).toBe(400);
    await api.sendMessageToUser(anna.user_id, 'я'.repeat(MAX_TEXT_LIMIT));
    expect(max.messagesTo(anna.user_id)).toHaveLength(1);
  });

  it('a wrong token gets 401 with the documented error body', async () => {
    const err = await rejection(botFor('wrong-token').api.getMyInfo());
    expect(err.status).toBe(401);
    expect(err.code).toBe('verify.token');
    const raw = await fetch(`${max.url}/me`, { headers: { Authorization: 'wrong-token' } });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({ code: 'verify.token', message: 'Invalid access_token' });
  });

  it('the rate limiter answers 429 beyond the limit per second and counts the refusals', async () => {
    max.userStartsBot(anna);
    max.enforceRateLimit(5);
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => api.sendMessageToUser(anna.user_id, `m${i}`)));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as MaxError).status);
    expect(refused).toEqual([429, 429, 429]);
    expect(max.rateLimitHits).toBe(3);
    expect(max.messagesTo(anna.user_id)).toHaveLength(5);
  });

  it('failNext fails the next matching calls without executing them; setDown refuses every call until lifted', async () => {
    max.userStartsBot(anna);
    max.failNext('POST /messages', { status: 503, message: 'maintenance' }, 2);
    expect((await rejection(api.sendMessageToUser(anna.user_id, 'a'))).status).toBe(503);
    const second = await rejection(api.sendMessageToUser(anna.user_id, 'b'));
    expect([second.status, second.code, second.description]).toEqual([503, 'internal.error', 'maintenance']);
    await api.sendMessageToUser(anna.user_id, 'c');
    expect(max.messagesTo(anna.user_id).map((m) => m.text)).toEqual(['c']);

    max.setDown(true);
    await expect(api.getMyInfo()).rejects.toThrow(/fetch failed/);
    max.setDown(true, 503);
    expect((await rejection(api.getMyInfo())).status).toBe(503);
    max.setDown(false);
    expect((await api.getMyInfo()).user_id).toBe(777);
  });

  it('channel post comments: comment_created, and the bot replies with the comments endpoints', async () => {
    const post = max.channelPost('Ремонт дорог в 2026 году');
    const { commentId } = max.userComments(anna, post.mid, 'А нашу улицу?');
    const { updates } = await api.getUpdates(['comment_created'], { timeout: 0 });
    expect(updates[0]).toMatchObject({ update_type: 'comment_created', message: { body: { mid: commentId, text: 'А нашу улицу?' }, sender: { user_id: anna.user_id } } });
    const { message } = await api.sendComment(post.mid, 'Ваша улица в плане на июль', { link: { type: 'reply', mid: commentId } });
    expect(max.commentsOn(post.mid).map((c) => [c.sender, c.text, c.replyTo ?? null])).toEqual([
      ['user', 'А нашу улицу?', null],
      ['bot', 'Ваша улица в плане на июль', commentId],
    ]);
    expect((await api.getComments(post.mid)).messages).toHaveLength(2);
    await api.deleteComment(post.mid, message.body.mid);
    expect(max.commentsOn(post.mid)).toHaveLength(1);
  });

  it('two bots share one server (one MAX_API_ROOT): each token sees its own dialogs, updates and uploads', async () => {
    const citizens = await new FakeMax({ token: 'max-token-citizens', botUserId: 778, name: 'Администрация', sharedWith: max }).start();
    expect(citizens.url).toBe(max.url);
    const citizensApi = botFor(citizens.token).api;
    expect((await citizensApi.getMyInfo()).user_id).toBe(778);
    citizens.userSendsText(ivan, 'Жалоба на освещение');
    max.userStartsBot(anna);
    expect((await citizensApi.getUpdates([], { timeout: 0 })).updates.map((u) => u.update_type)).toEqual(['message_created']);
    expect((await api.getUpdates([], { timeout: 0 })).updates.map((u) => u.update_type)).toEqual(['bot_started']);
    await citizensApi.sendMessageToUser(ivan.user_id, 'Обращение принято');
    expect((await rejection(api.sendMessageToUser(ivan.user_id, 'не ваш диалог'))).status).toBe(404);
    const image = await citizensApi.uploadImage({ source: Buffer.from('x') });
    await citizensApi.sendMessageToUser(ivan.user_id, 'Фото', { attachments: [image.toJson()] });
    expect(citizens.messagesTo(ivan.user_id).map((m) => m.text)).toEqual(['Обращение принято', 'Фото']);
    expect(max.messagesTo(ivan.user_id)).toEqual([]);
    expect((await rejection(botFor('max-token-other').api.getMyInfo())).status).toBe(401);
  });

  it('loseNextReply executes the send but loses the answer; GET /messages then shows what was sent', async () => {
    max.userStartsBot(anna);
    max.loseNextReply('POST /messages');
    await expect(api.sendMessageToUser(anna.user_id, 'Ответ на обращение №5')).rejects.toThrow(/fetch failed/);
    expect(max.calls('POST /messages')[0]?.lost).toBe(true);
    expect(max.messagesTo(anna.user_id).map((m) => m.text)).toEqual(['Ответ на обращение №5']);
    const chatId = max.messagesTo(anna.user_id)[0]!.chatId;
    const { messages } = await api.getMessages(chatId);
    expect(messages.map((m) => m.body.text)).toEqual(['Ответ на обращение №5']);
    // the next call is answered normally
    await api.sendMessageToUser(anna.user_id, 'Ещё');
    expect(max.calls('POST /messages')[1]?.lost).toBeUndefined();
  });

  it('a person’s document arrives as a file attachment with its name and size, downloadable', async () => {
    const bytes = Buffer.from('%PDF-1.4 заявление');
    max.userSendsFile(anna, bytes, 'заявление.pdf', 'Прилагаю заявление');
    const { updates } = await api.getUpdates([], { timeout: 0 });
    const attachment = (updates[0] as { message: { body: { attachments: Array<{ type: string; filename: string; size: number; payload: { url: string } }> } } }).message.body.attachments[0]!;
    expect([attachment.type, attachment.filename, attachment.size]).toEqual(['file', 'заявление.pdf', bytes.length]);
    expect(Buffer.from(await (await fetch(attachment.payload.url)).arrayBuffer()).equals(bytes)).toBe(true);
  });
});
