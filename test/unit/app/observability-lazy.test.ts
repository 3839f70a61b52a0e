import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GrammyError } from 'grammy';
import { createObservability } from '../../../src/app/observability.js';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { createLogger } from '../../../src/infra/logger.js';
import type { ChannelAdapter } from '../../../src/outbox/worker.js';

/**
 * /metrics without prom-client at start (src/app/observability.ts): what happens before the first
 * scrape — sends, failures by error code, report durations — is counted and shows at that scrape;
 * later ones go straight to the registry. (That prom-client is not loaded at start:
 * idle-imports.test.ts; the endpoints through the running service: status-endpoints.test.ts.)
 */
let dir: string;
let h: DatabaseHandle;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'otklik-metrics-'));
  h = openDatabase(path.join(dir, 'otklik.db'));
});
afterEach(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scrape(route: http.RequestListener): Promise<string> {
  let body = '';
  const res = { writeHead: () => ({ end: (b: string) => void (body = b) }) } as unknown as http.ServerResponse;
  await route({} as http.IncomingMessage, res);
  return body;
}
const sample = (text: string, series: string): number | null => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
};

describe('metrics before and after the first scrape', () => {
  it('keeps what came before the registry existed, then counts on in it', async () => {
    const obs = createObservability(h, createLogger('silent'), { vk: false });
    let fail = false;
    const channel: ChannelAdapter = {
      senders: {
        sendCard: async () => {
          if (fail) throw new GrammyError('Too Many Requests', { ok: false, error_code: 429, description: 'Too Many Requests: retry after 5' }, 'sendMessage', {});
          return { messageId: 1 };
        },
      },
      classify: () => ({ retry: true, reason: 'test' }),
      spacingMs: () => 0,
      perSecond: 30,
    };
    const send = obs.instrument('telegram', channel).senders['sendCard']!;
    const row = {} as Parameters<typeof send>[1];
    await send({}, row);
    await send({}, row);
    fail = true;
    await expect(send({}, row)).rejects.toThrow('Too Many Requests');
    obs.reportDuration(1.5, 'monthly');

    const metrics = obs.routes().get('/metrics')!;
    const first = await scrape(metrics);
    expect(sample(first, 'otklik_sends_total{api="telegram",action="sendCard"}')).toBe(2);
    expect(sample(first, 'otklik_send_failures_total{api="telegram",code="429"}')).toBe(1);
    expect(sample(first, 'otklik_report_duration_seconds_count{kind="monthly"}')).toBe(1);
    expect(sample(first, 'otklik_report_duration_seconds_bucket{le="2",kind="monthly"}')).toBe(1);
    expect(sample(first, 'otklik_process_resident_memory_bytes')).toBeGreaterThan(0);

    fail = false;
    await send({}, row);
    obs.reportDuration(0.2, 'monthly');
    const second = await scrape(metrics);
    expect(sample(second, 'otklik_sends_total{api="telegram",action="sendCard"}')).toBe(3);
    expect(sample(second, 'otklik_send_failures_total{api="telegram",code="429"}')).toBe(1);
    expect(sample(second, 'otklik_report_duration_seconds_count{kind="monthly"}')).toBe(2);
    // One registry: the second scrape did not make another.
    expect(await obs.registry()).toBe(await obs.registry());
  });
});
