/**
 * FakeTelegram — a local Telegram Bot API server for integration tests.
 *
 * The client (grammY) is pointed at `fake.url` via `client.apiRoot`; it calls
 * `${url}/bot${token}/${method}` with JSON or multipart bodies and downloads files
 * from `${url}/file/bot${token}/${file_path}`. The fake answers like Telegram does,
 * keeps a per-chat model of messages (sent and edited by the bot, sent by users),
 * records every call, and can inject failures. See docs/testing.md.
 */
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { LocalServer, holdUntilClosed, parseBody, readBody, seededRandom, sendJson, type UploadedFile } from './http.js';
import { safeJson, waitFor } from './wait.js';

// ---------------------------------------------------------------- public types

export interface TgUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [key: string]: unknown;
}

export interface ReplyMarkup {
  inline_keyboard?: InlineButton[][];
  [key: string]: unknown;
}

/** A Telegram file the fake knows (registered by a test or uploaded by the bot). */
export interface TgFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  file_size: number;
  fileName: string;
  bytes: Buffer;
}

/** One message in the fake's chat model (the bot's or a user's). */
export interface ChatMessage {
  message_id: number;
  chat_id: number;
  /** Who sent it. */
  sender: 'bot' | 'user';
  date: number;
  /** Text as the user sees it (HTML tags removed and entities decoded when parse_mode is HTML). */
  text?: string;
  /** Caption as the user sees it. */
  caption?: string;
  /** Text or caption exactly as the bot sent it (before parse_mode processing). */
  sentText?: string;
  parse_mode?: string;
  reply_markup?: ReplyMarkup;
  reply_to_message_id?: number;
  media_group_id?: string;
  /** 'text' | 'photo' | 'video' | 'document' | … */
  kind: string;
  /** Files attached (for photo, the largest size). */
  file?: TgFile;
  deleted: boolean;
  /** Number of edits applied (editMessageText/Caption/ReplyMarkup). */
  editCount: number;
  /** Previous states, oldest first. */
  history: Array<{ text?: string; caption?: string; reply_markup?: ReplyMarkup; at: number }>;
  /** The Bot API `Message` object in its current state. */
  raw: Record<string, unknown>;
}

export interface RecordedCall {
  seq: number;
  method: string;
  params: Record<string, unknown>;
  /** Files uploaded with the call (multipart). */
  files: UploadedFile[];
  /** Epoch milliseconds when the request arrived. */
  at: number;
  outcome: 'ok' | 'error' | 'rate-limited' | 'dropped' | 'timeout' | 'pending';
  /** The JSON answer sent (absent for dropped/timeout). */
  response?: Record<string, unknown>;
}

export type TgFailure =
  /** Bot API error answer, e.g. {code: 429, retry_after: 2} or {code: 403, description: 'Forbidden: bot was blocked by the user'}. */
  | { code: number; description?: string; retry_after?: number }
  /** Destroy the socket without answering; the method is NOT executed. */
  | { kind: 'drop' }
  /** Execute the method but withhold the answer (the client times out; the reply "got lost"). */
  | { kind: 'timeout'; holdMs?: number }
  /** Execute the method and answer after `ms` (slow network; beyond the client timeout the answer is lost). */
  | { kind: 'delay'; ms: number };

export interface RateLimitOptions {
  /** Messages per second overall (default 30). */
  globalPerSecond?: number;
  /** Messages per second per private chat (default 1). */
  privatePerSecond?: number;
  /** Messages per minute per group/supergroup/channel (default 20). */
  groupPerMinute?: number;
}

export interface FakeTelegramOptions {
  token?: string;
  bot?: Partial<TgUser> & { username?: string };
  /** Upper bound for holding a getUpdates long poll, whatever `timeout` asks (default 30000 ms). */
  maxLongPollMs?: number;
  /** Enable the Telegram-like rate-limit enforcer from the start. */
  rateLimit?: boolean | RateLimitOptions;
  /** A second concurrent getUpdates makes Telegram answer 409 to the held one (default true). */
  conflictOnConcurrentPolls?: boolean;
  /**
   * First update_id and first message_id of every chat (defaults 100000 and 1). The sandbox starts a new
   * emulator on a database that outlives it, so its ids must not repeat ones the service already saw.
   */
  firstUpdateId?: number;
  firstMessageId?: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  /** callback_data of the pressed button. */
  data?: string;
  userId: number;
  text?: string;
  show_alert?: boolean;
  url?: string;
  at: number;
}

// ---------------------------------------------------------------- implementation

const SEND_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendVideo',
  'sendDocument',
  'sendMediaGroup',
  'sendAudio',
  'sendVoice',
  'sendAnimation',
  'sendSticker',
  'sendLocation',
  'sendContact',
  'sendPoll',
  'sendDice',
  'sendVenue',
  'sendVideoNote',
  'copyMessage',
  'forwardMessage',
]);

const NUMERIC_KEYS = new Set([
  'chat_id',
  'message_id',
  'from_chat_id',
  'message_thread_id',
  'reply_to_message_id',
  'offset',
  'limit',
  'timeout',
  'user_id',
  'cache_time',
  'until_date',
  'max_connections',
]);

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

class TgError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

interface Waiter {
  resolve: () => void;
}

interface ChatModel {
  chat: TgChat;
  nextId: number;
  messages: Map<number, ChatMessage>;
}

interface PendingCallback {
  id: string;
  data?: string;
  userId: number;
  answered: boolean;
}

export class FakeTelegram {
  readonly token: string;
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string };
  /** Count of answers given by the rate-limit enforcer (429). */
  rateLimitHits = 0;

  private readonly server: LocalServer;
  private readonly opts: Required<Pick<FakeTelegramOptions, 'maxLongPollMs' | 'conflictOnConcurrentPolls'>>;
  private readonly recorded: RecordedCall[] = [];
  private seq = 0;
  private updates: Array<Record<string, unknown> & { update_id: number }> = [];
  private nextUpdateId = 100_000;
  private allowedUpdates: string[] | undefined;
  private pollWaiters = new Set<Waiter>();
  private heldPoll: { res: http.ServerResponse; release: () => void } | undefined;
  private readonly chats = new Map<number, ChatModel>();
  private readonly sendCalls = new Map<string, number>();
  private readonly users = new Map<number, TgUser>();
  private readonly files = new Map<string, TgFile>();
  private readonly filesByPath = new Map<string, TgFile>();
  private fileSeq = 0;
  private readonly callbacks = new Map<string, PendingCallback>();
  private readonly answers: CallbackAnswer[] = [];
  private readonly failures = new Map<string, Array<{ failure: TgFailure; times: number }>>();
  private faultRate: { share: number; kinds: TgFailure[]; methods?: Set<string>; random: () => number } | undefined;
  private rate: Required<RateLimitOptions> | undefined;
  private readonly sendLog: Array<{ at: number; chatId: number }> = [];
  private readonly blocked = new Set<number>();
  private webhookUrl = '';
  private readonly myCommands = new Map<string, unknown>();
  private readonly firstMessageId: number;

  constructor(options: FakeTelegramOptions = {}) {
    this.token = options.token ?? `123456:TEST-${randomBytes(6).toString('hex')}`;
    const botId = Number(this.token.split(':')[0]) || 123456;
    this.botUser = {
      id: botId,
      is_bot: true,
      first_name: options.bot?.first_name ?? 'Otklik Test Bot',
      username: options.bot?.username ?? 'otklik_test_bot',
    };
    this.opts = {
      maxLongPollMs: options.maxLongPollMs ?? 30_000,
      conflictOnConcurrentPolls: options.conflictOnConcurrentPolls ?? true,
    };
    if (options.rateLimit) this.enforceRateLimits(options.rateLimit === true ? {} : options.rateLimit);
    if (options.firstUpdateId !== undefined) this.nextUpdateId = options.firstUpdateId;
    this.firstMessageId = options.firstMessageId ?? 1;
    this.server = new LocalServer((req, res) => this.handle(req, res));
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  async stop(): Promise<void> {
    for (const w of [...this.pollWaiters]) w.resolve();
    await this.server.stop();
  }

  /** apiRoot for grammY (`new Bot(token, { client: { apiRoot: fake.url } })`), no trailing slash. */
  get url(): string {
    return this.server.origin;
  }

  get port(): number {
    return this.server.port;
  }

  // ------------------------------------------------------------ test-side: users act

  /** A user writes to the bot (private chat unless `opts.chat` is given). Returns the stored message. */
  userSendsText(user: TgUser, text: string, opts: { replyTo?: number; chat?: TgChat } = {}): ChatMessage {
    const entities: Array<Record<string, unknown>> = [];
    const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    if (cmd) entities.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
    return this.userMessage(user, opts.chat, { text, ...(entities.length ? { entities } : {}) }, 'text', opts.replyTo);
  }

  /**
   * A user sends a photo. Registers a file (two sizes) so getFile and the download work.
   * Returns the stored message; `message.file` is the largest size.
   */
  userSendsPhoto(user: TgUser, opts: { caption?: string; mediaGroupId?: string; bytes?: Buffer; replyTo?: number; chat?: TgChat } = {}): ChatMessage {
    const bytes = opts.bytes ?? randomBytes(2048);
    const small = this.registerFile(bytes.subarray(0, Math.min(256, bytes.length)), { dir: 'photos', fileName: 'small.jpg' });
    const big = this.registerFile(bytes, { dir: 'photos', fileName: 'photo.jpg' });
    const photo = [
      { file_id: small.file_id, file_unique_id: small.file_unique_id, file_size: small.file_size, width: 90, height: 68 },
      { file_id: big.file_id, file_unique_id: big.file_unique_id, file_size: big.file_size, width: 1280, height: 960 },
    ];
    const extra: Record<string, unknown> = { photo };
    if (opts.caption !== undefined) extra.caption = opts.caption;
    if (opts.mediaGroupId !== undefined) extra.media_group_id = opts.mediaGroupId;
    const msg = this.userMessage(user, opts.chat, extra, 'photo', opts.replyTo);
    msg.file = big;
    return msg;
  }

  /** A user sends a document. */
  userSendsDocument(user: TgUser, opts: { fileName?: string; bytes?: Buffer; caption?: string; mimeType?: string; chat?: TgChat } = {}): ChatMessage {
    const fileName = opts.fileName ?? 'document.pdf';
    const f = this.registerFile(opts.bytes ?? randomBytes(1024), { dir: 'documents', fileName });
    const extra: Record<string, unknown> = {
      document: {
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        file_size: f.file_size,
        file_name: fileName,
        mime_type: opts.mimeType ?? 'application/octet-stream',
      },
    };
    if (opts.caption !== undefined) extra.caption = opts.caption;
    const msg = this.userMessage(user, opts.chat, extra, 'document');
    msg.file = f;
    return msg;
  }

  /**
   * A user presses an inline button of `message` (a bot message; its current keyboard is used).
   * `button` matches the button text or its callback_data. Throws if there is no such callback button.
   * Returns the callback query id.
   */
  userPressesButton(user: TgUser, message: ChatMessage | { chat_id: number; message_id: number }, button: string): string {
    const current = this.findMessage(message.chat_id, message.message_id);
    if (!current) throw new Error(`No message ${message.message_id} in chat ${message.chat_id}`);
    if (current.deleted) throw new Error(`Message ${message.message_id} in chat ${message.chat_id} was deleted`);
    const buttons = this.buttonsOf(current);
    const found = buttons.find((b) => b.text === button) ?? buttons.find((b) => b.callback_data === button);
    if (!found || found.callback_data === undefined) {
      throw new Error(`No callback button "${button}" on message ${current.message_id}; buttons: ${safeJson(buttons.map((b) => [b.text, b.callback_data]))}`);
    }
    return this.pushCallback(user, found.callback_data, current);
  }

  /** Pushes a callback_query with arbitrary (possibly forged) data, attached to `messageId` if given. */
  userSendsCallback(user: TgUser, data: string, messageId?: number, chatId?: number): string {
    const cid = chatId ?? user.id;
    const msg = messageId !== undefined ? this.findMessage(cid, messageId) : undefined;
    return this.pushCallback(user, data, msg, messageId, cid);
  }

  /** Marks the user as having blocked the bot: sends to them answer 403. */
  userBlocksBot(user: TgUser | number): void {
    this.blocked.add(typeof user === 'number' ? user : user.id);
  }

  userUnblocksBot(user: TgUser | number): void {
    this.blocked.delete(typeof user === 'number' ? user : user.id);
  }

  /** Declares a group, supergroup or channel chat (private chats are created on demand). */
  addChat(chat: TgChat): void {
    this.chatModel(chat.id, chat);
  }

  /** Queues a raw update (update_id assigned if missing). Returns the update_id. */
  pushUpdate(raw: Record<string, unknown>): number {
    const update_id = typeof raw.update_id === 'number' ? raw.update_id : this.nextUpdateId++;
    if (update_id >= this.nextUpdateId) this.nextUpdateId = update_id + 1;
    this.updates.push({ ...raw, update_id });
    for (const w of [...this.pollWaiters]) w.resolve();
    return update_id;
  }

  /** Updates queued and not yet confirmed by an offset. */
  pendingUpdates(): Array<Record<string, unknown>> {
    return [...this.updates];
  }

  /** Registers a downloadable file. */
  registerFile(bytes: Buffer, opts: { dir?: string; fileName?: string } = {}): TgFile {
    const n = ++this.fileSeq;
    const fileName = opts.fileName ?? `file_${n}.dat`;
    const ext = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.')) : '';
    const file: TgFile = {
      file_id: `AgAC${n.toString(36)}${randomBytes(8).toString('hex')}`,
      file_unique_id: `AQAD${n.toString(36)}`,
      file_path: `${opts.dir ?? 'documents'}/file_${n}${ext}`,
      file_size: bytes.length,
      fileName,
      bytes,
    };
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  file(fileId: string): TgFile | undefined {
    return this.files.get(fileId);
  }

  // ------------------------------------------------------------ test-side: inspection

  /** Messages the bot sent to the chat (not deleted), in order, in their current (edited) state. */
  messagesTo(chatId: number): ChatMessage[] {
    const model = this.chats.get(Number(chatId));
    if (!model) return [];
    return [...model.messages.values()].filter((m) => m.sender === 'bot' && !m.deleted);
  }

  /** Every message of the chat, including users' and deleted ones. */
  allMessages(chatId: number): ChatMessage[] {
    return [...(this.chats.get(Number(chatId))?.messages.values() ?? [])];
  }

  lastMessageTo(chatId: number): ChatMessage | undefined {
    const list = this.messagesTo(chatId);
    return list[list.length - 1];
  }

  /** Inline buttons of a message (current state), flattened, with row/column. */
  buttonsOf(message: ChatMessage | Record<string, unknown>): Array<InlineButton & { row: number; col: number }> {
    const markup = (message as { reply_markup?: ReplyMarkup }).reply_markup;
    const rows = markup?.inline_keyboard ?? [];
    return rows.flatMap((row, r) => row.map((b, c) => ({ ...b, row: r, col: c })));
  }

  /** Recorded calls, optionally only one method. */
  calls(method?: string): RecordedCall[] {
    return method ? this.recorded.filter((c) => c.method === method) : [...this.recorded];
  }

  /** Waits for a call (already recorded or future) of `method` matching `predicate`. */
  waitForCall(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 5_000): Promise<RecordedCall> {
    return waitFor(() => this.recorded.find((c) => c.method === method && predicate(c)), {
      timeoutMs,
      message: () => `Telegram call ${method}; recorded: ${safeJson(this.recorded.map((c) => c.method))}`,
    });
  }

  /**
   * Waits until a bot message in the chat (sent or edited, current state) matches.
   * `match`: a predicate, or a string/RegExp tested against text and caption.
   */
  waitForMessage(chatId: number, match: ((m: ChatMessage) => boolean) | string | RegExp = () => true, timeoutMs = 5_000): Promise<ChatMessage> {
    const pred =
      typeof match === 'function'
        ? match
        : (m: ChatMessage) => {
            const body = `${m.text ?? ''}\n${m.caption ?? ''}`;
            return typeof match === 'string' ? body.includes(match) : match.test(body);
          };
    return waitFor(() => this.messagesTo(chatId).find(pred), {
      timeoutMs,
      message: () => `bot message to chat ${chatId} matching ${String(match)}; messages: ${safeJson(this.messagesTo(chatId).map((m) => m.text ?? m.caption))}`,
    });
  }

  /** answerCallbackQuery calls, in order. */
  callbackAnswers(): CallbackAnswer[] {
    return [...this.answers];
  }

  /** Commands set with setMyCommands, by scope (JSON of the scope object, '{"type":"default"}' when absent). */
  commands(scope: Record<string, unknown> = { type: 'default' }): unknown {
    return this.myCommands.get(JSON.stringify(scope));
  }

  get webhook(): string {
    return this.webhookUrl;
  }

  // ------------------------------------------------------------ test-side: failures

  /** The next `times` calls of `method` ('*' for any method) fail with `failure`. */
  failNext(method: string, failure: TgFailure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    list.push({ failure, times });
    this.failures.set(method, list);
  }

  /** Forgets the failures `failNext` queued and not yet taken. */
  clearFailures(): void {
    this.failures.clear();
  }

  /**
   * Random fault injection: each call (of `opts.methods`, default all but getUpdates) fails with
   * probability `share`, with a kind picked uniformly from `kinds`. `share = 0` turns it off.
   */
  failRate(share: number, kinds: TgFailure[], opts: { methods?: string[]; seed?: number } = {}): void {
    if (share <= 0 || kinds.length === 0) {
      this.faultRate = undefined;
      return;
    }
    this.faultRate = {
      share,
      kinds,
      methods: opts.methods ? new Set(opts.methods) : undefined,
      random: seededRandom(opts.seed ?? 42),
    };
  }

  /** Turns the Telegram-like rate-limit enforcer on (answers 429 with retry_after and counts hits). */
  enforceRateLimits(limits: RateLimitOptions = {}): void {
    this.rate = {
      globalPerSecond: limits.globalPerSecond ?? 30,
      privatePerSecond: limits.privatePerSecond ?? 1,
      groupPerMinute: limits.groupPerMinute ?? 20,
    };
  }

  /** Whether the rate-limit enforcer is on (a client under test then keeps Telegram's real pacing). */
  get rateLimited(): boolean {
    return this.rate !== undefined;
  }

  disableRateLimits(): void {
    this.rate = undefined;
  }

  /** Clears recorded calls and callback answers (the chat model and queued updates stay). */
  clearCalls(): void {
    this.recorded.length = 0;
    this.answers.length = 0;
  }

  // ------------------------------------------------------------ HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const file = fileMatch[1] === this.token ? this.filesByPath.get(decodeURIComponent(fileMatch[2] ?? '')) : undefined;
      if (!file) {
        sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const body = await readBody(req);
    let parsed;
    try {
      parsed = parseBody(req.headers['content-type'], body, url.searchParams);
    } catch (err) {
      sendJson(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${String(err)}` });
      return;
    }
    const method = m[2] ?? '';
    const params = normalizeParams(parsed.params);
    const call: RecordedCall = { seq: ++this.seq, method, params, files: parsed.files, at: Date.now(), outcome: 'pending' };
    this.recorded.push(call);

    if (m[1] !== this.token) {
      this.answer(res, call, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }

    const failure = this.takeFailure(method);
    if (failure && 'kind' in failure && failure.kind === 'drop') {
      call.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    if (failure && 'code' in failure) {
      const parameters = failure.retry_after !== undefined ? { retry_after: failure.retry_after } : undefined;
      this.answer(res, call, {
        ok: false,
        error_code: failure.code,
        description: failure.description ?? defaultDescription(failure.code, failure.retry_after),
        ...(parameters ? { parameters } : {}),
      });
      return;
    }

    if (this.rate && SEND_METHODS.has(method)) {
      const retryAfter = this.checkRate(Number(params.chat_id));
      if (retryAfter !== undefined) {
        this.rateLimitHits++;
        call.outcome = 'rate-limited';
        const response = {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${retryAfter}`,
          parameters: { retry_after: retryAfter },
        };
        call.response = response;
        sendJson(res, 429, response);
        return;
      }
    }

    let response: Record<string, unknown>;
    try {
      const result = method === 'getUpdates' ? await this.getUpdates(params, req, res) : this.execute(method, params, parsed.files);
      if (result === HELD) {
        // a newer getUpdates already answered this one with 409
        call.outcome = 'error';
        call.response = { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request' };
        return;
      }
      response = { ok: true, result };
    } catch (err) {
      if (err instanceof TgError) {
        response = { ok: false, error_code: err.code, description: err.description, ...(err.parameters ? { parameters: err.parameters } : {}) };
      } else throw err;
    }

    if (failure && 'kind' in failure && failure.kind === 'timeout') {
      call.outcome = 'timeout';
      call.response = response;
      holdUntilClosed(this.server, req, res, failure.holdMs ?? 10 * 60_000, () => res.destroy());
      return;
    }
    if (failure && 'kind' in failure && failure.kind === 'delay') {
      const answerLater = response;
      holdUntilClosed(this.server, req, res, failure.ms, () => {
        if (!res.destroyed) this.answer(res, call, answerLater);
        else call.outcome = 'timeout';
      });
      res.on('close', () => {
        if (call.outcome === 'pending') {
          call.outcome = 'timeout';
          call.response = answerLater;
        }
      });
      return;
    }
    this.answer(res, call, response);
  }

  private answer(res: http.ServerResponse, call: RecordedCall, response: Record<string, unknown>): void {
    call.response = response;
    if (response.ok) {
      call.outcome = 'ok';
      if (SEND_METHODS.has(call.method)) this.sendLog.push({ at: Date.now(), chatId: Number(call.params.chat_id) });
    } else call.outcome = 'error';
    const status = response.ok ? 200 : Number(response.error_code) || 400;
    sendJson(res, status, response);
  }

  private takeFailure(method: string): TgFailure | undefined {
    for (const key of [method, '*']) {
      const list = this.failures.get(key);
      const first = list?.[0];
      if (list && first) {
        first.times--;
        if (first.times <= 0) list.shift();
        return first.failure;
      }
    }
    const fr = this.faultRate;
    if (fr) {
      const applies = fr.methods ? fr.methods.has(method) : method !== 'getUpdates';
      if (applies && fr.random() < fr.share) {
        return fr.kinds[Math.floor(fr.random() * fr.kinds.length)];
      }
    }
    return undefined;
  }

  private checkRate(chatId: number): number | undefined {
    const rate = this.rate;
    if (!rate) return undefined;
    const now = Date.now();
    // forget entries older than a minute
    while (this.sendLog.length && (this.sendLog[0]?.at ?? now) < now - 60_000) this.sendLog.shift();
    const lastSecond = this.sendLog.filter((e) => e.at > now - 1_000);
    const retry = (entries: Array<{ at: number }>, windowMs: number): number => Math.max(1, Math.ceil(((entries[0]?.at ?? now) + windowMs - now) / 1000));
    if (lastSecond.length >= rate.globalPerSecond) return retry(lastSecond, 1_000);
    const chatType = this.chats.get(chatId)?.chat.type ?? (chatId < 0 ? 'group' : 'private');
    if (chatType === 'private') {
      const mine = lastSecond.filter((e) => e.chatId === chatId);
      if (mine.length >= rate.privatePerSecond) return retry(mine, 1_000);
    } else {
      const mine = this.sendLog.filter((e) => e.chatId === chatId);
      if (mine.length >= rate.groupPerMinute) return retry(mine, 60_000);
    }
    return undefined;
  }

  // ------------------------------------------------------------ methods

  private async getUpdates(params: Record<string, unknown>, req: http.IncomingMessage, res: http.ServerResponse): Promise<unknown> {
    if (this.webhookUrl) throw new TgError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeoutS = Number(params.timeout ?? 0);
    if (Array.isArray(params.allowed_updates)) {
      this.allowedUpdates = params.allowed_updates.length ? (params.allowed_updates as string[]) : undefined;
    }
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);

    // a newer poll terminates the held one, like Telegram
    if (this.heldPoll) {
      const held = this.heldPoll;
      this.heldPoll = undefined;
      held.release();
      if (this.opts.conflictOnConcurrentPolls) {
        sendJson(held.res, 409, {
          ok: false,
          error_code: 409,
          description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        });
      }
    }

    const ready = (): Array<Record<string, unknown>> => {
      const allowed = this.allowedUpdates;
      return this.updates.filter((u) => !allowed || Object.keys(u).some((k) => k !== 'update_id' && allowed.includes(k))).slice(0, limit);
    };
    let batch = ready();
    if (batch.length === 0 && timeoutS > 0) {
      const holdMs = Math.min(timeoutS * 1000, this.opts.maxLongPollMs);
      let conflicted = false;
      await new Promise<void>((resolve) => {
        let settled = false;
        const waiter: Waiter = {
          resolve: () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            this.pollWaiters.delete(waiter);
            if (this.heldPoll?.res === res) this.heldPoll = undefined;
            resolve();
          },
        };
        const timer = setTimeout(waiter.resolve, holdMs);
        this.pollWaiters.add(waiter);
        this.heldPoll = {
          res,
          release: () => {
            conflicted = true;
            waiter.resolve();
          },
        };
        res.on('close', waiter.resolve);
        void req;
      });
      if (conflicted) return this.opts.conflictOnConcurrentPolls ? HELD : [];
      batch = ready();
    }
    return batch;
  }

  private execute(method: string, p: Record<string, unknown>, files: UploadedFile[]): unknown {
    switch (method) {
      case 'getMe':
        return { ...this.botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'deleteWebhook':
        this.webhookUrl = '';
        if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') this.updates = [];
        return true;
      case 'setWebhook':
        this.webhookUrl = String(p.url ?? '');
        return true;
      case 'getWebhookInfo':
        return { url: this.webhookUrl, has_custom_certificate: false, pending_update_count: this.updates.length };
      case 'setMyCommands':
        this.requireStartedChat(p.scope);
        this.myCommands.set(JSON.stringify(p.scope ?? { type: 'default' }), p.commands);
        return true;
      case 'deleteMyCommands':
        this.requireStartedChat(p.scope);
        this.myCommands.delete(JSON.stringify(p.scope ?? { type: 'default' }));
        return true;
      case 'getMyCommands':
        return this.myCommands.get(JSON.stringify(p.scope ?? { type: 'default' })) ?? [];
      case 'getChat': {
        const chat = this.knownChat(Number(p.chat_id));
        if (!chat) throw new TgError(400, 'Bad Request: chat not found');
        return chat;
      }
      case 'sendMessage': {
        const text = String(p.text ?? '');
        if (text.trim() === '') throw new TgError(400, 'Bad Request: message text is empty');
        const shown = renderText(text, p.parse_mode);
        if (shown.length > 4096) throw new TgError(400, 'Bad Request: message is too long');
        return this.botMessage(p, 'text', { text: shown }, text).raw;
      }
      case 'sendPhoto':
      case 'sendVideo':
      case 'sendDocument':
      case 'sendAnimation':
      case 'sendAudio':
      case 'sendVoice': {
        const kind = method.slice(4).toLowerCase();
        const file = this.inputFile(p[kind], files, kind);
        return this.mediaMessage(p, kind, file, p.caption, p.parse_mode).raw;
      }
      case 'sendMediaGroup': {
        const media = Array.isArray(p.media) ? (p.media as Array<Record<string, unknown>>) : [];
        if (media.length < 2 || media.length > 10) throw new TgError(400, 'Bad Request: wrong number of messages in media group');
        const groupId = String(Date.now()) + String(this.seq);
        return media.map((item) => {
          const kind = String(item.type ?? 'photo');
          const file = this.inputFile(item.media, files, kind);
          return this.mediaMessage({ ...p, reply_markup: undefined }, kind, file, item.caption, item.parse_mode, groupId).raw;
        });
      }
      case 'editMessageText': {
        const msg = this.editable(p);
        const text = String(p.text ?? '');
        if (text.trim() === '') throw new TgError(400, 'Bad Request: message text is empty');
        const shown = renderText(text, p.parse_mode);
        if (shown.length > 4096) throw new TgError(400, 'Bad Request: MESSAGE_TOO_LONG');
        if (msg.kind !== 'text') throw new TgError(400, 'Bad Request: there is no text in the message to edit');
        const markup = (p.reply_markup as ReplyMarkup | undefined) ?? undefined;
        this.applyEdit(msg, { text: shown, reply_markup: markup, sentText: text, parse_mode: p.parse_mode as string | undefined });
        return msg.raw;
      }
      case 'editMessageCaption': {
        const msg = this.editable(p);
        if (msg.kind === 'text') throw new TgError(400, 'Bad Request: there is no caption in the message to edit');
        const caption = p.caption === undefined ? undefined : String(p.caption);
        const shown = caption === undefined ? undefined : renderText(caption, p.parse_mode);
        this.applyEdit(msg, {
          caption: shown,
          reply_markup: (p.reply_markup as ReplyMarkup | undefined) ?? undefined,
          sentText: caption,
          parse_mode: p.parse_mode as string | undefined,
        });
        return msg.raw;
      }
      case 'editMessageReplyMarkup': {
        const msg = this.editable(p);
        this.applyEdit(msg, { text: msg.text, caption: msg.caption, reply_markup: (p.reply_markup as ReplyMarkup | undefined) ?? undefined, keepText: true });
        return msg.raw;
      }
      case 'deleteMessage': {
        const msg = this.findMessage(Number(p.chat_id), Number(p.message_id));
        if (!msg || msg.deleted) throw new TgError(400, 'Bad Request: message to delete not found');
        msg.deleted = true;
        return true;
      }
      case 'answerCallbackQuery': {
        const id = String(p.callback_query_id ?? '');
        const cb = this.callbacks.get(id);
        if (!cb || cb.answered) throw new TgError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        cb.answered = true;
        this.answers.push({
          callback_query_id: id,
          data: cb.data,
          userId: cb.userId,
          text: p.text as string | undefined,
          show_alert: p.show_alert === true || p.show_alert === 'true',
          url: p.url as string | undefined,
          at: Date.now(),
        });
        return true;
      }
      case 'getFile': {
        const f = this.files.get(String(p.file_id ?? ''));
        if (!f) throw new TgError(400, 'Bad Request: invalid file_id');
        return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, file_path: f.file_path };
      }
      default:
        return true;
    }
  }

  // ------------------------------------------------------------ model helpers

  private chatModel(chatId: number, chat?: TgChat): ChatModel {
    let model = this.chats.get(chatId);
    if (!model) {
      const user = this.users.get(chatId);
      const c: TgChat = chat ?? {
        id: chatId,
        type: chatId > 0 ? 'private' : String(chatId).startsWith('-100') ? 'supergroup' : 'group',
        ...(user ? { first_name: user.first_name, ...(user.username ? { username: user.username } : {}) } : {}),
        ...(chatId < 0 ? { title: `Chat ${chatId}` } : {}),
      };
      model = { chat: c, nextId: this.firstMessageId, messages: new Map() };
      this.chats.set(chatId, model);
    } else if (chat) model.chat = chat;
    return model;
  }

  /** Like Telegram: a chat-scoped command menu needs a private chat the user has started (written in). */
  private requireStartedChat(scope: unknown): void {
    const s = scope as { type?: string; chat_id?: unknown } | undefined;
    if (s?.type === 'chat' && !this.users.has(Number(s.chat_id))) throw new TgError(400, 'Bad Request: chat not found');
  }

  private knownChat(chatId: number): TgChat | undefined {
    return this.chats.get(chatId)?.chat ?? (this.users.has(chatId) ? this.chatModel(chatId).chat : undefined);
  }

  private findMessage(chatId: number, messageId: number): ChatMessage | undefined {
    return this.chats.get(Number(chatId))?.messages.get(Number(messageId));
  }

  private userMessage(user: TgUser, chat: TgChat | undefined, content: Record<string, unknown>, kind: string, replyTo?: number): ChatMessage {
    this.users.set(user.id, user);
    const model = this.chatModel(chat?.id ?? user.id, chat);
    const message_id = model.nextId++;
    const date = Math.floor(Date.now() / 1000);
    const raw: Record<string, unknown> = {
      message_id,
      from: { is_bot: false, language_code: 'ru', ...user },
      chat: model.chat,
      date,
      ...content,
    };
    if (replyTo !== undefined) {
      const target = model.messages.get(replyTo);
      raw.reply_to_message = target ? { ...target.raw } : { message_id: replyTo, chat: model.chat, date };
    }
    const msg: ChatMessage = {
      message_id,
      chat_id: model.chat.id,
      sender: 'user',
      date,
      text: content.text as string | undefined,
      caption: content.caption as string | undefined,
      kind,
      media_group_id: content.media_group_id as string | undefined,
      reply_to_message_id: replyTo,
      deleted: false,
      editCount: 0,
      history: [],
      raw,
    };
    model.messages.set(message_id, msg);
    this.pushUpdate({ message: raw });
    return msg;
  }

  private pushCallback(user: TgUser, data: string, msg?: ChatMessage, messageId?: number, chatId?: number): string {
    this.users.set(user.id, user);
    const id = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    this.callbacks.set(id, { id, data, userId: user.id, answered: false });
    const cid = msg?.chat_id ?? chatId ?? user.id;
    const message = msg?.raw ?? { message_id: messageId ?? 1, from: this.botUser, chat: this.chatModel(cid).chat, date: Math.floor(Date.now() / 1000), text: '' };
    this.pushUpdate({
      callback_query: {
        id,
        from: { is_bot: false, language_code: 'ru', ...user },
        message,
        chat_instance: String(-cid * 7 - 1),
        data,
      },
    });
    return id;
  }

  private resolveChatId(value: unknown): number {
    if (typeof value === 'string' && value.startsWith('@')) {
      const found = [...this.chats.values()].find((c) => c.chat.username === value.slice(1));
      if (!found) throw new TgError(400, 'Bad Request: chat not found');
      return found.chat.id;
    }
    return Number(value);
  }

  private botMessage(p: Record<string, unknown>, kind: string, content: Record<string, unknown>, sentText: string | undefined): ChatMessage {
    const chatId = this.resolveChatId(p.chat_id);
    if (!Number.isFinite(chatId) || p.chat_id === undefined) throw new TgError(400, 'Bad Request: chat_id is empty');
    if (this.blocked.has(chatId)) throw new TgError(403, 'Forbidden: bot was blocked by the user');
    const model = this.chatModel(chatId);
    const message_id = model.nextId++;
    const date = Math.floor(Date.now() / 1000);
    const reply_markup = p.reply_markup as ReplyMarkup | undefined;
    const raw: Record<string, unknown> = { message_id, from: this.botUser, chat: model.chat, date, ...content };
    const replyTo = Number(p.reply_to_message_id ?? (p.reply_parameters as { message_id?: number } | undefined)?.message_id);
    if (Number.isFinite(replyTo)) {
      const target = model.messages.get(replyTo);
      if (target) raw.reply_to_message = { ...target.raw };
    }
    if (reply_markup?.inline_keyboard) raw.reply_markup = reply_markup;
    const msg: ChatMessage = {
      message_id,
      chat_id: chatId,
      sender: 'bot',
      date,
      text: content.text as string | undefined,
      caption: content.caption as string | undefined,
      sentText,
      parse_mode: p.parse_mode as string | undefined,
      reply_markup: reply_markup?.inline_keyboard ? reply_markup : undefined,
      reply_to_message_id: Number.isFinite(replyTo) ? replyTo : undefined,
      media_group_id: content.media_group_id as string | undefined,
      kind,
      deleted: false,
      editCount: 0,
      history: [],
      raw,
    };
    model.messages.set(message_id, msg);
    const sendId = `${chatId}:${sentText ?? kind}`;
    this.sendCalls.set(sendId, (this.sendCalls.get(sendId) ?? 0) + 1);
    return msg;
  }

  /**
   * How many times the bot sent each text (or media kind) to each chat — `<chat>:<text as sent>` —
   * deleted messages included: a card or notice sent twice counts 2 even if one copy was deleted.
   */
  sendCounts(): Map<string, number> {
    return new Map(this.sendCalls);
  }

  private mediaMessage(p: Record<string, unknown>, kind: string, file: TgFile, caption: unknown, parseMode: unknown, mediaGroupId?: string): ChatMessage {
    const content: Record<string, unknown> = {};
    const ref = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
    if (kind === 'photo') content.photo = [{ ...ref, width: 1280, height: 960 }];
    else if (kind === 'document') content.document = { ...ref, file_name: file.fileName, mime_type: 'application/octet-stream' };
    else content[kind] = { ...ref, file_name: file.fileName };
    let sent: string | undefined;
    if (caption !== undefined && caption !== null) {
      sent = String(caption);
      const shown = renderText(sent, parseMode);
      if (shown.length > 1024) throw new TgError(400, 'Bad Request: message caption is too long');
      content.caption = shown;
    }
    if (mediaGroupId) content.media_group_id = mediaGroupId;
    const msg = this.botMessage({ ...p, parse_mode: parseMode }, kind, content, sent);
    msg.file = file;
    return msg;
  }

  /** Resolves a file parameter: attach://id (uploaded), a known file_id, or a URL (a placeholder file). */
  private inputFile(value: unknown, files: UploadedFile[], kind: string): TgFile {
    if (value === undefined || value === null || value === '') throw new TgError(400, `Bad Request: there is no ${kind} in the request`);
    const s = String(value);
    if (s.startsWith('attach://')) {
      const up = files.find((f) => f.field === s.slice('attach://'.length));
      if (!up) throw new TgError(400, `Bad Request: file must be non-empty`);
      return this.registerFile(up.bytes, { dir: kind === 'photo' ? 'photos' : `${kind}s`, fileName: up.fileName });
    }
    const known = this.files.get(s);
    if (known) return known;
    if (/^https?:\/\//.test(s)) return this.registerFile(Buffer.alloc(0), { dir: `${kind}s`, fileName: s.split('/').pop() || 'remote' });
    throw new TgError(400, 'Bad Request: wrong file identifier/HTTP URL specified');
  }

  private editable(p: Record<string, unknown>): ChatMessage {
    if (p.inline_message_id !== undefined) throw new TgError(400, 'Bad Request: inline messages are not supported by the fake');
    const msg = this.findMessage(Number(p.chat_id), Number(p.message_id));
    if (!msg || msg.deleted) throw new TgError(400, 'Bad Request: message to edit not found');
    if (msg.sender !== 'bot') throw new TgError(400, "Bad Request: message can't be edited");
    return msg;
  }

  private applyEdit(msg: ChatMessage, next: { text?: string; caption?: string; reply_markup?: ReplyMarkup; sentText?: string; parse_mode?: string; keepText?: boolean }): void {
    const newMarkup = next.reply_markup?.inline_keyboard ? next.reply_markup : undefined;
    const sameText = next.keepText || (msg.kind === 'text' ? next.text === msg.text : next.caption === msg.caption);
    if (sameText && JSON.stringify(newMarkup) === JSON.stringify(msg.reply_markup)) {
      throw new TgError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    msg.history.push({ text: msg.text, caption: msg.caption, reply_markup: msg.reply_markup, at: Date.now() });
    if (!next.keepText) {
      if (msg.kind === 'text') msg.text = next.text;
      else msg.caption = next.caption;
      msg.sentText = next.sentText;
      msg.parse_mode = next.parse_mode;
    }
    msg.reply_markup = newMarkup;
    msg.editCount++;
    const raw: Record<string, unknown> = { ...msg.raw, edit_date: Math.floor(Date.now() / 1000) };
    if (msg.kind === 'text') raw.text = msg.text;
    else if (msg.caption !== undefined) raw.caption = msg.caption;
    else delete raw.caption;
    if (newMarkup) raw.reply_markup = newMarkup;
    else delete raw.reply_markup;
    msg.raw = raw;
  }
}

const HELD = Symbol('held');

function normalizeParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string') {
      const t = v.trim();
      if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
        try {
          out[k] = JSON.parse(t);
          continue;
        } catch {
          /* keep the string */
        }
      }
      if (NUMERIC_KEYS.has(k) && /^-?\d+$/.test(t)) {
        out[k] = Number(t);
        continue;
      }
      if (t === 'true' || t === 'false') {
        if (k.startsWith('disable_') || k.startsWith('show_') || k.startsWith('drop_') || k.startsWith('protect_') || k === 'has_spoiler') {
          out[k] = t === 'true';
          continue;
        }
      }
    }
    out[k] = v;
  }
  return out;
}

function defaultDescription(code: number, retryAfter?: number): string {
  switch (code) {
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 409:
      return 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    default:
      return `Error ${code}`;
  }
}

/**
 * What the user sees for `text` sent with `parse_mode`. For HTML, validates tags and entities
 * the way Telegram does (unknown tag, unclosed tag, bad entity → 400 "can't parse entities").
 * MarkdownV2/Markdown are not interpreted (text kept as sent).
 */
export function renderText(text: string, parseMode: unknown): string {
  if (parseMode !== 'HTML') return text;
  const fail = (why: string, at: number): never => {
    throw new TgError(400, `Bad Request: can't parse entities: ${why} at byte offset ${Buffer.byteLength(text.slice(0, at))}`);
  };
  let out = '';
  const stack: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '<') {
      const close = text.indexOf('>', i);
      if (close < 0) fail('Unclosed start tag', i);
      const inner = text.slice(i + 1, close);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const open = stack.pop();
        if (open !== name) fail(`Unmatched end tag at byte offset ${i}, expected "</${open ?? ''}>", found "</${name}>"`.replace(/ at byte offset \d+/, ''), i);
      } else {
        const name = (/^([a-zA-Z][a-zA-Z0-9-]*)/.exec(inner)?.[1] ?? '').toLowerCase();
        if (!HTML_TAGS.has(name)) fail(`Unsupported start tag "${name || inner.slice(0, 10)}"`, i);
        stack.push(name);
      }
      i = close + 1;
      continue;
    }
    if (ch === '&') {
      const m = /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/.exec(text.slice(i, i + 12));
      if (m) {
        const ent = m[1] ?? '';
        let decoded: string | undefined;
        if (ent.startsWith('#x')) decoded = String.fromCodePoint(parseInt(ent.slice(2), 16));
        else if (ent.startsWith('#')) decoded = String.fromCodePoint(parseInt(ent.slice(1), 10));
        else decoded = HTML_ENTITIES[ent.toLowerCase()];
        if (decoded === undefined) fail(`Unsupported HTML entity "&${ent};"`, i);
        out += decoded;
        i += m[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  if (stack.length) fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`, text.length);
  return out;
}
