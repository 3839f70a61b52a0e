// `otklik backup [--out FILE] [--db FILE]` — an online copy of the database (safe while the service runs).
// Without --out: `otklik-<date>T<time>.db` in the organization's backups.dir. Restore: docs/backup.md.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { envSchema } from '../../config/env.js';
import { loadOrganization } from '../../config/organization.js';
import { openDatabase } from '../../db/connection.js';
import { backupDatabase, backupFileName } from '../../scheduler/backup.js';

export const summary = 'Резервная копия базы / online database backup (backup [--out FILE])';

const USAGE = `otklik backup [--out FILE] [--db FILE] [--config FILE]
  Online copy of the database, safe while the service runs; owner-only file.
  --out     where to write (default: otklik-<date>T<time>.db in the organization's backups.dir)
  --db      the database (default: DATABASE_PATH)
  --config  the organization file, for backups.dir (default: CONFIG_PATH)
Restore: docs/backup.md`;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { out: { type: 'string' }, db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const env = envSchema.parse({ ...process.env, BOT_TOKEN: process.env.BOT_TOKEN || '0:offline-command-without-a-bot-token' });
  const dbPath = values.db ?? env.DATABASE_PATH;
  if (!existsSync(dbPath)) {
    console.error(`${dbPath}: no database there (set DATABASE_PATH or --db).`);
    return 1;
  }
  let out = values.out;
  if (!out) {
    let dir = env.BACKUP_DIR ?? path.join(path.dirname(path.resolve(dbPath)), 'backups');
    let zone = 'Europe/Moscow';
    const config = values.config ?? env.CONFIG_PATH;
    if (existsSync(config)) {
      const { org, dir: orgDir } = loadOrganization(config);
      dir = env.BACKUP_DIR ?? path.resolve(orgDir, org.backups.dir);
      zone = org.organization.timezone;
    }
    out = path.join(dir, backupFileName(DateTime.now().setZone(zone), true));
  }
  const handle = openDatabase(dbPath, { migrate: false });
  try {
    const bytes = await backupDatabase(handle.sqlite, out);
    console.log(`${out} (${bytes} bytes)`);
    return 0;
  } finally {
    handle.close();
  }
}
