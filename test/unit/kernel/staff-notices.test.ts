import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { peopleWithRole, sendToStaff, staffWithRole, tellAdministrators, tellCaseHolders, tellStaff } from '../../../src/kernel/staff-notices.js';
import { makeWorld, type World } from '../scheduler/env.js';

/**
 * The one staff-notices module: every notice is an outbox row per person built in one place, so the
 * idempotency key, the language, the «open the case» button and the parse mode do not depend on who sends it.
 */
let w: World;
afterEach(() => {
  w.database.close?.();
  rmSync(w.dir, { recursive: true, force: true });
});

type Payload = { chat_id: number; text: string; parse_mode?: string; reply_markup?: { inline_keyboard: { callback_data?: string }[][] } };
const rowsTo = (tg: number) => w.outbox().filter((r) => r.action === 'sendMessage' && (r.payload as Payload).chat_id === tg);

describe('staff notices', () => {
  it('tells every administrator once per key, in the outbox, with the case button when it is about a case', () => {
    w = makeWorld('kanash-2020', '2025-03-03T10:00');
    const id = w.register();
    const before = rowsTo(101).length;
    tellAdministrators(w.app, w.app.db, (l) => `notice ${l}`, { key: 'once', caseId: id });
    tellAdministrators(w.app, w.app.db, (l) => `notice ${l}`, { key: 'once', caseId: id });
    const rows = rowsTo(101).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.idempotencyKey).toBe('once:101');
    expect((rows[0]!.payload as Payload).text).toBe('notice ru');
    expect((rows[0]!.payload as Payload).reply_markup?.inline_keyboard[0]![0]!.callback_data).toBe(`case.open:${id}`);
    // Nobody else holds the role.
    expect(rowsTo(105).filter((r) => r.idempotencyKey === 'once:105')).toHaveLength(0);
  });

  it('tells whoever holds the case: the department head before an executor is named, the executor after', () => {
    w = makeWorld('kanash-2020', '2025-03-03T10:00');
    const id = w.register({ topic: 'Дороги', location: 'Центр' });
    w.run(id, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads' }] });
    expect(tellCaseHolders(w.app, w.app.db, id, () => 'follow-up', { key: 'f1' })).toBe(1);
    expect(rowsTo(104).filter((r) => r.idempotencyKey === 'f1:104')).toHaveLength(1);
    w.run(id, { type: 'designateExecutor', actor: w.actor(104), assignmentSeq: 1, executorId: w.staffId(105) });
    expect(tellCaseHolders(w.app, w.app.db, id, () => 'follow-up', { key: 'f2' })).toBe(1);
    expect(rowsTo(105).filter((r) => r.idempotencyKey === 'f2:105')).toHaveLength(1);
    expect(rowsTo(104).filter((r) => r.idempotencyKey === 'f2:104')).toHaveLength(0);
  });

  it("the scheduler's per-person send: HTML, no button, its own key, false when already queued", () => {
    w = makeWorld('kanash-2020', '2025-03-03T10:00');
    const id = w.register();
    const head = peopleWithRole(w.app.db, 'head')[0]!;
    expect(sendToStaff(w.app, w.app.db, head, '<b>x</b>', { idempotencyKey: 'remind:1', caseId: id })).toBe(true);
    expect(sendToStaff(w.app, w.app.db, head, '<b>x</b>', { idempotencyKey: 'remind:1', caseId: id })).toBe(false);
    const row = rowsTo(103).find((r) => r.idempotencyKey === 'remind:1:tg:103')!;
    expect((row.payload as Payload).parse_mode).toBe('HTML');
    expect((row.payload as Payload).reply_markup).toBeUndefined();
  });

  it('a key per person given as a function is used whole; tellStaff counts what it queued', () => {
    w = makeWorld('kanash-2020', '2025-03-03T10:00');
    const people = peopleWithRole(w.app.db, 'executor', 'roads');
    expect(people.map((p) => p.telegramId).sort()).toEqual([105, 106]);
    expect(tellStaff(w.app, w.app.db, people, () => 't', { key: (p) => `k:${p.id}` })).toBe(2);
    expect(tellStaff(w.app, w.app.db, people, () => 't', { key: (p) => `k:${p.id}` })).toBe(0);
    expect(rowsTo(105).map((r) => r.idempotencyKey)).toContain(`k:${w.staffId(105)}`);
  });

  it('the department narrows only the department roles in staffWithRole, every role in peopleWithRole', () => {
    w = makeWorld('kanash-2020', '2025-03-03T10:00');
    expect(staffWithRole(w.app.db, 'administrator', 'roads').map((p) => p.telegramId)).toEqual([101]);
    expect(peopleWithRole(w.app.db, 'administrator', 'roads')).toEqual([]);
    expect(staffWithRole(w.app.db, 'department_head', 'zhkh').map((p) => p.telegramId)).toEqual([108]);
  });
});
