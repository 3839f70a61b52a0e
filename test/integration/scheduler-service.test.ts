import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import { DateTime } from 'luxon';
import { FakeTelegram, type RecordedCall } from '../../src/sandbox/emulators/telegram.js';
import { ServiceProcess, people } from '../support/service.js';
import { openDatabase } from '../../src/db/connection.js';
import { executeCommand, ingestMessage } from '../../src/db/repositories/index.js';
import { staff } from '../../src/db/schema/org.js';
import { manualClock } from '../../src/domain/clock.js';
import { getPreset } from '../../src/domain/regulation/load.js';
import { createWorkingTime } from '../../src/domain/time/working-time.js';
import type { Actor, Command, WorkflowContext } from '../../src/domain/workflow/index.js';

/**
 * The scheduler through the REAL service process (node bin/otklik.js serve) and the fake Telegram:
 * 1. the service runs on Fri 30 Oct 2026 (OTKLIK_FAKE_NOW) and is stopped;
 * 2. while it is down a case is stored by the workflow's own repositories (assigned, accepted, then
 *    left unanswered: К11 due Fri 16:00, К10 due Mon 2 Nov 10:00);
 * 3. it starts again on Mon 2 Nov 12:00: the catch-up tick sends October's summary (late: it was due
 *    1 Nov 09:00) as a message, an XLSX and a PNG, records both breaches as violations and escalates
 *    them to the department head and the administrator;
 * 4. `/report 2026-10` by the coordinator and `/today` by the head answer through the bot;
 * 5. a third start sends nothing twice.
 */
const ZONE = 'Europe/Moscow';
const msk = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const token = () => `123456:${randomBytes(18).toString('hex')}`;

let tg: FakeTelegram;
const services: ServiceProcess[] = [];
let first: ServiceProcess;
let caseId: number;

function start(env: Record<string, string>): Promise<ServiceProcess> {
  const s = new ServiceProcess({ telegram: tg, dir: first?.dir, env: { LOG_LEVEL: 'info', ...env } });
  services.push(s);
  return s.start();
}

/** Stores a case in the stopped service's database through the workflow repositories. */
function storeCase(dbPath: string): number {
  const handle = openDatabase(dbPath);
  try {
    const db = handle.db;
    const clock = manualClock(msk('2026-10-30T10:00'));
    const ctx: WorkflowContext = {
      regulation: getPreset('kanash-2020')!,
      workingTime: createWorkingTime({ zone: ZONE, calendar: { region: 'RU-CU' } }),
      clock,
    };
    const rows = db.select().from(staff).all();
    const actor = (tg: number): Actor => {
      const s = rows.find((r) => r.telegramId === tg)!;
      return { staffId: s.id, name: s.name, roles: s.roles as Actor['roles'], departmentId: s.departmentId };
    };
    const now = clock.now().toMillis();
    const r = ingestMessage(
      db,
      {
        sourceKey: 'vk:wall-1_10:reply:77',
        kind: 'vk_comment',
        network: 'vk',
        threadKey: 'wall-1_10',
        author: { externalId: '777', name: 'Житель Иван', profileUrl: null },
        text: 'Во дворе не вывозят мусор',
        attachments: [],
        permalink: 'https://vk.com/wall-1_10?reply=77',
        publishedAt: now,
        detectedAt: now,
        raw: null,
      },
      ctx,
    );
    if (r.duplicate) throw new Error('duplicate');
    const run = (cmd: Command) => {
      clock.advance(5 * 60_000);
      const res = executeCommand(db, r.caseId, cmd, ctx);
      if (!res.ok) throw new Error(JSON.stringify(res.refusal));
    };
    run({ type: 'triage', actor: actor(people.admin.id), topic: 'ЖКХ', location: null });
    run({ type: 'assign', actor: actor(people.admin.id), assignments: [{ departmentId: 'zhkh', executorId: actor(people.executor.id).staffId }] });
    run({ type: 'accept', actor: actor(people.executor.id) });
    return r.caseId;
  } finally {
    handle.close();
  }
}

const docsTo = (chat: number) => tg.calls('sendDocument').filter((c) => c.params.chat_id === chat && c.outcome === 'ok');
const photosTo = (chat: number) => tg.calls('sendPhoto').filter((c) => c.params.chat_id === chat && c.outcome === 'ok');
const summaries = (chat: number) => tg.messagesTo(chat).filter((m) => (m.text ?? '').includes('Сводная информация'));
const breaches = (chat: number) => tg.messagesTo(chat).filter((m) => (m.text ?? '').includes('Нарушение срока'));

async function checkFiles(doc: RecordedCall, photo: RecordedCall): Promise<void> {
  expect(doc.files.map((f) => f.fileName)).toEqual(['otklik-report-2026-10.xlsx']);
  expect(photo.files.map((f) => f.fileName)).toEqual(['otklik-report-2026-10.png']);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(doc.files[0]!.bytes as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['Итоги', 'Подразделения', 'Динамика', 'Нарушения']);
  const depts = wb.getWorksheet('Подразделения')!;
  expect(depts.getRow(2).getCell(1).value).toBe('Отдел ЖКХ');
  expect(depts.getRow(2).getCell(2).value).toBe(1); // the case detected on 30 October
  expect(depts.getRow(3).getCell(1).value).toBe('Отдел дорожного хозяйства');
  expect(depts.getRow(3).getCell(2).value).toBe(0); // a department with nothing keeps its row
  const png = PNG.sync.read(photo.files[0]!.bytes);
  expect(png.width).toBe(1000);
  expect(png.height).toBeGreaterThan(100);
}

beforeAll(async () => {
  tg = await new FakeTelegram({ token: token() }).start();
  first = await start({ OTKLIK_FAKE_NOW: '2026-10-30T09:30' }); // the scheduler's first run: Friday 30 October
  await first.stop();
  caseId = storeCase(first.dbPath);
  await start({ OTKLIK_FAKE_NOW: '2026-11-02T12:00' }); // down over 1 November 09:00; back on Monday noon
}, 60_000);
afterAll(async () => {
  for (const s of services.reverse()) await s.dispose();
  await tg?.stop();
});

describe('the scheduler in the running service', () => {
  it('sends the monthly summary due while it was down, once, marked late: message, XLSX, PNG (К22)', async () => {
    const msg = await tg.waitForMessage(people.coordinator.id, 'Сводная информация', 15_000);
    expect(msg.text).toContain('октябрь 2026');
    expect(msg.text).toContain('Поступило: 1');
    expect(msg.text).toContain('с опозданием');
    await tg.waitForCall('sendPhoto', (c) => c.params.chat_id === people.coordinator.id && c.outcome === 'ok', 15_000);
    await checkFiles(docsTo(people.coordinator.id)[0]!, photosTo(people.coordinator.id)[0]!);
    // and the head
    await tg.waitForMessage(people.head.id, 'Сводная информация', 10_000);
    const db = new Database(services.at(-1)!.dbPath, { readonly: true });
    try {
      const run = db.prepare(`SELECT status, late FROM job_runs WHERE job = 'monthly-summary' AND period = '2026-10'`).get();
      expect(run).toEqual({ status: 'done', late: 1 });
    } finally {
      db.close();
    }
  });

  it('records the breaches as violations and escalates them to the department head and the administrator (К21)', async () => {
    await tg.waitForMessage(people.deptHead.id, (m) => (m.text ?? '').includes('Нарушение срока') && (m.text ?? '').includes('К10'), 15_000);
    await tg.waitForMessage(people.admin.id, (m) => (m.text ?? '').includes('Нарушение срока') && (m.text ?? '').includes('К10'), 15_000);
    await tg.waitForMessage(people.executor.id, 'срок истёк', 15_000);
    expect(
      breaches(people.deptHead.id)
        .map((m) => m.text)
        .join('\n'),
    ).toContain('Петров П.П.');
    expect(breaches(people.deptHead.id).every((m) => (m.text ?? '').includes('с опозданием'))).toBe(true);
    // Every notice about a case carries its /case_N link.
    expect(breaches(people.deptHead.id).every((m) => /\/case_\d+/.test(m.text ?? ''))).toBe(true);
    const db = new Database(services.at(-1)!.dbPath, { readonly: true });
    try {
      const rows = db
        .prepare('SELECT case_id AS caseId, kind, clause, due_at AS dueAt, breached_at AS breachedAt, overdue_minutes AS overdue, department_id AS dept FROM violations ORDER BY due_at')
        .all();
      // К11 due Fri 16:00 (3 working hours before К10: Fri 16–18, Mon 9–10); К10 due Mon 10:00 (Fri 10–13, 14–18, Mon 9–10).
      // Noticed at the start, Mon 12:00 (± the seconds the start took): К11 late Fri 16–18 (120) + Mon 9–12 (180) = 300; К10 late 120.
      // (the service clock runs on from 12:00, and every tick brings the minutes of open violations up to date)
      const overdue = rows.map((r) => (r as { overdue: number }).overdue);
      expect(overdue[0]! - 300).toBeGreaterThanOrEqual(0);
      expect(overdue[0]! - 300).toBeLessThan(3);
      expect(overdue[1]! - overdue[0]!).toBe(120 - 300);
      expect(rows).toEqual([
        { caseId, kind: 'draft_submission', clause: 'К11', dueAt: msk('2026-10-30T16:00').toMillis(), breachedAt: expect.any(Number), overdue: overdue[0], dept: 'zhkh' },
        { caseId, kind: 'answer', clause: 'К10', dueAt: msk('2026-11-02T10:00').toMillis(), breachedAt: expect.any(Number), overdue: overdue[1], dept: 'zhkh' },
      ]);
    } finally {
      db.close();
    }
  });

  it('/report 2026-10 by the coordinator: the message, the workbook and the chart', async () => {
    await tg.waitForCall('sendPhoto', (c) => c.params.chat_id === people.coordinator.id && c.outcome === 'ok', 15_000);
    const before = { docs: docsTo(people.coordinator.id).length, photos: photosTo(people.coordinator.id).length, msgs: summaries(people.coordinator.id).length };
    tg.userSendsText(people.coordinator, '/report 2026-10');
    await tg.waitForCall('sendPhoto', (c) => c.params.chat_id === people.coordinator.id && c.outcome === 'ok' && photosTo(people.coordinator.id).length > before.photos, 15_000);
    expect(summaries(people.coordinator.id)).toHaveLength(before.msgs + 1);
    expect(summaries(people.coordinator.id).at(-1)!.text).not.toContain('с опозданием');
    expect(docsTo(people.coordinator.id)).toHaveLength(before.docs + 1);
    await checkFiles(docsTo(people.coordinator.id).at(-1)!, photosTo(people.coordinator.id).at(-1)!);
  });

  it('/today for the head', async () => {
    tg.userSendsText(people.head, '/today');
    const m = await tg.waitForMessage(people.head.id, 'На 02.11.2026', 15_000);
    expect(m.text).toContain('В работе: 1, из них срочных: 0');
    expect(m.text).toContain('Сроки сегодня: 1, просрочено сейчас: 2'); // К10 due today 10:00; К10 and К11 overdue
    expect(m.text).toContain('новых нарушений: 2');
  });

  it('a third start sends nothing twice', async () => {
    const counts = () => [summaries(people.coordinator.id).length, docsTo(people.coordinator.id).length, breaches(people.deptHead.id).length, breaches(people.admin.id).length];
    const before = counts();
    await services.at(-1)!.stop();
    const third = await start({ OTKLIK_FAKE_NOW: '2026-11-02T12:30' });
    await third.waitForLog('scheduler: started');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(counts()).toEqual(before);
    expect(existsSync(path.join(third.dir, 'data', 'backups', 'otklik-2026-11-02.db'))).toBe(true); // the daily backup ran once too
  });
});
