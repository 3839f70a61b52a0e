import Database from 'better-sqlite3';
import { openDatabase } from './connection.js';

/** Calendar years imported from xmlcalendar files (`otklik calendar import`). `data` is the parsed year as JSON. */
export interface StoredCalendarYear {
  year: number;
  region: string | null;
  data: unknown;
}

export function saveCalendarYear(dbPath: string, year: StoredCalendarYear): void {
  const { sqlite, close } = openDatabase(dbPath);
  try {
    sqlite
      .prepare(
        `INSERT INTO calendar_years (year, region, data, imported_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(year) DO UPDATE SET region = excluded.region, data = excluded.data, imported_at = excluded.imported_at`,
      )
      .run(year.year, year.region, JSON.stringify(year.data), Date.now());
  } finally {
    close();
  }
}

export function loadCalendarYears(sqlite: Database.Database): StoredCalendarYear[] {
  const rows = sqlite.prepare('SELECT year, region, data FROM calendar_years ORDER BY year').all() as {
    year: number;
    region: string | null;
    data: string;
  }[];
  return rows.map((r) => ({ year: r.year, region: r.region, data: JSON.parse(r.data) as unknown }));
}

/** The years imported into an existing database file, read on a read-only connection of their own (the CLI). */
export function readCalendarYearsOf(file: string): StoredCalendarYear[] {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return loadCalendarYears(sqlite);
  } finally {
    sqlite.close();
  }
}
