import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { pino } from 'pino';
import { OutboxWorker } from '../../../src/outbox/worker.js';
import { Priority } from '../../../src/outbox/queue.js';
import { createScheduler } from '../../../src/scheduler/index.js';
import { jobRuns, spikeAlerts } from '../../../src/db/schema/scheduler.js';
import { kv } from '../../../src/db/schema/system.js';
import { makeWorld, msk } from './env.js';

const worlds: { database: { close(): void } }[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.database.close()));

describe('urgent pushes, spikes, catch-up', () => {
  it('an escalated case reaches the head before 200 queued notifications (А17)', async () => {
    const w = makeWorld('akhty-2021', '2026-10-05T10:00');
    worlds.push(w);
    for (let i = 0; i < 200; i++) {
      w.app.enqueue({ channel: 'telegram', action: 'sendMessage', payload: { chat_id: 900 + (i % 20), text: `n${i}` }, throttleKey: `tg:${900 + (i % 20)}` });
    }
    // An ordinary case, then the administrator escalates it (А17): the workflow's `pushUrgentToHead`
    // effect goes through the dispatcher to the scheduler's handler, in the command's transaction.
    const id = w.register({ importance: 'operative', text: 'Прорыв трубы, затопило улицу' });
    expect(w.outbox().filter((r) => (r.payload as { chat_id: number }).chat_id === 103)).toHaveLength(0);
    w.run(id, { type: 'escalate', actor: w.actor(101) });
    expect(w.load(id).urgent).toBe(true);
    const sent: { chat: number; text: string }[] = [];
    const worker = new OutboxWorker({
      db: w.database.db,
      now: Date.now,
      logger: pino({ level: 'silent' }),
      concurrency: 1,
      channels: {
        telegram: {
          senders: { sendMessage: async (p) => (sent.push({ chat: p.chat_id as number, text: p.text as string }), null) },
          classify: () => ({ retry: false, reason: 'x' }),
          spacingMs: () => 0,
          perSecond: 1000,
        },
      },
    });
    await worker.drain(20_000);
    expect(sent.length).toBe(201);
    expect(sent[0]!.chat).toBe(103); // the head, first of all
    expect(sent[0]!.text).toContain('Прорыв трубы');
    expect(w.outbox().find((r) => (r.payload as { chat_id: number }).chat_id === 103)!.priority).toBe(Priority.urgent);
  });

  it('alerts once per spike with the count, the baseline and the cases', async () => {
    const w = makeWorld('akhty-2021', '2026-10-05T10:00');
    worlds.push(w);
    for (let i = 0; i < 6; i++) {
      w.clock.set(msk('2026-10-05T10:00').plus({ minutes: i * 5 }));
      w.register({ topic: 'Свет', importance: 'operative' });
    }
    const sched = createScheduler(w.app);
    w.clock.set(msk('2026-10-05T10:31'));
    await sched.tick();
    w.clock.set(msk('2026-10-05T10:40'));
    await sched.tick();
    const alerts = w.messagesTo(103).filter((t) => t.includes('Повышенная социальная активность'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('«Свет»: 6 сообщений');
    expect(alerts[0]).toContain('№ 6');
    expect(w.messagesTo(101).filter((t) => t.includes('Повышенная'))).toHaveLength(1);
    expect(w.database.db.select().from(spikeAlerts).all()).toHaveLength(1);
  });

  it('a monthly summary due while the service was down is sent once on start, marked late', async () => {
    const w = makeWorld('kanash-2020', '2026-10-20T10:00');
    worlds.push(w);
    const id = w.register({ topic: 'Дороги' });
    w.run(id, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
    let sched = createScheduler(w.app);
    await sched.tick(); // the scheduler ran in October…
    await sched.stop();
    // …then the service was down over 1 November 09:00 and starts at 12:00.
    w.clock.set(msk('2026-11-01T12:00'));
    sched = createScheduler(w.app);
    const r = await sched.tick();
    expect(r.jobs['monthly-summary']).toBe('late');
    const msgs = w.messagesTo(102).filter((t) => t.includes('Сводная информация'));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toContain('октябрь 2026');
    expect(msgs[0]).toContain('с опозданием');
    expect(w.messagesTo(103).filter((t) => t.includes('Сводная информация'))).toHaveLength(1); // and the head
    const files = w.outbox().filter((o) => o.action === 'sendReportFile');
    expect(files.length).toBe(4);
    for (const f of files) expect(existsSync((f.payload as { file: string }).file)).toBe(true);
    expect(
      w.database.db
        .select()
        .from(jobRuns)
        .all()
        .find((j) => j.job === 'monthly-summary'),
    ).toMatchObject({ period: '2026-10', status: 'done', late: true });
    await sched.tick();
    expect(w.messagesTo(102).filter((t) => t.includes('Сводная информация'))).toHaveLength(1);
    expect(
      w.database.db
        .select()
        .from(kv)
        .all()
        .some((k) => k.key === 'scheduler.since'),
    ).toBe(true);
  });
});
