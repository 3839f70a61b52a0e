import type Database from 'better-sqlite3';
import type { Db } from '../connection.js';
import { declaredDays } from '../schema/system.js';
import { getKv, setKv } from './kv.js';

/** Days off and working days declared in the bot, and the state of the stored calendar years. */

export type DeclaredDayRow = typeof declaredDays.$inferSelect;

export function declaredDaysByDate(db: Db): DeclaredDayRow[] {
  return db.select().from(declaredDays).orderBy(declaredDays.date).all();
}

/** Declares (or re-declares) a day. */
export function declareDay(db: Db, day: { date: string; kind: string; note: string | null }, by: number, now: number): void {
  db.insert(declaredDays)
    .values({ date: day.date, kind: day.kind, note: day.note, declaredBy: by, declaredAt: now })
    .onConflictDoUpdate({ target: declaredDays.date, set: { kind: day.kind, note: day.note, declaredBy: by, declaredAt: now } })
    .run();
}

/** The stored calendar years as they are (for a digest of what the working time is built from). */
export function storedCalendarYears(sqlite: Database.Database): unknown[] {
  return sqlite.prepare('SELECT year, region, data FROM calendar_years ORDER BY year').all();
}

const CALENDAR_DIGEST = 'calendar.digest';

/** Records the digest of the calendar sources; returns the one recorded before (null the first time). */
export function swapCalendarDigest(db: Db, digest: string, now: number): string | null {
  const previous = getKv(db, CALENDAR_DIGEST);
  // Asked at every scheduler tick: written only when it changed.
  if (previous !== digest) setKv(db, CALENDAR_DIGEST, digest, now);
  return previous;
}

/** The declared days (date and kind), read on the raw handle: the working time is built before drizzle is needed. */
export function declaredDayKinds(sqlite: Database.Database): { date: string; kind: string }[] {
  return sqlite.prepare('SELECT date, kind FROM declared_days ORDER BY date').all() as { date: string; kind: string }[];
}
