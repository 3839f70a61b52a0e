import { and, eq, isNull } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { AppContext } from '../kernel/context.js';
import { spikeAlerts } from '../db/schema/scheduler.js';
import { Priority } from '../outbox/queue.js';
import { escapeHtml, sendToStaff, staffWithRole, trFor, uniqueStaff } from '../kernel/staff-notify.js';

/**
 * Spikes (А17 «повышенная социальная активность»): cases detected in the last hour on one topic or
 * location, against their hourly average over the 7 days before. A spike needs at least
 * `spikes.minCount` and more than `spikes.multiple` × the baseline. One alert per spike: while one
 * is open for a topic/location no other goes out; it closes when the hour's count falls back.
 * Counts are of cases (messages merged into one case count once) with the topic or location set at
 * triage. Two GROUP BY queries on the detection-time index; no case rows are loaded.
 */

const HOUR = 3_600_000;
const DIMENSIONS = ['topic', 'location'] as const;
type Dimension = (typeof DIMENSIONS)[number];

export interface SpikeResult {
  alerts: number;
  ended: number;
}

export function detectSpikes(app: AppContext, sqlite: Database.Database, now: number): SpikeResult {
  const { multiple, minCount } = app.org.spikes;
  const res: SpikeResult = { alerts: 0, ended: 0 };
  for (const dim of DIMENSIONS) {
    const counts = (from: number, to: number) =>
      new Map(
        (
          sqlite
            .prepare(`SELECT ${dim} AS value, count(*) AS n FROM cases WHERE detected_at >= ? AND detected_at < ? AND ${dim} IS NOT NULL GROUP BY ${dim}`)
            .all(from, to) as { value: string; n: number }[]
        ).map((r) => [r.value, r.n]),
      );
    const lastHour = counts(now - HOUR, now + 1);
    const week = counts(now - HOUR - 7 * 24 * HOUR, now - HOUR);
    const open = app.db.select().from(spikeAlerts).where(and(eq(spikeAlerts.dimension, dim), isNull(spikeAlerts.endedAt))).all();
    const openByValue = new Map(open.map((o) => [o.value, o]));
    for (const [value, n] of lastHour) {
      const baseline = (week.get(value) ?? 0) / (7 * 24);
      const spiking = n >= minCount && n > multiple * baseline;
      if (!spiking || openByValue.has(value)) continue;
      const ids = (
        sqlite.prepare(`SELECT id FROM cases WHERE detected_at >= ? AND detected_at < ? AND ${dim} = ? ORDER BY id`).all(now - HOUR, now + 1, value) as {
          id: number;
        }[]
      ).map((r) => r.id);
      app.db.transaction((tx) => {
        const row = tx
          .insert(spikeAlerts)
          .values({ dimension: dim, value, count: n, baselineMilli: Math.round(baseline * 1000), caseIds: ids, startedAt: now })
          .returning({ id: spikeAlerts.id })
          .get();
        alert(app, tx, row.id, dim, value, n, baseline, ids, sqlite);
      });
      res.alerts += 1;
    }
    for (const o of open) {
      const n = lastHour.get(o.value) ?? 0;
      const baseline = (week.get(o.value) ?? 0) / (7 * 24);
      if (n < minCount || n <= multiple * baseline) {
        app.db.update(spikeAlerts).set({ endedAt: now }).where(eq(spikeAlerts.id, o.id)).run();
        res.ended += 1;
      }
    }
  }
  return res;
}

function alert(
  app: AppContext,
  tx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0],
  alertId: number,
  dim: Dimension,
  value: string,
  count: number,
  baseline: number,
  ids: number[],
  sqlite: Database.Database,
): void {
  const numbers = new Map(
    ids.length
      ? (sqlite.prepare(`SELECT id, number FROM cases WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: number; number: number }[]).map((r) => [r.id, r.number])
      : [],
  );
  const to = uniqueStaff([...staffWithRole(tx, 'head'), ...staffWithRole(tx, 'administrator')]);
  for (const s of to) {
    const tr = trFor(app, s);
    const cases = ids
      .slice(0, 30)
      .map((id) => tr('case-ref', { number: numbers.get(id) ?? id }))
      .join(', ');
    const text = tr('spike-alert', {
      dimension: tr(`spike-dimension-${dim}`),
      value: escapeHtml(value),
      count,
      baseline: (Math.round(baseline * 10) / 10).toString(),
      cases: ids.length > 30 ? `${cases} …` : cases,
    });
    sendToStaff(app, tx, s, text, { idempotencyKey: `spike:${alertId}`, priority: Priority.urgent });
  }
}
