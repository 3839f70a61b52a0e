import path from 'node:path';
import { Composer, InputFile } from 'grammy';
import type { AppContext } from '../../app/context.js';
import type { BotContext } from '../context.js';
import { writeReportFiles } from '../../reports/index.js';
import { buildMonthlyReportInWorker } from '../../reports/thread.js';
import { parseMonth } from '../../scheduler/jobs.js';
import { reportsDir } from '../../scheduler/index.js';

const ALLOWED = ['coordinator', 'administrator', 'head'];

/** `/report 2026-10`: the monthly summary on demand (К22, А16) for the coordinator, administrator and head. */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('report', async (ctx) => {
    if (!ctx.staff) return;
    if (!(ctx.staff.roles as string[]).some((r) => ALLOWED.includes(r))) {
      await ctx.reply(ctx.t('report-not-allowed'));
      return;
    }
    const arg = (ctx.match ?? '').trim();
    if (!arg) {
      await ctx.reply(ctx.t('report-usage'));
      return;
    }
    if (!parseMonth(arg, app.org.organization.timezone)) {
      await ctx.reply(ctx.t('report-bad-month', { value: arg.slice(0, 20) }));
      return;
    }
    const locale = (ctx.staff.locale ?? app.org.organization.locale) === 'en' ? 'en' : 'ru';
    // Built off the event loop: the bot keeps answering while a large month is counted.
    const report = await buildMonthlyReportInWorker(app, arg);
    const files = await writeReportFiles(app, report, path.join(reportsDir(app, arg), locale), locale);
    await ctx.reply(files.message, { parse_mode: 'HTML' });
    const caption = ctx.t('report-file-caption', { month: arg });
    await ctx.replyWithDocument(new InputFile(files.xlsx, path.basename(files.xlsx)), { caption });
    await ctx.replyWithPhoto(new InputFile(files.png, path.basename(files.png)), { caption });
  });
  return composer;
}
