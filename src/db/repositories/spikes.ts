import { and, eq, isNull } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Db } from '../connection.js';
import { spikeAlerts } from '../schema/scheduler.js';

/**
 * The spike detector's reads (А17): cases per topic or location in a time window (GROUP BY on the
 * detection-time index, no case rows loaded) and the alerts still open.
 */

export type SpikeDimension = 'topic' | 'location';
export type SpikeAlertRow = typeof spikeAlerts.$inferSelect;

/** Cases detected in [from, to) per value of the dimension (values set at triage only). */
export function caseCountsBy(sqlite: Database.Database, dim: SpikeDimension, from: number, to: number): Map<string, number> {
  const rows = sqlite.prepare(`SELECT ${dim} AS value, count(*) AS n FROM cases WHERE detected_at >= ? AND detected_at < ? AND ${dim} IS NOT NULL GROUP BY ${dim}`).all(from, to) as {
    value: string;
    n: number;
  }[];
  return new Map(rows.map((r) => [r.value, r.n]));
}

/** Ids of the cases detected in [from, to) with this value. */
export function caseIdsWith(sqlite: Database.Database, dim: SpikeDimension, value: string, from: number, to: number): number[] {
  return (sqlite.prepare(`SELECT id FROM cases WHERE detected_at >= ? AND detected_at < ? AND ${dim} = ? ORDER BY id`).all(from, to, value) as { id: number }[]).map((r) => r.id);
}

/** Case numbers by id. */
export function caseNumbersOf(sqlite: Database.Database, ids: readonly number[]): Map<number, number> {
  if (!ids.length) return new Map();
  const rows = sqlite.prepare(`SELECT id, number FROM cases WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: number; number: number }[];
  return new Map(rows.map((r) => [r.id, r.number]));
}

export function openSpikeAlerts(db: Db, dim: SpikeDimension): SpikeAlertRow[] {
  return db
    .select()
    .from(spikeAlerts)
    .where(and(eq(spikeAlerts.dimension, dim), isNull(spikeAlerts.endedAt)))
    .all();
}

/** Records a new alert; returns its id. */
export function insertSpikeAlert(db: Db, alert: { dimension: SpikeDimension; value: string; count: number; baselineMilli: number; caseIds: number[]; startedAt: number }): number {
  return db.insert(spikeAlerts).values(alert).returning({ id: spikeAlerts.id }).get().id;
}

export function endSpikeAlert(db: Db, id: number, now: number): void {
  db.update(spikeAlerts).set({ endedAt: now }).where(eq(spikeAlerts.id, id)).run();
}
