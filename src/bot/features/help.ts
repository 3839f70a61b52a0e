import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Composer } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import { caseNumberOf } from '../../db/repositories/case-store.js';
import { caseOfBotMessage } from '../../db/repositories/outbox-lookups.js';
import { helpCallbacks, refuseUnreadable } from '../callbacks/index.js';
import { HELP_ROLES } from '../callbacks/menus.js';
import type { BotContext, StaffRow } from '../context.js';
import { roleTitle } from '../cards/format.js';
import { escapeHtml, splitText } from '../format/html.js';
import { openCaseKeyboard } from '../../kernel/case-link.js';
import { maySee } from './views.js';

/**
 * The bot explains itself: `/help` says what each of the person's roles does here and with which
 * commands, with a button per role that sends that role's page of the staff guide (docs/guide-ru.md);
 * `/start` names the next step (startNextStep); and any message no feature placed — free text, a
 * reply to a bot message, an unknown command — gets an answer instead of silence (`unplaced`).
 */

/** The roles that have a help text and a page in the guide, in the order /help lists them. */
export const guidePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/guide-ru.md');

const rolesOf = (me: StaffRow) => HELP_ROLES.filter((r) => me.roles.includes(r));
const localeOf = (app: AppContext, me: StaffRow) => me.locale ?? app.org.organization.locale;

/** The text of /help for a person: a section per role he holds, then the commands everyone has. */
export function helpText(app: AppContext, me: StaffRow): string {
  const loc = localeOf(app, me);
  const roles = rolesOf(me);
  const sections = roles.map((r) => app.t(loc, `help-${r}`, { title: escapeHtml(roleTitle(app, r, loc)), publisher: publisherNote(app, r, loc) }));
  return [app.t(loc, 'help-title', { name: escapeHtml(me.name) }), ...sections, app.t(loc, 'help-common')].join('\n\n');
}

/** Who publishes the approved answer is the regulation's choice (К14: the executor; А7.7: the administrator). */
function publisherNote(app: AppContext, role: string, loc: string): string {
  const publisher = app.regulation.rules.publisher;
  return role === publisher ? app.t(loc, 'help-you-publish') : '';
}

/** The next step after /start, for the person's first role that has one. */
export function startNextStep(app: AppContext, me: StaffRow): string {
  const loc = localeOf(app, me);
  const role = rolesOf(me)[0];
  return role ? app.t(loc, `start-next-${role}`) : app.t(loc, 'help-common');
}

/**
 * The page of the staff guide for one role: the part of docs/guide-ru.md between `<!-- role: X -->` and
 * the next such mark, as plain text (the Markdown marks dropped). Null when the guide is not there.
 */
export function guideSection(role: string, file = guidePath): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const parts = text.split(/^<!-- role: ([a-z_]+) -->$/m);
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i] !== role) continue;
    return parts[i + 1]!.replace(/^#+\s*/gm, '')
      .replace(/\*\*(.+?)\*\*/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .trim();
  }
  return null;
}

export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('help', async (ctx) => {
    const me = ctx.staff!;
    const loc = localeOf(app, me);
    const rows = rolesOf(me).map((r) => [{ text: app.t(loc, 'help-guide-btn', { title: roleTitle(app, r, loc) }), callback_data: helpCallbacks.encode('guide', 0, r) }]);
    await ctx.reply(helpText(app, me), { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(rows.length ? { reply_markup: { inline_keyboard: rows } } : {}) });
  });

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = helpCallbacks.decode(ctx.callbackQuery.data);
    if (!cb || !ctx.staff) return helpCallbacks.claims(ctx.callbackQuery.data) && ctx.staff ? refuseUnreadable(ctx) : next();
    const section = guideSection(cb.arg);
    if (!section) return void (await ctx.answerCallbackQuery({ text: ctx.t('help-guide-missing'), show_alert: true }));
    await ctx.answerCallbackQuery();
    for (const part of splitText(section)) await ctx.reply(part, { link_preview_options: { is_disabled: true } });
  });
  return composer;
}

/** Runs after every staff feature: a private message nobody handled gets an answer that says what to do. */
export function unplaced(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('message', async (ctx) => {
    if (!ctx.staff || ctx.chat.type !== 'private') return;
    const msg = ctx.msg;
    // An album arrives as several messages: one answer is enough (its first photo has the caption).
    if (msg.media_group_id && !msg.caption) return;
    const text = msg.text ?? '';
    if (/^\/[A-Za-z0-9_]+/.test(text)) return void (await ctx.reply(ctx.t('help-unknown-command', { command: escapeHtml(text.split(/\s/)[0]!) }), { parse_mode: 'HTML' }));
    const replyTo = msg.reply_to_message?.message_id;
    const c = replyTo !== undefined ? caseOfBotReply(app, ctx.chat.id, replyTo) : null;
    if (c && maySee(app, ctx.staff, c.id)) {
      const loc = localeOf(app, ctx.staff);
      return void (await ctx.reply(ctx.t('help-unplaced-reply', { number: c.number }), { parse_mode: 'HTML', reply_markup: { inline_keyboard: openCaseKeyboard(app, loc, c.id) } }));
    }
    await ctx.reply(ctx.t('help-unplaced'), { parse_mode: 'HTML' });
  });
  return composer;
}

/** The case a bot message in this chat was about (see caseOfBotMessage in the outbox lookups). */
function caseOfBotReply(app: AppContext, chatId: number, messageId: number): { id: number; number: number } | null {
  const caseId = caseOfBotMessage(app.db, chatId, messageId);
  const number = caseId === null ? null : caseNumberOf(app.db, caseId);
  return caseId === null || number === null ? null : { id: caseId, number };
}
