// `otklik report 2026-10 --out DIR [--config FILE] [--db FILE] [--locale ru|en]` — the monthly summary
// (К22, А16) as files: the short message (.txt), the workbook (.xlsx) and the chart (.png). Reads
// CONFIG_PATH and DATABASE_PATH like the service (.env included); needs no bot token. The service and the
// report writers are imported inside `run`, so `otklik help` does not load them.
import path from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AppContext } from '../../kernel/context.js';
import { envSchema } from '../../config/env.js';

export const summary = 'Сводка за месяц в файлы / monthly summary to files (report 2026-10 --out DIR)';

const usage = `Использование / usage:
  otklik report YYYY-MM [--out DIR] [--config FILE] [--db FILE] [--locale ru|en]
  Без --config и --db — CONFIG_PATH и DATABASE_PATH из окружения или .env, как у npm start.`;

function offlineEnv(opts: { config?: string; db?: string }, source: NodeJS.ProcessEnv) {
  return envSchema.parse({
    ...source,
    BOT_TOKEN: source.BOT_TOKEN || '0:offline-command-without-a-bot-token',
    ...(opts.config ? { CONFIG_PATH: opts.config } : {}),
    ...(opts.db ? { DATABASE_PATH: opts.db } : {}),
  });
}

/** An application context for offline commands: organization, regulation, working time, database; no bot. */
export async function offlineContext(opts: { config?: string; db?: string }, source: NodeJS.ProcessEnv = process.env): Promise<AppContext> {
  const [{ createAppContext }, { pino }] = await Promise.all([import('../../app/compose.js'), import('pino')]);
  return createAppContext(offlineEnv(opts, source), pino({ level: 'silent' }));
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        config: { type: 'string' },
        db: { type: 'string' },
        locale: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(usage);
    return 0;
  }
  const month = parsed.positionals[0];
  const { parseMonth } = await import('../../reports/monthly.js');
  if (!month || !parseMonth(month, 'UTC')) {
    console.error(`Укажите месяц, например: otklik report 2026-10\n${usage}`);
    return 2;
  }
  let app: AppContext;
  try {
    // A report reads a database; a mistyped path must not create an empty one and print zeros.
    const dbPath = offlineEnv({ config: parsed.values.config, db: parsed.values.db }, process.env).DATABASE_PATH;
    if (dbPath !== ':memory:' && !existsSync(dbPath)) {
      console.error(`${dbPath}: базы данных нет (укажите --db или DATABASE_PATH) / no database there.`);
      return 1;
    }
    app = await offlineContext({ config: parsed.values.config, db: parsed.values.db });
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  try {
    const out = path.resolve(parsed.values.out ?? '.');
    const locale = parsed.values.locale === 'en' ? 'en' : parsed.values.locale === 'ru' ? 'ru' : app.org.organization.locale;
    const { buildMonthlyReport, writeReportFiles } = await import('../../reports/index.js');
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
