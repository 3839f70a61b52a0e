import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import type { FakeVk } from '../../src/sandbox/emulators/vk.js';
import type { MaxPerson } from '../../src/sandbox/emulators/max.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Staff of the default test organization (Канаш preset). Telegram ids double as user ids in the fake. */
export const people = {
  admin: { id: 100001, first_name: 'Анна', username: 'ivanova' },
  executor: { id: 100002, first_name: 'Пётр' },
  deptHead: { id: 100003, first_name: 'Сергей' },
  head: { id: 100004, first_name: 'Виктор' },
  coordinator: { id: 100005, first_name: 'Светлана' },
  roadsExecutor: { id: 100006, first_name: 'Дмитрий' },
  roadsHead: { id: 100007, first_name: 'Елена' },
  stranger: { id: 555000, first_name: 'Незнакомец' },
} as const;

/** The outbox spacing of two sends to one Telegram chat in tests whose fake Telegram does not enforce rate limits. */
export const TEST_CHAT_SPACING_MS = 20;

export function organizationYaml(opts: { regulation?: string; extra?: string } = {}): string {
  return `organization: { name: Администрация города Канаш, timezone: Europe/Moscow }
regulation: ${opts.regulation ?? 'kanash-2020'}
calendar: { region: RU-CU }
departments:
  - { id: zhkh, name: Отдел ЖКХ, topics: [ЖКХ, Благоустройство] }
  - { id: roads, name: Отдел дорожного хозяйства, topics: [Дороги, Транспорт] }
staff:
  - { telegramId: 100001, name: Иванова А.П., roles: [administrator] }
  - { telegramId: 100002, name: Петров П.П., roles: [executor], department: zhkh }
  - { telegramId: 100003, name: Сидоров С.С., roles: [department_head], department: zhkh }
  - { telegramId: 100004, name: Михайлов В.Н., roles: [head] }
  - { telegramId: 100005, name: Кисина С.О., roles: [coordinator] }
  - { telegramId: 100006, name: Васильев Д.А., roles: [executor], department: roads }
  - { telegramId: 100007, name: Николаева Е.В., roles: [department_head], department: roads }
outsideBodies:
  - { id: gji, name: Государственная жилищная инспекция, contacts: "тел. 00-00-00" }
topics: [ЖКХ, Благоустройство, Дороги, Транспорт, Другое]
locations: [ул. Ленина, мкр. Восточный]
${opts.extra ?? ''}`;
}

/** Staff of an Ахты administration that works in MAX only (no Telegram ids): maxOrganizationYaml(). */
export const maxPeople: { admin: MaxPerson; executor: MaxPerson; deptHead: MaxPerson } = {
  admin: { user_id: 310001, name: 'Анна Иванова' },
  executor: { user_id: 310002, name: 'Пётр Петров' },
  deptHead: { user_id: 310003, name: 'Сергей Сидоров' },
};

export function maxOrganizationYaml(): string {
  return `organization: { name: Администрация Ахтынского района, timezone: Europe/Moscow }
regulation: akhty-2021
calendar: { region: RU-DA }
departments:
  - { id: zhkh, name: Отдел ЖКХ, topics: [ЖКХ, Благоустройство] }
staff:
  - { maxUserId: ${maxPeople.admin.user_id}, name: Иванова А.П., roles: [administrator] }
  - { maxUserId: ${maxPeople.executor.user_id}, name: Петров П.П., roles: [executor], department: zhkh }
  - { maxUserId: ${maxPeople.deptHead.user_id}, name: Сидоров С.С., roles: [department_head], department: zhkh }
topics: [ЖКХ, Благоустройство, Другое]
`;
}

export interface ServiceOptions {
  telegram: FakeTelegram;
  vk?: FakeVk;
  /** Organization file text; default: organizationYaml(). */
  orgYaml?: string;
  /** Extra environment (e.g. OTKLIK_FAKE_NOW, VK_USER_TOKEN, LOG_LEVEL). */
  env?: Record<string, string>;
  /** Reuse a working directory (and so the database) of an earlier run. */
  dir?: string;
}

/**
 * The real service as its own process (`node bin/otklik.js serve`), pointed at the fake Telegram and
 * VK servers, with its own temporary SQLite file and organization file. Logs are collected so tests
 * can wait for a line and check that no token leaked.
 */
export class ServiceProcess {
  /** Services alive now: a failed test prints their warnings and errors (test/support/failure-report.ts). */
  static readonly live = new Set<ServiceProcess>();
  readonly dir: string;
  readonly dbPath: string;
  readonly configPath: string;
  readonly botToken: string;
  private child: ChildProcess | null = null;
  private output = '';
  private exitCode: number | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly opts: ServiceOptions) {
    this.dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'otklik-test-'));
    this.dbPath = path.join(this.dir, 'otklik.db');
    this.configPath = path.join(this.dir, 'otklik.yaml');
    // A token shaped like BotFather's, so the service's validation is exercised for real.
    this.botToken = opts.telegram.token;
    writeFileSync(this.configPath, opts.orgYaml ?? organizationYaml());
  }

  get env(): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? this.dir,
      BOT_TOKEN: this.opts.telegram.token,
      TELEGRAM_API_ROOT: this.opts.telegram.url,
      DATABASE_PATH: this.dbPath,
      CONFIG_PATH: this.configPath,
      LOG_LEVEL: 'debug',
      PORT: '0',
    };
    // Telegram's own spacing (1 s per private chat) only where the fake enforces Telegram's limits: the
    // tests of the spacing itself (throttle-burst, storm-summary); elsewhere it is waiting that tests nothing.
    if (!this.opts.telegram.rateLimited) env.OTKLIK_TEST_CHAT_SPACING_MS = String(TEST_CHAT_SPACING_MS);
    if (this.opts.vk) {
      env.VK_GROUP_ID = String(this.opts.vk.groupId);
      env.VK_GROUP_TOKEN = this.opts.vk.groupToken;
      env.VK_API_BASE_URL = this.opts.vk.apiBaseUrl;
    }
    return { ...env, ...this.opts.env };
  }

  /** Starts the process and waits for its "ready" log line. */
  async start(timeoutMs = 20_000): Promise<this> {
    this.exitCode = null;
    const child = spawn(process.execPath, [...serviceNodeFlags(), path.join(root, 'bin/otklik.js'), 'serve'], {
      cwd: this.dir,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    ServiceProcess.live.add(this);
    child.stdout!.on('data', (b: Buffer) => (this.output += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (this.output += b.toString()));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        resolve(this.exitCode);
      }),
    );
    const from = this.output.length;
    await this.waitForLog('otklik: ready', timeoutMs, from);
    return this;
  }

  /** Graceful stop (SIGTERM); resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (!this.child || this.exitCode !== null) return this.exitCode;
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Crash (SIGKILL): nothing is flushed, nothing is closed. */
  async kill(): Promise<void> {
    if (!this.child || this.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<this> {
    await this.stop();
    return this.start();
  }

  get logs(): string {
    return this.output;
  }

  /** Waits until a log line contains `text` (searching output produced after `from`). */
  async waitForLog(text: string | RegExp, timeoutMs = 10_000, from = 0): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const tail = this.output.slice(from);
      const line = tail.split('\n').find((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));
      if (line) return line;
      if (this.exitCode !== null) throw new Error(`service exited with ${this.exitCode} before logging ${String(text)}:\n${this.output.slice(-4000)}`);
      if (Date.now() > until) throw new Error(`timed out waiting for log ${String(text)}:\n${this.output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Stops the process and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    ServiceProcess.live.delete(this);
    if (!this.opts.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The Node flags `npm start` gives the service (package.json `scripts.start`, also the Dockerfile's CMD):
 * tests and benchmarks start it the same way.
 */
export function serviceNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /^node ((?:--\S+ )*)bin\/otklik\.js serve$/.exec(start);
  if (!m) throw new Error(`package.json scripts.start is not "node [flags] bin/otklik.js serve": ${start}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
}

/** Runs the CLI once and returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = root): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/otklik.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
