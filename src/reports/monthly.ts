import path from 'node:path';
import { DateTime } from 'luxon';
import type { AppContext } from '../kernel/context.js';
import { sendToStaff, staffWithRole, uniqueStaff } from '../kernel/staff-notices.js';
import { Priority } from '../outbox/queue.js';
import { writeReportFiles } from './index.js';
import { buildMonthlyReportInWorker } from './thread.js';
import { reportCaption } from './caption.js';

/*
 * Delivering the monthly summary (the scheduler runs it on the 1st) and where its files live (/report
 * writes to the same folder).
 */

/** A `YYYY-MM` month in the zone, or null for anything else. */
export function parseMonth(value: string, zone: string): DateTime | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return null;
  const d = DateTime.fromFormat(value, 'yyyy-MM', { zone });
  return d.isValid ? d : null;
}

/** Folder for report files: beside the database. */
export function reportsDir(app: AppContext, month: string): string {
  return path.join(path.dirname(path.resolve(app.env.DATABASE_PATH)), 'reports', month);
}

/**
 * The monthly summary to its recipients (К22, А16: the coordinator; and the head): the message, the
 * workbook and the chart, each an outbox row with an idempotency key per month and person.
 */
export async function deliverMonthlyReport(app: AppContext, month: string, asOf: number, late: boolean): Promise<string> {
  const report = await buildMonthlyReportInWorker(app, month, asOf);
  const to = uniqueStaff([...app.regulation.recipients.monthlySummary, 'head' as const].flatMap((r) => staffWithRole(app.db, r)));
  const byLocale = new Map<string, Awaited<ReturnType<typeof writeReportFiles>>>();
  for (const s of to) {
    const locale = s.locale ?? app.org.organization.locale;
    if (!byLocale.has(locale)) byLocale.set(locale, await writeReportFiles(app, report, path.join(reportsDir(app, month), locale), locale as 'ru' | 'en', late));
  }
  app.db.transaction((tx) => {
    for (const s of to) {
      const files = byLocale.get(s.locale ?? app.org.organization.locale)!;
      const key = `report:${month}`;
      sendToStaff(app, tx, s, files.message, { idempotencyKey: key, priority: Priority.bulk });
      for (const [method, file] of [
        ['sendDocument', files.xlsx],
        ['sendPhoto', files.png],
      ] as const) {
        app.enqueue(
          {
            channel: 'telegram',
            action: 'sendReportFile',
            payload: { method, chat_id: s.telegramId, file, caption: reportCaption(app, s.locale ?? app.org.organization.locale, month) },
            priority: Priority.bulk,
            throttleKey: `tg:${s.telegramId}`,
            idempotencyKey: `${key}:${method}:tg:${s.telegramId}`,
          },
          tx,
        );
      }
    }
  });
  return `${to.length} recipients${late ? ', late' : ''}`;
}
