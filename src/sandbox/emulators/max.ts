/**
 * FakeMax — a local MAX Bot API server for tests and the sandbox.
 *
 * Written from the official documentation (dev.max.ru/docs-api: methods GET /me, GET /updates, POST /messages,
 * PUT /messages, DELETE /messages, POST /answers, POST /uploads, GET/POST/DELETE /subscriptions, GET /chats/{id})
 * and the official client `@maxhub/max-bot-api` 0.3.1 (dist/core/network/api/modules/* give the exact paths,
 * query and body shapes; dist/core/network/api/types/* the objects). The client is pointed at `fake.url`
 * with `new Bot(token, { clientOptions: { baseUrl: fake.url } })`; it sends the token in the `Authorization`
 * header (client.js) and JSON bodies. The fake keeps a model of the bot's dialogs, records every call,
 * validates what the bot sends (a wrong field is a 400), and injects faults. See docs/testing.md.
 */
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { LocalServer, holdUntilClosed, parseBody, readBody, sendJson, type UploadedFile } from './http.js';
import { safeJson, waitFor } from './wait.js';

// ---------------------------------------------------------------- public types

/** A MAX user as a test describes him; the fake fills the rest of the documented `User` object. */
export interface MaxPerson {
  user_id: number;
  name: string;
  username?: string;
}

/** types/keyboard.d.ts: the documented button kinds. */
export interface MaxButton {
  type: string;
  text: string;
  payload?: string;
  url?: string;
  [key: string]: unknown;
}

/** One message in the fake's model (the bot's or a person's), in its current state. */
export interface MaxSentMessage {
  mid: string;
  chatId: number;
  chatType: 'dialog' | 'chat' | 'channel';
  /** The person of the dialog (the recipient of a bot message, the sender of a person's message). */
  userId?: number;
  sender: 'bot' | 'user';
  /** Text as the person sees it (HTML tags removed, entities decoded when format is html). */
  text: string;
  /** Text exactly as the bot sent it. */
  sentText: string;
  format?: 'markdown' | 'html';
  /** Attachments as the API returns them (inline_keyboard, image, file, …). */
  attachments: Array<Record<string, unknown>>;
  /** mid of the message this one replies to. */
  replyTo?: string;
  deleted: boolean;
  editCount: number;
  history: Array<{ text: string; attachments: Array<Record<string, unknown>>; at: number }>;
  at: number;
  /** The documented `Message` object in its current state. */
  raw: Record<string, unknown>;
}

export interface MaxRecordedCall {
  seq: number;
  /** HTTP method. */
  method: string;
  /** Request path, e.g. /messages. */
  path: string;
  /** Path template, e.g. /chats/{chat_id}. */
  route: string;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  at: number;
  status?: number;
  /** The call was executed but its answer withheld (loseNextReply): the connection was reset. */
  lost?: boolean;
  response?: unknown;
}

export interface MaxFailure {
  status: number;
  code?: string;
  message?: string;
}

export interface MaxCallbackAnswer {
  callbackId: string;
  notification?: string;
  message?: unknown;
  at: number;
}

export interface MaxWebhookDelivery {
  url: string;
  secret?: string;
  update: Record<string, unknown>;
  status: number | 'error';
  at: number;
}

export interface MaxComment {
  commentId: string;
  postMid: string;
  sender: 'bot' | 'user';
  userId?: number;
  text: string;
  replyTo?: string;
  deleted: boolean;
  raw: Record<string, unknown>;
}

export interface FakeMaxOptions {
  token?: string;
  botUserId?: number;
  name?: string;
  username?: string;
  /** Upper bound for holding GET /updates, whatever `timeout` asks (default 30000 ms). */
  maxLongPollMs?: number;
  /**
   * First update sequence number (marker) and first message seq. The sandbox starts a new emulator on a database
   * that outlives it; a marker the service stored must not skip the new emulator's updates.
   */
  firstMarker?: number;
  /** Webhook delivery: attempts per update and pause between them (defaults 5 and 200 ms). */
  webhookAttempts?: number;
  webhookRetryMs?: number;
  /**
   * Another bot on the same fake platform: this one answers on `sharedWith`'s server (same url), chosen by the
   * token of each request. The service has one MAX_API_ROOT for its two bots (staff and citizens').
   */
  sharedWith?: FakeMax;
}

// ---------------------------------------------------------------- implementation

/** POST /messages text limit (docs: NewMessageBody.text «до 4000 символов»). */
export const MAX_TEXT_LIMIT = 4000;

/** Update types of the documented `Update` union (types/subcription.d.ts). */
const UPDATE_TYPES = new Set([
  'bot_added',
  'bot_removed',
  'bot_started',
  'bot_stopped',
  'chat_title_changed',
  'comment_created',
  'comment_edited',
  'comment_removed',
  'dialog_cleared',
  'dialog_muted',
  'dialog_removed',
  'dialog_unmuted',
  'message_callback',
  'message_created',
  'message_edited',
  'message_removed',
  'user_added',
  'user_removed',
]);

/** Fields of NewMessageBody (modules/messages/types.d.ts SendMessageDTO.body). */
const MESSAGE_BODY_KEYS = new Set(['text', 'attachments', 'link', 'notify', 'format']);
/** Fields of the comment body (modules/comments/types.d.ts CommentDTOBody). */
const COMMENT_BODY_KEYS = new Set(['text', 'link', 'format']);
/** Attachment request kinds (types/attachment-request.d.ts). */
const ATTACHMENT_TYPES = new Set(['image', 'video', 'audio', 'file', 'sticker', 'contact', 'inline_keyboard', 'share', 'location']);
/** Button kinds and their required string fields (types/keyboard.d.ts). */
const BUTTON_FIELDS: Record<string, string[]> = {
  callback: ['text', 'payload'],
  link: ['text', 'url'],
  clipboard: ['text', 'payload'],
  request_contact: ['text'],
  request_geo_location: ['text'],
  message: ['text'],
  open_app: ['text'],
};
/** Upload kinds (types/uploads.d.ts UploadType). */
const UPLOAD_TYPES = new Set(['image', 'video', 'audio', 'file']);
/** Tags MAX accepts with format html (dev.max.ru/docs-api «Форматирование текста»: bold, italic, underline, strike, code, links, quotes). */
const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'del', 'code', 'pre', 'a', 'blockquote', 'mark', 'br', 'p']);
const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

/** An API error answer: HTTP status and the documented body `{ code, message }`. */
class MaxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const bad = (message: string): MaxApiError => new MaxApiError(400, 'proto.payload', message);
const notFound = (message: string): MaxApiError => new MaxApiError(404, 'not.found', message);

interface Dialog {
  chatId: number;
  userId: number;
  started: boolean;
  blocked: boolean;
}

interface StoredFile {
  id: string;
  token: string;
  type: string;
  fileName: string;
  bytes: Buffer;
}

interface PendingCallback {
  id: string;
  mid: string;
  userId: number;
  payload: string;
}

interface Route {
  method: string;
  route: string;
  params: Record<string, string>;
}

/** Maps a request onto the documented path templates (the library's modules/*\/api.js). */
function matchRoute(method: string, path: string): Route {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const r = (route: string, params: Record<string, string> = {}): Route => ({ method, route, params });
  if (seg[0] === 'messages' && seg.length === 2) return r('/messages/{message_id}', { message_id: seg[1] ?? '' });
  if (seg[0] === 'messages' && seg[2] === 'comments' && seg.length === 3) return r('/messages/{messageId}/comments', { messageId: seg[1] ?? '' });
  if (seg[0] === 'messages' && seg[2] === 'comments' && seg.length === 4) return r('/messages/{messageId}/comments/{commentId}', { messageId: seg[1] ?? '', commentId: seg[3] ?? '' });
  if (seg[0] === 'chats' && seg.length === 2) return r('/chats/{chat_id}', { chat_id: seg[1] ?? '' });
  if (seg[0] === 'upload' && seg.length === 2) return r('/upload/{id}', { id: seg[1] ?? '' });
  if (seg[0] === 'files' && seg.length === 2) return r('/files/{id}', { id: seg[1] ?? '' });
  return r(`/${seg.join('/')}`);
}

function decodeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return HTML_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Visible text of an html-formatted message; unknown or unbalanced tags are a 400 like a wrong field. */
export function htmlToVisible(html: string): string {
  const stack: string[] = [];
  const re = /<\/?([a-zA-Z0-9-]+)(\s[^>]*)?\/?>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    const tag = (m[1] ?? '').toLowerCase();
    if (!HTML_TAGS.has(tag)) throw bad(`text: unsupported html tag <${tag}>`);
    if (tag === 'br' || m[0].endsWith('/>')) continue;
    if (m[0].startsWith('</')) {
      if (stack.pop() !== tag) throw bad(`text: unbalanced html tag </${tag}>`);
    } else stack.push(tag);
  }
  if (stack.length) throw bad(`text: unclosed html tag <${stack[stack.length - 1]}>`);
  return decodeHtml(html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, ''));
}

export class FakeMax {
  readonly token: string;
  readonly bot: { user_id: number; name: string; first_name: string; username: string; is_bot: true };
  /** Answers given by the rate limiter (429). */
  rateLimitHits = 0;
  /** Every POST to a subscribed webhook url, in order. */
  readonly webhookDeliveries: MaxWebhookDelivery[] = [];

  private readonly server: LocalServer;
  /** The bots sharing this server (this one included); the first owns it. */
  private readonly group: FakeMax[];
  private readonly maxLongPollMs: number;
  private readonly webhookAttempts: number;
  private readonly webhookRetryMs: number;
  private readonly recorded: MaxRecordedCall[] = [];
  private callSeq = 0;
  private updates: Array<{ seq: number; type: string; update: Record<string, unknown> }> = [];
  private nextMarker: number;
  private pollWaiters = new Set<() => void>();
  private readonly users = new Map<number, MaxPerson>();
  private readonly dialogs = new Map<number, Dialog>();
  private readonly chatsById = new Map<number, { chatId: number; type: 'dialog' | 'chat' | 'channel'; title: string | null; userId?: number }>();
  private nextChatId = 70_000_001;
  private readonly messages = new Map<string, MaxSentMessage>();
  private msgSeq: number;
  private readonly comments = new Map<string, MaxComment>();
  private readonly callbacks = new Map<string, PendingCallback>();
  private readonly answers: MaxCallbackAnswer[] = [];
  private readonly files = new Map<string, StoredFile>();
  private readonly uploadsPending = new Map<string, { type: string; token?: string }>();
  private readonly failures: Array<{ key: string; failure: MaxFailure; times: number }> = [];
  private readonly lostReplies: Array<{ key: string; times: number }> = [];
  private down: false | 'reset' | 503 = false;
  /** Called with each call as it arrives, before it is answered: a test can begin an outage at an exact call. */
  onCall: ((call: MaxRecordedCall) => void) | null = null;
  private ratePerSecond: number | undefined;
  private readonly rateLog: number[] = [];
  private commands: Array<{ name: string; description?: string | null }> = [];
  private readonly subs = new Map<string, { url: string; secret?: string; update_types: string[]; time: number }>();
  private channelId: number | undefined;

  constructor(options: FakeMaxOptions = {}) {
    this.token = options.token ?? `max-token-${randomBytes(8).toString('hex')}`;
    const name = options.name ?? 'Otklik MAX Bot';
    this.bot = { user_id: options.botUserId ?? 9_000_001, name, first_name: name, username: options.username ?? 'otklik_max_bot', is_bot: true };
    this.maxLongPollMs = options.maxLongPollMs ?? 30_000;
    this.nextMarker = options.firstMarker ?? 1;
    this.msgSeq = options.firstMarker ?? 1;
    this.webhookAttempts = options.webhookAttempts ?? 5;
    this.webhookRetryMs = options.webhookRetryMs ?? 200;
    if (options.sharedWith) {
      if (options.sharedWith.group.some((b) => b.token === this.token)) throw new Error('FakeMax: two bots with one token on one server');
      this.group = options.sharedWith.group;
      this.server = options.sharedWith.server;
      // a dialog's chat id belongs to the pair person–bot: another bot's dialogs get other ids
      this.nextChatId += this.group.length * 1_000_000;
      this.group.push(this);
    } else {
      this.group = [this];
      this.server = new LocalServer((req, res) => this.dispatch(req, res));
    }
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** Stops the server (every bot sharing it stops answering). */
  async stop(): Promise<void> {
    for (const bot of this.group) for (const w of [...bot.pollWaiters]) w();
    await this.server.stop();
  }

  /** baseUrl for the official client (`clientOptions: { baseUrl }`), no trailing slash. */
  get url(): string {
    return this.server.origin;
  }

  get port(): number {
    return this.server.port;
  }

  // ------------------------------------------------------------ people act

  /** A person opens the bot (deep link payload optional): `bot_started`. */
  userStartsBot(user: MaxPerson, payload?: string): void {
    const dialog = this.dialogOf(user);
    dialog.started = true;
    dialog.blocked = false;
    this.push('bot_started', { chat_id: dialog.chatId, user: this.userObject(user), ...(payload !== undefined ? { payload } : {}), user_locale: 'ru' });
  }

  /** A person stops the bot: `bot_stopped`; later sends to him are refused with 403. */
  userStopsBot(user: MaxPerson): void {
    const dialog = this.dialogOf(user);
    dialog.blocked = true;
    this.push('bot_stopped', { chat_id: dialog.chatId, user: this.userObject(user), user_locale: 'ru' });
  }

  /** A person writes in his dialog with the bot (or in group chat `chatId`): `message_created`. */
  userSendsText(user: MaxPerson, text: string, opts: { replyTo?: string; chatId?: number } = {}): { mid: string } {
    return this.userMessage(user, text, [], opts);
  }

  /** A person sends a photo (served by the fake at the attachment's url). */
  /** A person sends a document (types/attachment.d.ts FileAttachment: payload { url, token }, filename, size). */
  userSendsFile(user: MaxPerson, bytes: Buffer, fileName: string, caption?: string): { mid: string } {
    const file = this.storeFile('file', fileName, bytes);
    return this.userMessage(user, caption ?? '', [{ type: 'file', payload: { url: this.fileUrl(file), token: file.token }, filename: fileName, size: bytes.length }], {});
  }

  userSendsPhoto(user: MaxPerson, bytes: Buffer, caption?: string): { mid: string } {
    const file = this.storeFile('image', 'photo.jpg', bytes);
    const attachment = { type: 'image', payload: { photo_id: Number.parseInt(file.id.slice(0, 8), 16), token: file.token, url: this.fileUrl(file) } };
    return this.userMessage(user, caption ?? '', [attachment], {});
  }

  /**
   * A person presses a button: `message_callback`. Without `mid` the newest bot message in his dialog carrying a
   * callback button with that payload is pressed (throws if none); with `mid` the press is sent as given, so a
   * test can forge a press on any message.
   */
  userPresses(user: MaxPerson, payload: string, mid?: string): { callbackId: string } {
    this.dialogOf(user);
    let message: MaxSentMessage | undefined;
    if (mid !== undefined) message = this.messages.get(mid);
    else {
      message = this.messagesTo(user.user_id)
        .reverse()
        .find((m) => this.buttonsOf(m).some((b) => b.type === 'callback' && b.payload === payload));
      if (!message) throw new Error(`FakeMax: no bot message to ${user.user_id} has a callback button with payload ${payload}`);
    }
    const callbackId = `cb.${randomBytes(8).toString('hex')}`;
    this.callbacks.set(callbackId, { id: callbackId, mid: message?.mid ?? mid ?? '', userId: user.user_id, payload });
    const now = Date.now();
    this.push('message_callback', {
      callback: { timestamp: now, callback_id: callbackId, payload, user: this.userObject(user) },
      message: message ? message.raw : null,
      user_locale: 'ru',
    });
    return { callbackId };
  }

  /** The administration publishes a post in its channel (the bot is an administrator there): `message_created`. */
  channelPost(text: string): { mid: string } {
    const chatId = this.channel();
    const m = this.createMessage({ chatId, chatType: 'channel', sender: 'bot', text, sentText: text, attachments: [] });
    this.push('message_created', { message: m.raw });
    return { mid: m.mid };
  }

  /**
   * A person comments a channel post: `comment_created` (types/subcription.d.ts; the comment's `recipient` is the
   * channel, `link` a reply to the post). The library has the comments endpoints (modules/comments/api.js); the
   * public docs do not describe them, so the shape follows the library's `CommentMessage` type.
   */
  userComments(user: MaxPerson, postMid: string, text: string): { commentId: string } {
    const post = this.messages.get(postMid);
    if (!post || post.chatType !== 'channel') throw new Error(`FakeMax: ${postMid} is not a channel post`);
    this.users.set(user.user_id, user);
    const comment = this.createComment(postMid, 'user', text, user);
    this.push('comment_created', { message: comment.raw });
    return { commentId: comment.commentId };
  }

  /** Registers a person the bot may write to without him having started the bot (e.g. a seeded dialog). */
  addUser(user: MaxPerson): number {
    return this.dialogOf(user).chatId;
  }

  // ------------------------------------------------------------ what the bot did

  /** Bot messages in that person's dialog, current state after edits; deleted ones left out. */
  messagesTo(userId: number): MaxSentMessage[] {
    const chatId = this.dialogs.get(userId)?.chatId;
    return [...this.messages.values()].filter((m) => m.chatId === chatId && m.sender === 'bot' && !m.deleted);
  }

  /** Every message of that person's dialog (his and the bot's), deleted ones included, oldest first. */
  dialogMessages(userId: number): MaxSentMessage[] {
    const chatId = this.dialogs.get(userId)?.chatId;
    return [...this.messages.values()].filter((m) => m.chatId === chatId);
  }

  /** The dialogs the fake knows: who, the chat id, and whether he started the bot. */
  dialogList(): Array<{ user: MaxPerson; chatId: number; started: boolean; blocked: boolean }> {
    return [...this.dialogs.values()].map((d) => ({ user: this.users.get(d.userId) ?? { user_id: d.userId, name: String(d.userId) }, chatId: d.chatId, started: d.started, blocked: d.blocked }));
  }

  message(mid: string): MaxSentMessage | undefined {
    return this.messages.get(mid);
  }

  /** Comments under a channel post (the bot's and people's), oldest first. */
  commentsOn(postMid: string): MaxComment[] {
    return [...this.comments.values()].filter((c) => c.postMid === postMid && !c.deleted);
  }

  async waitForMessage(userId: number, match: RegExp | string | ((m: MaxSentMessage) => boolean) = () => true, timeoutMs = 5_000): Promise<MaxSentMessage> {
    const test = typeof match === 'function' ? match : (m: MaxSentMessage) => (typeof match === 'string' ? m.text.includes(match) : match.test(m.text));
    return waitFor(() => this.messagesTo(userId).find(test), {
      timeoutMs,
      message: () => `a MAX message to ${userId} matching ${String(match)}; got ${safeJson(this.messagesTo(userId).map((m) => m.text))}`,
    });
  }

  buttonsOf(m: MaxSentMessage | Record<string, unknown>): MaxButton[] {
    const attachments = 'attachments' in m && Array.isArray(m.attachments) ? (m.attachments as Array<Record<string, unknown>>) : [];
    const out: MaxButton[] = [];
    for (const a of attachments) {
      if (a.type !== 'inline_keyboard') continue;
      const rows = (a.payload as { buttons?: MaxButton[][] } | undefined)?.buttons ?? [];
      for (const row of rows) out.push(...row);
    }
    return out;
  }

  answersTo(callbackId: string): MaxCallbackAnswer[] {
    return this.answers.filter((a) => a.callbackId === callbackId);
  }

  /** Recorded calls, optionally only those matching `GET /updates`, `/messages`, `POST` or a route template. */
  calls(filter?: string): MaxRecordedCall[] {
    return filter === undefined ? [...this.recorded] : this.recorded.filter((c) => callMatches(c.method, c.path, c.route, filter));
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  /** Bot commands set with PATCH /me. */
  myCommands(): Array<{ name: string; description?: string | null }> {
    return [...this.commands];
  }

  /** Updates not yet acknowledged by a marker (what GET /updates without marker would return). */
  pendingUpdates(): Array<Record<string, unknown>> {
    return this.updates.map((u) => u.update);
  }

  get subscriptions(): Array<{ url: string; secret?: string; update_types: string[]; time: number }> {
    return [...this.subs.values()];
  }

  /** Bytes of a file the bot uploaded (by its token) or a person sent. */
  fileByToken(token: string): { fileName: string; bytes: Buffer; type: string } | undefined {
    return [...this.files.values()].find((f) => f.token === token);
  }

  // ------------------------------------------------------------ faults

  /**
   * The next `times` calls matching `pathOrMethod` (`POST /messages`, `/messages`, `GET`, a route template such as
   * `/chats/{chat_id}`, or `*`) are answered with this error and not executed.
   */
  failNext(pathOrMethod: string, error: MaxFailure, times = 1): void {
    this.failures.push({ key: pathOrMethod, failure: error, times });
  }

  /**
   * The next `times` matching calls are executed but their answer is lost (the connection is reset after the
   * work is done): the message exists in MAX while the client saw a network error — the case a send key and a
   * check before re-sending must handle.
   */
  loseNextReply(pathOrMethod: string, times = 1): void {
    this.lostReplies.push({ key: pathOrMethod, times });
  }

  /** An outage: every call is refused — the connection is reset (default) or answered 503. */
  setDown(down: boolean, mode: 'reset' | 503 = 'reset'): void {
    this.down = down ? mode : false;
  }

  /** About 30 requests per second (docs FAQ: «30 rps»); beyond it 429, counted in rateLimitHits. */
  enforceRateLimit(perSecond = 30): void {
    this.ratePerSecond = perSecond;
  }

  disableRateLimit(): void {
    this.ratePerSecond = undefined;
  }

  // ------------------------------------------------------------ model helpers

  private userObject(user: MaxPerson): Record<string, unknown> {
    const [first, ...rest] = user.name.split(' ');
    return {
      user_id: user.user_id,
      name: user.name,
      first_name: first ?? user.name,
      ...(rest.length ? { last_name: rest.join(' ') } : {}),
      username: user.username ?? null,
      is_bot: false,
      last_activity_time: Date.now(),
    };
  }

  private botObject(): Record<string, unknown> {
    return { ...this.bot, last_activity_time: Date.now() };
  }

  private dialogOf(user: MaxPerson): Dialog {
    this.users.set(user.user_id, user);
    let d = this.dialogs.get(user.user_id);
    if (!d) {
      d = { chatId: this.nextChatId++, userId: user.user_id, started: false, blocked: false };
      this.dialogs.set(user.user_id, d);
      this.chatsById.set(d.chatId, { chatId: d.chatId, type: 'dialog', title: null, userId: user.user_id });
    }
    return d;
  }

  private channel(): number {
    if (this.channelId === undefined) {
      this.channelId = -this.nextChatId++;
      this.chatsById.set(this.channelId, { chatId: this.channelId, type: 'channel', title: 'Администрация' });
    }
    return this.channelId;
  }

  private newMid(): string {
    return `mid.${randomBytes(8).toString('hex')}`;
  }

  private createMessage(m: {
    chatId: number;
    chatType: 'dialog' | 'chat' | 'channel';
    sender: 'bot' | 'user';
    user?: MaxPerson;
    userId?: number;
    text: string;
    sentText: string;
    format?: 'markdown' | 'html';
    attachments: Array<Record<string, unknown>>;
    replyTo?: string;
  }): MaxSentMessage {
    const message: MaxSentMessage = {
      mid: this.newMid(),
      chatId: m.chatId,
      chatType: m.chatType,
      ...(m.userId !== undefined ? { userId: m.userId } : {}),
      sender: m.sender,
      text: m.text,
      sentText: m.sentText,
      ...(m.format ? { format: m.format } : {}),
      attachments: m.attachments,
      ...(m.replyTo ? { replyTo: m.replyTo } : {}),
      deleted: false,
      editCount: 0,
      history: [],
      at: Date.now(),
      raw: {},
    };
    const seq = this.msgSeq++;
    this.messages.set(message.mid, message);
    this.render(message, seq, m.user);
    return message;
  }

  /** types/message.d.ts `Message`: sender, recipient, timestamp, link, body { mid, seq, text, attachments }. */
  private render(m: MaxSentMessage, seq: number, user?: MaxPerson): void {
    const replied = m.replyTo ? this.messages.get(m.replyTo) : undefined;
    const sender = m.sender === 'bot' ? this.botObject() : user ? this.userObject(user) : this.userObject(this.users.get(m.userId ?? 0) ?? { user_id: m.userId ?? 0, name: '' });
    const recipientUser = m.chatType !== 'dialog' ? null : m.sender === 'bot' ? (m.userId ?? null) : this.bot.user_id;
    m.raw = {
      sender,
      recipient: { chat_id: m.chatId, chat_type: m.chatType, user_id: recipientUser, post_id: null },
      timestamp: m.at,
      ...(replied ? { link: { type: 'reply', sender: replied.raw.sender ?? null, chat_id: replied.chatId, message: replied.raw.body } } : {}),
      body: { mid: m.mid, seq, text: m.text, ...(m.attachments.length ? { attachments: m.attachments } : {}) },
    };
  }

  private userMessage(user: MaxPerson, text: string, attachments: Array<Record<string, unknown>>, opts: { replyTo?: string; chatId?: number }): { mid: string } {
    let chatId: number;
    let chatType: 'dialog' | 'chat' = 'dialog';
    if (opts.chatId !== undefined) {
      this.users.set(user.user_id, user);
      chatId = opts.chatId;
      chatType = 'chat';
      if (!this.chatsById.has(chatId)) this.chatsById.set(chatId, { chatId, type: 'chat', title: `Chat ${chatId}` });
    } else chatId = this.dialogOf(user).chatId;
    const m = this.createMessage({ chatId, chatType, sender: 'user', user, userId: user.user_id, text, sentText: text, attachments, ...(opts.replyTo ? { replyTo: opts.replyTo } : {}) });
    this.push('message_created', { message: m.raw, user_locale: 'ru' });
    return { mid: m.mid };
  }

  private createComment(postMid: string, sender: 'bot' | 'user', text: string, user?: MaxPerson, replyTo?: string): MaxComment {
    const post = this.messages.get(postMid);
    const commentId = `cmt.${randomBytes(8).toString('hex')}`;
    const replied = replyTo ? this.comments.get(replyTo) : undefined;
    const comment: MaxComment = {
      commentId,
      postMid,
      sender,
      ...(user ? { userId: user.user_id } : {}),
      text,
      ...(replyTo ? { replyTo } : {}),
      deleted: false,
      raw: {
        sender: sender === 'bot' ? this.botObject() : this.userObject(user ?? { user_id: 0, name: '' }),
        recipient: { chat_id: post?.chatId ?? null, chat_type: 'channel', user_id: null, post_id: null },
        timestamp: Date.now(),
        link: replied ? { type: 'reply', message: replied.raw.body } : { type: 'reply', chat_id: post?.chatId, message: post?.raw.body },
        body: { mid: commentId, seq: this.msgSeq++, text },
      },
    };
    this.comments.set(commentId, comment);
    return comment;
  }

  private storeFile(type: string, fileName: string, bytes: Buffer): StoredFile {
    const file: StoredFile = { id: randomBytes(8).toString('hex'), token: `tok.${randomBytes(12).toString('hex')}`, type, fileName, bytes };
    this.files.set(file.id, file);
    return file;
  }

  private fileUrl(file: StoredFile): string {
    return `${this.url}/files/${file.id}`;
  }

  /** Queues an update for GET /updates, or posts it to the subscribed webhook. */
  private push(type: string, fields: Record<string, unknown>): void {
    const update = { update_type: type, timestamp: Date.now(), ...fields };
    const subs = [...this.subs.values()].filter((s) => s.update_types.length === 0 || s.update_types.includes(type));
    if (this.subs.size > 0) {
      for (const s of subs) void this.deliver(s, update);
      return;
    }
    this.updates.push({ seq: this.nextMarker++, type, update });
    for (const w of [...this.pollWaiters]) w();
  }

  private async deliver(sub: { url: string; secret?: string }, update: Record<string, unknown>): Promise<void> {
    for (let attempt = 0; attempt < this.webhookAttempts; attempt++) {
      let status: number | 'error';
      try {
        const res = await fetch(sub.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(sub.secret ? { 'X-Max-Bot-Api-Secret': sub.secret } : {}) },
          body: JSON.stringify(update),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch {
        status = 'error';
      }
      this.webhookDeliveries.push({ url: sub.url, ...(sub.secret ? { secret: sub.secret } : {}), update, status, at: Date.now() });
      // docs: a delivery counts only when answered 200 OK; otherwise MAX retries
      if (status === 200 || !this.server.running) return;
      await new Promise((r) => setTimeout(r, this.webhookRetryMs));
    }
  }

  // ------------------------------------------------------------ HTTP

  /** Picks the bot a request is for: by the upload or file id in the path, else by the token. */
  private dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = matchRoute((req.method ?? 'GET').toUpperCase(), url.pathname);
    const id = route.params.id ?? '';
    const token = req.headers.authorization ?? url.searchParams.get('access_token');
    const target =
      route.route === '/files/{id}'
        ? this.group.find((b) => b.files.has(id))
        : route.route === '/upload/{id}'
          ? this.group.find((b) => b.uploadsPending.has(id))
          : this.group.find((b) => b.token === token);
    return (target ?? this).handle(req, res);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const route = matchRoute(method, url.pathname);

    if (this.down === 'reset') {
      req.socket.destroy();
      return;
    }
    // files the fake serves (a person's photo, the bot's upload) need no token, like MAX's CDN links
    if (route.route === '/files/{id}' && method === 'GET') {
      const file = this.files.get(route.params.id ?? '');
      if (!file) return sendJson(res, 404, { code: 'not.found', message: 'File not found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }

    const raw = await readBody(req);
    let parsed: { params: Record<string, unknown>; files: UploadedFile[] } = { params: {}, files: [] };
    let body: unknown;
    const contentType = req.headers['content-type'];
    try {
      if (route.route === '/upload/{id}') parsed = parseBody(contentType, raw);
      else if (raw.length) {
        if (!(contentType ?? '').toLowerCase().startsWith('application/json')) throw new Error('content type must be application/json');
        body = JSON.parse(raw.toString('utf8'));
      }
    } catch (err) {
      return sendJson(res, 400, { code: 'proto.payload', message: `Invalid request body: ${err instanceof Error ? err.message : String(err)}` });
    }
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const call: MaxRecordedCall = { seq: ++this.callSeq, method, path: url.pathname, route: route.route, query, body, files: parsed.files, at: Date.now() };
    this.recorded.push(call);
    this.onCall?.(call);
    // an outage the hook just began refuses this very call
    if ((this.down as false | 'reset' | 503) === 'reset') {
      req.socket.destroy();
      return;
    }
    let lose = false;
    const reply = (status: number, response: unknown): void => {
      call.status = status;
      call.response = response;
      if (lose) {
        call.lost = true;
        req.socket.destroy();
        return;
      }
      sendJson(res, status, response);
    };

    if (this.down === 503) return reply(503, { code: 'service.unavailable', message: 'Service unavailable' });

    // the upload URL is a separate host in MAX; it authorizes by the URL itself
    if (route.route !== '/upload/{id}') {
      // client.js sends `Authorization: <token>`; docs also name the access_token query parameter
      const given = req.headers.authorization ?? query.access_token;
      if (given !== this.token) return reply(401, { code: 'verify.token', message: 'Invalid access_token' });
    }

    const failure = this.takeFailure(method, url.pathname, route.route);
    const lost = this.lostReplies.findIndex((l) => callMatches(method, url.pathname, route.route, l.key));
    const lostEntry = failure ? undefined : this.lostReplies[lost];
    if (lostEntry) {
      lose = true;
      if (--lostEntry.times <= 0) this.lostReplies.splice(lost, 1);
    }
    if (failure) {
      return reply(failure.status, { code: failure.code ?? defaultCode(failure.status), message: failure.message ?? `Fake failure ${failure.status}` });
    }
    if (this.ratePerSecond !== undefined && route.route !== '/updates') {
      const now = Date.now();
      while (this.rateLog.length && (this.rateLog[0] ?? now) <= now - 1_000) this.rateLog.shift();
      if (this.rateLog.length >= this.ratePerSecond) {
        this.rateLimitHits++;
        return reply(429, { code: 'too.many.requests', message: 'Too many requests' });
      }
      this.rateLog.push(now);
    }

    try {
      if (route.route === '/updates' && method === 'GET') {
        const result = await this.getUpdates(query, req, res);
        if (result) reply(200, result);
        return;
      }
      if (route.route === '/upload/{id}' && method === 'POST') return this.receiveUpload(route.params.id ?? '', req, res, call, parsed.files, raw, reply);
      reply(200, this.execute(route, query, body));
    } catch (err) {
      if (err instanceof MaxApiError) return reply(err.status, { code: err.code, message: err.message });
      throw err;
    }
  }

  private takeFailure(method: string, path: string, route: string): MaxFailure | undefined {
    const i = this.failures.findIndex((f) => callMatches(method, path, route, f.key));
    const f = this.failures[i];
    if (!f) return undefined;
    if (--f.times <= 0) this.failures.splice(i, 1);
    return f.failure;
  }

  /**
   * GET /updates (docs): limit 1..1000 (default 100), timeout 0..90 s (default 30), marker, types. «Все предыдущие
   * обновления считаются завершенными после прохождения параметра marker. Если параметр marker не передан, бот
   * получит все обновления, произошедшие после последнего подтверждения» — so updates stay until a marker past them.
   */
  private async getUpdates(query: Record<string, string>, req: http.IncomingMessage, res: http.ServerResponse): Promise<Record<string, unknown> | undefined> {
    const limit = intParam(query, 'limit', 100, 1, 1000);
    const timeout = intParam(query, 'timeout', 30, 0, 90);
    const types = query.types ? query.types.split(',').filter(Boolean) : [];
    for (const t of types) if (!UPDATE_TYPES.has(t)) throw bad(`types: unknown update type ${t}`);
    if (query.marker !== undefined) {
      const marker = Number(query.marker);
      if (!Number.isInteger(marker)) throw bad('marker: must be an integer');
      this.updates = this.updates.filter((u) => u.seq >= marker);
    }
    const take = (): Array<{ seq: number; update: Record<string, unknown> }> => this.updates.filter((u) => types.length === 0 || types.includes(u.type)).slice(0, limit);
    let batch = take();
    if (batch.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        let done = false;
        const finish = (): void => {
          if (done) return;
          done = true;
          this.pollWaiters.delete(wake);
          resolve();
        };
        const wake = (): void => {
          if (take().length) finish();
        };
        this.pollWaiters.add(wake);
        holdUntilClosed(this.server, req, res, Math.min(timeout * 1000, this.maxLongPollMs), finish);
        res.on('close', finish);
      });
      if (res.destroyed || res.writableEnded) return undefined;
      batch = take();
    }
    const last = batch[batch.length - 1];
    return { updates: batch.map((u) => u.update), marker: last ? last.seq + 1 : this.nextMarker };
  }

  private execute(route: Route, query: Record<string, string>, body: unknown): unknown {
    const key = `${route.method} ${route.route}`;
    switch (key) {
      case 'GET /me':
        return { ...this.botObject(), commands: this.commands.length ? this.commands : null };
      // docs: PATCH /me edits the bot (commands among its fields); the library calls PATCH /me/commands (modules/bots/api.js)
      case 'PATCH /me':
      case 'PATCH /me/commands':
        return this.editCommands(body);
      case 'POST /messages':
        return { message: this.sendMessage(query, body).raw };
      case 'PUT /messages':
        this.editMessage(requireString(query, 'message_id'), body);
        return { success: true };
      case 'DELETE /messages':
        this.deleteMessage(requireString(query, 'message_id'));
        return { success: true };
      case 'GET /messages':
        return { messages: this.listMessages(query) };
      case 'GET /messages/{message_id}': {
        const m = this.messages.get(route.params.message_id ?? '');
        if (!m || m.deleted) throw notFound('Message not found');
        return m.raw;
      }
      case 'POST /answers':
        this.answer(requireString(query, 'callback_id'), body);
        return { success: true };
      case 'POST /uploads':
        return this.uploadUrl(query);
      case 'GET /subscriptions':
        return { subscriptions: this.subscriptions.map(({ url, time, update_types }) => ({ url, time, update_types })) };
      case 'POST /subscriptions':
        this.subscribe(body);
        return { success: true };
      case 'DELETE /subscriptions': {
        const url = requireString(query, 'url');
        this.subs.delete(url);
        return { success: true };
      }
      case 'GET /chats/{chat_id}':
        return this.chat(Number(route.params.chat_id));
      case 'GET /messages/{messageId}/comments':
        return { messages: this.commentsOn(this.post(route.params.messageId).mid).map((c) => c.raw) };
      case 'GET /messages/{messageId}/comments/{commentId}': {
        const c = this.comments.get(route.params.commentId ?? '');
        if (!c || c.deleted || c.postMid !== route.params.messageId) throw notFound('Comment not found');
        return c.raw;
      }
      case 'POST /messages/{messageId}/comments':
        return { message: this.sendComment(this.post(route.params.messageId).mid, body).raw };
      case 'PUT /messages/{messageId}/comments':
        // modules/comments/api.js edit passes message_id and comment_id as query (the path keeps its template)
        this.editComment(requireString(query, 'message_id'), requireString(query, 'comment_id'), body);
        return { success: true };
      case 'DELETE /messages/{messageId}/comments': {
        const c = this.comments.get(requireString(query, 'comment_id'));
        if (!c || c.deleted || c.postMid !== route.params.messageId) throw notFound('Comment not found');
        if (c.sender !== 'bot') throw new MaxApiError(403, 'access.denied', 'Only own comments can be deleted');
        c.deleted = true;
        return { success: true };
      }
      default:
        throw new MaxApiError(404, 'not.found', `Path ${route.route} with method ${route.method} is not supported`);
    }
  }

  private editCommands(body: unknown): unknown {
    const b = objectBody(body);
    if (!Array.isArray(b.commands)) throw bad('commands: must be an array');
    const commands = b.commands.map((c: unknown, i: number) => {
      if (!c || typeof c !== 'object') throw bad(`commands[${i}]: must be an object`);
      const { name, description, ...rest } = c as Record<string, unknown>;
      if (Object.keys(rest).length) throw bad(`commands[${i}]: unknown field ${Object.keys(rest)[0]}`);
      if (typeof name !== 'string' || !name) throw bad(`commands[${i}].name: must be a non-empty string`);
      if (description !== undefined && description !== null && typeof description !== 'string') throw bad(`commands[${i}].description: must be a string`);
      return { name, ...(description !== undefined ? { description } : {}) };
    });
    this.commands = commands;
    return { ...this.botObject(), commands };
  }

  /** Validates a NewMessageBody (SendMessageDTO.body) and returns visible text and stored attachments. */
  private validateBody(
    body: unknown,
    keys: Set<string>,
    forEdit: boolean,
  ): { text?: string; visible?: string; format?: 'markdown' | 'html'; attachments?: Array<Record<string, unknown>>; link?: { type: string; mid: string } } {
    const b = objectBody(body);
    for (const k of Object.keys(b)) if (!keys.has(k)) throw bad(`${k}: unknown field`);
    const format = b.format;
    if (format !== undefined && format !== null && format !== 'markdown' && format !== 'html') throw bad('format: must be markdown or html');
    const text = b.text;
    if (text !== undefined && text !== null && typeof text !== 'string') throw bad('text: must be a string');
    if (typeof text === 'string' && [...text].length > MAX_TEXT_LIMIT) throw bad(`text: size must be between 0 and ${MAX_TEXT_LIMIT}`);
    if (b.notify !== undefined && typeof b.notify !== 'boolean') throw bad('notify: must be a boolean');
    let link: { type: string; mid: string } | undefined;
    if (b.link !== undefined && b.link !== null) {
      const l = b.link as Record<string, unknown>;
      if (typeof l !== 'object' || (l.type !== 'reply' && l.type !== 'forward') || typeof l.mid !== 'string') throw bad('link: must be { type: reply | forward, mid }');
      link = { type: l.type, mid: l.mid };
    }
    let attachments: Array<Record<string, unknown>> | undefined;
    if (b.attachments !== undefined && b.attachments !== null) {
      if (!Array.isArray(b.attachments)) throw bad('attachments: must be an array');
      attachments = b.attachments.map((a: unknown, i: number) => this.validateAttachment(a, i));
    }
    const visible = typeof text === 'string' ? (format === 'html' ? htmlToVisible(text) : text) : undefined;
    if (!forEdit && !visible && !attachments?.length) throw bad('text: message must have text or attachments');
    return {
      ...(typeof text === 'string' ? { text } : {}),
      ...(visible !== undefined ? { visible } : {}),
      ...(format === 'markdown' || format === 'html' ? { format } : {}),
      ...(attachments ? { attachments } : {}),
      ...(link ? { link } : {}),
    };
  }

  /** An AttachmentRequest (types/attachment-request.d.ts) → the stored `Attachment` (types/attachment.d.ts). */
  private validateAttachment(a: unknown, i: number): Record<string, unknown> {
    if (!a || typeof a !== 'object') throw bad(`attachments[${i}]: must be an object`);
    const att = a as Record<string, unknown>;
    const type = att.type;
    if (typeof type !== 'string' || !ATTACHMENT_TYPES.has(type)) throw bad(`attachments[${i}].type: unknown attachment type ${String(type)}`);
    const payload = att.payload as Record<string, unknown> | undefined;
    if (type === 'inline_keyboard') {
      const rows = payload?.buttons;
      if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) throw bad(`attachments[${i}].payload.buttons: must be an array of button rows`);
      const buttons = (rows as unknown[][]).map((row, r) =>
        row.map((btn, c) => {
          const where = `attachments[${i}].payload.buttons[${r}][${c}]`;
          if (!btn || typeof btn !== 'object') throw bad(`${where}: must be an object`);
          const bb = btn as Record<string, unknown>;
          const required = BUTTON_FIELDS[String(bb.type)];
          if (!required) throw bad(`${where}.type: unknown button type ${String(bb.type)}`);
          for (const f of required) if (typeof bb[f] !== 'string' || !bb[f]) throw bad(`${where}.${f}: must be a non-empty string`);
          return { ...bb };
        }),
      );
      return { type, payload: { buttons } };
    }
    if (type === 'image' || type === 'file' || type === 'video' || type === 'audio') {
      if (!payload || typeof payload !== 'object') throw bad(`attachments[${i}].payload: required`);
      let file: StoredFile | undefined;
      if (typeof payload.token === 'string') file = this.fileByTokenInternal(payload.token);
      else if (type === 'image' && payload.photos && typeof payload.photos === 'object') {
        const first = Object.values(payload.photos as Record<string, { token?: string } | string>)[0];
        const token = typeof first === 'string' ? first : first?.token;
        file = token ? this.fileByTokenInternal(token) : undefined;
      } else if (type === 'image' && typeof payload.url === 'string') {
        return { type, payload: { url: payload.url, token: '', photo_id: 0 } };
      }
      if (!file) throw bad(`attachments[${i}].payload: unknown token`);
      const stored = { url: this.fileUrl(file), token: file.token };
      if (type === 'image') return { type, payload: { ...stored, photo_id: Number.parseInt(file.id.slice(0, 8), 16) } };
      if (type === 'file') return { type, payload: stored, filename: file.fileName, size: file.bytes.length };
      return { type, payload: stored };
    }
    return { ...att };
  }

  private fileByTokenInternal(token: string): StoredFile | undefined {
    return [...this.files.values()].find((f) => f.token === token);
  }

  /** POST /messages?user_id|chat_id (modules/messages/api.js send; docs POST /messages). */
  private sendMessage(query: Record<string, string>, body: unknown): MaxSentMessage {
    const hasUser = query.user_id !== undefined;
    const hasChat = query.chat_id !== undefined;
    if (hasUser === hasChat) throw bad('user_id or chat_id: exactly one is required');
    const v = this.validateBody(body, MESSAGE_BODY_KEYS, false);
    let chatId: number;
    let chatType: 'dialog' | 'chat' | 'channel';
    let userId: number | undefined;
    if (hasUser) {
      userId = Number(query.user_id);
      const d = this.dialogs.get(userId);
      if (!d) throw notFound(`Chat with user ${query.user_id} not found`);
      if (d.blocked) throw new MaxApiError(403, 'chat.denied', 'The user has stopped the bot');
      chatId = d.chatId;
      chatType = 'dialog';
    } else {
      chatId = Number(query.chat_id);
      const c = this.chatsById.get(chatId);
      if (!c) throw notFound(`Chat ${query.chat_id} not found`);
      chatType = c.type;
      userId = c.userId;
      if (userId !== undefined && this.dialogs.get(userId)?.blocked) throw new MaxApiError(403, 'chat.denied', 'The user has stopped the bot');
    }
    if (v.link && !this.messages.has(v.link.mid)) throw bad('link.mid: message not found');
    return this.createMessage({
      chatId,
      chatType,
      sender: 'bot',
      ...(userId !== undefined ? { userId } : {}),
      text: v.visible ?? '',
      sentText: v.text ?? '',
      ...(v.format ? { format: v.format } : {}),
      attachments: v.attachments ?? [],
      ...(v.link?.type === 'reply' ? { replyTo: v.link.mid } : {}),
    });
  }

  /** PUT /messages?message_id: text and attachments replaced when given; docs: attachments omitted → kept, [] → removed. */
  private editMessage(mid: string, body: unknown): void {
    const m = this.messages.get(mid);
    if (!m || m.deleted) throw notFound('Message not found');
    if (m.sender !== 'bot') throw new MaxApiError(403, 'access.denied', 'Only own messages can be edited');
    const v = this.validateBody(body, MESSAGE_BODY_KEYS, true);
    m.history.push({ text: m.text, attachments: m.attachments, at: Date.now() });
    if (v.text !== undefined) {
      m.text = v.visible ?? '';
      m.sentText = v.text;
      if (v.format) m.format = v.format;
      else delete m.format;
    }
    if (v.attachments !== undefined) m.attachments = v.attachments;
    m.editCount++;
    this.render(m, Number((m.raw.body as { seq?: number }).seq ?? 0));
  }

  private deleteMessage(mid: string): void {
    const m = this.messages.get(mid);
    if (!m || m.deleted) throw notFound('Message not found');
    if (m.sender !== 'bot' && m.chatType === 'dialog') throw new MaxApiError(403, 'access.denied', 'Only own messages can be deleted in a dialog');
    m.deleted = true;
  }

  /**
   * GET /messages?chat_id&message_ids&from&to&count (GetMessagesDTO). Docs: newest first, «to должно быть меньше,
   * чем from» — `from` is the later bound.
   */
  private listMessages(query: Record<string, string>): unknown[] {
    if (query.chat_id === undefined && query.message_ids === undefined) throw bad('chat_id or message_ids: required');
    let list = [...this.messages.values()].filter((m) => !m.deleted);
    if (query.chat_id !== undefined) list = list.filter((m) => m.chatId === Number(query.chat_id));
    if (query.message_ids !== undefined) {
      const ids = new Set(query.message_ids.split(','));
      list = list.filter((m) => ids.has(m.mid));
    }
    if (query.from !== undefined) list = list.filter((m) => m.at <= Number(query.from));
    if (query.to !== undefined) list = list.filter((m) => m.at >= Number(query.to));
    const count = intParam(query, 'count', 50, 1, 100);
    return list
      .reverse()
      .slice(0, count)
      .map((m) => m.raw);
  }

  /** POST /answers?callback_id (AnswerOnCallbackDTO; docs: message and/or notification). */
  private answer(callbackId: string, body: unknown): void {
    const cb = this.callbacks.get(callbackId);
    if (!cb) throw notFound('Callback not found');
    const b = objectBody(body);
    for (const k of Object.keys(b)) if (k !== 'message' && k !== 'notification') throw bad(`${k}: unknown field`);
    if (b.notification !== undefined && b.notification !== null && typeof b.notification !== 'string') throw bad('notification: must be a string');
    if ((b.message === undefined || b.message === null) && !b.notification) throw bad('message or notification: one is required');
    if (b.message !== undefined && b.message !== null) this.editMessage(cb.mid, b.message);
    this.answers.push({
      callbackId,
      ...(typeof b.notification === 'string' ? { notification: b.notification } : {}),
      ...(b.message !== undefined && b.message !== null ? { message: b.message } : {}),
      at: Date.now(),
    });
  }

  /** POST /uploads?type (docs): `{ url }`, plus `token` for video and audio. */
  private uploadUrl(query: Record<string, string>): unknown {
    const type = requireString(query, 'type');
    if (!UPLOAD_TYPES.has(type)) throw bad(`type: must be one of ${[...UPLOAD_TYPES].join(', ')}`);
    const id = randomBytes(8).toString('hex');
    const token = type === 'video' || type === 'audio' ? `tok.${randomBytes(12).toString('hex')}` : undefined;
    this.uploadsPending.set(id, { type, ...(token ? { token } : {}) });
    return { url: `${this.url}/upload/${id}`, ...(token ? { token } : {}) };
  }

  /**
   * The upload URL: multipart field `data` (docs: `-F "data=@file"`; helpers/upload/upload.js). Image answers
   * `{ photos: { key: { token } } }` (the library's ImageAttachment takes it as is), file `{ token }`, video and
   * audio `<retval>1</retval>` (their token came with the URL).
   */
  private receiveUpload(
    id: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    call: MaxRecordedCall,
    files: UploadedFile[],
    raw: Buffer,
    reply: (status: number, response: unknown) => void,
  ): void {
    const pending = this.uploadsPending.get(id);
    if (!pending) return reply(404, { code: 'not.found', message: 'Upload url not found' });
    const part = files.find((f) => f.field === 'data');
    const bytes = part?.bytes ?? (raw.length && !(req.headers['content-type'] ?? '').startsWith('multipart/') ? raw : undefined);
    if (!bytes) return reply(400, { code: 'proto.payload', message: 'data: file is required' });
    this.uploadsPending.delete(id);
    const file = this.storeFile(pending.type, part?.fileName ?? 'file', bytes);
    if (pending.token) {
      file.token = pending.token;
      // stream-client.js: a non-JSON answer resolves to the token given with the URL
      const text = '<retval>1</retval>';
      call.status = 200;
      call.response = text;
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (pending.type === 'image') return reply(200, { photos: { [file.id]: { token: file.token } } });
    return reply(200, { token: file.token });
  }

  /**
   * POST /subscriptions (SubscribeOnUpdatesDTO: url, update_types?, secret?). The secret pattern 5–256 of
   * A-Za-z0-9_- is dev.max.ru's POST /subscriptions as remembered; the search tool did not return that page.
   */
  private subscribe(body: unknown): void {
    const b = objectBody(body);
    for (const k of Object.keys(b)) if (!['url', 'update_types', 'secret', 'version'].includes(k)) throw bad(`${k}: unknown field`);
    if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)) throw bad('url: must be an http(s) URL');
    const types = b.update_types ?? [];
    if (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || !UPDATE_TYPES.has(t))) throw bad('update_types: unknown update type');
    if (b.secret !== undefined && b.secret !== null && (typeof b.secret !== 'string' || !/^[A-Za-z0-9_-]{5,256}$/.test(b.secret))) {
      throw bad('secret: 5 to 256 characters A-Z, a-z, 0-9, _ and -');
    }
    this.subs.set(b.url, { url: b.url, ...(typeof b.secret === 'string' ? { secret: b.secret } : {}), update_types: types as string[], time: Date.now() });
    // updates already queued for polling go to the webhook from now on
    const queued = this.updates;
    this.updates = [];
    for (const u of queued) this.push(u.type, u.update);
  }

  /** GET /chats/{chat_id} (types/chat.d.ts `Chat`). */
  private chat(chatId: number): unknown {
    const c = this.chatsById.get(chatId);
    if (!c) throw notFound('Chat not found');
    const user = c.userId !== undefined ? this.users.get(c.userId) : undefined;
    const msgs = [...this.messages.values()].filter((m) => m.chatId === chatId);
    return {
      chat_id: c.chatId,
      type: c.type,
      status: 'active',
      title: c.title,
      icon: null,
      last_event_time: msgs[msgs.length - 1]?.at ?? Date.now(),
      participants_count: c.type === 'dialog' ? 2 : 1,
      is_public: c.type === 'channel',
      ...(user ? { dialog_with_user: this.userObject(user) } : {}),
      messages_count: msgs.length,
    };
  }

  private post(mid: string | undefined): MaxSentMessage {
    const post = this.messages.get(mid ?? '');
    if (!post || post.deleted || post.chatType !== 'channel') throw notFound('Post not found');
    return post;
  }

  private sendComment(postMid: string, body: unknown): MaxComment {
    const v = this.validateBody(body, COMMENT_BODY_KEYS, false);
    const replyTo = v.link?.type === 'reply' ? v.link.mid : undefined;
    if (replyTo && !this.comments.has(replyTo)) throw bad('link.mid: comment not found');
    return this.createComment(postMid, 'bot', v.visible ?? '', undefined, replyTo);
  }

  private editComment(postMid: string, commentId: string, body: unknown): void {
    const c = this.comments.get(commentId);
    if (!c || c.deleted || c.postMid !== postMid) throw notFound('Comment not found');
    if (c.sender !== 'bot') throw new MaxApiError(403, 'access.denied', 'Only own comments can be edited');
    const v = this.validateBody(body, COMMENT_BODY_KEYS, true);
    if (v.visible !== undefined) {
      c.text = v.visible;
      (c.raw.body as Record<string, unknown>).text = v.visible;
    }
  }
}

function callMatches(method: string, path: string, route: string, key: string): boolean {
  return key === '*' || key === method || key === path || key === route || key === `${method} ${path}` || key === `${method} ${route}`;
}

function defaultCode(status: number): string {
  if (status === 401) return 'verify.token';
  if (status === 404) return 'not.found';
  if (status === 429) return 'too.many.requests';
  if (status === 403) return 'access.denied';
  if (status >= 500) return 'internal.error';
  return 'proto.payload';
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('body: must be a JSON object');
  return body as Record<string, unknown>;
}

function requireString(query: Record<string, string>, key: string): string {
  const v = query[key];
  if (v === undefined || v === '') throw bad(`${key}: required`);
  return v;
}

function intParam(query: Record<string, string>, key: string, def: number, min: number, max: number): number {
  const raw = query[key];
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw bad(`${key}: must be an integer between ${min} and ${max}`);
  return n;
}
