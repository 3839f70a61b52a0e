import { Bot, Composer, GrammyError, HttpError, type Middleware } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import type { AppContext } from '../kernel/context.js';
import type { BotContext } from './context.js';
import { dedupeUpdates } from './middleware/dedupe.js';
import { loadStaff, staffOnly } from './middleware/staff.js';
import { privateChatsOnly } from './middleware/chats.js';
import * as start from './features/start.js';
import * as help from './features/help.js';
import * as reports from './features/reports.js';
import * as today from './features/today.js';
import * as invite from './features/invite.js';
import * as commands from './features/commands.js';
import * as views from './features/views.js';
import * as storm from './features/storm.js';
import * as staffFeature from './features/staff.js';
import * as adminTriage from './features/admin-triage.js';
import * as manual from './features/manual.js';
import * as conversation from './conversation/feature.js';
import * as executor from './features/executor.js';
import * as departmentHead from './features/department-head.js';
import * as approval from './features/approval.js';
import * as extension from './features/extension.js';
import * as manualPublication from './features/manual-publication.js';
import * as controlDate from './features/control-date.js';
import * as calendarDays from './features/calendar-days.js';
import * as messenger from './features/messenger.js';

/** The bot's identity when Telegram is off (no BOT_TOKEN): never sent anywhere. */
const TELEGRAM_OFF = {
  token: '0:telegram-is-off-no-BOT_TOKEN',
  botInfo: {
    id: 0,
    is_bot: true as const,
    first_name: 'Otklik',
    username: 'otklik_telegram_off',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  } satisfies UserFromGetMe,
};

export type Feature = { feature(app: AppContext): Composer<BotContext> };

/** Features for people who are not staff yet, or for group chats (run before the staff gate). */
const openFeatures: Feature[] = [commands, invite];
/** Staff features, in the order they get an update. */
const staffFeatures: Feature[] = [
  start,
  help,
  messenger,
  conversation,
  executor,
  departmentHead,
  approval,
  extension,
  controlDate,
  calendarDays,
  manualPublication,
  views,
  storm,
  staffFeature,
  adminTriage,
  manual,
  reports,
  today,
  { feature: help.unplaced },
];

/**
 * Builds the workspace bot: transformers first (auto-retry for short flood waits), then, in a visible
 * order, per-chat sequencing, update dedupe, staff lookup, i18n, the open features, the staff gate and
 * the staff features — each behind an error boundary so one failure does not take down the others.
 */
export function buildBot(app: AppContext, groupFeatures: Feature[] = []): Bot<BotContext> {
  // Without BOT_TOKEN (every person works in MAX) the same bot runs the workspace with no Telegram behind it:
  // it never asks Telegram who it is (getMe) and never polls; src/max feeds it and routes its calls to MAX.
  const bot = new Bot<BotContext>(app.env.BOT_TOKEN ?? TELEGRAM_OFF.token, {
    client: { apiRoot: app.env.TELEGRAM_API_ROOT, timeoutSeconds: 30 },
    ...(app.env.BOT_TOKEN ? {} : { botInfo: TELEGRAM_OFF.botInfo }),
  });
  // Reachability sees each raw attempt, so it is installed first (innermost, inside auto-retry).
  if (app.observe) bot.api.config.use(app.observe.telegramTransformer);
  // Only short flood waits are waited out inside a call. A network error or a 5xx is thrown at once: the
  // outbox keeps the retry schedule (lanes.ts), and a call must not hang retrying while Telegram is down.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5, rethrowHttpErrors: true, rethrowInternalServerErrors: true }));

  bot.use(sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? '')));
  bot.use((ctx, next) => {
    ctx.app = app;
    return next();
  });
  bot.use(dedupeUpdates);
  bot.use(privateChatsOnly);
  bot.use(loadStaff);
  bot.use(app.i18n.middleware() as unknown as Middleware<BotContext>);
  bot.use(async (ctx, next) => {
    ctx.i18n.useLocale(ctx.staff?.locale ?? app.org.organization.locale);
    await next();
  });
  for (const f of [...openFeatures, ...groupFeatures]) bot.errorBoundary(boundary(app), f.feature(app));
  bot.use(staffOnly);
  for (const f of staffFeatures) bot.errorBoundary(boundary(app), f.feature(app));

  bot.catch((err) => app.logger.error({ err: describe(err.error), update: err.ctx.update.update_id }, 'bot: unhandled error'));
  return bot;
}

function boundary(app: AppContext) {
  return async (err: { error: unknown; ctx: BotContext }) => {
    app.logger.error({ err: describe(err.error), update: err.ctx.update.update_id }, 'bot: feature failed');
    try {
      if (err.ctx.callbackQuery) await err.ctx.answerCallbackQuery({ text: err.ctx.t('error-generic'), show_alert: true });
      else if (err.ctx.chat) await err.ctx.reply(err.ctx.t('error-generic'));
    } catch {
      // The apology itself failed (Telegram down): already logged above.
    }
  };
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) return { kind: 'telegram', code: error.error_code, description: error.description, method: error.method };
  if (error instanceof HttpError) return { kind: 'network', message: error.message };
  if (error instanceof Error) return { kind: 'error', message: error.message, stack: error.stack };
  return { kind: 'unknown', value: String(error) };
}
