import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import Database from 'better-sqlite3';
import { FakeTelegram, type ChatMessage } from '../../src/sandbox/emulators/telegram.js';
import { FakeMax, type MaxPerson } from '../../src/sandbox/emulators/max.js';
import { LocalServer, readBody } from '../../src/sandbox/emulators/http.js';
import { ServiceProcess, organizationYaml, people } from '../support/service.js';
import { expectNothingFor, waitFor } from '../../src/sandbox/emulators/wait.js';
import { press as pressLabel } from './bot-admin-helpers.js';

/**
 * The MAX citizens' bot as a source, through the REAL service process against FakeMax (MAX Bot API) and the
 * Telegram fake (staff): a citizen's message in his dialog with the bot becomes a case with source «MAX»; the
 * staff route, draft and approve in Telegram; the answer arrives in his MAX dialog as a reply, once. Between
 * the service and FakeMax sits a small HTTP relay (`MaxRelay`), so the test can deliver one update twice, slip
 * a malformed update into a batch and hold the response of a send while the service is killed.
 */

/** Relays the service's MAX calls to FakeMax; can rewrite a GET /updates answer or swallow a send's response. */
class MaxRelay {
  private readonly server = new LocalServer((req, res) => this.handle(req, res));
  /** Rewrites the next non-empty batch of updates (then cleared). */
  rewriteBatch: ((updates: unknown[]) => unknown[]) | null = null;
  /** A POST /messages with a body matching this reaches MAX, but its response never comes back (then cleared). */
  swallowSend: ((body: Record<string, unknown>) => boolean) | null = null;
  swallowed: Promise<void>;
  private markSwallowed!: () => void;

  constructor(private readonly upstream: () => string) {
    this.swallowed = new Promise((r) => (this.markSwallowed = r));
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  get url(): string {
    return this.server.origin;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    let upstream: Response;
    try {
      upstream = await fetch(`${this.upstream()}${req.url}`, {
        method: req.method,
        headers: { ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(body.length ? { 'content-type': 'application/json' } : {}) },
        ...(body.length ? { body } : {}),
      });
    } catch {
      req.socket.destroy(); // MAX unreachable: so is the relay
      return;
    }
    let text = await upstream.text();
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/messages' && this.swallowSend && upstream.status === 200 && this.swallowSend(JSON.parse(body.toString('utf8')) as Record<string, unknown>)) {
      this.swallowSend = null;
      this.markSwallowed();
      return; // sent in MAX; the service never hears so
    }
    if (req.method === 'GET' && path === '/updates' && this.rewriteBatch && upstream.status === 200) {
      const r = JSON.parse(text) as { updates: unknown[]; marker: number };
      if (r.updates.length) {
        r.updates = this.rewriteBatch(r.updates);
        this.rewriteBatch = null;
        text = JSON.stringify(r);
      }
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
  }
}

const nina: MaxPerson = { user_id: 70_001, name: 'Нина Орлова' };
const oleg: MaxPerson = { user_id: 70_002, name: 'Олег Смирнов' };
const vera: MaxPerson = { user_id: 70_003, name: 'Вера Ким' };
const ivan: MaxPerson = { user_id: 70_004, name: 'Иван Белов' };
const lena: MaxPerson = { user_id: 70_005, name: 'Елена Новикова' };
const pavel: MaxPerson = { user_id: 70_006, name: 'Павел Зуев' };

interface Harness {
  tg: FakeTelegram;
  max: FakeMax;
  relay: MaxRelay;
  service: ServiceProcess;
}

async function startHarness(regulation: string): Promise<Harness> {
  const tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
  const max = await new FakeMax({ token: `max-token-${randomBytes(8).toString('hex')}` }).start();
  const relay = await new MaxRelay(() => max.url).start();
  const service = await new ServiceProcess({
    telegram: tg,
    orgYaml: organizationYaml({ regulation }),
    env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', MAX_SOURCE_TOKEN: max.token, MAX_API_ROOT: relay.url },
  }).start();
  await tg.waitForCall('getUpdates');
  await waitFor(() => max.calls('GET /updates').length > 0, { timeoutMs: 10_000, message: 'the service polls MAX' });
  return { tg, max, relay, service };
}

async function stopHarness(h: Harness | undefined): Promise<void> {
  await h?.service.dispose();
  await h?.relay.stop();
  await h?.max.stop();
  await h?.tg.stop();
}

function q<T>(service: ServiceProcess, sql: string, ...args: unknown[]): T {
  const d = new Database(service.dbPath, { readonly: true, fileMustExist: true });
  try {
    return d.prepare(sql).all(...args) as T;
  } finally {
    d.close();
  }
}

const count = (service: ServiceProcess, sql: string, ...args: unknown[]) => q<Array<{ n: number }>>(service, sql, ...args)[0]!.n;
const status = (service: ServiceProcess, id: number) => q<Array<{ status: string }>>(service, 'SELECT status FROM cases WHERE id = ?', id)[0]!.status;

/** The admin's card of the case the text made; its case id from the triage buttons. */
async function caseFor(h: Harness, text: string): Promise<{ id: number; card: ChatMessage }> {
  const card = await h.tg.waitForMessage(people.admin.id, (x) => (x.text ?? '').includes(text), 15_000);
  const data = h.tg.buttonsOf(card).find((b) => b.callback_data?.startsWith('adm.'))!.callback_data!;
  return { id: Number(data.split(':')[1]), card };
}

async function press(h: Harness, user: { id: number; first_name: string }, data: RegExp): Promise<void> {
  let found: { message: ChatMessage; data: string } | null = null;
  await waitFor(
    () => {
      for (const m of [...h.tg.messagesTo(user.id)].reverse()) {
        const b = h.tg.buttonsOf(m).find((x) => x.callback_data && data.test(x.callback_data));
        if (b) return (found = { message: m, data: b.callback_data! });
      }
      return false;
    },
    { timeoutMs: 10_000, message: `a button ${data} for ${user.first_name}` },
  );
  h.tg.userPressesButton(user, found!.message, found!.data);
}

async function assign(h: Harness, c: { id: number; card: ChatMessage }): Promise<void> {
  h.tg.userSendsCallback(people.admin, `adm.assign:${c.id}:0-0`, c.card.message_id, people.admin.id);
  await waitFor(() => status(h.service, c.id) === 'assigned', { timeoutMs: 10_000, message: 'the case assigned' });
}

/** Ахты: the department head designates, the executor drafts and sends, the administrator approves and publishes. */
async function answerInTelegram(h: Harness, id: number, answer: string, photo?: Buffer): Promise<void> {
  const { admin, deptHead, executor } = people;
  await press(h, deptHead, new RegExp(`^dh\\.des:${id}:`));
  await press(h, executor, new RegExp(`^ex\\.acc:${id}(?::|$)`));
  await waitFor(() => status(h.service, id) === 'in_work', { timeoutMs: 10_000 });
  await press(h, executor, new RegExp(`^ex\\.draft:${id}(?::|$)`));
  await h.tg.waitForMessage(executor.id, /Проект ответа/, 10_000);
  const added = () => h.tg.messagesTo(executor.id).filter((x) => /Добавлено в/.test(x.text ?? '')).length;
  if (photo) {
    const p = added();
    h.tg.userSendsPhoto(executor, { bytes: photo });
    await waitFor(() => added() > p, { timeoutMs: 10_000, message: 'the photo taken' });
  }
  const n = added();
  h.tg.userSendsText(executor, answer);
  await waitFor(() => added() > n, { timeoutMs: 10_000 });
  await press(h, executor, new RegExp(`^ex\\.send:${id}(?::|$)`));
  await waitFor(() => status(h.service, id) === 'on_approval', { timeoutMs: 10_000 });
  await press(h, admin, new RegExp(`^ap\\.ok:${id}(?::|$)`));
  await waitFor(() => status(h.service, id) === 'approved', { timeoutMs: 10_000 });
  await press(h, admin, new RegExp(`^ap\\.pub:${id}(?::|$)`));
}

/** The administrator marks the case not competent (the state inspection) and confirms the text the author gets (А7.12). */
async function notCompetent(tg: FakeTelegram, card: ChatMessage): Promise<void> {
  await pressLabel(tg, people.admin, card, 'Не наша компетенция');
  await pressLabel(tg, people.admin, card, 'Государственная жилищная инспекция');
  const confirm = await tg.waitForMessage(people.admin.id, (m) => /Автор получит такой ответ/.test(m.text ?? '') && tg.buttonsOf(m).length > 0, 10_000);
  await pressLabel(tg, people.admin, confirm, 'Подтвердить');
}

const botSends = (h: Harness, text: string) => h.max.calls('POST /messages').filter((c) => (c.body as { text?: string }).text === text);

describe("the MAX citizens' bot through the service (Ахты: acknowledgement А7.1)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('akhty-2021');
  }, 40_000);
  afterAll(() => stopHarness(h));

  let first: { id: number; card: ChatMessage };
  let firstMid: string;

  it("a citizen's message becomes a case with source MAX and his name; the same update delivered twice is one case; a malformed update is stored as rejected and changes nothing", async () => {
    h.relay.rewriteBatch = (updates) => [null, ...updates, { update_type: 'message_created', timestamp: Date.now(), message: { body: {} } }, ...updates];
    firstMid = h.max.userSendsText(nina, 'Во дворе дома 5 на ул. Ленина не горят фонари').mid;
    first = await caseFor(h, 'не горят фонари');
    expect(first.card.text).toContain('Нина Орлова');
    expect(first.card.text).toContain('MAX');

    const chatId = h.max.dialogList().find((d) => d.user.user_id === nina.user_id)!.chatId;
    await waitFor(() => count(h.service, "SELECT count(*) AS n FROM source_events WHERE source = 'max' AND status = 'pending'") === 0, { timeoutMs: 10_000 });
    const rows = q<Array<{ source_key: string; kind: string; network: string; source_kind: string; author_name: string; author_external_id: string }>>(
      h.service,
      'SELECT m.source_key, m.kind, m.network, c.source_kind, m.author_name, m.author_external_id FROM messages m JOIN case_messages cm ON cm.message_id = m.id JOIN cases c ON c.id = cm.case_id',
    );
    expect(rows).toEqual([{ source_key: `max:${chatId}:${firstMid}`, kind: 'max', network: 'max', source_kind: 'max', author_name: 'Нина Орлова', author_external_id: String(nina.user_id) }]);
    const events = q<Array<{ status: string; note: string }>>(h.service, "SELECT status, note FROM source_events WHERE source = 'max' ORDER BY id");
    expect(events.filter((e) => e.status === 'done')).toHaveLength(1);
    expect(events.filter((e) => e.status === 'failed').map((e) => e.note)).toEqual(['rejected: not an update object (null)', 'rejected: message_created without message.body.mid']);
    await expectNothingFor(() => h.tg.messagesTo(people.admin.id).filter((m) => (m.text ?? '').includes('не горят фонари')).length > 1, 1_000, 'one card');
  }, 40_000);

  it('the acknowledgement (А7.1) reaches the citizen in his MAX dialog, once, as a reply to his message', async () => {
    await assign(h, first);
    const ack = await h.max.waitForMessage(nina.user_id, /принято к рассмотрению/, 10_000);
    expect(ack.replyTo).toBe(firstMid);
    expect(ack.text).toMatch(/^Здравствуйте, Нина!/);
    await expectNothingFor(() => h.max.messagesTo(nina.user_id).length > 1, 1_000, 'one acknowledgement');
  }, 30_000);

  it('the approved answer arrives in the dialog once, as a reply, and the case records it; his next message joins the case', async () => {
    const answer = 'Фонари во дворе дома 5 починят до пятницы.';
    await answerInTelegram(h, first.id, answer);
    await waitFor(() => status(h.service, first.id) === 'published', { timeoutMs: 20_000, message: 'the case published' });
    const sent = h.max.messagesTo(nina.user_id).filter((m) => m.text === answer);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.replyTo).toBe(firstMid);
    expect(q(h.service, 'SELECT external_id FROM publications WHERE case_id = ?', first.id)).toEqual([{ external_id: sent[0]!.mid }]);
    await expectNothingFor(() => botSends(h, answer).length > 1, 1_000, 'one send');

    // The author answers us in the dialog: a follow-up of his case (the dialogue rule, as in VK), no new case.
    const cases = count(h.service, 'SELECT count(*) AS n FROM cases');
    h.max.userSendsText(nina, 'Спасибо! А во втором подъезде тоже темно');
    await waitFor(() => count(h.service, "SELECT count(*) AS n FROM source_events WHERE source = 'max' AND note LIKE ?", `%follow-up on case ${first.id}`) === 1, {
      timeoutMs: 10_000,
      message: 'the follow-up joined the case',
    });
    expect(count(h.service, 'SELECT count(*) AS n FROM cases')).toBe(cases);
    expect(count(h.service, "SELECT count(*) AS n FROM case_messages cm JOIN messages m ON m.id = cm.message_id WHERE cm.case_id = ? AND m.network = 'max'", first.id)).toBe(2);
    await h.tg.waitForMessage(people.executor.id, (x) => /дополнил/.test(x.text ?? '') && (x.text ?? '').includes('во втором подъезде'), 10_000);
  }, 90_000);

  it("a photo the executor attached in Telegram goes with the answer into the citizen's MAX dialog: uploaded by the citizens' bot, once", async () => {
    const mid = h.max.userSendsText(pavel, 'Сломана горка на детской площадке у дома 4').mid;
    const c = await caseFor(h, 'Сломана горка');
    await assign(h, c);
    await h.max.waitForMessage(pavel.user_id, /принято к рассмотрению/, 10_000);
    const photo = Buffer.from(`photo of the new slide ${randomBytes(4).toString('hex')}`);
    const answer = 'Горку на площадке у дома 4 заменили.';
    await answerInTelegram(h, c.id, answer, photo);
    await waitFor(() => status(h.service, c.id) === 'published', { timeoutMs: 20_000, message: 'the case published' });
    const sent = h.max.messagesTo(pavel.user_id).filter((m) => m.text === answer);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.replyTo).toBe(mid);
    const images = sent[0]!.attachments.filter((a) => a.type === 'image');
    expect(images).toHaveLength(1);
    // Downloaded from Telegram by its file id and uploaded to MAX: the same bytes.
    expect(h.max.fileByToken((images[0]!.payload as { token: string }).token)?.bytes.equals(photo)).toBe(true);
    await expectNothingFor(() => botSends(h, answer).length > 1, 1_000, 'one send');
  }, 90_000);

  it('a kill between the send and its record: after the restart the answer is not sent again', async () => {
    const mid = h.max.userSendsText(oleg, 'Когда отремонтируют крышу дома 12?').mid;
    const c = await caseFor(h, 'отремонтируют крышу');
    await assign(h, c);
    await h.max.waitForMessage(oleg.user_id, /принято к рассмотрению/, 10_000);
    const answer = 'Крышу дома 12 отремонтируют в мае.';
    h.relay.swallowSend = (body) => body.text === answer;
    // With a photo: the send key covers the message with its attachment, so neither goes twice.
    await answerInTelegram(h, c.id, answer, Buffer.from('photo of the roof'));
    await h.relay.swallowed;
    expect(h.max.messagesTo(oleg.user_id).filter((m) => m.text === answer)).toHaveLength(1);
    await h.service.kill();
    expect(status(h.service, c.id)).toBe('approved'); // sent in MAX, not recorded

    await h.service.start();
    await waitFor(() => status(h.service, c.id) === 'published', { timeoutMs: 20_000, message: 'the publication recorded after the restart' });
    expect(botSends(h, answer)).toHaveLength(1);
    const sent = h.max.messagesTo(oleg.user_id).filter((m) => m.text === answer);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.replyTo).toBe(mid);
    expect(sent[0]!.attachments.filter((a) => a.type === 'image')).toHaveLength(1);
    expect(h.max.messagesTo(oleg.user_id).filter((m) => m.attachments.length > 0)).toHaveLength(1);
    expect(q(h.service, 'SELECT external_id FROM publications WHERE case_id = ?', c.id)).toEqual([{ external_id: sent[0]!.mid }]);
    // The restarted service looked in the dialog before deciding.
    expect(h.max.calls('GET /messages').some((x) => x.query.chat_id === String(sent[0]!.chatId))).toBe(true);
    await expectNothingFor(() => botSends(h, answer).length > 1, 1_500, 'no second send');
  }, 120_000);

  it('not competent (А7.12): the citizen is told the responsible body in his MAX dialog, once', async () => {
    const mid = h.max.userSendsText(ivan, 'Управляющая компания не чинит протекающую крышу');
    const c = await caseFor(h, 'протекающую крышу');
    await notCompetent(h.tg, c.card);
    const told = await h.max.waitForMessage(ivan.user_id, /не относится к компетенции/, 10_000);
    expect(told.text).toContain('Государственная жилищная инспекция');
    expect(told.text).toContain('тел. 00-00-00');
    expect(told.replyTo).toBe(mid.mid);
    expect(status(h.service, c.id)).toBe('not_competent');
    await expectNothingFor(() => h.max.messagesTo(ivan.user_id).length > 1, 1_000, 'one notice');
  }, 40_000);

  it('an extension (А7.9): the citizen is told the new term in his MAX dialog, once', async () => {
    h.max.userSendsText(lena, 'Прошу заменить аварийное дерево у дома 8');
    const c = await caseFor(h, 'аварийное дерево');
    await assign(h, c);
    await h.max.waitForMessage(lena.user_id, /принято к рассмотрению/, 10_000);
    await press(h, people.deptHead, new RegExp(`^dh\\.des:${c.id}:`));
    await press(h, people.executor, new RegExp(`^ex\\.acc:${c.id}(?::|$)`));
    await waitFor(() => status(h.service, c.id) === 'in_work', { timeoutMs: 10_000 });
    await press(h, people.executor, new RegExp(`^ext\\.req:${c.id}$`));
    await h.tg.waitForMessage(people.executor.id, /почему нужно продлить срок/, 10_000);
    h.tg.userSendsText(people.executor, 'Нужно заключение дендролога');
    await press(h, people.admin, new RegExp(`^ext\\.ok:${c.id}:7$`));
    const told = await h.max.waitForMessage(lena.user_id, /продлён до/, 10_000);
    expect(told.text).toMatch(/^Здравствуйте, Елена!/);
    await expectNothingFor(() => h.max.messagesTo(lena.user_id).filter((m) => /продлён/.test(m.text)).length > 1, 1_000, 'one notice');
  }, 60_000);

  it('a MAX outage: the answer is retried until MAX is back, and Telegram goes on meanwhile', async () => {
    h.max.userSendsText(vera, 'Нет горячей воды в доме 3');
    const c = await caseFor(h, 'Нет горячей воды');
    await assign(h, c);
    await h.max.waitForMessage(vera.user_id, /принято к рассмотрению/, 10_000);
    const answer = 'Горячую воду в доме 3 дадут сегодня к 18:00.';
    h.max.setDown(true, 503);
    try {
      await answerInTelegram(h, c.id, answer);
      // The first attempt is refused; each retry first looks in the dialog (GET /messages), refused too.
      const attempts = () =>
        q<Array<{ attempts: number }>>(h.service, "SELECT attempts FROM outbox WHERE channel = 'max' AND case_id = ? AND json_extract(payload, '$.purpose') = 'answer'", c.id)[0]?.attempts ?? 0;
      await waitFor(() => attempts() >= 2, { timeoutMs: 15_000, message: 'the send retried while MAX is down' });
      expect(botSends(h, answer).map((x) => x.status)).toEqual([503]);
      // The Telegram lane is not held: a staff notice goes out while the MAX lane waits.
      const before = h.tg.messagesTo(people.admin.id).length;
      h.tg.userSendsText(people.admin, '/help');
      await waitFor(() => h.tg.messagesTo(people.admin.id).length > before, { timeoutMs: 10_000, message: 'the bot answers in Telegram during the MAX outage' });
      expect(status(h.service, c.id)).toBe('approved');
      expect(h.max.messagesTo(vera.user_id).filter((m) => m.text === answer)).toHaveLength(0);
    } finally {
      h.max.setDown(false);
    }
    await waitFor(() => status(h.service, c.id) === 'published', { timeoutMs: 30_000, message: 'published when MAX is back' });
    expect(h.max.messagesTo(vera.user_id).filter((m) => m.text === answer)).toHaveLength(1);
    expect(botSends(h, answer).filter((x) => x.status === 200)).toHaveLength(1);
  }, 120_000);
});

describe("comments on the administration's MAX channel posts (Ахты)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('akhty-2021');
  }, 40_000);
  afterAll(() => stopHarness(h));

  it("a comment under a channel post becomes a case; the acknowledgement and the answer are comments replying to it, each once; the draft's photo cannot go in a comment and the administrators are told so", async () => {
    const post = h.max.channelPost('График вывоза мусора на март');
    const { commentId } = h.max.userComments(nina, post.mid, 'На ул. Ленина мусор не вывозили с понедельника');
    const c = await caseFor(h, 'мусор не вывозили');
    expect(c.card.text).toContain('Нина Орлова');
    expect(q(h.service, 'SELECT m.source_key, m.kind, m.network FROM messages m')).toEqual([{ source_key: `max:c:${post.mid}:${commentId}`, kind: 'max_comment', network: 'max' }]);
    // The channel post itself (the bot's own message) is not a case.
    expect(count(h.service, 'SELECT count(*) AS n FROM cases')).toBe(1);

    await assign(h, c);
    await waitFor(() => h.max.commentsOn(post.mid).some((x) => x.sender === 'bot' && /принято к рассмотрению/.test(x.text)), { timeoutMs: 10_000, message: 'the acknowledgement comment' });
    const answer = 'Мусор на ул. Ленина вывезут сегодня до 20:00.';
    // With a photo: a MAX comment takes text only, so the administrators are told the photo did not go.
    await answerInTelegram(h, c.id, answer, Buffer.from('photo of the cleared yard'));
    await waitFor(() => status(h.service, c.id) === 'published', { timeoutMs: 20_000, message: 'the case published' });
    const ours = h.max.commentsOn(post.mid).filter((x) => x.sender === 'bot');
    expect(ours.map((x) => [x.replyTo, /принято к рассмотрению/.test(x.text) ? 'ack' : x.text])).toEqual([
      [commentId, 'ack'],
      [commentId, answer],
    ]);
    expect(q(h.service, 'SELECT external_id FROM publications WHERE case_id = ?', c.id)).toEqual([{ external_id: ours[1]!.commentId }]);
    expect(h.max.messagesTo(nina.user_id)).toHaveLength(0);
    expect(h.max.calls('POST /uploads')).toHaveLength(0);
    const told = await h.tg.waitForMessage(people.admin.id, /комментарием в канале MAX без фотографий \(1\)/, 10_000);
    expect(told.text).toContain(`№ ${c.id}`);
    await expectNothingFor(() => h.tg.messagesTo(people.admin.id).filter((m) => /без фотографий/.test(m.text ?? '')).length > 1, 1_000, 'told once');
  }, 90_000);
});

describe("both MAX bots on: the staff workspace bot and the citizens' bot share the outbox channel max", () => {
  let tg: FakeTelegram;
  let staffBot: FakeMax;
  let citizensBot: FakeMax;
  let service: ServiceProcess;
  beforeAll(async () => {
    tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
    staffBot = await new FakeMax({ token: `max-staff-${randomBytes(8).toString('hex')}` }).start();
    citizensBot = new FakeMax({ token: `max-citizens-${randomBytes(8).toString('hex')}`, botUserId: 9_000_002, sharedWith: staffBot });
    service = await new ServiceProcess({
      telegram: tg,
      orgYaml: organizationYaml({ regulation: 'akhty-2021' }),
      env: { OTKLIK_FAKE_NOW: '2025-03-03T10:00:00', MAX_BOT_TOKEN: staffBot.token, MAX_SOURCE_TOKEN: citizensBot.token, MAX_API_ROOT: staffBot.url },
    }).start();
    await tg.waitForCall('getUpdates');
  }, 40_000);
  afterAll(async () => {
    await service?.dispose();
    await staffBot?.stop();
    await tg?.stop();
  });

  it("the citizen's notice goes out through the citizens' bot, not the staff bot", async () => {
    const mid = citizensBot.userSendsText(ivan, 'Управляющая компания не убирает подъезд');
    const card = await tg.waitForMessage(people.admin.id, (x) => (x.text ?? '').includes('не убирает подъезд'), 15_000);
    await notCompetent(tg, card);
    const told = await citizensBot.waitForMessage(ivan.user_id, /не относится к компетенции/, 10_000);
    expect(told.replyTo).toBe(mid.mid);
    expect(staffBot.calls('POST /messages')).toHaveLength(0);
  }, 40_000);
});

describe("the MAX citizens' bot through the service (Канаш: no acknowledgement)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('kanash-2020');
  }, 40_000);
  afterAll(() => stopHarness(h));

  it('a case from MAX is routed without a message to the citizen: Канаш provides no acknowledgement', async () => {
    h.max.userSendsText(nina, 'Яма на дороге у школы № 2');
    const c = await caseFor(h, 'Яма на дороге');
    await assign(h, c);
    await expectNothingFor(() => h.max.messagesTo(nina.user_id).length > 0, 1_500, 'no acknowledgement in Канаш');
    expect(count(h.service, "SELECT count(*) AS n FROM outbox WHERE channel = 'max'")).toBe(0);
  }, 40_000);
});

describe('a refused MAX_SOURCE_TOKEN', () => {
  it('is one clear log line; the service runs and Telegram answers', async () => {
    const tg = await new FakeTelegram({ token: `123456:${randomBytes(18).toString('hex')}` }).start();
    const max = await new FakeMax({ token: `max-token-${randomBytes(8).toString('hex')}` }).start();
    const service = new ServiceProcess({ telegram: tg, env: { MAX_SOURCE_TOKEN: 'max-token-not-this-one', MAX_API_ROOT: max.url } });
    try {
      await service.start();
      await service.waitForLog("MAX_SOURCE_TOKEN is refused (401): copy the citizens' bot token", 10_000);
      tg.userSendsText(people.admin, '/help');
      await tg.waitForMessage(people.admin.id, () => true, 10_000);
      expect(service.logs).not.toContain('max-token-not-this-one');
    } finally {
      await service.dispose();
      await max.stop();
      await tg.stop();
    }
  }, 40_000);
});
