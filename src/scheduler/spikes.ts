import type Database from 'better-sqlite3';
import type { AppContext } from '../kernel/context.js';
import type { Db } from '../db/connection.js';
import { caseCountsBy, caseIdsWith, caseNumbersOf, endSpikeAlert, insertSpikeAlert, openSpikeAlerts } from '../db/repositories/spikes.js';
import { Priority } from '../outbox/queue.js';
import { escapeHtml, sendToStaff, staffWithRole, trFor, uniqueStaff } from '../kernel/staff-notices.js';

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
    const counts = (from: number, to: number) => caseCountsBy(sqlite, dim, from, to);
    const lastHour = counts(now - HOUR, now + 1);
    const week = counts(now - HOUR - 7 * 24 * HOUR, now - HOUR);
    const open = openSpikeAlerts(app.db, dim);
    const openByValue = new Map(open.map((o) => [o.value, o]));
    for (const [value, n] of lastHour) {
      const baseline = (week.get(value) ?? 0) / (7 * 24);
      const spiking = n >= minCount && n > multiple * baseline;
      if (!spiking || openByValue.has(value)) continue;
      const ids = caseIdsWith(sqlite, dim, value, now - HOUR, now + 1);
      app.db.transaction((tx) => {
        const alertId = insertSpikeAlert(tx as unknown as Db, { dimension: dim, value, count: n, baselineMilli: Math.round(baseline * 1000), caseIds: ids, startedAt: now });
        alert(app, tx, alertId, dim, value, n, baseline, ids, sqlite);
      });
      res.alerts += 1;
    }
    for (const o of open) {
      const n = lastHour.get(o.value) ?? 0;
      const baseline = (week.get(o.value) ?? 0) / (7 * 24);
      if (n < minCount || n <= multiple * baseline) {
        endSpikeAlert(app.db, o.id, now);
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
  const numbers = caseNumbersOf(sqlite, ids);
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
