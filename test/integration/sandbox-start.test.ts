import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { organizationYaml, runCli } from '../support/service.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';

/**
 * `npm start` (otklik serve) with no BOT_TOKEN opens the sandbox — the real service on the built-in
 * emulators — except in production or with OTKLIK_SANDBOX=0, where the clear error stays. The service
 * clock moves only in sandbox mode: OTKLIK_SANDBOX_CLOCK=ipc, a fake clock and the parent's IPC channel.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'otklik-sandbox-start-'));
  dirs.push(d);
  return d;
};

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await gone;
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string>, ipc = false) {
  const child = spawn(process.execPath, [path.join(root, 'bin/otklik.js'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out = { text: '' };
  child.stdout!.on('data', (b: Buffer) => (out.text += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out.text += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited };
}

describe('npm start without a token', () => {
  it('opens the sandbox: one line with the address, the page and the real service behind it; SIGTERM stops both', async () => {
    const { child, out, exited } = start(['serve'], { BOT_TOKEN: '', SANDBOX_PORT: '0', SANDBOX_DATA_DIR: tmp() });
    const line = await waitFor(() => /^Песочница: (http:\/\/127\.0\.0\.1:\d+) — без токенов, на встроенных эмуляторах Telegram и ВКонтакте$/m.exec(out.text), {
      timeoutMs: 40_000,
      message: () => out.text,
    });
    const url = line[1]!;
    const page = await (await fetch(url)).text();
    expect(page).toContain('<script type="module" src="/app.js">');
    type State = { preset: string; chats: Array<{ id: number; commands: unknown[] }> };
    const state = async () => (await (await fetch(`${url}/api/state`)).json()) as State;
    expect((await state()).preset).toBe('kanash');
    // A person's command menu is set once they write to the bot (Telegram refuses it before): the
    // administrator types /start in the page and gets the per-role menu from the emulated Bot API.
    const send = await fetch(`${url}/api/tg/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat: 100001, text: '/start' }) });
    expect(send.status).toBe(200);
    await waitFor(async () => ((await state()).chats.find((c) => c.id === 100001)?.commands.length ?? 0) > 3, { timeoutMs: 20_000, message: "the administrator's command menu" });
    // Bad input changes nothing: an unknown clock step is refused.
    const bad = await fetch(`${url}/api/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ step: 'back-in-time' }) });
    expect(bad.status).toBe(400);
    // Only the page acts: a form-like POST from another site, or a foreign Host (DNS rebinding), is refused.
    const plain = await fetch(`${url}/api/preset`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ id: 'kanash', reset: true }) });
    expect(plain.status).toBe(415);
    const foreign = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${url}/api/preset`, { method: 'POST', headers: { host: 'evil.example:80', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ id: 'kanash', reset: true }));
    });
    expect(foreign).toBe(403);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out.text).toContain('Песочница остановлена.');
    expect(out.text).not.toMatch(/BOT_TOKEN is required/);
  }, 60_000);

  it('a killed launcher takes its service with it', async () => {
    const dir = tmp();
    const { child, out } = start(['sandbox', '--port', '0'], { SANDBOX_DATA_DIR: dir });
    await waitFor(() => out.text.includes('Песочница:'), { timeoutMs: 40_000, message: () => out.text });
    const servicePid = Number(/"pid":(\d+)/.exec(readFileSync(path.join(dir, 'kanash.log'), 'utf8'))![1]);
    const alive = () => {
      try {
        process.kill(servicePid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    child.kill('SIGKILL');
    try {
      await waitFor(() => !alive(), { timeoutMs: 15_000, message: `the sandbox service ${servicePid} still runs after its launcher was killed` });
    } finally {
      if (alive()) process.kill(servicePid, 'SIGKILL');
    }
  }, 60_000);

  for (const env of [{ NODE_ENV: 'production' }, { OTKLIK_SANDBOX: '0' }] as Record<string, string>[]) {
    it(`stops with the clear error when ${Object.entries(env)[0]!.join('=')}`, async () => {
      const r = await runCli(['serve'], { BOT_TOKEN: '', CONFIG_PATH: path.join(root, 'otklik.example.yaml'), DATABASE_PATH: path.join(tmp(), 'x.db'), ...env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('BOT_TOKEN is required');
      expect(r.stdout).not.toContain('Песочница');
    }, 30_000);
  }
});

describe('the service clock moves only in sandbox mode', () => {
  async function service(env: Record<string, string>) {
    const tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
    const dir = tmp();
    writeFileSync(path.join(dir, 'otklik.yaml'), organizationYaml());
    const s = start(['serve'], { BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, DATABASE_PATH: path.join(dir, 'o.db'), CONFIG_PATH: path.join(dir, 'otklik.yaml'), PORT: '0', ...env }, true);
    const messages: Array<Record<string, unknown>> = [];
    s.child.on('message', (m: Record<string, unknown>) => messages.push(m));
    await waitFor(() => s.out.text.includes('otklik: ready'), { timeoutMs: 30_000, message: () => s.out.text });
    return { ...s, tg, messages };
  }

  it('OTKLIK_SANDBOX_CLOCK=ipc with a fake clock: a step moves it and the scheduler ticks; a bad step changes nothing', async () => {
    const s = await service({ OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', OTKLIK_SANDBOX_CLOCK: 'ipc' });
    try {
      await waitFor(() => s.messages.find((m) => m.type === 'clock:now'), { timeoutMs: 10_000 });
      s.child.send({ type: 'clock', id: 1, step: 'sideways' });
      const err = await waitFor(() => s.messages.find((m) => m.id === 1), { timeoutMs: 10_000 });
      expect(err).toMatchObject({ type: 'clock:error' });
      s.child.send({ type: 'clock', id: 2, step: 'next-month' });
      const done = await waitFor(() => s.messages.find((m) => m.id === 2), { timeoutMs: 30_000 });
      expect(done.type).toBe('clock:done');
      expect(String(done.now)).toMatch(/^2025-04-01T09:00:\d\d/);
      // The tick after the move ran the monthly summary for March.
      expect((done.result as { jobs: Record<string, string> }).jobs['monthly-summary']).toBe('done');
    } finally {
      await s.tg.stop();
    }
  }, 60_000);

  for (const env of [
    { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00' },
    { OTKLIK_SANDBOX_CLOCK: 'ipc' },
    { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', OTKLIK_SANDBOX_CLOCK: 'ipc', NODE_ENV: 'production' },
  ] as Record<string, string>[]) {
    it(`ignores clock requests without sandbox mode (${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')})`, async () => {
      const s = await service(env);
      try {
        s.child.send({ type: 'clock', id: 1, step: 'next-month' });
        await expectNothingFor(() => (s.messages.length > 0 || s.out.text.includes('sandbox: clock moved') ? true : undefined), 1_500);
      } finally {
        await s.tg.stop();
      }
    }, 40_000);
  }
});
