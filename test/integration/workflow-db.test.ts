import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import {
  commitDecision,
  dueDeadlines,
  executeCommand,
  ingestMessage,
  loadCase,
  loadEvents,
  offerReassignmentOnAbsenceFromDb,
  recomputeOpenDeadlines,
  type Conn,
} from '../../src/db/repositories/index.js';
import { createWorkingTime } from '../../src/domain/time/working-time.js';
import { decide, replay, type Effect, type IncomingMessage } from '../../src/domain/workflow/index.js';
import { MONDAY_10, ZONE, cast, makeCtx, promised } from '../support/workflow-fixtures.js';

let dir: string;
let h: DatabaseHandle;
let db: Conn;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'otklik-wf-'));
  h = openDatabase(path.join(dir, 'otklik.db'));
  db = h.db as unknown as Conn;
});
afterEach(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

function vkComment(n: number, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    sourceKey: `vk:wall:-1_25_${n}`,
    kind: 'vk_comment',
    network: 'vk',
    threadKey: 'vk:wall:-1_25',
    author: { externalId: '777', name: 'Житель Иван', profileUrl: 'https://vk.com/id777' },
    text: `Яма на дороге №${n}`,
    attachments: [{ type: 'photo', url: 'https://vk.com/photo-1_1' }],
    permalink: `https://vk.com/wall-1_25?reply=${n}`,
    publishedAt: MONDAY_10.minus({ minutes: 5 }).toMillis(),
    detectedAt: MONDAY_10.toMillis(),
    raw: { id: n, from_id: 777, post_id: 25, owner_id: -1, text: `Яма на дороге №${n}` },
    ...extra,
  };
}

function expectReplayEqualsStored(caseId: number) {
  const stored = loadCase(db, caseId)!;
  expect(replay(loadEvents(db, caseId))).toEqual(stored);
}

describe('workflow storage on a real SQLite file', () => {
  it('ingest stores the message with its raw payload, registers a sequentially numbered case, dedupes on source_key', () => {
    const ctx = makeCtx('akhty-2021');
    const a = ingestMessage(db, vkComment(1), ctx);
    const b = ingestMessage(db, vkComment(2), ctx);
    const again = ingestMessage(db, vkComment(1), ctx);
    expect(a).toMatchObject({ duplicate: false, caseId: 1 });
    expect(b).toMatchObject({ duplicate: false, caseId: 2 });
    expect(again).toEqual({ duplicate: true, messageId: a.messageId, caseId: 1 });
    expect([loadCase(db, 1)!.number, loadCase(db, 2)!.number]).toEqual([1, 2]);
    const raw = h.sqlite.prepare('SELECT raw FROM messages WHERE source_key = ?').get('vk:wall:-1_25_1') as { raw: string };
    expect(JSON.parse(raw.raw)).toMatchObject({ from_id: 777, post_id: 25 });
    expect(h.sqlite.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 2 });
    expectReplayEqualsStored(1);
  });

  it('a whole case through the runner: state, audit, deadlines and effects commit together; replay equals the stored state', () => {
    const ctx = makeCtx('akhty-2021');
    const outbox: Effect[] = [];
    const onEffects = (_tx: Conn, effects: readonly Effect[]) => void outbox.push(...effects);
    const { caseId } = ingestMessage(db, vkComment(1), ctx, { onEffects }) as { caseId: number };
    const run = (cmd: Parameters<typeof executeCommand>[2]) => {
      const r = executeCommand(db, caseId, cmd, ctx, { onEffects });
      if (!r.ok) throw new Error(`${cmd.type}: ${r.refusal.code} ${r.refusal.message}`);
      ctx.clock.advance(60_000);
      return r;
    };
    run({ type: 'triage', actor: cast.admin, topic: 'дороги', location: 'с. Ахты' });
    run({
      type: 'assign',
      actor: cast.admin,
      assignments: [
        { departmentId: 'roads', executorId: 11, responsible: true },
        { departmentId: 'parks', executorId: 21 },
      ],
    });
    run({ type: 'accept', actor: cast.roadsExec });
    run({ type: 'contributePart', actor: cast.parksExec, text: 'деревья' });
    run({ type: 'submitDraft', actor: cast.roadsExec, kind: 'clarification', text: 'Уточните адрес' });
    run({ type: 'approve', actor: cast.admin });
    run({ type: 'publish', actor: cast.admin });
    run({ type: 'recordPublication', actor: cast.system, externalId: '42' });
    expect(loadCase(db, caseId)!.status).toBe('awaiting_author');
    // the author's reply in the same thread joins the case
    ctx.clock.advance(30 * 60_000);
    const reply = ingestMessage(db, vkComment(3, { text: 'ул. Ленина, 5' }), ctx, { onEffects });
    expect(reply).toMatchObject({ duplicate: false, caseId, attachedAsReply: true });
    expect(loadCase(db, caseId)!.status).toBe('drafting');
    run({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Отремонтируем', promisedBy: promised(ctx) });
    run({ type: 'approve', actor: cast.admin });
    run({ type: 'recordPublication', actor: cast.admin });
    run({ type: 'extend', actor: cast.admin, until: promised(ctx) + 86400_000 });
    run({ type: 'submitDraft', actor: cast.roadsExec, kind: 'final', text: 'Отремонтировано' });
    run({ type: 'approve', actor: cast.admin });
    run({ type: 'recordPublication', actor: cast.system });
    run({ type: 'banAuthor', actor: cast.admin, reasonId: 'spam', until: null });
    run({ type: 'close', actor: cast.admin });

    const s = loadCase(db, caseId)!;
    expect(s.status).toBe('closed');
    expect(s.messageIds).toHaveLength(2);
    const audit = h.sqlite.prepare('SELECT version, type, from_status, to_status, actor_name, clause FROM audit_events WHERE case_id = ? ORDER BY version').all(caseId) as {
      version: number;
      type: string;
    }[];
    expect(audit.map((r) => r.version)).toEqual(audit.map((_, i) => i + 1));
    expect(audit.map((r) => r.type)).toContain('clock_paused');
    expect(audit.map((r) => r.type)).toContain('clock_resumed');
    expect(s.version).toBe(audit.length);
    expect(outbox.map((e) => e.type)).toEqual(expect.arrayContaining(['acknowledgeAuthor', 'publishReply', 'notifyAuthorExtension', 'banAuthor']));
    expectReplayEqualsStored(caseId);
  });

  it('effects are written in the same transaction: a failing hook rolls the command back', () => {
    const ctx = makeCtx('akhty-2021');
    const { caseId } = ingestMessage(db, vkComment(1), ctx) as { caseId: number };
    expect(() =>
      executeCommand(db, caseId, { type: 'triage', actor: cast.admin, topic: 'x' }, ctx, {
        onEffects: () => {
          throw new Error('outbox down');
        },
      }),
    ).toThrow('outbox down');
    expect(loadCase(db, caseId)!.version).toBe(1);
    expect(loadEvents(db, caseId)).toHaveLength(1);
  });

  it('two people pressing at once: the loser gets already_done_by with the winner’s name', () => {
    const ctx = makeCtx('akhty-2021');
    const { caseId } = ingestMessage(db, vkComment(1), ctx) as { caseId: number };
    executeCommand(db, caseId, { type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] }, ctx);
    const seen = loadCase(db, caseId)!; // both cards show this version
    // the stale-card path: the version the user saw
    const first = executeCommand(db, caseId, { type: 'accept', actor: cast.roadsExec }, ctx, { expectedVersion: seen.version });
    expect(first.ok).toBe(true);
    const second = executeCommand(db, caseId, { type: 'accept', actor: cast.roadsHead }, ctx, { expectedVersion: seen.version });
    expect(second.ok ? 'ok' : second.refusal).toMatchObject({ code: 'already_done_by', params: { by: cast.roadsExec.name } });
    // the write path: a decision taken on a stale state cannot be committed
    const stale = decide(seen, { type: 'returnCase', actor: cast.roadsExec, reason: 'не наше' }, ctx);
    expect(stale.ok).toBe(true);
    expect(() => db.transaction((tx) => commitDecision(tx, seen, stale as Extract<typeof stale, { ok: true }>))).toThrow(/changed since version/);
    expect(loadCase(db, caseId)!.status).toBe('in_work');
    expectReplayEqualsStored(caseId);
  });

  it('the audit log is append-only: UPDATE and DELETE are refused by triggers', () => {
    const ctx = makeCtx('kanash-2020');
    ingestMessage(db, vkComment(1), ctx);
    expect(() => h.sqlite.prepare("UPDATE audit_events SET actor_name = 'x'").run()).toThrow(/append-only/);
    expect(() => h.sqlite.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(h.sqlite.prepare('SELECT count(*) AS n FROM audit_events').get()).toEqual({ n: 1 });
  });

  it('refusals write nothing; markRepeat of an unknown case is not_found', () => {
    const ctx = makeCtx('kanash-2020');
    const { caseId } = ingestMessage(db, vkComment(1), ctx) as { caseId: number };
    const r = executeCommand(db, caseId, { type: 'approve', actor: cast.admin }, ctx);
    expect(r.ok ? 'ok' : r.refusal.code).toBe('wrong_state');
    const rr = executeCommand(db, caseId, { type: 'markRepeat', actor: cast.admin, repeatOf: 99 }, ctx);
    expect(rr.ok ? 'ok' : rr.refusal.code).toBe('not_found');
    expect(loadEvents(db, caseId)).toHaveLength(1);
  });

  it('deadlines: the watcher query uses the (status, due_at) index; recompute after a declared holiday is logged', () => {
    const ctx = makeCtx('kanash-2020');
    const { caseId } = ingestMessage(db, vkComment(1), ctx) as { caseId: number };
    const plan = h.sqlite.prepare("EXPLAIN QUERY PLAN SELECT * FROM deadlines WHERE status = 'open' AND due_at <= ? ORDER BY due_at LIMIT 10").all(Date.now()) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/deadlines_due_idx/);
    const before = dueDeadlines(db, MONDAY_10.plus({ days: 2 }).toMillis());
    expect(before.map((d) => d.kind)).toEqual(['answer']);
    const holiday = createWorkingTime({ zone: ZONE, calendar: { region: null, extraDaysOff: ['2025-03-04'], warn: () => {} } });
    const res = recomputeOpenDeadlines(db, { ...ctx, workingTime: holiday }, '4 марта — нерабочий день');
    expect(res).toEqual({ cases: 1, changed: 1 });
    const after = loadCase(db, caseId)!.deadlines[0]!;
    expect(after.dueAt).toBe(before[0]!.dueAt + 86400_000);
    expect(loadEvents(db, caseId).at(-1)).toMatchObject({ type: 'deadlines_recomputed', data: { reason: '4 марта — нерабочий день' } });
    expectReplayEqualsStored(caseId);
  });

  it('absences (А6.3): new assignments go to the substitute, open ones are offered to the head', () => {
    const now = MONDAY_10.toMillis();
    for (const [id, name] of [
      [11, 'Сидоров'],
      [12, 'Орлова'],
    ] as const) {
      h.sqlite.prepare("INSERT OR IGNORE INTO departments (id, name) VALUES ('roads', 'Дороги')").run();
      h.sqlite.prepare("INSERT INTO staff (id, telegram_id, name, roles, department_id, created_at, updated_at) VALUES (?, ?, ?, '[\"executor\"]', 'roads', 0, 0)").run(id, 1000 + id, name);
    }
    const ctx = makeCtx('akhty-2021');
    const c1 = (ingestMessage(db, vkComment(1), ctx) as { caseId: number }).caseId;
    executeCommand(db, c1, { type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] }, { ...ctx, absences: undefined });
    h.sqlite.prepare('INSERT INTO absences (staff_id, from_ts, until_ts, substitute_id, created_at) VALUES (11, ?, ?, 12, ?)').run(now - 1000, now + 5 * 86400_000, now);
    const c2 = (ingestMessage(db, vkComment(2), ctx) as { caseId: number }).caseId;
    executeCommand(db, c2, { type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] }, { ...ctx, absences: undefined });
    expect(loadCase(db, c2)!.assignments[0]).toMatchObject({ executorId: 12, substituteFor: 11 });
    const offers = offerReassignmentOnAbsenceFromDb(db, { staffId: 11, from: now - 1000, until: now + 5 * 86400_000, substituteId: 12 });
    expect(offers.map((o) => [o.caseId, o.suggestedExecutorId])).toEqual([[c1, 12]]);
  });
});
