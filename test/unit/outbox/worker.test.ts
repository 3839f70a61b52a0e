import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { enqueue, failedActions, Priority, type OutboxRow } from '../../../src/outbox/queue.js';
import { OutboxWorker, type ChannelAdapter, type Failure } from '../../../src/outbox/worker.js';
import { outbox } from '../../../src/db/schema/outbox.js';

class RetryableError extends Error {
  constructor(readonly afterMs?: number) {
    super('try later');
  }
}
class PermanentError extends Error {}

function channel(send: (payload: Record<string, unknown>) => Promise<Record<string, unknown> | null>, spacingMs = 0): ChannelAdapter {
  return {
    senders: { send: (p) => send(p) },
    classify: (err): Failure => (err instanceof RetryableError ? { retry: true, afterMs: err.afterMs, reason: 'retryable' } : { retry: false, reason: (err as Error).message }),
    spacingMs: () => spacingMs,
    perSecond: 1_000,
  };
}

describe('outbox worker', () => {
  let dir: string;
  let handle: DatabaseHandle;
  const logger = pino({ level: 'silent' });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otklik-outbox-'));
    handle = openDatabase(path.join(dir, 'db.sqlite'));
  });
  afterEach(() => {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends urgent actions ahead of a queue of ordinary ones', async () => {
    const order: string[] = [];
    for (let i = 0; i < 200; i++) enqueue(handle.db, { channel: 'telegram', action: 'send', payload: { n: `normal-${i}` } }, Date.now());
    enqueue(handle.db, { channel: 'telegram', action: 'send', payload: { n: 'urgent' }, priority: Priority.urgent }, Date.now());
    const worker = new OutboxWorker({
      db: handle.db,
      now: Date.now,
      logger,
      concurrency: 1,
      channels: { telegram: channel(async (p) => (order.push(String(p.n)), null)) },
    });
    await worker.drain();
    expect(order[0]).toBe('urgent');
    expect(order).toHaveLength(201);
  });

  it('queues an idempotency key once', () => {
    const a = enqueue(handle.db, { channel: 'vk', action: 'send', payload: {}, idempotencyKey: 'reply:1' }, Date.now());
    const b = enqueue(handle.db, { channel: 'vk', action: 'send', payload: {}, idempotencyKey: 'reply:1' }, Date.now());
    expect(a).not.toBeNull();
    expect(b).toBeNull();
    expect(handle.db.select().from(outbox).all()).toHaveLength(1);
  });

  it('retries retryable failures with backoff and never sends a sent action again', async () => {
    let calls = 0;
    enqueue(handle.db, { channel: 'vk', action: 'send', payload: {} }, Date.now());
    const worker = new OutboxWorker({
      db: handle.db,
      now: Date.now,
      logger,
      channels: {
        vk: channel(async () => {
          calls += 1;
          if (calls < 3) throw new RetryableError(1);
          return { id: 7 };
        }),
      },
    });
    // Backoff starts at one second: move the attempts forward instead of waiting.
    for (let i = 0; i < 5 && calls < 3; i++) {
      await worker.drain(200);
      handle.sqlite.prepare("UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'").run();
    }
    await worker.drain();
    const row = handle.db.select().from(outbox).get() as OutboxRow;
    expect(calls).toBe(3);
    expect(row.status).toBe('sent');
    expect(row.result).toEqual({ id: 7 });
    expect(row.attempts).toBe(2);
    await worker.drain();
    expect(calls).toBe(3);
  });

  it('reports an action that failed for good instead of dropping it', async () => {
    const failed: string[] = [];
    enqueue(handle.db, { channel: 'vk', action: 'send', payload: {}, caseId: 5 }, Date.now());
    const worker = new OutboxWorker({
      db: handle.db,
      now: Date.now,
      logger,
      channels: { vk: channel(async () => Promise.reject(new PermanentError('access denied'))) },
      onFailedForGood: (row, reason) => failed.push(`${row.caseId}:${reason}`),
    });
    await worker.drain();
    expect(failed).toEqual(['5:access denied']);
    expect(failedActions(handle.db)).toHaveLength(1);
  });

  it('keeps the order of one throttle key and spaces its sends', async () => {
    const sent: { n: number; at: number }[] = [];
    for (let n = 0; n < 3; n++) enqueue(handle.db, { channel: 'telegram', action: 'send', payload: { n }, throttleKey: 'tg:1' }, Date.now());
    const worker = new OutboxWorker({
      db: handle.db,
      now: Date.now,
      logger,
      pollMs: 10,
      channels: { telegram: channel(async (p) => (sent.push({ n: Number(p.n), at: Date.now() }), null), 100) },
    });
    await worker.drain(5_000);
    expect(sent.map((s) => s.n)).toEqual([0, 1, 2]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(95);
    expect(sent[2]!.at - sent[1]!.at).toBeGreaterThanOrEqual(95);
  });

  it('makes actions interrupted by a crash due again at start', async () => {
    enqueue(handle.db, { channel: 'vk', action: 'send', payload: {} }, Date.now());
    handle.sqlite.prepare("UPDATE outbox SET status = 'sending'").run();
    let calls = 0;
    const worker = new OutboxWorker({ db: handle.db, now: Date.now, logger, channels: { vk: channel(async () => (calls++, null)) } });
    worker.start();
    await worker.drain();
    await worker.stop();
    expect(calls).toBe(1);
  });
});
