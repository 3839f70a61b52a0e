// `otklik report 2026-10 --out DIR [--config FILE] [--db FILE] [--locale ru|en]` — the monthly summary
// (К22, А16) as files: the short message (.txt), the workbook (.xlsx) and the chart (.png). Reads
// CONFIG_PATH and DATABASE_PATH like the service; needs no bot token.
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { AppContext } from '../../app/context.js';
import { createAppContext } from '../../app/compose.js';
import { envSchema } from '../../config/env.js';
import { buildMonthlyReport, writeReportFiles } from '../../reports/index.js';
import { parseMonth } from '../../scheduler/jobs.js';

export const summary = 'Сводка за месяц в файлы / monthly summary to files (report 2026-10 --out DIR)';

/** An application context for offline commands: organization, regulation, working time, database; no bot. */
export function offlineContext(opts: { config?: string; db?: string }, source: NodeJS.ProcessEnv = process.env): AppContext {
  const env = envSchema.parse({
    ...source,
    BOT_TOKEN: source.BOT_TOKEN || '0:offline-command-without-a-bot-token',
    ...(opts.config ? { CONFIG_PATH: opts.config } : {}),
    ...(opts.db ? { DATABASE_PATH: opts.db } : {}),
  });
  return createAppContext(env, pino({ level: 'silent' }));
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, config: { type: 'string' }, db: { type: 'string' }, locale: { type: 'string' } },
    });
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const month = parsed.positionals[0];
  if (!month || !parseMonth(month, 'UTC')) {
    console.error('Usage: otklik report YYYY-MM --out DIR [--config FILE] [--db FILE] [--locale ru|en]');
    return 2;
  }
  let app: AppContext;
  try {
    app = offlineContext({ config: parsed.values.config, db: parsed.values.db });
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  try {
    const out = path.resolve(parsed.values.out ?? '.');
    const locale = parsed.values.locale === 'en' ? 'en' : parsed.values.locale === 'ru' ? 'ru' : app.org.organization.locale;
    const report = buildMonthlyReport(app, month);
    const files = await writeReportFiles(app, report, out, locale);
    const txt = path.join(out, `otklik-report-${month}.txt`);
    writeFileSync(txt, `${files.message}\n`, { mode: 0o600 });
    console.log(files.message);
    console.log(`\n${txt}\n${files.xlsx}\n${files.png}`);
    return 0;
  } finally {
    app.database.close();
  }
}
