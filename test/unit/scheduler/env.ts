import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { createI18n, makeTranslator, type AppContext } from '../../../src/kernel/context.js';
import { createEffectDispatcher } from '../../../src/kernel/effects.js';
import { syncOrganization } from '../../../src/db/repositories/org-sync.js';
import { organizationSchema } from '../../../src/config/organization.js';
import { envSchema } from '../../../src/config/env.js';
import { openDatabase } from '../../../src/db/connection.js';
import { executeCommand, ingestMessage, loadCase, type EffectsHook } from '../../../src/db/repositories/index.js';
import type { Db } from '../../../src/db/connection.js';
import { staff } from '../../../src/db/schema/org.js';
import { outbox as outboxTable } from '../../../src/db/schema/outbox.js';
import { manualClock } from '../../../src/domain/clock.js';
import { getPreset } from '../../../src/domain/regulation/load.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';
import type { Actor, CaseState, Command, WorkflowContext } from '../../../src/domain/workflow/index.js';
import { enqueue } from '../../../src/outbox/queue.js';
import { schedulerEffectHandlers } from '../../../src/scheduler/index.js';

/**
 * A scheduler test world: a real temp SQLite file with the migrations, the organization imported, a
 * manual clock, and cases stored by the workflow's OWN storage — `ingestMessage` registers a message
 * as a case, `executeCommand` runs every later command (one transaction, audit rows, deadlines,
 * effects through the dispatcher: `pushUrgentToHead` is the scheduler's real handler). So every
 * deadline, publication and audit event the watch and the reports read was written by the workflow.
 */
export const ZONE = 'Europe/Moscow';
export const msk = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

export type PresetId = 'kanash-2020' | 'akhty-2021';

export function makeWorld(regulationId: PresetId, start: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'otklik-sched-'));
  const org = organizationSchema.parse({
    organization: { name: 'Администрация', timezone: ZONE, locale: 'ru' },
    regulation: regulationId,
    calendar: { region: regulationId === 'kanash-2020' ? 'RU-CU' : 'RU-DA' },
    departments: [
      { id: 'roads', name: 'Дорожное хозяйство', topics: ['Дороги'] },
      { id: 'culture', name: 'Отдел культуры', topics: [] },
      { id: 'zhkh', name: 'Отдел ЖКХ', topics: [] },
    ],
    staff: [
      { telegramId: 101, name: 'Админ А.', roles: ['administrator'] },
      { telegramId: 102, name: 'Управделами К.', roles: ['coordinator'] },
      { telegramId: 103, name: 'Глава Г.', roles: ['head'] },
      { telegramId: 104, name: 'Начальник Н.', roles: ['department_head'], department: 'roads' },
      { telegramId: 105, name: 'Исполнитель И.', roles: ['executor'], department: 'roads' },
      { telegramId: 106, name: 'Исполнитель Второй', roles: ['executor'], department: 'roads' },
      { telegramId: 107, name: 'Исполнитель ЖКХ', roles: ['executor'], department: 'zhkh' },
      { telegramId: 108, name: 'Начальник ЖКХ', roles: ['department_head'], department: 'zhkh' },
      { telegramId: 109, name: 'Заместитель по дорогам', roles: ['deputy'], supervises: ['roads'] },
      { telegramId: 110, name: 'Заместитель по ЖКХ', roles: ['deputy'], supervises: ['zhkh'] },
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
  // Only the scheduler's effect is delivered here; the bot's and the sources' effects are dropped.
  app.applyEffects = createEffectDispatcher(() => app, schedulerEffectHandlers(app));
  const ctx: WorkflowContext = { regulation, workingTime, clock };
  const onEffects: EffectsHook = (tx, effects) => app.applyEffects(tx as Db, effects);

  const staffRows = database.db.select().from(staff).all();
  const staffId = (tg: number) => staffRows.find((s) => s.telegramId === tg)!.id;
  const actor = (tg: number): Actor => {
    const s = staffRows.find((x) => x.telegramId === tg)!;
    return { staffId: s.id, name: s.name, roles: s.roles as Actor['roles'], departmentId: s.departmentId };
  };
  const load = (caseId: number): CaseState => loadCase(database.db, caseId)!;

  /** Runs one command through the command runner; throws on a refusal. */
  function run(caseId: number, command: Command): CaseState {
    const r = executeCommand(database.db, caseId, command, ctx, { onEffects });
    if (!r.ok) throw new Error(`${command.type} refused: ${JSON.stringify(r.refusal)}`);
    return r.state;
  }

  let seq = 0;
  /** A message ingested as a new case at the clock's now (then triaged when topic/location/importance are given). */
  function register(opts: { text?: string; importance?: string; topic?: string; location?: string; kind?: 'vk_comment' | 'vk_message' } = {}): number {
    seq += 1;
    const now = clock.now().toMillis();
    const r = ingestMessage(
      database.db,
      {
        sourceKey: `test:${seq}`,
        kind: opts.kind ?? 'vk_comment',
        network: 'vk',
        threadKey: `wall-1_${seq}`,
        author: { externalId: String(1000 + seq), name: 'Житель', profileUrl: null },
        text: opts.text ?? 'Яма на дороге',
        attachments: [],
        permalink: `https://vk.com/wall-1_1?reply=${seq}`,
        publishedAt: now,
        detectedAt: now,
        raw: null,
      },
      ctx,
      { findCaseForReply: () => null, onEffects },
    );
    if (r.duplicate || !r.result.ok) throw new Error('ingest failed');
    const id = r.caseId;
    if (opts.topic || opts.location || opts.importance) run(id, { type: 'triage', actor: actor(101), topic: opts.topic ?? null, location: opts.location ?? null, importance: opts.importance });
    return id;
  }

  /** Moves the manual clock to a local time `YYYY-MM-DDTHH:mm`. */
  const at = (iso: string) => clock.set(msk(iso));

  const outbox = () => database.db.select().from(outboxTable).all();
  const messagesTo = (tg: number) =>
    outbox()
      .filter((r) => r.action === 'sendMessage' && (r.payload as { chat_id: number }).chat_id === tg)
      .map((r) => (r.payload as { text: string }).text);
  return { app, clock, ctx, dir, database, run, register, load, at, actor, staffId, outbox, messagesTo };
}

export type World = ReturnType<typeof makeWorld>;
