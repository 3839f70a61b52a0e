import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { createI18n, makeTranslator, type AppContext } from '../../../src/app/context.js';
import { syncOrganization } from '../../../src/app/org-sync.js';
import { organizationSchema } from '../../../src/config/organization.js';
import { envSchema } from '../../../src/config/env.js';
import { openDatabase } from '../../../src/db/connection.js';
import * as base from '../../../src/db/schema/index.js';
import * as casesSchema from '../../../src/db/schema/cases.js';
const t = { ...base, ...casesSchema };
import { manualClock } from '../../../src/domain/clock.js';
import { getPreset } from '../../../src/domain/regulation/load.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';
import { decide, SYSTEM_ACTOR, type Actor, type CaseState, type Command } from '../../../src/domain/workflow/index.js';
import { enqueue } from '../../../src/outbox/queue.js';
import { pino } from 'pino';

/**
 * A scheduler test world: a real temp SQLite file, the organization imported, a manual clock, and
 * cases driven through the workflow's `decide()`. Until src/db/repositories lands, `run()` writes the
 * decided state with a small projection of the same tables (cases, deadlines, assignments, messages,
 * publications, audit events) — the numbers come from the workflow, not from hand-made rows.
 */
export const ZONE = 'Europe/Moscow';
export const msk = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

export function makeWorld(regulationId: 'kanash-2020' | 'akhty-2021', start: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'otklik-sched-'));
  const org = organizationSchema.parse({
    organization: { name: 'Администрация', timezone: ZONE, locale: 'ru' },
    regulation: regulationId,
    calendar: { region: regulationId === 'kanash-2020' ? 'RU-CU' : 'RU-DA' },
    departments: [
      { id: 'roads', name: 'Дорожное хозяйство', topics: ['Дороги'] },
      { id: 'culture', name: 'Отдел культуры', topics: [] },
    ],
    staff: [
      { telegramId: 101, name: 'Админ А.', roles: ['administrator'] },
      { telegramId: 102, name: 'Управделами К.', roles: ['coordinator'] },
      { telegramId: 103, name: 'Глава Г.', roles: ['head'] },
      { telegramId: 104, name: 'Начальник Н.', roles: ['department_head'], department: 'roads' },
      { telegramId: 105, name: 'Исполнитель И.', roles: ['executor'], department: 'roads' },
    ],
    topics: ['Дороги', 'Свет'],
    locations: ['Центр'],
  });
  const env = envSchema.parse({ BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', DATABASE_PATH: path.join(dir, 'otklik.db'), CONFIG_PATH: path.join(dir, 'otklik.yaml') });
  const database = openDatabase(env.DATABASE_PATH);
  syncOrganization(database.db, org, 0);
  const clock = manualClock(msk(start));
  const i18n = createI18n();
  const regulation = getPreset(regulationId)!;
  const workingTime = createWorkingTime({ zone: ZONE, calendar: { region: org.calendar.region }, schedule: org.schedule });
  const app: AppContext = {
    env,
    org,
    orgDir: dir,
    regulation,
    workingTime,
    clock,
    database,
    db: database.db,
    logger: pino({ level: 'silent' }),
    i18n,
    t: makeTranslator(i18n, 'ru'),
    enqueue: (action, tx) => enqueue(tx ?? database.db, action, clock.now().toMillis()),
    applyEffects: () => undefined,
    onSent: new Map(),
  } as AppContext;
  const staffRows = database.db.select().from(t.staff).all();
  const staffId = (tg: number) => staffRows.find((s) => s.telegramId === tg)!.id;
  const actor = (tg: number): Actor => {
    const s = staffRows.find((x) => x.telegramId === tg)!;
    return { staffId: s.id, name: s.name, roles: s.roles as Actor['roles'], departmentId: s.departmentId };
  };
  const states = new Map<number, CaseState>();
  let nextCase = 1;

  function persist(s: CaseState, events: { type: string; at: number; actor: { staffId: number | null; name: string }; from: string | null; to: string; clause: string | null; comment: string | null; data: unknown }[]) {
    const db = database.db;
    db.transaction((tx) => {
      const row = {
        id: s.id, number: s.number, regulationId: s.regulationId, status: s.status, author: s.author, sourceKind: s.sourceKind, network: s.network,
        detectedAt: s.detectedAt, createdAt: s.createdAt, topic: s.topic, location: s.location, importance: s.importance, triaged: s.triaged,
        urgent: s.urgent, repeatOf: s.repeatOf, outsideBodyId: s.outsideBodyId, rejectionReasonId: s.rejectionReasonId,
        resolutionComment: s.resolutionComment, extension: s.extension, reworkFrom: s.reworkFrom, closedAt: s.closedAt, version: s.version, updatedAt: s.updatedAt,
      };
      tx.insert(t.cases).values(row).onConflictDoUpdate({ target: t.cases.id, set: row }).run();
      tx.delete(t.deadlines).where(eqCase(t.deadlines.caseId, s.id)).run();
      for (const d of s.deadlines) tx.insert(t.deadlines).values({ caseId: s.id, ...d }).run();
      tx.delete(t.assignments).where(eqCase(t.assignments.caseId, s.id)).run();
      for (const a of s.assignments) tx.insert(t.assignments).values({ caseId: s.id, ...a }).run();
      tx.delete(t.publications).where(eqCase(t.publications.caseId, s.id)).run();
      for (const p of s.publications) tx.insert(t.publications).values({ caseId: s.id, ...p }).run();
      let v = s.version - events.length;
      for (const e of events) {
        v += 1;
        tx.insert(t.auditEvents).values({ caseId: s.id, version: v, type: e.type, at: e.at, actorId: e.actor.staffId, actorName: e.actor.name, fromStatus: e.from, toStatus: e.to, clause: e.clause, comment: e.comment, payload: e.data as Record<string, unknown> }).run();
      }
    });
  }

  function run(caseId: number, command: Command): CaseState {
    const d = decide(states.get(caseId) ?? null, command, { regulation, workingTime, clock });
    if (!d.ok) throw new Error(`${command.type} refused: ${JSON.stringify(d.refusal)}`);
    states.set(caseId, d.state);
    persist(d.state, d.events);
    return d.state;
  }

  /** Registers a message as a new case at the clock's now. */
  function register(opts: { text?: string; importance?: string; topic?: string; location?: string } = {}): number {
    const id = nextCase++;
    const now = clock.now().toMillis();
    const msg = database.db
      .insert(t.messages)
      .values({ sourceKey: `manual:${id}`, kind: 'vk_comment', network: 'vk', authorName: 'Житель', text: opts.text ?? 'Яма на дороге', attachments: [], permalink: `https://vk.com/wall-1_1?reply=${id}`, detectedAt: now, createdAt: now })
      .returning({ id: t.messages.id })
      .get();
    run(id, { type: 'register', actor: SYSTEM_ACTOR, caseId: id, number: id, message: { id: msg.id, author: null, kind: 'vk_comment', network: 'vk', detectedAt: now }, importance: opts.importance });
    database.db.insert(t.caseMessages).values({ caseId: id, messageId: msg.id, position: 0 }).run();
    if (opts.topic || opts.location || opts.importance) run(id, { type: 'triage', actor: actor(101), topic: opts.topic ?? null, location: opts.location ?? null, importance: opts.importance });
    return id;
  }

  const outbox = () => database.db.select().from(t.outbox).all();
  const messagesTo = (tg: number) => outbox().filter((r) => r.action === 'sendMessage' && (r.payload as { chat_id: number }).chat_id === tg).map((r) => (r.payload as { text: string }).text);
  return { app, clock, dir, database, run, register, actor, staffId, states, outbox, messagesTo };
}

import { eq } from 'drizzle-orm';
const eqCase = (col: Parameters<typeof eq>[0], id: number) => eq(col, id);
