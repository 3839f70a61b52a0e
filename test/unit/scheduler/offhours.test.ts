import { afterEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createScheduler } from '../../../src/scheduler/index.js';
import { reminderMarks, violations } from '../../../src/db/schema/scheduler.js';
import { Priority } from '../../../src/outbox/queue.js';
import { makeWorld, msk, type World } from './env.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.database.close()));

const LATE = 'Отправлено с опозданием';

describe('reminders outside working time (Ахты 2021)', () => {
  it('a breach is judged in working time: a due at 18:00 is breached at 09:01 next working day, urgent or not', async () => {
    const w = makeWorld('akhty-2021', '2026-10-05T15:00'); // Monday
    worlds.push(w);
    // Urgent (А7.3 «срочно»: 3 working hours): detected 15:00 → due 18:00, the end of the working day.
    const urgent = w.register({ topic: 'Дороги', importance: 'urgent', text: 'Авария на водопроводе' });
    // An accident: the administrator marks it as a significant incident (А17).
    w.run(urgent, { type: 'escalate', actor: w.actor(101) });
    w.run(urgent, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
    w.run(urgent, { type: 'accept', actor: w.actor(105) });
    const ua = w.load(urgent).deadlines.find((d) => d.kind === 'answer' && d.status === 'open')!;
    expect(ua.dueAt).toBe(msk('2026-10-05T18:00').toMillis());
    // Ordinary: detected 17:30, not routed — А7.1 route deadline (30 working minutes, administrator) due 18:00.
    w.at('2026-10-05T17:30');
    const ordinary = w.register();
    const route = w.load(ordinary).deadlines.find((d) => d.kind === 'route')!;
    expect(route.dueAt).toBe(msk('2026-10-05T18:00').toMillis());

    const sched = createScheduler(w.app);
    w.at('2026-10-05T17:31');
    await sched.tick(); // in working time: the urgent case's «left» point (17:00) goes now

    // 18:01, outside working time: no working minute has passed since 18:00, so neither the urgent
    // answer nor the ordinary routing is late yet (lateness is judged in working time, the report's rule).
    w.at('2026-10-05T18:01');
    await sched.tick();
    const breaches = () =>
      w.database.db
        .select()
        .from(violations)
        .all()
        .map((v) => [v.caseId, v.kind, v.clause, v.breachedAt]);
    // The urgent case's А7.4 draft, due 17:00, was already breached at the 17:31 tick.
    expect(breaches()).toEqual([[urgent, 'draft_submission', 'А7.4', msk('2026-10-05T17:31').toMillis()]]);
    const before = w.outbox().length;
    for (const t of ['2026-10-05T21:00', '2026-10-06T03:00', '2026-10-06T08:59']) {
      w.at(t);
      await sched.tick();
    }
    expect(w.outbox().length).toBe(before);
    expect(breaches()).toHaveLength(1);
    // 09:01 Tuesday, the first working minute after the dues: both are breached and recorded.
    w.at('2026-10-06T09:01');
    await sched.tick();
    expect(breaches()).toEqual([
      [urgent, 'draft_submission', 'А7.4', msk('2026-10-05T17:31').toMillis()],
      [urgent, 'answer', ua.clause, msk('2026-10-06T09:01').toMillis()],
      [ordinary, 'route', route.clause, msk('2026-10-06T09:01').toMillis()],
    ]);
    // The urgent case: breach reminder to the executor and escalation to the department head and the administrator.
    const news = w
      .outbox()
      .slice(before)
      .filter((r) => r.caseId === urgent);
    const chats = news.map((r) => (r.payload as { chat_id: number }).chat_id).sort();
    expect(chats).toEqual([101, 104, 105]);
    expect(w.messagesTo(105).at(-1)).toContain('срок истёк');
    expect(w.messagesTo(105).at(-1)).toContain('срочное');
    expect(news.find((r) => (r.payload as { chat_id: number }).chat_id === 104)!.priority).toBe(Priority.urgent);
    // The ordinary case: the breach reminder goes to the administrator — not «late»: the service was running.
    const held = w.outbox().filter((r) => r.caseId === ordinary);
    expect(held.map((r) => (r.payload as { chat_id: number }).chat_id)).toEqual([101]);
    expect((held[0]!.payload as { text: string }).text).toContain('срок истёк');
    expect((held[0]!.payload as { text: string }).text).not.toContain(LATE);
    await sched.tick();
    expect(w.outbox().filter((r) => r.caseId === ordinary)).toHaveLength(1);
  });
});

describe('a reminder due while the service was down (Канаш 2020)', () => {
  it('is sent once on start, marked late; a breach during the downtime is recorded and escalated once, late', async () => {
    const w = makeWorld('kanash-2020', '2026-10-05T10:00'); // Monday
    worlds.push(w);
    const id = w.register({ topic: 'Дороги' });
    w.run(id, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
    w.run(id, { type: 'accept', actor: w.actor(105) });
    // К10: 8 working hours → Tue 10:00. Half the window (4 h: 10–13, 14–15) → Mon 15:00; one hour left → Tue 09:00.
    const answer = () => w.load(id).deadlines.find((d) => d.kind === 'answer')!;
    expect(answer().dueAt).toBe(msk('2026-10-06T10:00').toMillis());
    const texts = () => w.messagesTo(105).filter((t) => t.includes('подготовка и публикация ответа'));

    let sched = createScheduler(w.app);
    w.at('2026-10-05T10:01');
    await sched.tick();
    await sched.stop(); // the service goes down at 10:01 …

    w.at('2026-10-05T16:00'); // … and starts again at 16:00: the 15:00 point passed while it was down
    sched = createScheduler(w.app);
    await sched.tick();
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toContain('прошло 50% срока');
    expect(texts()[0]).toContain(LATE);
    const mark = w.database.db
      .select()
      .from(reminderMarks)
      .where(and(eq(reminderMarks.caseId, id), eq(reminderMarks.deadlineSeq, answer().seq), eq(reminderMarks.threshold, 'share:0.5')))
      .get()!;
    expect(mark).toMatchObject({ late: true, dueToSendAt: msk('2026-10-05T15:00').toMillis(), sentAt: msk('2026-10-05T16:00').toMillis(), recipients: 1 });
    w.at('2026-10-05T16:01');
    await sched.tick(); // once
    expect(texts()).toHaveLength(1);
    await sched.stop();

    // Down again from 16:01 to Tuesday 11:00: «one hour left» (09:00) and the breach (10:00) both passed.
    w.at('2026-10-06T11:00');
    sched = createScheduler(w.app);
    await sched.tick();
    // Only the latest point is sent, marked late; the skipped one is marked done so it never comes later.
    expect(texts()).toHaveLength(2);
    expect(texts()[1]).toContain('срок истёк');
    expect(texts()[1]).toContain(LATE);
    const marks = w.database.db
      .select()
      .from(reminderMarks)
      .where(and(eq(reminderMarks.caseId, id), eq(reminderMarks.deadlineSeq, answer().seq)))
      .all();
    expect(marks.map((m) => [m.threshold, m.late, m.recipients]).sort()).toEqual([
      ['breach', true, 1],
      ['left', false, 0],
      ['share:0.5', true, 1],
    ]);
    // The violation: noticed at 11:00, 60 working minutes past due; escalated once, late.
    const v = w.database.db
      .select()
      .from(violations)
      .where(and(eq(violations.caseId, id), eq(violations.kind, 'answer')))
      .all();
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ kind: 'answer', clause: 'К10', dueAt: answer().dueAt, breachedAt: msk('2026-10-06T11:00').toMillis(), overdueMinutes: 60 });
    const esc = (tg: number) => w.messagesTo(tg).filter((t) => t.includes('Нарушение срока') && t.includes('подготовка и публикация ответа'));
    expect(esc(104)).toHaveLength(1);
    expect(esc(101)).toHaveLength(1);
    expect(esc(104)[0]).toContain(LATE);
    w.at('2026-10-06T11:01');
    await sched.tick();
    expect(texts()).toHaveLength(2);
    expect(esc(104)).toHaveLength(1);
    await sched.stop();
  });
});
