import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/scheduler/index.js';
import { thresholdsOf } from '../../../src/scheduler/watch.js';
import { workingMinutesBetween } from '../../../src/domain/workflow/deadlines.js';
import { violations, reminderMarks } from '../../../src/db/schema/scheduler.js';
import { makeWorld, msk } from './env.js';

const worlds: { database: { close(): void } }[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.database.close()));

/** A road case registered on Monday 5 Oct 2026 at 10:00, assigned and accepted by the executor; its answer deadline. */
function acceptedOnMonday(preset: 'kanash-2020' | 'akhty-2021') {
  const w = makeWorld(preset, '2026-10-05T10:00');
  worlds.push(w);
  const id = w.register({ topic: 'Дороги', importance: preset === 'akhty-2021' ? 'operative' : undefined });
  w.run(id, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
  w.run(id, { type: 'accept', actor: w.actor(105) });
  const answer = w.load(id).deadlines.find((d) => d.kind === 'answer' && d.status === 'open')!;
  return { w, id, answer };
}

for (const preset of ['kanash-2020', 'akhty-2021'] as const) {
  describe(`deadline watch (${preset})`, () => {
    it('a reminder reached out of working time is looked at again at the next working moment, not at every tick of the night', async () => {
      const { w, id, answer } = acceptedOnMonday(preset);
      const sched = createScheduler(w.app);
      await sched.tick();
      // The evening after the first reminder point: the point is reached, the reminder waits.
      const half = thresholdsOf(w.app, answer, [0.5])[0]!;
      const evening = DateTime.fromMillis(half.at, { zone: 'Europe/Moscow' }).set({ hour: 22, minute: 0 });
      expect(w.app.workingTime.isWorkingTime(evening)).toBe(false);
      const nextAt = () => (w.database.sqlite.prepare('SELECT next_at AS n FROM watch_plan WHERE case_id = ? AND deadline_seq = ?').get(id, answer.seq) as { n: number }).n;
      const morning = w.app.workingTime.nextWorkingMoment(evening).toMillis();
      w.clock.set(evening);
      const sent = w.outbox().length;
      await sched.tick();
      expect(w.outbox().length).toBe(sent);
      // Planned for the morning: the ticks of the night do not look at it again.
      expect(nextAt()).toBe(morning);
      w.clock.set(evening.plus({ hours: 3 }));
      await sched.tick();
      expect(nextAt()).toBe(morning);
      expect(w.outbox().length).toBe(sent);
      // In the morning it goes (the latest point reached by then: half the term, or an hour left).
      const before = w.messagesTo(105).filter((t) => t.includes('подготовка и публикация ответа')).length;
      w.clock.set(DateTime.fromMillis(morning + 60_000, { zone: 'Europe/Moscow' }));
      await sched.tick();
      expect(w.messagesTo(105).filter((t) => t.includes('подготовка и публикация ответа') && /прошло 50% срока|до срока осталось/.test(t)).length).toBe(before + 1);
    });

    it('reminds at each point, not outside working time, and records + escalates the breach', async () => {
      const { w, id, answer } = acceptedOnMonday(preset);
      expect(answer).toBeDefined();
      const sched = createScheduler(w.app);
      const points = thresholdsOf(w.app, answer, [0.5]);
      expect(points.map((p) => p.key)).toEqual(['share:0.5', 'left', 'breach']);

      // Just before the half point: nothing for the answer deadline.
      w.clock.set(msk('2026-10-05T10:00').plus({ minutes: 1 }));
      await sched.tick();
      const before = w.messagesTo(105).filter((t) => t.includes('подготовка и публикация ответа')).length;
      expect(before).toBe(0);

      for (const p of points) {
        w.clock.set(DateTime.fromMillis(p.at + 60_000, { zone: 'Europe/Moscow' }));
        const wt = w.app.workingTime.isWorkingTime(w.clock.now());
        if (!wt) {
          // Outside working time nothing is sent for an ordinary case…
          const n = w.outbox().length;
          await sched.tick();
          expect(w.outbox().length).toBe(n);
          // …it goes at the start of the next working period.
          w.clock.set(w.app.workingTime.nextWorkingMoment(w.clock.now()).plus({ minutes: 1 }));
        }
        await sched.tick();
      }
      const toExecutor = w.messagesTo(105).filter((t) => t.includes('подготовка и публикация ответа'));
      expect(toExecutor.some((t) => t.includes('прошло 50% срока'))).toBe(true);
      expect(toExecutor.some((t) => t.includes('до срока осталось'))).toBe(true);
      expect(toExecutor.some((t) => t.includes('срок истёк'))).toBe(true);
      // each point once
      await sched.tick();
      expect(w.messagesTo(105).filter((t) => t.includes('подготовка и публикация ответа')).length).toBe(toExecutor.length);

      const v = w.database.db
        .select()
        .from(violations)
        .all()
        .filter((x) => x.kind === 'answer');
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({ caseId: id, clause: answer.clause, dueAt: answer.dueAt, departmentId: 'roads' });
      // escalation to the department head and the administrator
      expect(w.messagesTo(104).some((t) => t.includes('Нарушение срока') && t.includes('подготовка и публикация ответа'))).toBe(true);
      expect(w.messagesTo(101).some((t) => t.includes('Нарушение срока') && t.includes('подготовка и публикация ответа'))).toBe(true);
      expect(
        w.database.db
          .select()
          .from(reminderMarks)
          .all()
          .filter((m) => m.deadlineSeq === answer.seq)
          .map((m) => m.threshold)
          .sort(),
      ).toEqual(['breach', 'left', 'share:0.5']);

      // Daily digest of new violations to the coordinator, next morning at 09:00.
      w.clock.set(w.clock.now().plus({ days: 1 }).set({ hour: 9, minute: 1 }));
      await sched.tick();
      const isDigest = (t: string) => t.includes('нарушени') && t.includes('подготовка и публикация ответа');
      const digest = w.messagesTo(102).filter(isDigest);
      expect(digest.length).toBe(1);
      expect(digest[0]).toContain('Исполнитель И.');
      // А15: in Ахты also the deputy supervising the roads department — and not the one of ЖКХ; К21: only the coordinator.
      expect(w.messagesTo(109).filter(isDigest).length).toBe(preset === 'akhty-2021' ? 1 : 0);
      expect(w.messagesTo(110).filter(isDigest)).toHaveLength(0);
      const all = w.messagesTo(102).length;
      await sched.tick();
      expect(w.messagesTo(102).length).toBe(all);
      await sched.stop();
    });

    it('a violation: its overdue working minutes kept up to date in the day, closed at night when the step is done', async () => {
      const { w, id, answer } = acceptedOnMonday(preset);
      const sched = createScheduler(w.app);
      const breach = thresholdsOf(w.app, answer, [0.5]).find((t) => t.key === 'breach')!;
      const row = () =>
        w.database.sqlite.prepare('SELECT overdue_minutes AS m, resolved_at AS r FROM violations WHERE case_id = ? AND deadline_seq = ?').get(id, answer.seq) as { m: number; r: number | null };
      const at = (t: DateTime) => {
        w.clock.set(t);
        return sched.tick();
      };
      const breachAt = DateTime.fromMillis(breach.at, { zone: 'Europe/Moscow' });
      await at(breachAt.plus({ minutes: 1 }));
      expect(row()).toEqual({ m: 2, r: null });
      await at(breachAt.plus({ minutes: 31 }));
      expect(row()).toEqual({ m: 32, r: null });
      // The evening: the minutes up to the end of the working day, then no more.
      const evening = breachAt.set({ hour: 21, minute: 0 });
      const endOfDay = workingMinutesBetween(w.app.workingTime, answer.dueAt, evening.toMillis());
      await at(evening);
      expect(row()).toEqual({ m: endOfDay, r: null });
      // At night the answer is published (the step met): the next tick closes the violation with that time.
      const doneAt = evening.plus({ minutes: 30 }).toMillis();
      w.database.sqlite.prepare("UPDATE deadlines SET status = 'met', closed_at = ? WHERE case_id = ? AND seq = ?").run(doneAt, id, answer.seq);
      await at(evening.plus({ hours: 1 }));
      expect(row()).toEqual({ m: endOfDay, r: doneAt });
      await sched.stop();
    });

    it('sends nothing at night for an ordinary case', async () => {
      const w = makeWorld(preset, '2026-10-05T17:30');
      worlds.push(w);
      const id = w.register({ importance: preset === 'akhty-2021' ? 'operative' : undefined });
      w.run(id, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
      const sched = createScheduler(w.app);
      const n = w.outbox().length;
      for (const h of ['2026-10-05T19:00', '2026-10-05T23:30', '2026-10-06T03:00', '2026-10-06T08:59']) {
        w.clock.set(msk(h));
        await sched.tick();
      }
      expect(w.outbox().length).toBe(n);
    });
  });
}
