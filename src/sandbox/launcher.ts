import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeTelegram, type ChatMessage, type TgUser } from './emulators/telegram.js';
import { FakeVk } from './emulators/vk.js';
import { FakeMax, type MaxSentMessage } from './emulators/max.js';
import { readBody } from './emulators/http.js';
import { loadOrganization } from '../config/organization.js';
import { CLOCK_STEPS, isClockStep, type ClockStep } from './clock-steps.js';
import type { ClockReply } from './clock-control.js';
import { TRAINING, WALL_POSTS } from './training.js';
import { sandboxStrings } from './strings.js';
import { telegramHtml, escapeHtml } from './html.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pageDir = path.join(root, 'src/sandbox/page');

/** The sandbox's fixed identities: shaped like the real ones so the service validates them for real. */
const BOT_TOKEN = '700000001:SANDBOX-otklik-local-emulator';
const VK_GROUP_ID = 200_000_001;
const FIRST_CITIZEN_ID = 10_001;
/** MAX bots of the sandbox (staff workspace and citizens'), both on one FakeMax server like on one MAX_API_ROOT. */
const MAX_BOT_TOKEN = 'sandbox-max-staff-bot-token';
const MAX_SOURCE_TOKEN = 'sandbox-max-citizens-bot-token';

export interface Preset {
  id: string;
  label: string;
  configPath: string;
}

export interface SandboxOptions {
  /** 8080 by default (SANDBOX_PORT); 0 picks a free port (tests). */
  port?: number;
  /** Loopback unless told otherwise (SANDBOX_HOST). */
  host?: string;
  preset?: string;
  /** A third municipality's organization file (CONFIG_PATH when it is not the Канаш example). */
  customConfig?: string;
  /** data/sandbox by default. */
  dataDir?: string;
  /** A fixed start of the service clock for a fresh database (ISO); default: now. */
  startAt?: string;
  /** Extra environment for the service (tests: LOG_LEVEL). */
  serviceEnv?: Record<string, string>;
  /** Also emulate MAX (SANDBOX_MAX=1 or --max): the staff bot and the citizens' bot, their dialogs on the page. */
  max?: boolean;
}

interface WallComment {
  id: number;
  from: { id: number; name: string };
  text: string;
  date: number;
  replyTo?: number;
  community: boolean;
  mark?: 'ack' | 'answer' | 'not_competent' | 'extension' | 'interim';
  attachments: number;
}

/**
 * The sandbox launcher: the Telegram Bot API and VK API emulators, the page server with live updates
 * (Server-Sent Events), and the real service as a child process started exactly as in production —
 * only its Telegram and VK addresses, its database and its clock point at the sandbox.
 */
export class Sandbox {
  tg!: FakeTelegram;
  vk!: FakeVk;
  /** The MAX staff workspace bot and the citizens' bot (same server), when MAX is on. */
  maxStaff: FakeMax | undefined;
  maxCitizens: FakeMax | undefined;
  preset!: Preset;
  private org!: ReturnType<typeof loadOrganization>['org'];
  private child: ChildProcess | null = null;
  private childLog: WriteStream | null = null;
  private childOutput = '';
  private server: http.Server | null = null;
  private readonly sse = new Set<http.ServerResponse>();
  private clockNow = '';
  private clockSeq = 0;
  private readonly clockWaiters = new Map<number, (r: ClockReply) => void>();
  private readonly citizens = new Map<string, number>();
  private readonly inbox: Array<{ peer: number; text: string; date: number }> = [];
  private signature = '';
  private idFloor = 0;
  private vkMessages = 0;
  private watcher: NodeJS.Timeout | null = null;
  private switching: Promise<void> = Promise.resolve();
  private lastClock: { step: string; result: unknown } | null = null;
  /** When (real ms) the service clock got which offset: the page shows each message at service time. */
  private offsets: Array<{ from: number; offset: number }> = [];
  readonly dataDir: string;
  readonly presets: Preset[];

  constructor(private readonly opts: SandboxOptions = {}) {
    this.dataDir = path.resolve(opts.dataDir ?? path.join(root, 'data/sandbox'));
    this.presets = [
      { id: 'kanash', label: 'Канаш', configPath: path.join(root, 'otklik.example.yaml') },
      { id: 'akhty', label: 'Ахты', configPath: path.join(root, 'src/sandbox/presets/akhty.yaml') },
    ];
    if (opts.customConfig && path.resolve(opts.customConfig) !== this.presets[0]!.configPath) {
      const { org } = loadOrganization(opts.customConfig);
      this.presets.push({ id: 'custom', label: org.organization.name, configPath: path.resolve(opts.customConfig) });
    }
  }

  get url(): string {
    const a = this.server?.address();
    const port = a && typeof a === 'object' ? a.port : 0;
    return `http://${this.opts.host ?? '127.0.0.1'}:${port}`;
  }

  /** The service child's pid (tests read its environment). */
  get servicePid(): number | undefined {
    return this.child?.pid;
  }

  get serviceLogs(): string {
    return this.childOutput;
  }

  async start(): Promise<this> {
    mkdirSync(this.dataDir, { recursive: true });
    const preset = this.presets.find((p) => p.id === (this.opts.preset ?? (this.presets[2] ? 'custom' : 'kanash')));
    if (!preset) throw new Error(`unknown sandbox preset "${this.opts.preset}": ${this.presets.map((p) => p.id).join(', ')}`);
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(String(err instanceof Error ? err.message : err));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new Error(`Port ${this.opts.port ?? 8080} is busy: choose another with SANDBOX_PORT or --port.`) : err),
      );
      this.server!.listen(this.opts.port ?? 8080, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    await this.boot(preset);
    this.watcher = setInterval(() => this.pushIfChanged(), 150);
    return this;
  }

  async stop(): Promise<void> {
    if (this.watcher) clearInterval(this.watcher);
    for (const res of this.sse) res.end();
    this.sse.clear();
    await this.halt();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  // ------------------------------------------------------------ the service and the emulators

  private dbPath(p: Preset): string {
    return path.join(this.dataDir, `${p.id}.db`);
  }

  private clockFile(p: Preset): string {
    return path.join(this.dataDir, `${p.id}.clock.json`);
  }

  /** Fresh emulators, the preset's wall, then the service on the preset's own database. */
  private async boot(preset: Preset): Promise<void> {
    this.preset = preset;
    const { org } = loadOrganization(preset.configPath);
    this.org = org;
    // The database outlives the emulators: ids of a new session must never repeat an earlier one's (the
    // service drops an update_id it has handled, and knows its cards by message_id). Tenths of a second
    // since 2024 grow faster than a person can click and stay within Telegram's 32-bit ids until 2030.
    this.idFloor = Math.floor((Date.now() - Date.UTC(2024, 0, 1)) / 100);
    this.tg = await new FakeTelegram({
      token: BOT_TOKEN,
      bot: { first_name: 'Отклик', username: 'otklik_sandbox_bot' },
      conflictOnConcurrentPolls: false,
      firstUpdateId: this.idFloor,
      firstMessageId: this.idFloor,
    }).start();
    this.vk = await new FakeVk({ groupId: VK_GROUP_ID, groupName: org.organization.name, groupToken: 'sandbox-vk-group-token', userToken: 'sandbox-vk-user-token' }).start();
    for (const text of WALL_POSTS) this.vk.addPost({ text });
    if (this.opts.max) {
      this.maxStaff = await new FakeMax({ token: MAX_BOT_TOKEN, name: 'Отклик', username: 'otklik_sandbox_bot', firstMarker: this.idFloor }).start();
      this.maxCitizens = await new FakeMax({ token: MAX_SOURCE_TOKEN, botUserId: 9_000_002, name: org.organization.name, firstMarker: this.idFloor, sharedWith: this.maxStaff }).start();
      // staff who work in MAX have their dialog with the bot already open in the sandbox
      for (const s of this.maxStaffMembers()) this.maxStaff.addUser({ user_id: s.maxUserId, name: s.name });
    }
    this.citizens.clear();
    this.inbox.length = 0;
    this.lastClock = null;
    this.offsets = [];

    // The clock continues where this preset's sandbox left it (its database holds cases at that time).
    let offset: number;
    try {
      offset = Number(JSON.parse(readFileSync(this.clockFile(preset), 'utf8')).offsetMs) || 0;
    } catch {
      offset = this.opts.startAt && !existsSync(this.dbPath(preset)) ? Date.parse(this.opts.startAt) - Date.now() : 0;
    }
    const fakeNow = new Date(Date.now() + offset).toISOString();
    this.clockNow = fakeNow;
    this.saveClock(fakeNow);

    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'development',
      BOT_TOKEN,
      BOT_MODE: 'polling',
      TELEGRAM_API_ROOT: this.tg.url,
      VK_MODE: 'longpoll',
      VK_GROUP_ID: String(VK_GROUP_ID),
      VK_GROUP_TOKEN: this.vk.groupToken,
      VK_USER_TOKEN: this.vk.userToken,
      VK_API_BASE_URL: this.vk.apiBaseUrl,
      ...(this.maxStaff ? { MAX_API_ROOT: this.maxStaff.url, MAX_BOT_TOKEN, MAX_SOURCE_TOKEN } : {}),
      DATABASE_PATH: this.dbPath(preset),
      CONFIG_PATH: preset.configPath,
      OTKLIK_FAKE_NOW: fakeNow,
      OTKLIK_SANDBOX_CLOCK: 'ipc',
      // The service's own listener (if any) must not take the page's port.
      PORT: '0',
      ...this.opts.serviceEnv,
    };
    this.childOutput = '';
    this.childLog = createWriteStream(path.join(this.dataDir, `${preset.id}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [path.join(root, 'bin/otklik.js'), 'serve'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    const onData = (b: Buffer) => {
      this.childOutput = (this.childOutput + b.toString()).slice(-200_000);
      this.childLog?.write(b);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('message', (m: ClockReply) => {
      if (m.type === 'clock:now' || m.type === 'clock:done') {
        this.clockNow = m.now;
        this.saveClock(m.now);
      }
      if (m.type !== 'clock:now') this.clockWaiters.get(m.id)?.(m);
      this.broadcast();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.once('exit', (code, signal) => {
      // Not stopped by the launcher: say so where the person looks, with where the log is.
      if (this.child === child) console.error(`The service stopped (exit ${code ?? signal}); its log: ${path.join(this.dataDir, `${preset.id}.log`)}`);
    });
    const ready = new Promise<void>((resolve) => {
      const check = () => (this.childOutput.includes('otklik: ready') ? resolve() : setTimeout(check, 50));
      check();
    });
    const code = await Promise.race([ready.then(() => 'ready' as const), exited]);
    if (code !== 'ready') throw new Error(`the service stopped at start (exit ${code}):\n${this.childOutput.slice(-3000)}`);
    await this.vk.waitForPoller(20_000);
    this.broadcast();
  }

  private saveClock(nowIso: string): void {
    this.offsets.push({ from: Date.now(), offset: Date.parse(nowIso) - Date.now() });
    writeFileSync(this.clockFile(this.preset), JSON.stringify({ offsetMs: Date.parse(nowIso) - Date.now(), now: nowIso }));
  }

  /** Stops the service (SIGTERM, graceful) and the emulators. */
  private async halt(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await gone;
      clearTimeout(timer);
    }
    this.childLog?.end();
    await this.vk?.stop();
    await this.tg?.stop();
    await this.maxStaff?.stop();
    this.maxStaff = undefined;
    this.maxCitizens = undefined;
  }

  /** Another preset (or the same one from scratch when `reset`): each has its own database. */
  switchPreset(id: string, reset = false): Promise<void> {
    const preset = this.presets.find((p) => p.id === id);
    if (!preset) return Promise.reject(new Error(`unknown preset ${id}`));
    this.switching = this.switching.then(async () => {
      await this.halt();
      if (reset) {
        for (const f of [this.dbPath(preset), `${this.dbPath(preset)}-wal`, `${this.dbPath(preset)}-shm`, this.clockFile(preset)]) rmSync(f, { force: true });
        rmSync(path.join(this.dataDir, 'reports'), { recursive: true, force: true });
      }
      await this.boot(preset);
    });
    return this.switching;
  }

  /** Moves the service clock one step; resolves when the scheduler's tick after it has run. */
  moveClock(step: ClockStep): Promise<ClockReply> {
    const child = this.child;
    if (!child?.connected) return Promise.reject(new Error('the service is not running'));
    const id = ++this.clockSeq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.clockWaiters.delete(id);
        reject(new Error('the service did not answer the clock move in 60 s'));
      }, 60_000);
      this.clockWaiters.set(id, (r) => {
        clearTimeout(timer);
        this.clockWaiters.delete(id);
        if (r.type === 'clock:done') this.lastClock = { step, result: r.result };
        resolve(r);
      });
      child.send({ type: 'clock', id, step });
    });
  }

  // ------------------------------------------------------------ people

  staff(): Array<{ telegramId: number; name: string; roles: string[]; department?: string }> {
    // The sandbox emulates Telegram only: people who work in MAX are not in its chats.
    return this.org.staff.filter((s): s is typeof s & { telegramId: number } => s.telegramId !== undefined && s.messenger !== 'max');
  }

  private staffUser(chatId: number): TgUser {
    const s = this.staff().find((x) => x.telegramId === chatId);
    if (!s) throw new Error(`no staff member with Telegram id ${chatId} in ${this.preset.label}`);
    const [last, first] = s.name.split(/\s+/);
    return { id: s.telegramId, first_name: first ?? s.name, last_name: last, language_code: 'ru' };
  }

  /**
   * A citizen by name: the same name is the same VK user — in every session, since the service
   * remembers VK users by id (a hash of the name; a clash among a trainer's few names is unlikely).
   */
  citizen(name: string): number {
    const clean = name.trim().replace(/\s+/g, ' ').slice(0, 60) || 'Житель';
    let id = this.citizens.get(clean);
    if (id === undefined) {
      let h = 0x811c9dc5;
      for (const ch of clean) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
      id = FIRST_CITIZEN_ID + (h % 900_000_000);
      this.citizens.set(clean, id);
      const [first, ...rest] = clean.split(' ');
      this.vk.addUser({ id, first_name: first ?? clean, last_name: rest.join(' ') });
    }
    return id;
  }

  /** Staff of the organization file with a MAX user id (the field the MAX workspace adds beside telegramId). */
  private maxStaffMembers(): Array<{ maxUserId: number; name: string }> {
    return this.staff().flatMap((s) => {
      const id = (s as { maxUserId?: unknown }).maxUserId;
      return typeof id === 'number' ? [{ maxUserId: id, name: s.name }] : [];
    });
  }

  private maxBot(which: unknown): FakeMax {
    const bot = which === 'citizens' ? this.maxCitizens : which === 'staff' ? this.maxStaff : undefined;
    if (!bot) throw new BadRequest(this.maxStaff ? 'bot is staff or citizens' : 'MAX is off: start the sandbox with SANDBOX_MAX=1');
    return bot;
  }

  /** MAX dialogs for the page: the staff bot's (staff in MAX) and the citizens' bot's. */
  private maxState(): unknown {
    if (!this.maxStaff || !this.maxCitizens) return null;
    const view = (bot: FakeMax) =>
      bot.dialogList().map((d) => ({
        userId: d.user.user_id,
        name: d.user.name,
        messages: bot
          .dialogMessages(d.user.user_id)
          .filter((m) => !m.deleted)
          .map((m) => this.maxMessageView(m)),
      }));
    return { staff: view(this.maxStaff), citizens: view(this.maxCitizens) };
  }

  private maxMessageView(m: MaxSentMessage) {
    const image = m.attachments.find((a) => a.type === 'image' || a.type === 'file') as { type: string; payload?: { url?: string }; filename?: string } | undefined;
    return {
      mid: m.mid,
      from: m.sender,
      html: m.sender === 'bot' && m.format === 'html' ? telegramHtml(m.sentText) : escapeHtml(m.text),
      date: this.serviceTime(Math.floor(m.at / 1000)),
      edited: m.editCount > 0,
      file: image?.payload?.url ? { url: image.payload.url, name: image.filename ?? 'image', image: image.type === 'image' } : null,
      buttons: m.attachments
        .filter((a) => a.type === 'inline_keyboard')
        .flatMap((a) => (a.payload as { buttons?: Array<Array<{ type: string; text: string; payload?: string; url?: string }>> }).buttons ?? [])
        .map((row) => row.map((b) => ({ text: b.text, payload: b.type === 'callback' ? (b.payload ?? null) : null, url: b.url ?? null }))),
    };
  }

  private nameOf(id: number): string {
    if (id === -VK_GROUP_ID) return this.vk.groupName;
    for (const [name, cid] of this.citizens) if (cid === id) return name;
    return `id${id}`;
  }

  /** A citizen comments under a post (or replies in a thread). */
  comment(name: string, postId: number, text: string, replyTo?: number): number {
    if (!text.trim()) throw new BadRequest('empty text');
    if (!this.vk.post(postId)) throw new BadRequest(`no post ${postId}`);
    const from_id = this.citizen(name);
    const id = Math.max(this.idFloor, ...this.vk.comments().map((c) => c.id + 1));
    return this.vk.commentArrives({ id, post_id: postId, from_id, text: text.trim(), ...(replyTo ? { reply_to_comment: replyTo } : {}) }).comment.id;
  }

  /** A citizen writes to the community privately. */
  message(name: string, text: string): void {
    if (!text.trim()) throw new BadRequest('empty text');
    const from_id = this.citizen(name);
    this.inbox.push({ peer: from_id, text: text.trim(), date: Math.floor(Date.now() / 1000) });
    this.vk.pushEvent('message_new', this.vk.messageNew({ id: this.idFloor + this.vkMessages++, from_id, text: text.trim() }));
  }

  play(id: string): void {
    const item = TRAINING.find((t) => t.id === id);
    if (!item) throw new BadRequest(`no training item ${id}`);
    const name = `${item.author.first_name} ${item.author.last_name}`;
    if (item.kind === 'message') this.message(name, item.text);
    else this.comment(name, item.post! + 1, item.text);
  }

  // ------------------------------------------------------------ state for the page

  state(lang: string): unknown {
    const tg = this.tg;
    const markups = new Map<string, Record<string, unknown>>();
    for (const c of tg.calls()) {
      const result = (c.response?.result ?? null) as { message_id?: number; chat?: { id: number } } | null;
      if (c.response?.ok && result?.message_id && result.chat && c.params.reply_markup) {
        markups.set(`${result.chat.id}:${result.message_id}`, c.params.reply_markup as Record<string, unknown>);
      }
    }
    const answers = tg.callbackAnswers();
    const chats = this.staff().map((s) => {
      const msgs = tg.allMessages(s.telegramId).filter((m) => !m.deleted);
      const notice = [...answers].reverse().find((a) => a.userId === s.telegramId && a.text);
      const commands = (tg.commands({ type: 'chat', chat_id: s.telegramId }) ?? tg.commands()) as Array<{ command: string; description: string }> | undefined;
      return {
        id: s.telegramId,
        name: s.name,
        roles: s.roles,
        commands: commands ?? [],
        notice: notice ? { text: notice.text, alert: notice.show_alert, at: notice.at } : null,
        messages: msgs.map((m) => this.messageView(m, markups.get(`${m.chat_id}:${m.message_id}`))),
      };
    });
    const community = -VK_GROUP_ID;
    const org = this.org.organization;
    const posts = [...Array(this.vkPostCount()).keys()].map((i) => this.vk.post(i + 1)).filter((p) => p !== undefined);
    const wall = posts.map((p) => ({
      id: p.id,
      text: p.text,
      date: this.serviceTime(p.date),
      comments: this.vk
        .comments(p.id)
        .filter((c) => !c.deleted)
        .map<WallComment>((c) => ({
          id: c.id,
          from: { id: c.from_id, name: this.nameOf(c.from_id) },
          text: c.text,
          date: this.serviceTime(c.date),
          replyTo: c.reply_to_comment,
          community: c.from_id === community,
          mark: markOf(c.guid),
          attachments: c.attachments.length,
        })),
    }));
    const dialogs = [...new Set([...this.inbox.map((m) => m.peer), ...this.vk.sentMessages().map((m) => m.peer_id)])].map((peer) => ({
      peer,
      name: this.nameOf(peer),
      messages: [
        ...this.inbox.filter((m) => m.peer === peer).map((m) => ({ community: false, text: m.text, date: this.serviceTime(m.date) })),
        ...this.vk.sentMessages(peer).map((m) => ({ community: true, text: m.text, date: this.serviceTime(m.date) })),
      ].sort((a, b) => a.date - b.date),
    }));
    return {
      preset: this.preset.id,
      presets: this.presets.map((p) => ({ id: p.id, label: p.label })),
      organization: org.name,
      zone: org.timezone,
      community: this.vk.groupName,
      clock: { now: this.clockNow, steps: CLOCK_STEPS, last: this.lastClock },
      citizens: [...this.citizens.keys()],
      chats,
      wall,
      dialogs,
      max: this.maxState(),
      training: TRAINING.map((t) => ({ id: t.id, title: lang === 'en' ? t.title.en : t.title.ru, kind: t.kind })),
    };
  }

  /** A real unix time (as the emulators stamp messages) → the service clock's unix time then. */
  private serviceTime(unix: number): number {
    const ms = unix * 1000;
    let offset = this.offsets[0]?.offset ?? 0;
    // Emulators stamp whole seconds: what was sent in the second of a move counts as after it (the
    // move's own consequences are what a trainer looks for).
    for (const o of this.offsets) if (o.from <= ms + 999) offset = o.offset;
    return Math.floor((ms + 999 + offset) / 1000);
  }

  private vkPostCount(): number {
    let n = 0;
    while (this.vk.post(n + 1)) n++;
    return n;
  }

  private messageView(m: ChatMessage, markup: Record<string, unknown> | undefined) {
    const body = m.sentText ?? m.text ?? m.caption ?? '';
    const html = m.sender === 'bot' && m.parse_mode === 'HTML' ? telegramHtml(body) : escapeHtml(m.sender === 'user' ? (m.text ?? m.caption ?? '') : body);
    return {
      id: m.message_id,
      from: m.sender,
      html,
      kind: m.kind,
      date: this.serviceTime(m.date),
      edited: m.editCount > 0,
      replyTo: m.reply_to_message_id ?? null,
      file: m.file ? { url: `/api/file/${encodeURIComponent(m.file.file_id)}`, name: m.file.fileName } : null,
      buttons: (m.reply_markup?.inline_keyboard ?? []).map((row) => row.map((b) => ({ text: b.text, data: b.callback_data ?? null, url: b.url ?? null }))),
      forceReply: Boolean(markup?.force_reply),
      placeholder: typeof markup?.input_field_placeholder === 'string' ? markup.input_field_placeholder : null,
    };
  }

  // ------------------------------------------------------------ HTTP

  private broadcast(): void {
    this.signature = '';
    this.pushIfChanged();
  }

  /** Every bot action is an HTTP call to an emulator; a new call (or a clock move) means new state. */
  private pushIfChanged(): void {
    if (!this.tg || !this.vk || this.sse.size === 0) return;
    const maxSig =
      this.maxStaff && this.maxCitizens
        ? `${this.maxStaff.calls().length}:${this.maxCitizens.calls().length}:${this.maxStaff.pendingUpdates().length}:${this.maxCitizens.pendingUpdates().length}`
        : '';
    const sig = `${this.preset.id}:${this.tg.calls().length}:${this.tg.callbackAnswers().length}:${this.vk.calls().length}:${this.clockNow}:${this.inbox.length}:${maxSig}`;
    if (sig === this.signature) return;
    this.signature = sig;
    for (const res of this.sse) res.write(`event: changed\ndata: ${JSON.stringify({ sig })}\n\n`);
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const p = url.pathname;
    const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'ru';
    if (!this.hostAllowed(req.headers.host)) return json(res, 403, { error: 'unknown host' });
    if (req.method === 'GET' && (p === '/' || p === '/index.html')) return serveFile(res, 'index.html');
    if (req.method === 'GET' && /^\/(app\.js|style\.css)$/.test(p)) return serveFile(res, p.slice(1));
    if (req.method === 'GET' && p === '/api/strings') return json(res, 200, sandboxStrings(lang));
    if (req.method === 'GET' && p === '/api/state') {
      await this.switching;
      return json(res, 200, this.state(lang));
    }
    if (req.method === 'GET' && p === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      this.sse.add(res);
      req.on('close', () => this.sse.delete(res));
      this.broadcast();
      return;
    }
    const file = /^\/api\/file\/(.+)$/.exec(p);
    if (req.method === 'GET' && file) {
      const f = this.tg.file(decodeURIComponent(file[1]!));
      if (!f) return json(res, 404, { error: 'no such file' });
      const type = CONTENT_TYPES[path.extname(f.fileName).toLowerCase()] ?? 'application/octet-stream';
      const inline = type.startsWith('image/') ? 'inline' : 'attachment';
      res.writeHead(200, { 'content-type': type, 'content-disposition': `${inline}; filename*=UTF-8''${encodeURIComponent(f.fileName)}` });
      res.end(f.bytes);
      return;
    }
    if (req.method !== 'POST') return json(res, 404, { error: 'not found' });
    // Only the page itself acts: a JSON body cannot come from another site without a CORS preflight
    // (which is never answered); a foreign Host header (DNS rebinding) was refused above.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return json(res, 415, { error: 'send application/json' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: 'the body is not JSON' });
    }
    try {
      await this.switching;
      const result = await this.act(p, body);
      this.broadcast();
      return json(res, 200, result ?? { ok: true });
    } catch (err) {
      if (err instanceof BadRequest || (err instanceof Error && /^No (callback button|message)|was deleted|no staff member|unknown preset/.test(err.message))) {
        return json(res, 400, { error: err.message });
      }
      throw err;
    }
  }

  private hostAllowed(host: string | undefined): boolean {
    const bound = this.opts.host ?? '127.0.0.1';
    if (!['127.0.0.1', 'localhost', '::1'].includes(bound)) return true; // told to serve others: their names are unknown
    const name = (host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return ['127.0.0.1', 'localhost', '::1'].includes(name);
  }

  private async act(p: string, b: Record<string, unknown>): Promise<unknown> {
    const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
    const num = (k: string) => (b[k] === undefined || b[k] === null || b[k] === '' ? undefined : Number(b[k]));
    switch (p) {
      case '/api/tg/send': {
        const user = this.staffUser(Number(b.chat));
        if (!str('text').trim()) throw new BadRequest('empty text');
        const replyTo = num('replyTo');
        return { id: this.tg.userSendsText(user, str('text'), replyTo ? { replyTo } : {}).message_id };
      }
      case '/api/tg/press': {
        const user = this.staffUser(Number(b.chat));
        this.tg.userPressesButton(user, { chat_id: user.id, message_id: Number(b.message) }, str('data'));
        return { ok: true };
      }
      case '/api/tg/photo': {
        const user = this.staffUser(Number(b.chat));
        const bytes = Buffer.from(str('base64'), 'base64');
        if (bytes.length === 0 || bytes.length > 10 * 1024 * 1024) throw new BadRequest('a photo of 1 byte to 10 MB');
        const caption = str('caption').trim();
        return { id: this.tg.userSendsPhoto(user, { bytes, ...(caption ? { caption } : {}) }).message_id };
      }
      case '/api/max/send': {
        // a staff member in his MAX dialog (bot: staff) or a citizen writing to the administration's MAX bot
        const bot = this.maxBot(b.bot);
        if (!str('text').trim()) throw new BadRequest('empty text');
        const name = bot === this.maxCitizens ? str('name').trim() || 'Житель' : undefined;
        const user = name !== undefined ? { user_id: this.citizen(name), name } : bot.dialogList().find((d) => d.user.user_id === num('user'))?.user;
        if (!user) throw new BadRequest(`no MAX dialog with ${String(b.user)}`);
        return { mid: bot.userSendsText(user, str('text').trim()).mid };
      }
      case '/api/max/press': {
        const bot = this.maxBot(b.bot);
        const user = bot.dialogList().find((d) => d.user.user_id === num('user'))?.user;
        if (!user) throw new BadRequest(`no MAX dialog with ${String(b.user)}`);
        const message = bot.message(str('mid'));
        if (!message || message.deleted || !bot.buttonsOf(message).some((x) => x.type === 'callback' && x.payload === str('payload')))
          throw new BadRequest('No callback button with that payload on that message');
        return { callbackId: bot.userPresses(user, str('payload'), message.mid).callbackId };
      }
      case '/api/vk/comment':
        return { id: this.comment(str('name'), Number(b.post), str('text'), num('replyTo')) };
      case '/api/vk/message':
        this.message(str('name'), str('text'));
        return { ok: true };
      case '/api/training/play':
        this.play(str('id'));
        return { ok: true };
      case '/api/training/burst':
        for (const t of TRAINING) this.play(t.id);
        return { ok: true, played: TRAINING.length };
      case '/api/clock': {
        const step = str('step');
        if (!isClockStep(step)) throw new BadRequest(`clock step is one of ${CLOCK_STEPS.join(', ')}`);
        return this.moveClock(step);
      }
      case '/api/preset':
        await this.switchPreset(str('id'), b.reset === true);
        return { ok: true, preset: this.preset.id };
      default:
        throw new BadRequest(`unknown action ${p}`);
    }
  }
}

class BadRequest extends Error {}

function markOf(guid: string | undefined): WallComment['mark'] {
  if (!guid) return undefined;
  if (guid.startsWith('ack-')) return 'ack';
  if (guid.startsWith('nc-')) return 'not_competent';
  if (guid.startsWith('ext-')) return 'extension';
  if (guid.startsWith('int')) return 'interim';
  return 'answer';
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv; charset=utf-8',
};

function serveFile(res: http.ServerResponse, name: string): void {
  const bytes = readFileSync(path.join(pageDir, name));
  res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(bytes);
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
