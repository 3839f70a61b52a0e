import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { ServiceProcess } from './service.js';

/**
 * Setup file of the service project: when a test fails, each service process still alive prints its
 * warnings and errors, the last lines of its log and the outbox rows not sent yet, so a failure on CI
 * explains itself without a re-run.
 */
afterEach((ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const service of ServiceProcess.live) {
    const lines = service.logs.split('\n');
    const problems = lines.filter((l) => /"level":(40|50|60)/.test(l)).slice(-30);
    process.stderr.write(
      `\n── service ${service.dir}: warnings and errors (last ${problems.length}) ──\n${problems.join('\n')}\n── last log lines ──\n${lines.slice(-25).join('\n')}\n── outbox not sent ──\n${unsent(service.dbPath)}\n`,
    );
  }
});

function unsent(dbPath: string): string {
  if (!existsSync(dbPath)) return '(no database)';
  try {
    const db = new Database(dbPath, { readonly: true });
    try {
      const rows = db.prepare("SELECT id, channel, action, status, attempts, throttle_key, next_attempt_at, last_error, created_at FROM outbox WHERE status <> 'sent' ORDER BY id DESC LIMIT 30").all();
      return rows.map((r) => JSON.stringify(r)).join('\n') || '(none)';
    } finally {
      db.close();
    }
  } catch (err) {
    return `(unreadable: ${err instanceof Error ? err.message : String(err)})`;
  }
}
