/**
 * FakeVk — a local VK API server (methods, Bots Long Poll, photo upload) for integration tests.
 *
 * vk-io calls `${apiBaseUrl}/${method}` with POST application/x-www-form-urlencoded bodies
 * (access_token, v=5.199, params) and reads `{response}` or `{error}`. Bots Long Poll: vk-io
 * calls groups.getLongPollServer and then GETs `${server}?act=a_check&key&ts&wait=25&…` —
 * `server` is this fake's own URL. Payloads are shaped like VK API 5.199. See docs/testing.md.
 */
import http from 'node:http';
import type https from 'node:https';
import { createHash, randomBytes } from 'node:crypto';
import { LocalServer, holdUntilClosed, parseBody, readBody, seededRandom, sendJson, type UploadedFile } from './http.js';
import { safeJson, waitFor } from './wait.js';

// ---------------------------------------------------------------- public types

export interface VkCall {
  seq: number;
  method: string;
  /** Request params without access_token (strings as sent). */
  params: Record<string, string>;
  /** Which configured token was used. */
  token: 'group' | 'user' | 'unknown';
  files: UploadedFile[];
  /** Epoch milliseconds when the request arrived. */
  at: number;
  outcome: 'ok' | 'error' | 'dropped' | 'timeout' | 'pending';
  /** The JSON answer (also kept for `timeout`: what the client never received). */
  answer?: unknown;
}

export interface VkPost {
  id: number;
  owner_id: number;
  from_id: number;
  date: number;
  text: string;
  attachments: unknown[];
  /** When true, wall.createComment on it answers error 213. */
  commentsClosed: boolean;
}

export interface VkComment {
  id: number;
  owner_id: number;
  post_id: number;
  from_id: number;
  date: number;
  text: string;
  reply_to_comment?: number;
  reply_to_user?: number;
  parents_stack: number[];
  attachments: unknown[];
  deleted: boolean;
  /** guid given to wall.createComment, if created through the API. */
  guid?: string;
}

export interface VkUser {
  id: number;
  first_name: string;
  last_name: string;
  screen_name?: string;
}

export interface VkSentMessage {
  id: number;
  peer_id: number;
  text: string;
  random_id: number;
  attachment?: string;
  keyboard?: string;
  date: number;
}

export interface VkBan {
  group_id: number;
  owner_id: number;
  end_date?: number;
  reason?: number;
  comment?: string;
  comment_visible?: boolean;
  active: boolean;
  at: number;
}

export interface VkUpload {
  kind: 'wall' | 'messages';
  files: UploadedFile[];
  server: number;
  hash: string;
  photo: string;
  saved: boolean;
}

export interface LongPollUpdate {
  type: string;
  object: unknown;
  group_id: number;
  event_id: string;
  v: string;
}

export interface FakeVkOptions {
  groupId?: number;
  groupName?: string;
  groupScreenName?: string;
  /** Community token accepted by the fake (default 'vk-group-token'). */
  groupToken?: string;
  /** Administrator's user token accepted by the fake (default 'vk-user-token'). */
  userToken?: string;
  /** Methods a community token may not call (error 27). Default: see GROUP_TOKEN_FORBIDDEN. */
  groupTokenForbidden?: string[];
  /** Cap for holding a long poll whatever `wait` asks (default 25000 ms; vk-io asks wait=25). */
  maxLongPollMs?: number;
}

/**
 * Methods VK refuses with a community token: they need the administrator's
 * user token. Error 27 "Group authorization failed: method is unavailable with group auth."
 */
export const GROUP_TOKEN_FORBIDDEN = [
  'wall.get',
  'wall.getById',
  'wall.getComments',
  'wall.getComment',
  'wall.deleteComment',
  'wall.restoreComment',
  'groups.ban',
  'groups.unban',
  'groups.getBanned',
  'photos.getWallUploadServer',
  'photos.saveWallPhoto',
];

export const VK_ERROR_MESSAGES: Record<number, string> = {
  1: 'Unknown error occurred',
  3: 'Unknown method passed',
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  7: 'Permission to perform this action is denied',
  9: 'Flood control',
  10: 'Internal server error',
  15: 'Access denied',
  18: 'User was deleted or banned',
  27: 'Group authorization failed: method is unavailable with group auth.',
  29: 'Rate limit reached',
  100: 'One of the parameters specified was missing or invalid',
  113: 'Invalid user id',
  200: 'Access to album denied',
  212: 'Access to post comments denied',
  213: 'Access to status replies denied',
  222: 'Hyperlinks are forbidden',
  223: 'Too many replies',
  901: "Can't send messages for users without permission",
  902: "Can't send messages to this user due to their privacy settings",
};

/**
 * The agent vk-io needs for an http:// apiBaseUrl. vk-io defaults to `https.globalAgent`, and
 * node-fetch refuses an https agent for an http URL ("Protocol "http:" not supported"). The same
 * `agent` option is used by vk-io for API calls, the long-poll GET and uploads. vk-io types it as
 * `https.Agent`, hence the cast.
 */
export function vkHttpAgent(): https.Agent {
  return new http.Agent({ keepAlive: true }) as unknown as https.Agent;
}

// ---------------------------------------------------------------- implementation

class VkError extends Error {
  constructor(
    readonly code: number,
    msg?: string,
  ) {
    super(msg ?? VK_ERROR_MESSAGES[code] ?? `Error ${code}`);
  }
}

interface HeldPoll {
  answer: (body: unknown) => void;
}

type Special = { kind: 'error'; code: number; message?: string } | { kind: 'timeout'; holdMs?: number } | { kind: 'drop'; afterExecute: boolean };

export class FakeVk {
  readonly groupId: number;
  readonly groupToken: string;
  readonly userToken: string;
  readonly groupName: string;
  readonly groupScreenName: string;

  private readonly server: LocalServer;
  private readonly maxLongPollMs: number;
  private readonly forbidden: Set<string>;
  private readonly recorded: VkCall[] = [];
  private seq = 0;
  // long poll
  private key = randomBytes(16).toString('hex');
  private readonly events: Array<{ seq: number; update: unknown }> = [];
  private nextTs = 1;
  private historyFloor = 1;
  private readonly held = new Set<HeldPoll>();
  private pendingLpFailure: unknown[] = [];
  private readonly polls: Array<{ at: number; ts: string; key: string; answered: boolean }> = [];
  // content
  private readonly posts = new Map<number, VkPost>();
  private readonly commentsById = new Map<number, VkComment>();
  private nextPostId = 1;
  private nextCommentId = 1000;
  private readonly guidIndex = new Map<string, number>();
  private readonly users = new Map<number, VkUser>();
  private readonly sent: VkSentMessage[] = [];
  private nextMessageId = 1;
  private readonly randomIdIndex = new Map<string, number>();
  /** Executed send calls per idempotency id (`guid:<guid>`, `random_id:<peer>:<id>`), merged repeats included. */
  private readonly sendCalls = new Map<string, number>();
  private readonly banList: VkBan[] = [];
  private readonly uploadList: VkUpload[] = [];
  private nextPhotoId = 457_239_000;
  // failures
  private readonly specials = new Map<string, Special[]>();
  private faultRate: { share: number; kinds: Array<number | 'timeout' | 'drop'>; methods?: Set<string>; random: () => number } | undefined;

  constructor(options: FakeVkOptions = {}) {
    this.groupId = options.groupId ?? 201_234_567;
    this.groupName = options.groupName ?? 'Администрация города N';
    this.groupScreenName = options.groupScreenName ?? `club${this.groupId}`;
    this.groupToken = options.groupToken ?? 'vk-group-token';
    this.userToken = options.userToken ?? 'vk-user-token';
    this.forbidden = new Set(options.groupTokenForbidden ?? GROUP_TOKEN_FORBIDDEN);
    this.maxLongPollMs = options.maxLongPollMs ?? 25_000;
    this.server = new LocalServer((req, res) => this.handle(req, res));
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  async stop(): Promise<void> {
    for (const h of [...this.held]) h.answer({ ts: String(this.nextTs), updates: [] });
    await this.server.stop();
  }

  /** For vk-io's `apiBaseUrl` (no trailing slash). */
  get apiBaseUrl(): string {
    return `${this.server.origin}/method`;
  }

  /** The Bots Long Poll server URL returned by groups.getLongPollServer. */
  get longPollUrl(): string {
    return `${this.server.origin}/lp/wh${this.groupId}`;
  }

  /** The current long-poll `ts` (the next event gets this number). */
  get currentTs(): number {
    return this.nextTs;
  }

  // ------------------------------------------------------------ events

  /** Appends an event to the long-poll stream; returns its event_id. */
  pushEvent(type: string, object: unknown): string {
    const event_id = createHash('sha1')
      .update(`${this.groupId}:${this.nextTs}:${randomBytes(4).toString('hex')}`)
      .digest('hex');
    this.pushRaw({ type, object, group_id: this.groupId, event_id, v: '5.199' });
    return event_id;
  }

  /** Appends a raw update as is (duplicate event_id, malformed payload…). */
  pushRaw(update: unknown): void {
    this.events.push({ seq: this.nextTs++, update });
    this.flushHeld();
  }

  /**
   * Makes the held long poll (or the next one) answer a failure:
   * 1 → `{failed: 1, ts}` (history lost: events not yet fetched are skipped; the client must catch up),
   * 2 → `{failed: 2}` and the key rotates (client must call getLongPollServer again),
   * 3 → `{failed: 3}` and the key rotates (new key and ts).
   */
  failLongPoll(kind: 1 | 2 | 3): void {
    if (kind !== 1) this.key = randomBytes(16).toString('hex');
    let body: unknown;
    if (kind === 1) {
      this.historyFloor = this.nextTs;
      body = { failed: 1, ts: this.nextTs };
    } else body = { failed: kind };
    const first = [...this.held][0];
    if (first) first.answer(body);
    else this.pendingLpFailure.push(body);
  }

  /** Long-poll requests seen so far. */
  longPolls(): Array<{ at: number; ts: string; key: string; answered: boolean }> {
    return [...this.polls];
  }

  /** Resolves when a client is holding a long poll (so a pushed event is delivered at once). */
  waitForPoller(timeoutMs = 5_000): Promise<true> {
    return waitFor(() => this.held.size > 0, { timeoutMs, message: 'a VK long-poll client' });
  }

  // ------------------------------------------------------------ payload builders (VK API 5.199)

  wallReplyNew(c: {
    id: number;
    from_id: number;
    post_id: number;
    owner_id?: number;
    text: string;
    reply_to_comment?: number;
    reply_to_user?: number;
    parents_stack?: number[];
    attachments?: unknown[];
    date?: number;
  }): Record<string, unknown> {
    const owner_id = c.owner_id ?? -this.groupId;
    return {
      id: c.id,
      from_id: c.from_id,
      date: c.date ?? now(),
      text: c.text,
      post_owner_id: owner_id,
      post_id: c.post_id,
      owner_id,
      parents_stack: c.parents_stack ?? (c.reply_to_comment ? [c.reply_to_comment] : []),
      thread: { count: 0 },
      ...(c.reply_to_comment !== undefined ? { reply_to_comment: c.reply_to_comment } : {}),
      ...(c.reply_to_user !== undefined ? { reply_to_user: c.reply_to_user } : {}),
      ...(c.attachments ? { attachments: c.attachments } : {}),
    };
  }

  /** wall_reply_edit and wall_reply_restore carry the same object as wall_reply_new. */
  wallReplyEdit(c: Parameters<FakeVk['wallReplyNew']>[0]): Record<string, unknown> {
    return this.wallReplyNew(c);
  }

  wallReplyRestore(c: Parameters<FakeVk['wallReplyNew']>[0]): Record<string, unknown> {
    return this.wallReplyNew(c);
  }

  wallReplyDelete(c: { id: number; post_id: number; owner_id?: number; deleter_id: number }): Record<string, unknown> {
    return { owner_id: c.owner_id ?? -this.groupId, id: c.id, deleter_id: c.deleter_id, post_id: c.post_id };
  }

  wallPostNew(p: { id: number; from_id?: number; owner_id?: number; text: string; date?: number; attachments?: unknown[]; created_by?: number }): Record<string, unknown> {
    const owner_id = p.owner_id ?? -this.groupId;
    return {
      id: p.id,
      owner_id,
      from_id: p.from_id ?? owner_id,
      ...(p.created_by !== undefined ? { created_by: p.created_by } : {}),
      date: p.date ?? now(),
      text: p.text,
      post_type: 'post',
      marked_as_ads: 0,
      can_edit: 1,
      can_delete: 1,
      comments: { count: 0, can_post: 1, groups_can_post: true },
      attachments: p.attachments ?? [],
      is_favorite: false,
    };
  }

  messageNew(m: { id?: number; from_id: number; peer_id?: number; text: string; date?: number; attachments?: unknown[]; conversation_message_id?: number; payload?: string }): Record<string, unknown> {
    const id = m.id ?? this.nextMessageId++;
    return {
      message: {
        date: m.date ?? now(),
        from_id: m.from_id,
        id,
        out: 0,
        version: 10_000_000 + id,
        attachments: m.attachments ?? [],
        conversation_message_id: m.conversation_message_id ?? id,
        fwd_messages: [],
        important: false,
        is_hidden: false,
        peer_id: m.peer_id ?? m.from_id,
        random_id: 0,
        text: m.text,
        ...(m.payload !== undefined ? { payload: m.payload } : {}),
      },
      client_info: {
        button_actions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback', 'intent_subscribe', 'intent_unsubscribe'],
        keyboard: true,
        inline_keyboard: true,
        carousel: true,
        lang_id: 0,
      },
    };
  }

  boardPostNew(c: { id: number; from_id: number; topic_id: number; topic_owner_id?: number; text: string; date?: number; attachments?: unknown[] }): Record<string, unknown> {
    return {
      id: c.id,
      from_id: c.from_id,
      date: c.date ?? now(),
      text: c.text,
      topic_id: c.topic_id,
      topic_owner_id: c.topic_owner_id ?? -this.groupId,
      ...(c.attachments ? { attachments: c.attachments } : {}),
    };
  }

  photoCommentNew(c: { id: number; from_id: number; photo_id: number; photo_owner_id?: number; text: string; date?: number; reply_to_comment?: number }): Record<string, unknown> {
    return {
      id: c.id,
      from_id: c.from_id,
      date: c.date ?? now(),
      text: c.text,
      photo_id: c.photo_id,
      photo_owner_id: c.photo_owner_id ?? -this.groupId,
      ...(c.reply_to_comment ? { reply_to_comment: c.reply_to_comment } : {}),
    };
  }

  videoCommentNew(c: { id: number; from_id: number; video_id: number; video_owner_id?: number; text: string; date?: number; reply_to_comment?: number }): Record<string, unknown> {
    return {
      id: c.id,
      from_id: c.from_id,
      date: c.date ?? now(),
      text: c.text,
      video_id: c.video_id,
      video_owner_id: c.video_owner_id ?? -this.groupId,
      ...(c.reply_to_comment ? { reply_to_comment: c.reply_to_comment } : {}),
    };
  }

  marketCommentNew(c: { id: number; from_id: number; item_id: number; market_owner_id?: number; text: string; date?: number }): Record<string, unknown> {
    return { id: c.id, from_id: c.from_id, date: c.date ?? now(), text: c.text, item_id: c.item_id, market_owner_id: c.market_owner_id ?? -this.groupId };
  }

  // ------------------------------------------------------------ content model

  /** Adds a post on the community wall (or `owner_id`'s wall). */
  addPost(p: { id?: number; text?: string; from_id?: number; owner_id?: number; date?: number; attachments?: unknown[]; commentsClosed?: boolean } = {}): VkPost {
    const owner_id = p.owner_id ?? -this.groupId;
    const id = p.id ?? this.nextPostId++;
    if (id >= this.nextPostId) this.nextPostId = id + 1;
    const post: VkPost = {
      id,
      owner_id,
      from_id: p.from_id ?? owner_id,
      date: p.date ?? now(),
      text: p.text ?? `Post ${id}`,
      attachments: p.attachments ?? [],
      commentsClosed: p.commentsClosed ?? false,
    };
    this.posts.set(id, post);
    return post;
  }

  /** Adds a comment (post created on demand). Reply: give `reply_to_comment`; parents_stack is derived. */
  addComment(c: { post_id: number; text: string; from_id: number; id?: number; owner_id?: number; reply_to_comment?: number; date?: number; attachments?: unknown[] }): VkComment {
    if (!this.posts.has(c.post_id)) this.addPost({ id: c.post_id, owner_id: c.owner_id });
    const id = c.id ?? this.nextCommentId++;
    if (id >= this.nextCommentId) this.nextCommentId = id + 1;
    const parent = c.reply_to_comment !== undefined ? this.commentsById.get(c.reply_to_comment) : undefined;
    const comment: VkComment = {
      id,
      owner_id: c.owner_id ?? -this.groupId,
      post_id: c.post_id,
      from_id: c.from_id,
      date: c.date ?? now(),
      text: c.text,
      parents_stack: c.reply_to_comment !== undefined ? [...(parent?.parents_stack ?? []), c.reply_to_comment].slice(0, 1) : [],
      attachments: c.attachments ?? [],
      deleted: false,
      ...(c.reply_to_comment !== undefined ? { reply_to_comment: c.reply_to_comment, reply_to_user: parent?.from_id } : {}),
    };
    this.commentsById.set(id, comment);
    return comment;
  }

  /** A citizen comments: adds the comment to the model and pushes wall_reply_new. */
  commentArrives(c: Parameters<FakeVk['addComment']>[0]): { comment: VkComment; eventId: string } {
    const comment = this.addComment(c);
    const eventId = this.pushEvent(
      'wall_reply_new',
      this.wallReplyNew({ ...comment, reply_to_comment: comment.reply_to_comment, reply_to_user: comment.reply_to_user, attachments: comment.attachments.length ? comment.attachments : undefined }),
    );
    return { comment, eventId };
  }

  addUser(u: VkUser): void {
    this.users.set(u.id, u);
  }

  post(id: number): VkPost | undefined {
    return this.posts.get(id);
  }

  comment(id: number): VkComment | undefined {
    return this.commentsById.get(id);
  }

  /** Comments of a post (including deleted ones, flagged), in id order. */
  comments(postId?: number): VkComment[] {
    return [...this.commentsById.values()].filter((c) => postId === undefined || c.post_id === postId).sort((a, b) => a.id - b.id);
  }

  /** Comments written by the community itself (from_id = -groupId). */
  communityComments(postId?: number): VkComment[] {
    return this.comments(postId).filter((c) => c.from_id === -this.groupId);
  }

  /**
   * How many times each send was executed, by its idempotency id (`guid:<guid>` for comments,
   * `random_id:<peer>:<id>` for messages), repeats that VK merged included: a double send is visible
   * here even though VK (and this fake) keep one comment or message.
   */
  sendCounts(): Map<string, number> {
    return new Map(this.sendCalls);
  }

  private countSend(id: string): void {
    this.sendCalls.set(id, (this.sendCalls.get(id) ?? 0) + 1);
  }

  /** messages.send deliveries (deduplicated by random_id). */
  sentMessages(peerId?: number): VkSentMessage[] {
    return this.sent.filter((m) => peerId === undefined || m.peer_id === peerId);
  }

  bans(): VkBan[] {
    return [...this.banList];
  }

  uploads(): VkUpload[] {
    return [...this.uploadList];
  }

  // ------------------------------------------------------------ calls and failures

  calls(method?: string): VkCall[] {
    return method ? this.recorded.filter((c) => c.method === method) : [...this.recorded];
  }

  waitForCall(method: string, predicate: (call: VkCall) => boolean = () => true, timeoutMs = 5_000): Promise<VkCall> {
    return waitFor(() => this.recorded.find((c) => c.method === method && c.outcome !== 'pending' && predicate(c)), {
      timeoutMs,
      message: () => `VK call ${method}; recorded: ${safeJson(this.recorded.map((c) => `${c.method}:${c.outcome}`))}`,
    });
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  /** The next `times` calls of `method` ('*' for any) answer VK error `errorCode`. */
  failNext(method: string, errorCode: number, times = 1, message?: string): void {
    for (let i = 0; i < times; i++) this.queueSpecial(method, { kind: 'error', code: errorCode, message });
  }

  /** The next call of `method` is executed but its answer is withheld (client times out; the reply got lost). */
  timeoutNext(method: string, holdMs?: number): void {
    this.queueSpecial(method, { kind: 'timeout', holdMs });
  }

  /** The next call of `method` gets its socket destroyed; by default before executing it. */
  dropNext(method: string, opts: { afterExecute?: boolean } = {}): void {
    this.queueSpecial(method, { kind: 'drop', afterExecute: opts.afterExecute ?? false });
  }

  /**
   * Random fault injection: each API call (of `opts.methods`, default all) fails with probability
   * `share`; the kind is picked uniformly from `kinds`: a VK error code, 'timeout' (executed, answer
   * lost) or 'drop' (socket destroyed, not executed). `share = 0` turns it off. Seeded (default 42).
   */
  failRate(share: number, kinds: Array<number | 'timeout' | 'drop'>, opts: { methods?: string[]; seed?: number } = {}): void {
    if (share <= 0 || kinds.length === 0) {
      this.faultRate = undefined;
      return;
    }
    this.faultRate = { share, kinds, methods: opts.methods ? new Set(opts.methods) : undefined, random: seededRandom(opts.seed ?? 42) };
  }

  private queueSpecial(method: string, s: Special): void {
    const list = this.specials.get(method) ?? [];
    list.push(s);
    this.specials.set(method, list);
  }

  private takeSpecial(method: string): Special | undefined {
    const queued = this.specials.get(method)?.shift() ?? this.specials.get('*')?.shift();
    if (queued) return queued;
    const fr = this.faultRate;
    if (fr && (!fr.methods || fr.methods.has(method)) && fr.random() < fr.share) {
      const kind = fr.kinds[Math.floor(fr.random() * fr.kinds.length)];
      if (kind === 'timeout') return { kind: 'timeout' };
      if (kind === 'drop') return { kind: 'drop', afterExecute: false };
      if (typeof kind === 'number') return { kind: 'error', code: kind };
    }
    return undefined;
  }

  // ------------------------------------------------------------ HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/lp/')) {
      this.longPoll(url, res);
      return;
    }
    const body = await readBody(req);
    let parsed;
    try {
      parsed = parseBody(req.headers['content-type'], body, url.searchParams);
    } catch (err) {
      sendJson(res, 400, { error: String(err) });
      return;
    }
    if (url.pathname.startsWith('/upload/')) {
      this.upload(url, parsed.files, res);
      return;
    }
    const m = /^\/method\/([A-Za-z.]+)$/.exec(url.pathname);
    if (!m) {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    const method = m[1] ?? '';
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.params)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
    const accessToken = params.access_token;
    delete params.access_token;
    const token = accessToken === this.groupToken ? 'group' : accessToken === this.userToken ? 'user' : 'unknown';
    const call: VkCall = { seq: ++this.seq, method, params, token, files: parsed.files, at: Date.now(), outcome: 'pending' };
    this.recorded.push(call);

    const special = this.takeSpecial(method);
    if (special?.kind === 'drop' && !special.afterExecute) {
      call.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    let answer: unknown;
    if (special?.kind === 'error') {
      answer = this.errorBody(special.code, special.message, method, params);
    } else {
      answer = this.invoke(method, params, token);
    }
    call.answer = answer;
    if (special?.kind === 'drop') {
      call.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    if (special?.kind === 'timeout') {
      call.outcome = 'timeout';
      holdUntilClosed(this.server, req, res, special.holdMs ?? 10 * 60_000, () => res.destroy());
      return;
    }
    call.outcome = (answer as { error?: unknown }).error ? 'error' : 'ok';
    sendJson(res, 200, answer);
  }

  private errorBody(code: number, message: string | undefined, method: string, params: Record<string, string>): unknown {
    return {
      error: {
        error_code: code,
        error_msg: message ?? VK_ERROR_MESSAGES[code] ?? `Error ${code}`,
        request_params: [{ key: 'method', value: method }, { key: 'oauth', value: '1' }, ...Object.entries(params).map(([key, value]) => ({ key, value }))],
      },
    };
  }

  /** Runs a method and returns the JSON answer ({response} or {error}). */
  private invoke(method: string, params: Record<string, string>, token: VkCall['token']): unknown {
    try {
      if (token === 'unknown') throw new VkError(5);
      if (token === 'group' && this.forbidden.has(method)) throw new VkError(27);
      if (method === 'execute') return this.execute(params, token);
      return { response: this.run(method, params, token) };
    } catch (err) {
      if (err instanceof VkError) return this.errorBody(err.code, err.message, method, params);
      throw err;
    }
  }

  private longPoll(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    const key = q.get('key') ?? '';
    const tsParam = q.get('ts') ?? '';
    const poll = { at: Date.now(), ts: tsParam, key, answered: false };
    this.polls.push(poll);
    const reply = (body: unknown): void => {
      poll.answered = true;
      sendJson(res, 200, body);
    };
    if (q.get('act') !== 'a_check') return reply({ failed: 2 });
    const queued = this.pendingLpFailure.shift();
    if (queued) return reply(queued);
    if (key !== this.key) return reply({ failed: 2 });
    const ts = Number(tsParam);
    if (!Number.isFinite(ts) || ts < this.historyFloor || ts > this.nextTs) return reply({ failed: 1, ts: this.nextTs });
    const ready = (): unknown[] => this.events.filter((e) => e.seq >= ts).map((e) => e.update);
    const now = ready();
    if (now.length) return reply({ ts: String(this.nextTs), updates: now });
    const waitMs = Math.min(Math.max(0, Number(q.get('wait') ?? 25)) * 1000, this.maxLongPollMs);
    let done = false;
    const holder: HeldPoll = {
      answer: (body) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.held.delete(holder);
        if (body === undefined) {
          // new events (or wait expired): re-check ts validity
          if (ts < this.historyFloor) reply({ failed: 1, ts: this.nextTs });
          else reply({ ts: String(this.nextTs), updates: ready() });
        } else reply(body);
      },
    };
    const timer = setTimeout(() => holder.answer(undefined), waitMs);
    this.held.add(holder);
    res.on('close', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.held.delete(holder);
    });
  }

  private flushHeld(): void {
    for (const h of [...this.held]) h.answer(undefined);
  }

  private upload(url: URL, files: UploadedFile[], res: http.ServerResponse): void {
    const kind = url.pathname.includes('messages') ? 'messages' : 'wall';
    if (files.length === 0) {
      sendJson(res, 200, { server: 0, photo: '[]', hash: '' });
      return;
    }
    const server = 800_000 + this.uploadList.length;
    const photo = JSON.stringify(
      files.map((f) => ({ markers_restarted: true, photo: `${createHash('md5').update(f.bytes).digest('hex').slice(0, 10)}:x`, sizes: [], kid: randomBytes(8).toString('hex') })),
    );
    const hash = randomBytes(16).toString('hex');
    this.uploadList.push({ kind, files, server, hash, photo, saved: false });
    sendJson(res, 200, { server, photo, hash });
  }

  // ------------------------------------------------------------ methods

  private run(method: string, p: Record<string, string>, token: VkCall['token']): unknown {
    switch (method) {
      case 'groups.getById': {
        return {
          groups: [{ id: this.groupId, name: this.groupName, screen_name: this.groupScreenName, is_closed: 0, type: 'group', is_admin: 1, admin_level: 3, photo_50: '', photo_100: '', photo_200: '' }],
          profiles: [],
        };
      }
      case 'groups.getLongPollServer': {
        if (p.group_id !== undefined && Number(p.group_id) !== this.groupId) throw new VkError(100, 'One of the parameters specified was missing or invalid: group_id is invalid');
        return { key: this.key, server: this.longPollUrl, ts: String(this.nextTs) };
      }
      case 'wall.createComment':
        return this.createComment(p, token);
      case 'wall.deleteComment':
      case 'wall.restoreComment': {
        const c = this.commentsById.get(Number(p.comment_id));
        if (!c) throw new VkError(100, 'One of the parameters specified was missing or invalid: comment_id is invalid');
        c.deleted = method === 'wall.deleteComment';
        return 1;
      }
      case 'wall.get': {
        const ownerId = Number(p.owner_id ?? -this.groupId);
        const all = [...this.posts.values()].filter((x) => x.owner_id === ownerId).sort((a, b) => b.id - a.id);
        const offset = Number(p.offset ?? 0);
        const count = Math.min(100, Number(p.count ?? 20));
        return { count: all.length, items: all.slice(offset, offset + count).map((x) => this.postJson(x)), ...this.extended(p) };
      }
      case 'wall.getById': {
        const ids = (p.posts ?? '').split(',').filter(Boolean);
        const items = ids
          .map((s) => /^(-?\d+)_(\d+)$/.exec(s.trim()))
          .map((mm) => (mm ? this.posts.get(Number(mm[2])) : undefined))
          .filter((x): x is VkPost => x !== undefined)
          .map((x) => this.postJson(x));
        return { items, ...this.extended(p) };
      }
      case 'wall.getComment': {
        const c = this.commentsById.get(Number(p.comment_id));
        if (!c || c.deleted) throw new VkError(100, 'One of the parameters specified was missing or invalid: comment not found');
        return { items: [this.commentJson(c, 0)], ...this.extended(p) };
      }
      case 'wall.getComments':
        return this.getComments(p);
      case 'messages.send':
        return this.messagesSend(p);
      case 'users.get': {
        const ids = (p.user_ids ?? p.user_id ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        return ids.map((raw) => {
          const id = Number(raw);
          const u = this.users.get(id) ?? [...this.users.values()].find((x) => x.screen_name === raw);
          if (u) return { id: u.id, first_name: u.first_name, last_name: u.last_name, screen_name: u.screen_name ?? `id${u.id}`, can_access_closed: true, is_closed: false };
          return { id, first_name: `Имя${id}`, last_name: `Фамилия${id}`, screen_name: `id${id}`, can_access_closed: true, is_closed: false };
        });
      }
      case 'groups.ban': {
        const ownerId = Number(p.owner_id ?? p.user_id);
        for (const b of this.banList) if (b.owner_id === ownerId) b.active = false;
        this.banList.push({
          group_id: Number(p.group_id ?? this.groupId),
          owner_id: ownerId,
          end_date: p.end_date !== undefined ? Number(p.end_date) : undefined,
          reason: p.reason !== undefined ? Number(p.reason) : undefined,
          comment: p.comment,
          comment_visible: p.comment_visible === '1' || p.comment_visible === 'true',
          active: true,
          at: Date.now(),
        });
        return 1;
      }
      case 'groups.unban': {
        const ownerId = Number(p.owner_id ?? p.user_id);
        for (const b of this.banList) if (b.owner_id === ownerId) b.active = false;
        return 1;
      }
      case 'groups.getBanned': {
        const active = this.banList.filter((b) => b.active);
        return {
          count: active.length,
          items: active.map((b) => ({
            type: 'profile',
            ban_info: { admin_id: 1, date: Math.floor(b.at / 1000), reason: b.reason ?? 0, comment: b.comment ?? '', end_date: b.end_date ?? 0 },
            profile: { id: b.owner_id },
          })),
        };
      }
      case 'photos.getWallUploadServer':
        return { upload_url: `${this.server.origin}/upload/wall?group_id=${p.group_id ?? this.groupId}`, album_id: -14, user_id: 1 };
      case 'photos.getMessagesUploadServer':
        return { upload_url: `${this.server.origin}/upload/messages?peer_id=${p.peer_id ?? 0}`, album_id: -3, group_id: this.groupId };
      case 'photos.saveWallPhoto':
      case 'photos.saveMessagesPhoto': {
        const up = this.uploadList.find((u) => u.hash === p.hash && String(u.server) === String(p.server));
        if (!up) throw new VkError(100, 'One of the parameters specified was missing or invalid: hash is invalid');
        up.saved = true;
        const ownerId = method === 'photos.saveWallPhoto' ? -Number(p.group_id ?? this.groupId) : -this.groupId;
        return up.files.map((f) => ({
          id: this.nextPhotoId++,
          album_id: up.kind === 'wall' ? -14 : -3,
          owner_id: ownerId,
          access_key: randomBytes(9).toString('hex'),
          date: now(),
          text: p.caption ?? '',
          sizes: [{ type: 'x', width: 604, height: 453, url: `${this.server.origin}/photos/${f.fileName}` }],
          has_tags: false,
        }));
      }
      default:
        throw new VkError(3);
    }
  }

  private createComment(p: Record<string, string>, _token: VkCall['token']): unknown {
    const postId = Number(p.post_id);
    const ownerId = Number(p.owner_id ?? -this.groupId);
    if (!Number.isFinite(postId)) throw new VkError(100, 'One of the parameters specified was missing or invalid: post_id is undefined');
    const post = this.posts.get(postId) ?? this.addPost({ id: postId, owner_id: ownerId });
    if (post.commentsClosed) throw new VkError(213);
    if (!p.message && !p.attachments && !p.sticker_id) throw new VkError(100, 'One of the parameters specified was missing or invalid: message is empty');
    if (p.guid) {
      this.countSend(`guid:${p.guid}`);
      const existing = this.guidIndex.get(`${ownerId}_${postId}_${p.guid}`);
      if (existing !== undefined) {
        return { comment_id: existing, parents_stack: this.commentsById.get(existing)?.parents_stack ?? [] };
      }
    }
    const fromGroup = p.from_group !== undefined && p.from_group !== '0';
    const c = this.addComment({
      post_id: postId,
      owner_id: ownerId,
      text: p.message ?? '',
      from_id: fromGroup || _token === 'group' ? -this.groupId : 1,
      reply_to_comment: p.reply_to_comment !== undefined ? Number(p.reply_to_comment) : undefined,
      attachments: p.attachments ? p.attachments.split(',').map((a) => ({ ref: a })) : [],
    });
    if (p.guid) {
      c.guid = p.guid;
      this.guidIndex.set(`${ownerId}_${postId}_${p.guid}`, c.id);
    }
    return { comment_id: c.id, parents_stack: c.parents_stack };
  }

  private getComments(p: Record<string, string>): unknown {
    const postId = Number(p.post_id);
    const all = this.comments(postId).filter((c) => !c.deleted);
    const threadOf = p.comment_id !== undefined ? Number(p.comment_id) : undefined;
    let level = threadOf !== undefined ? all.filter((c) => c.parents_stack[0] === threadOf) : all.filter((c) => c.parents_stack.length === 0);
    if (p.sort === 'desc') level = level.reverse();
    let start = 0;
    if (p.start_comment_id !== undefined) {
      const idx = level.findIndex((c) => c.id === Number(p.start_comment_id));
      start = idx >= 0 ? idx : 0;
    }
    const offset = start + Number(p.offset ?? 0);
    const count = Math.min(100, Number(p.count ?? 10));
    const threadItems = Math.min(10, Number(p.thread_items_count ?? 0));
    const items = level.slice(offset, offset + count).map((c) => this.commentJson(c, threadOf === undefined ? threadItems : -1));
    return {
      count: threadOf === undefined ? all.length : level.length,
      current_level_count: level.length,
      can_post: true,
      show_reply_button: true,
      groups_can_post: true,
      items,
      ...this.extended(p),
    };
  }

  private messagesSend(p: Record<string, string>): unknown {
    const randomId = Number(p.random_id ?? 0);
    const peers = p.peer_ids ? p.peer_ids.split(',').map(Number) : [Number(p.peer_id ?? p.user_id)];
    if (peers.some((x) => !Number.isFinite(x) || x === 0)) throw new VkError(100, 'One of the parameters specified was missing or invalid: peer_id');
    if (!p.message && !p.attachment) throw new VkError(100, 'One of the parameters specified was missing or invalid: message is empty or invalid');
    const results = peers.map((peer) => {
      const dedupeKey = `${peer}:${randomId}`;
      if (randomId !== 0) this.countSend(`random_id:${dedupeKey}`);
      if (randomId !== 0 && this.randomIdIndex.has(dedupeKey)) return this.randomIdIndex.get(dedupeKey) ?? 0;
      const id = this.nextMessageId++;
      this.sent.push({ id, peer_id: peer, text: p.message ?? '', random_id: randomId, attachment: p.attachment, keyboard: p.keyboard, date: now() });
      if (randomId !== 0) this.randomIdIndex.set(dedupeKey, id);
      return id;
    });
    if (p.peer_ids) return results.map((message_id, i) => ({ peer_id: peers[i], message_id, conversation_message_id: message_id }));
    return results[0];
  }

  /**
   * A limited `execute`: only code of the form vk-io generates in parallel mode —
   * `return [API.method({...}), …];` or `return API.method({...});`. Anything else → error 'not supported by fake'.
   */
  private execute(p: Record<string, string>, token: VkCall['token']): unknown {
    const code = (p.code ?? '').trim();
    const calls = parseExecuteCode(code);
    if (!calls) throw new VkError(13, 'Runtime error occurred during code invocation: code not supported by fake');
    const response: unknown[] = [];
    const errors: unknown[] = [];
    for (const c of calls.items) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(c.params)) params[k] = typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : String(v);
      const answer = this.invoke(c.method, params, token) as { response?: unknown; error?: { error_code: number; error_msg: string } };
      if (answer.error) {
        response.push(false);
        errors.push({ method: c.method, error_code: answer.error.error_code, error_msg: answer.error.error_msg });
      } else response.push(answer.response);
    }
    // like VK: failed items are `false` in response, their errors listed in execute_errors
    return { response: calls.single ? response[0] : response, ...(errors.length ? { execute_errors: errors } : {}) };
  }

  private postJson(x: VkPost): unknown {
    const count = this.comments(x.id).filter((c) => !c.deleted).length;
    return {
      id: x.id,
      owner_id: x.owner_id,
      from_id: x.from_id,
      date: x.date,
      text: x.text,
      post_type: 'post',
      attachments: x.attachments,
      comments: { count, can_post: x.commentsClosed ? 0 : 1, groups_can_post: true },
      likes: { count: 0, user_likes: 0, can_like: 1 },
      reposts: { count: 0 },
      views: { count: 1 },
    };
  }

  private commentJson(c: VkComment, threadItems: number): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: c.id,
      from_id: c.from_id,
      date: c.date,
      text: c.text,
      post_id: c.post_id,
      owner_id: c.owner_id,
      parents_stack: c.parents_stack,
      ...(c.reply_to_comment !== undefined ? { reply_to_comment: c.reply_to_comment } : {}),
      ...(c.reply_to_user !== undefined ? { reply_to_user: c.reply_to_user } : {}),
      ...(c.attachments.length ? { attachments: c.attachments } : {}),
    };
    if (threadItems >= 0) {
      const thread = this.comments(c.post_id).filter((x) => !x.deleted && x.parents_stack[0] === c.id);
      out.thread = {
        count: thread.length,
        ...(threadItems > 0 ? { items: thread.slice(0, threadItems).map((t) => this.commentJson(t, -1)) } : {}),
        can_post: true,
        show_reply_button: true,
        groups_can_post: true,
      };
    }
    return out;
  }

  private extended(p: Record<string, string>): Record<string, unknown> {
    if (p.extended !== '1' && p.extended !== 'true') return {};
    const profiles = [...this.users.values()].map((u) => ({ id: u.id, first_name: u.first_name, last_name: u.last_name, screen_name: u.screen_name ?? `id${u.id}` }));
    return { profiles, groups: [{ id: this.groupId, name: this.groupName, screen_name: this.groupScreenName, is_closed: 0, type: 'group' }] };
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Parses `return [API.a.b({json}), …];` / `return API.a.b({json});` as vk-io builds it. */
export function parseExecuteCode(code: string): { single: boolean; items: Array<{ method: string; params: Record<string, unknown> }> } | undefined {
  let rest = code
    .replace(/^return\s*/, '')
    .replace(/;\s*$/, '')
    .trim();
  const single = !rest.startsWith('[');
  if (!single) {
    if (!rest.endsWith(']')) return undefined;
    rest = rest.slice(1, -1).trim();
  }
  const items: Array<{ method: string; params: Record<string, unknown> }> = [];
  let i = 0;
  while (i < rest.length) {
    const m = /^\s*API\.([A-Za-z]+\.[A-Za-z]+)\(/.exec(rest.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    // scan a JSON object, string-aware
    let depth = 0;
    let inStr = false;
    const start = i;
    for (; i < rest.length; i++) {
      const ch = rest[i];
      if (inStr) {
        if (ch === '\\') i++;
        else if (ch === '"') inStr = false;
      } else if (ch === '"') inStr = true;
      else if (ch === '{') depth++;
      else if (ch === '}') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    let params: Record<string, unknown>;
    try {
      params = start === i ? {} : (JSON.parse(rest.slice(start, i)) as Record<string, unknown>);
    } catch {
      return undefined;
    }
    if (rest[i] !== ')') return undefined;
    i++;
    items.push({ method: m[1] ?? '', params });
    const sep = /^\s*,?\s*/.exec(rest.slice(i));
    i += sep?.[0].length ?? 0;
  }
  return items.length ? { single, items } : undefined;
}
