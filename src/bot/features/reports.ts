import path from 'node:path';
import { Composer, InputFile } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { BotContext } from '../context.js';
import { writeReportFiles } from '../../reports/index.js';
import { buildMonthlyReportInWorker } from '../../reports/thread.js';
import { reportCaption } from '../../reports/caption.js';
import { monthTitle } from '../../reports/render.js';
import { parseMonth, reportsDir } from '../../reports/monthly.js';
import { refuseUnreadable, reportCallbacks } from '../callbacks/index.js';

const ALLOWED = ['coordinator', 'administrator', 'head'];
/** How many past months `/report` offers as buttons. */
const OFFERED_MONTHS = 6;
/** Telegram shows a chat action for about five seconds: repeated while the files are built. */
const ACTION_EVERY_MS = 4_000;

/**
 * `/report 2026-10`: the monthly summary on demand (К22, А16) for the coordinator, administrator and head.
 * `/report` alone offers the last months as buttons (`rep.m:0:YYYY-MM`). While the files are built the
 * chat shows «отправляет файл…» (sendChatAction upload_document).
 */
export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const allowed = (ctx: BotContext) => !!ctx.staff && (ctx.staff.roles as string[]).some((r) => ALLOWED.includes(r));

  composer.command('report', async (ctx) => {
    if (!ctx.staff) return;
    if (!allowed(ctx)) return void (await ctx.reply(ctx.t('report-not-allowed')));
    const arg = (ctx.match ?? '').trim();
    if (!arg) return void (await ctx.reply(ctx.t('report-usage'), { reply_markup: { inline_keyboard: monthButtons(app, ctx) } }));
    if (!parseMonth(arg, app.org.organization.timezone)) return void (await ctx.reply(ctx.t('report-bad-month', { value: arg.slice(0, 20) })));
    await sendReport(app, ctx, arg);
  });

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = reportCallbacks.decode(ctx.callbackQuery.data);
    if (!cb || !ctx.staff) return reportCallbacks.claims(ctx.callbackQuery.data) && ctx.staff ? refuseUnreadable(ctx) : next();
    if (!allowed(ctx)) return void (await ctx.answerCallbackQuery({ text: ctx.t('report-not-allowed'), show_alert: true }));
    if (!parseMonth(cb.arg, app.org.organization.timezone)) return void (await ctx.answerCallbackQuery({ text: ctx.t('report-bad-month', { value: cb.arg }), show_alert: true }));
    await ctx.answerCallbackQuery();
    await sendReport(app, ctx, cb.arg);
  });
  return composer;
}

/** The last complete months, newest first, three to a row, named as people say them («Октябрь 2026»). */
function monthButtons(app: AppContext, ctx: BotContext) {
  const locale = (ctx.staff?.locale ?? app.org.organization.locale) === 'en' ? 'en' : 'ru';
  const now = app.clock.now().setZone(app.org.organization.timezone).startOf('month');
  const months = Array.from({ length: OFFERED_MONTHS }, (_, i) => now.minus({ months: i + 1 }).toFormat('yyyy-MM'));
  const buttons = months.map((m) => {
    const title = monthTitle(m, locale);
    return { text: title.charAt(0).toUpperCase() + title.slice(1), callback_data: reportCallbacks.encode('m', 0, m) };
  });
  return [buttons.slice(0, 3), buttons.slice(3, 6)];
}

async function sendReport(app: AppContext, ctx: BotContext, month: string): Promise<void> {
  const locale = (ctx.staff!.locale ?? app.org.organization.locale) === 'en' ? 'en' : 'ru';
  const action = () => ctx.replyWithChatAction('upload_document').catch(() => undefined);
  await action();
  const timer = setInterval(action, ACTION_EVERY_MS);
  try {
    // Built off the event loop: the bot keeps answering while a large month is counted.
    const report = await buildMonthlyReportInWorker(app, month);
    const files = await writeReportFiles(app, report, path.join(reportsDir(app, month), locale), locale);
    await ctx.reply(files.message, { parse_mode: 'HTML' });
    const caption = reportCaption(app, locale, month);
    await ctx.replyWithDocument(new InputFile(files.xlsx, path.basename(files.xlsx)), { caption });
    await ctx.replyWithPhoto(new InputFile(files.png, path.basename(files.png)), { caption });
  } finally {
    clearInterval(timer);
  }
}
