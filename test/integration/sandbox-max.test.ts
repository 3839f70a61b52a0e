import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bot, Keyboard } from '@maxhub/max-bot-api';
import { Sandbox } from '../../src/sandbox/launcher.js';

/**
 * The sandbox with MAX on (SANDBOX_MAX=1): one FakeMax server carries the staff bot and the citizens' bot,
 * the service child gets MAX_API_ROOT / MAX_BOT_TOKEN / MAX_SOURCE_TOKEN, and the page lists both bots' dialogs.
 */
type MaxDialog = { userId: number; name: string; messages: Array<{ mid: string; from: string; html: string; buttons: Array<Array<{ text: string; payload: string | null }>> }> };
type State = { max: { staff: MaxDialog[]; citizens: MaxDialog[] } | null };

let dir: string;
let sandbox: Sandbox;
const post = (p: string, body: unknown) => fetch(`${sandbox.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const state = async () => (await (await fetch(`${sandbox.url}/api/state`)).json()) as State;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'otklik-sandbox-max-'));
  sandbox = await new Sandbox({ port: 0, dataDir: path.join(dir, 'data'), max: true }).start();
}, 90_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('sandbox with MAX', () => {
  it('passes the fake MAX platform to the service: one API root, the two bot tokens', () => {
    const environ = readFileSync(`/proc/${sandbox.servicePid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`MAX_API_ROOT=${sandbox.maxStaff!.url}`);
    expect(environ).toContain(`MAX_BOT_TOKEN=${sandbox.maxStaff!.token}`);
    expect(environ).toContain(`MAX_SOURCE_TOKEN=${sandbox.maxCitizens!.token}`);
    expect(sandbox.maxCitizens!.url).toBe(sandbox.maxStaff!.url);
  });

  it('a citizen writes to the administration’s MAX bot from the page; the dialog is listed', async () => {
    expect((await post('/api/max/send', { bot: 'citizens', name: 'Ольга Смирнова', text: 'Яма во дворе' })).status).toBe(200);
    const dialog = (await state()).max!.citizens.find((d) => d.name === 'Ольга Смирнова');
    expect(dialog?.messages.map((m) => [m.from, m.html])).toEqual([['user', 'Яма во дворе']]);
    // bad input changes nothing
    expect((await post('/api/max/send', { bot: 'nobody', text: 'x' })).status).toBe(400);
    expect((await post('/api/max/send', { bot: 'citizens', name: 'Ольга Смирнова', text: '  ' })).status).toBe(400);
    expect((await state()).max!.citizens.find((d) => d.name === 'Ольга Смирнова')?.messages).toHaveLength(1);
  });

  it('a staff member’s MAX dialog shows the bot’s html and buttons; the page presses only a real button', async () => {
    const staffMember = { user_id: 4_200_001, name: 'Иванова Мария' };
    sandbox.maxStaff!.addUser(staffMember);
    const api = new Bot(sandbox.maxStaff!.token, { clientOptions: { baseUrl: sandbox.maxStaff!.url } }).api;
    const sent = await api.sendMessageToUser(staffMember.user_id, '<b>Обращение №7</b>', { format: 'html', attachments: [Keyboard.inlineKeyboard([[Keyboard.button.callback('Взять', 'take:7')]])] });
    const dialog = (await state()).max!.staff.find((d) => d.userId === staffMember.user_id)!;
    expect(dialog.messages[0]).toMatchObject({ from: 'bot', html: '<b>Обращение №7</b>', buttons: [[{ text: 'Взять', payload: 'take:7' }]] });
    const press = await post('/api/max/press', { bot: 'staff', user: staffMember.user_id, mid: sent.body.mid, payload: 'take:7' });
    expect(press.status).toBe(200);
    expect(((await press.json()) as { callbackId: string }).callbackId).toMatch(/^cb\./);
    expect((await post('/api/max/press', { bot: 'staff', user: staffMember.user_id, mid: sent.body.mid, payload: 'forged' })).status).toBe(400);
    expect((await post('/api/max/send', { bot: 'staff', user: 1, text: 'кто я?' })).status).toBe(400);
  });
});
