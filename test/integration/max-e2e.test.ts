import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { FakeTelegram } from '../../src/sandbox/emulators/telegram.js';
import { FakeMax, type MaxPerson, type MaxSentMessage } from '../../src/sandbox/emulators/max.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';
import { ServiceProcess, maxOrganizationYaml, maxPeople } from '../support/service.js';

/**
 * MAX end to end, through the REAL service process: a citizen writes to the administration's public MAX bot,
 * and EVERY staff member works in the MAX staff bot — nobody in Telegram, and no BOT_TOKEN (the Telegram fake
 * only proves that nothing called it). Two bots on one FakeMax server (`sharedWith`), each called with its own
 * token. Ахты preset: the administrator assigns (the citizen is acknowledged, А7.1), the department head
 * designates, the executor accepts and sends a draft, the administrator approves and publishes; the answer
 * arrives in the citizen's MAX dialog once. A restart in the middle, and a MAX outage (both bots) while the
 * answer is being sent.
 */

const { admin, executor, deptHead } = maxPeople;
const citizen: MaxPerson = { user_id: 71_001, name: 'Нина Орлова' };

const orgYaml = maxOrganizationYaml();

let tg: FakeTelegram;
let staffBot: FakeMax;
let citizensBot: FakeMax;
let service: ServiceProcess;

function q<T>(sql: string, ...args: unknown[]): T {
  const d = new Database(service.dbPath, { readonly: true, fileMustExist: true });
  try {
    return d.prepare(sql).get(...args) as T;
  } finally {
    d.close();
  }
}
const status = (id: number) => q<{ status: string }>('SELECT status FROM cases WHERE id = ?', id).status;
const count = (sql: string, ...args: unknown[]) => q<{ n: number }>(sql, ...args).n;

function findButton(user: MaxPerson, data: RegExp): { message: MaxSentMessage; payload: string } | null {
  for (const m of [...staffBot.messagesTo(user.user_id)].reverse()) {
    const b = staffBot.buttonsOf(m).find((x) => x.type === 'callback' && x.payload && data.test(x.payload));
    if (b) return { message: m, payload: b.payload! };
  }
  return null;
}

async function press(user: MaxPerson, data: RegExp, timeoutMs = 10_000): Promise<void> {
  let found: { message: MaxSentMessage; payload: string } | null = null;
  await waitFor(() => (found = findButton(user, data)) !== null, { timeoutMs, message: `a MAX button ${data} for ${user.name}` });
  staffBot.userPresses(user, found!.payload, found!.message.mid);
}

const btn = (prefix: string, id: number) => new RegExp(`^${prefix.replace(/\./g, '\\.')}:${id}(?::|$)`);
const added = () => staffBot.messagesTo(executor.user_id).filter((m) => /Добавлено в/.test(m.text)).length;
/** The citizens' bot's sends of this text (every attempt, refused ones included). */
const answerSends = (text: string) => citizensBot.calls('POST /messages').filter((c) => (c.body as { text?: string } | undefined)?.text === text);

/** The service's HTTP port (PORT=0: the one it logged when last ready). */
function servicePort(): number {
  const lines = service.logs.split('\n').filter((l) => l.includes('otklik: ready'));
  return Number(/"port":(\d+)/.exec(lines[lines.length - 1]!)![1]);
}
const ready = async () => (await (await fetch(`http://127.0.0.1:${servicePort()}/ready`)).json()) as Record<string, { reachable?: boolean }> & { ready: boolean };

beforeAll(async () => {
  tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
  staffBot = await new FakeMax({ token: `max-staff-${randomBytes(8).toString('hex')}`, name: 'Отклик' }).start();
  citizensBot = new FakeMax({ token: `max-citizens-${randomBytes(8).toString('hex')}`, botUserId: 9_000_002, name: 'Администрация', sharedWith: staffBot });
  // Every staff member opened the staff bot (a bot writes only to people who started it).
  for (const p of [admin, executor, deptHead]) staffBot.userStartsBot(p);
  service = new ServiceProcess({
    telegram: tg,
    orgYaml,
    // No BOT_TOKEN: an administration whose staff all work in MAX needs no Telegram bot at all.
    env: { BOT_TOKEN: '', OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', LOG_LEVEL: 'info', MAX_BOT_TOKEN: staffBot.token, MAX_SOURCE_TOKEN: citizensBot.token, MAX_API_ROOT: staffBot.url },
  });
  await service.start();
}, 40_000);
afterAll(async () => {
  await service?.dispose();
  await staffBot?.stop();
  await tg?.stop();
});

describe('a citizen in MAX, every staff member in MAX', () => {
  it("the citizen's MAX message is routed, designated, drafted (with a photo sent in MAX), approved and answered with the photo in his MAX dialog once — across a restart and a MAX outage of both bots; nothing in Telegram", async () => {
    const question = 'Во дворе дома 7 на ул. Гагарина прорвало трубу';
    const asked = citizensBot.userSendsText(citizen, question);

    // Triage in MAX: the administrator's card comes from the staff bot.
    const card = await staffBot.waitForMessage(admin.user_id, (m) => m.text.includes('прорвало трубу') && staffBot.buttonsOf(m).some((b) => b.payload?.startsWith('adm.')), 15_000);
    expect(card.text).toContain('Нина Орлова');
    const id = Number(
      staffBot
        .buttonsOf(card)
        .find((b) => b.payload?.startsWith('adm.'))!
        .payload!.split(':')[1],
    );
    await press(admin, new RegExp(`^adm\\.assign:${id}:`));
    await waitFor(() => status(id) === 'assigned', { timeoutMs: 10_000, message: 'assigned' });
    // А7.1: the acknowledgement from the citizens' bot, as a reply to his message.
    const ack = await citizensBot.waitForMessage(citizen.user_id, /принято к рассмотрению/, 10_000);
    expect(ack.replyTo).toBe(asked.mid);

    // Restart in the middle: the department head designates while the service is down.
    await waitFor(() => findButton(deptHead, new RegExp(`^dh\\.des:${id}:`)) !== null, { timeoutMs: 10_000, message: 'the designation card' });
    await service.stop();
    await press(deptHead, new RegExp(`^dh\\.des:${id}:`));
    await service.start();
    await press(executor, btn('ex.acc', id), 15_000);
    await waitFor(() => status(id) === 'in_work', { timeoutMs: 10_000, message: 'in work' });

    // The draft, written in MAX.
    await press(executor, btn('ex.draft', id));
    await staffBot.waitForMessage(executor.user_id, /Проект ответа/, 10_000);
    // A photo for the answer, sent in MAX to the staff bot: it goes to the citizen with the answer.
    const photo = Buffer.from(`photo of the repaired pipe ${randomBytes(4).toString('hex')}`);
    const p = added();
    staffBot.userSendsPhoto(executor, photo);
    await waitFor(() => added() > p, { timeoutMs: 10_000, message: 'the photo taken' });
    const answer = 'Аварийная служба заменит участок трубы во дворе дома 7 до вечера.';
    const n = added();
    staffBot.userSendsText(executor, answer);
    await waitFor(() => added() > n, { timeoutMs: 10_000, message: 'the draft taken' });
    await press(executor, btn('ex.send', id));
    await waitFor(() => status(id) === 'on_approval', { timeoutMs: 10_000, message: 'on approval' });
    await press(admin, btn('ap.ok', id));
    await waitFor(() => status(id) === 'approved', { timeoutMs: 10_000, message: 'approved' });

    // MAX goes down (both bots) the moment the answer is sent: that send is refused.
    citizensBot.onCall = (c) => {
      if (c.method === 'POST' && c.route === '/messages' && (c.body as { text?: string } | undefined)?.text === answer) {
        citizensBot.onCall = null;
        staffBot.setDown(true);
        citizensBot.setDown(true);
      }
    };
    try {
      await press(admin, btn('ap.pub', id));
      await waitFor(() => answerSends(answer).length === 1, { timeoutMs: 15_000, message: 'the answer sent into the outage' });
      const attempts = () =>
        q<{ attempts: number } | undefined>("SELECT attempts FROM outbox WHERE channel = 'max' AND case_id = ? AND json_extract(payload, '$.purpose') = 'answer'", id)?.attempts ?? 0;
      await waitFor(() => attempts() >= 2, { timeoutMs: 20_000, message: 'the answer retried while MAX is down' });
      // While MAX is down the citizen writes about something else: a second case, its card waits for MAX.
      citizensBot.userSendsText(citizen, 'И ещё: у дома 9 третий день не горит фонарь');
      await expectNothingFor(() => status(id) !== 'approved', 1_000, 'not published during the outage');
      expect(citizensBot.messagesTo(citizen.user_id).filter((m) => m.text === answer)).toHaveLength(0);
      await waitFor(async () => (await ready()).max?.reachable === false && (await ready()).maxCitizens?.reachable === false, { timeoutMs: 20_000, message: '/ready: both MAX bots unreachable' });
    } finally {
      staffBot.setDown(false);
      citizensBot.setDown(false);
    }

    // After recovery: published, the answer in the dialog once, as a reply to his message.
    await waitFor(() => status(id) === 'published', { timeoutMs: 40_000, message: 'published after recovery' });
    const sent = citizensBot.messagesTo(citizen.user_id).filter((m) => m.text === answer);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.replyTo).toBe(asked.mid);
    expect(q<{ external_id: string }>('SELECT external_id FROM publications WHERE case_id = ?', id).external_id).toBe(sent[0]!.mid);
    // The photo is in that message: uploaded by the citizens' bot through POST /uploads, the same bytes.
    const images = sent[0]!.attachments.filter((a) => a.type === 'image');
    expect(images).toHaveLength(1);
    expect(citizensBot.fileByToken((images[0]!.payload as { token: string }).token)?.bytes.equals(photo)).toBe(true);
    expect(citizensBot.calls('POST /uploads').every((c) => c.query.type === 'image')).toBe(true);
    // Every attempt of the send carried the photo (the refused one too): the photo is not a send of its own.
    expect(answerSends(answer).every((c) => ((c.body as { attachments?: Array<{ type: string }> }).attachments ?? []).some((a) => a.type === 'image'))).toBe(true);
    // What was queued during the outage arrives: the second message is one case, its card reaches the administrator in MAX.
    await staffBot.waitForMessage(admin.user_id, (m) => m.text.includes('не горит фонарь') && staffBot.buttonsOf(m).some((b) => b.payload?.startsWith('adm.')), 30_000);
    expect(count('SELECT count(*) AS n FROM cases')).toBe(2);
    expect(count("SELECT count(*) AS n FROM source_events WHERE source = 'max'")).toBe(2);

    // Nothing twice: one answer, one acknowledgement, one card per staff member for the case; the staff bot sent nothing to the citizen.
    await expectNothingFor(
      () => answerSends(answer).filter((c) => c.status === 200).length > 1 || citizensBot.messagesTo(citizen.user_id).filter((m) => /принято к рассмотрению/.test(m.text)).length > 1,
      1_500,
      'no second answer or acknowledgement',
    );
    expect(staffBot.messagesTo(citizen.user_id)).toHaveLength(0);
    expect(staffBot.messagesTo(admin.user_id).filter((m) => m.text.includes('прорвало трубу') && /Обращение №/.test(m.text))).toHaveLength(1);
    expect(staffBot.messagesTo(admin.user_id).filter((m) => m.text.includes('не горит фонарь'))).toHaveLength(1);
    // Nobody works in Telegram and no BOT_TOKEN is set: Telegram was never called (not even getMe or getUpdates).
    expect(tg.calls()).toEqual([]);
    expect(service.logs).toMatch(/telegram: off \(no BOT_TOKEN\)/);
  }, 180_000);
});

describe("the citizens' bot in /ready and /metrics", () => {
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${servicePort()}${path}`);
    return { status: res.status, body: await res.text() };
  };
  const sample = (text: string, name: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(name.length + 1));
  };
  const reachable = async (api: string) => sample((await get('/metrics')).body, `otklik_api_reachable{api="${api}"}`);

  it("an outage of the citizens' bot alone: /ready is 503 naming it, the staff bot stays reachable, the metric is 0; after recovery both are 1 and /ready is 200", async () => {
    await waitFor(async () => (await get('/ready')).status === 200, { timeoutMs: 30_000, message: '/ready 200 before the outage' });
    expect(JSON.parse((await get('/ready')).body)).toMatchObject({ ready: true, max: { reachable: true }, maxCitizens: { reachable: true } });
    expect(await reachable('max_citizens')).toBe(1);
    expect(sample((await get('/metrics')).body, 'otklik_last_poll_timestamp_seconds{source="max_citizens"}')).toBeGreaterThan(0);

    citizensBot.setDown(true);
    try {
      // Its long poll is held by the fake: a message ends it, the next poll finds MAX down.
      citizensBot.userSendsText(citizen, 'Когда починят лифт в доме 7?');
      await waitFor(async () => (await get('/ready')).status === 503, { timeoutMs: 30_000, message: '/ready 503 during the outage' });
      const body = JSON.parse((await get('/ready')).body) as { ready: boolean; max: { reachable: boolean }; maxCitizens: { reachable: boolean; since: string | null } };
      expect(body).toMatchObject({ ready: false, max: { reachable: true }, maxCitizens: { reachable: false } });
      expect(body.maxCitizens.since).not.toBeNull();
      expect(await reachable('max_citizens')).toBe(0);
      expect(await reachable('max')).toBe(1);
    } finally {
      citizensBot.setDown(false);
    }
    await waitFor(async () => (await get('/ready')).status === 200, { timeoutMs: 40_000, message: '/ready 200 after recovery' });
    expect(await reachable('max_citizens')).toBe(1);
    // The message that ended the held poll is stored and processed once (it follows up his answered case).
    await waitFor(() => count("SELECT count(*) AS n FROM source_events WHERE source = 'max' AND status = 'done'") === 3, { timeoutMs: 20_000, message: 'the third MAX message processed' });
    expect(count('SELECT count(*) AS n FROM messages m WHERE m.text LIKE ?', '%починят лифт%')).toBe(1);
  }, 90_000);
});
