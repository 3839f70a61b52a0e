import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { eq, sql } from 'drizzle-orm';
import { regulation, workingTime } from '../../support/workflow-fixtures.js';
import { loadEnv } from '../../../src/config/env.js';
import { parseOrganization } from '../../../src/config/organization.js';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { cases, publications } from '../../../src/db/schema/cases.js';
import { createLogger } from '../../../src/infra/logger.js';
import { createI18n, makeTranslator, type AppContext } from '../../../src/kernel/context.js';
import { createEffectDispatcher } from '../../../src/kernel/effects.js';
import { syncOrganization } from '../../../src/db/repositories/org-sync.js';
import { manualClock } from '../../../src/domain/clock.js';
import { enqueue } from '../../../src/outbox/queue.js';
import { sourceEffectHandlers } from '../../../src/sources/effects.js';
import { caseOfMessage, messageBySourceKey } from '../../../src/sources/cases.js';
import { DIALOGUE_FOLLOW_UP_MS, REPEAT_WINDOW_MS, ingestThreaded, type ThreadHints } from '../../../src/sources/threads.js';
import { storeEvent } from '../../../src/db/repositories/sources.js';
import { joinCases } from '../../../src/db/repositories/join.js';
import { workflowContext } from '../../../src/kernel/workflow-context.js';
import { VkProcessor } from '../../../src/sources/vk/processor.js';
import type { API } from 'vk-io';
import type { IncomingMessage } from '../../../src/domain/workflow/index.js';

/**
 * Thread rules (docs/vk.md «Threads») on a real SQLite file with the real case storage:
 * when a new message joins an open case, and when a new case is offered as a repeat.
 */
const HOUR = 3600_000;
const DAY = 24 * HOUR;
let dir: string;
let handle: DatabaseHandle;
let app: AppContext;
let clock: ReturnType<typeof manualClock>;
let seq = 0;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'otklik-threads-'));
  const env = loadEnv({ BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123', DATABASE_PATH: path.join(dir, 'otklik.db'), LOG_LEVEL: 'silent' });
  const org = parseOrganization(readFileSync('otklik.example.yaml', 'utf8'), 'otklik.example.yaml');
  handle = openDatabase(env.DATABASE_PATH);
  syncOrganization(handle.db, org, Date.now());
  clock = manualClock(DateTime.fromISO('2025-03-03T10:00:00', { zone: 'Europe/Moscow' }));
  const i18n = createI18n();
  const a: AppContext = {
    env,
    org,
    orgDir: process.cwd(),
    regulation: regulation('akhty-2021'),
    workingTime: workingTime(),
    clock,
    database: handle,
    db: handle.db,
    logger: createLogger('silent'),
    i18n,
    t: makeTranslator(i18n, 'ru'),
    enqueue: (action, tx) => enqueue(tx ?? handle.db, action, Date.now()),
    applyEffects: () => undefined,
    onSent: new Map(),
  };
  a.applyEffects = createEffectDispatcher(() => a, sourceEffectHandlers(a) as never);
  app = a;
});
afterEach(() => {
  handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = () => clock.now().toMillis();

function comment(author: string, post: number, text: string): { msg: IncomingMessage; hints: ThreadHints } {
  const id = ++seq;
  return {
    msg: {
      sourceKey: `vk:wall:-1_${post}_${id}`,
      kind: 'vk_comment',
      network: 'vk',
      threadKey: `vk:wall:-1_${post}`,
      author: { externalId: author, name: `Автор ${author}`, profileUrl: null },
      text,
      attachments: [],
      permalink: `https://vk.com/wall-1_${post}?reply=${id}`,
      publishedAt: now(),
      detectedAt: now(),
      raw: null,
    },
    hints: { replyToSourceKeys: [], replyToItemIds: [], dialogue: false },
  };
}

function dm(author: string, text: string): { msg: IncomingMessage; hints: ThreadHints } {
  const id = ++seq;
  return {
    msg: {
      sourceKey: `vk:msg:${author}_${id}`,
      kind: 'vk_message',
      network: 'vk',
      threadKey: `vk:dm:${author}`,
      author: { externalId: author, name: `Автор ${author}`, profileUrl: null },
      text,
      attachments: [],
      permalink: null,
      publishedAt: now(),
      detectedAt: now(),
      raw: null,
    },
    hints: { replyToSourceKeys: [], replyToItemIds: [], dialogue: true },
  };
}

/** Ingests and returns the case the message ended up in. */
function receive(m: { msg: IncomingMessage; hints: ThreadHints }): number {
  handle.db.transaction((tx) => void ingestThreaded(tx, app, m.msg, m.hints));
  return caseOfMessage(handle.db, messageBySourceKey(handle.db, m.msg.sourceKey)!.id)!;
}

/** Shapes a case for a rule (the tables are the case's state): published at `at`, or closed at `at`. */
function publishedAt(caseId: number, at: number): void {
  handle.db.update(cases).set({ status: 'published' }).where(eq(cases.id, caseId)).run();
  handle.db.insert(publications).values({ caseId, seq: 1, draftSeq: 1, kind: 'final', at, by: null, externalId: '900', permalink: null }).run();
}
function closedAt(caseId: number, at: number): void {
  handle.db.update(cases).set({ status: 'closed', closedAt: at }).where(eq(cases.id, caseId)).run();
}

const repeatOffers = () => (handle.db.all(sql.raw(`select idempotency_key as k from outbox where idempotency_key like 'repeat-offer:%'`)) as { k: string }[]).map((r) => Number(r.k.split(':')[1]));

describe('thread rules (docs/vk.md «Threads»)', () => {
  it('a private message joins the open case within 24 h after our last answer; later, or before any answer, it is a new case', () => {
    const a = receive(dm('501', 'Нет воды в доме 5'));
    // Not answered yet: a new message is a new case (another question, not a reply to us).
    const b = receive(dm('501', 'И ещё: не горит фонарь'));
    expect(b).not.toBe(a);
    publishedAt(a, now() - 2 * HOUR);
    expect(receive(dm('501', 'Спасибо, а когда именно?'))).toBe(a);
    clock.advance(DIALOGUE_FOLLOW_UP_MS);
    const late = receive(dm('501', 'Через неделю: опять нет воды'));
    expect([a, b]).not.toContain(late);
  });

  it('a private message joins a case awaiting the author whenever it comes', () => {
    const a = receive(dm('502', 'Когда отремонтируют дорогу?'));
    handle.db.update(cases).set({ status: 'awaiting_author' }).where(eq(cases.id, a)).run();
    clock.advance(10 * DAY);
    expect(receive(dm('502', 'Улица Гагарина'))).toBe(a);
    expect(handle.db.select().from(cases).all()).toHaveLength(1);
    expect(handle.db.select().from(cases).where(eq(cases.id, a)).get()!.status).toBe('drafting');
  });

  it('a repeat is offered for a case closed within 30 days in the same thread, or for a private message — not for another post, not after 30 days', () => {
    const a = receive(comment('503', 25, 'Яма у дома 7'));
    closedAt(a, now() - 5 * DAY);
    const samePost = receive(comment('503', 25, 'Яма снова появилась'));
    expect(samePost).not.toBe(a);
    expect(repeatOffers()).toEqual([samePost]);

    const otherPost = receive(comment('503', 26, 'Спасибо за новость'));
    expect(repeatOffers()).not.toContain(otherPost);

    const private1 = receive(dm('503', 'Личное: яма у дома 7 снова'));
    expect(repeatOffers()).toContain(private1);

    clock.advance(REPEAT_WINDOW_MS);
    const old = receive(comment('503', 25, 'Через месяц: опять яма'));
    expect(repeatOffers()).not.toContain(old);
    const oldDm = receive(dm('503', 'Через месяц: личное'));
    expect(repeatOffers()).not.toContain(oldDm);
  });

  it('a repeat is offered with the case another was joined into, not the joined one (К17 · А7.11)', () => {
    const a = receive(comment('504', 28, 'Яма у дома 9'));
    const b = receive(comment('505', 28, 'У дома 9 яма, колесо пробил'));
    const admin = handle.sqlite.prepare("SELECT id, name FROM staff WHERE roles LIKE '%administrator%' LIMIT 1").get() as { id: number; name: string };
    const actor = { staffId: admin.id, name: admin.name, roles: ['administrator' as const], departmentId: null };
    expect(joinCases(handle.db, b, a, actor, workflowContext(app)).ok).toBe(true);
    closedAt(a, now() - DAY);
    // The author of the joined case writes again under the post: his earlier case lives on as case `a`.
    const later = receive(comment('505', 28, 'Опять яма у дома 9'));
    const offer = (handle.sqlite.prepare('SELECT payload FROM outbox WHERE idempotency_key LIKE ? LIMIT 1').get(`repeat-offer:${later}%`) as { payload: string } | undefined)?.payload ?? '';
    expect(offer).toContain(`№ ${a}`);
    expect(offer).not.toContain(`№ ${b}`);
    // In a private dialogue the same (the other look-up).
    const first = receive(dm('506', 'Нет воды'));
    const second = receive(dm('507', 'Нет воды в доме 3'));
    expect(joinCases(handle.db, second, first, actor, workflowContext(app)).ok).toBe(true);
    closedAt(first, now() - DAY);
    const again = receive(dm('507', 'Снова нет воды'));
    const dmOffer = (handle.sqlite.prepare('SELECT payload FROM outbox WHERE idempotency_key LIKE ? LIMIT 1').get(`repeat-offer:${again}%`) as { payload: string } | undefined)?.payload ?? '';
    expect(dmOffer).toContain(`№ ${first}`);
    expect(dmOffer).not.toContain(`№ ${second}`);
  });

  it('a redelivered message is a duplicate told by its source key; a registration that fails leaves nothing of the event, in its own transaction', () => {
    const first = comment('701', 25, 'Яма у остановки');
    const note = (m: { msg: IncomingMessage; hints: ThreadHints }) => handle.db.transaction((tx) => ingestThreaded(tx, app, m.msg, m.hints));
    expect(note(first)).toMatch(/^message (\d+), case 1$/);
    const id = messageBySourceKey(handle.db, first.msg.sourceKey)!.id;
    expect(note(first)).toBe(`duplicate of message ${id}`);
    // The effects of the second registration fail: the event's transaction takes the message back too
    // (the registration has no savepoint of its own to stop at).
    const second = comment('702', 25, 'Не горит фонарь');
    const effects = app.applyEffects;
    app.applyEffects = () => {
      throw new Error('the outbox is failing');
    };
    expect(() => note(second)).toThrow('the outbox is failing');
    app.applyEffects = effects;
    expect(messageBySourceKey(handle.db, second.msg.sourceKey)).toBeNull();
    expect((handle.sqlite.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(1);
    // Delivered again, it is new (not a duplicate of a message rolled back).
    expect(note(second)).toMatch(/^message \d+, case 2$/);
  });
});

describe('a VK batch with an event that fails', () => {
  it('runs again with each event alone: the failing one is kept as failed, the others become cases once', async () => {
    const api = { call: async () => [] } as unknown as API;
    const texts = ['Яма у школы', 'ОШИБКА при регистрации', 'Не вывозят мусор'];
    texts.forEach((text, i) =>
      storeEvent(
        handle.db,
        {
          source: 'vk',
          eventKey: `e${i}`,
          type: 'wall_reply_new',
          via: 'longpoll',
          payload: {
            type: 'wall_reply_new',
            group_id: 1,
            event_id: `e${i}`,
            object: { id: 100 + i, from_id: 700 + i, date: 1_740_000_000, text, post_id: 25, owner_id: -1, post_owner_id: -1, parents_stack: [] },
          },
        },
        now(),
      ),
    );
    // Registering the second comment fails (its effects cannot be queued).
    const effects = app.applyEffects;
    const textOf = (caseId: number) =>
      (handle.sqlite.prepare('SELECT m.text FROM case_messages cm JOIN messages m ON m.id = cm.message_id WHERE cm.case_id = ?').get(caseId) as { text: string } | undefined)?.text ?? '';
    app.applyEffects = (tx, list) => {
      if (list.some((e) => 'caseId' in e && textOf(e.caseId).startsWith('ОШИБКА'))) throw new Error('the outbox is failing');
      effects(tx, list);
    };
    await new VkProcessor(app, api, 1).processPending();
    const events = handle.sqlite.prepare('SELECT event_key AS k, status, note FROM source_events ORDER BY id').all() as { k: string; status: string; note: string }[];
    expect(events.map((e) => [e.k, e.status])).toEqual([
      ['e0', 'done'],
      ['e1', 'failed'],
      ['e2', 'done'],
    ]);
    expect(events[1]!.note).toBe('the outbox is failing');
    const rows = handle.sqlite.prepare('SELECT m.text, cm.case_id AS caseId FROM messages m LEFT JOIN case_messages cm ON cm.message_id = m.id ORDER BY m.id').all();
    expect(rows).toEqual([
      { text: 'Яма у школы', caseId: 1 },
      { text: 'Не вывозят мусор', caseId: 2 },
    ]);
  });
});
