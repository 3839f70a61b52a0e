import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { AppContext } from '../../kernel/context.js';
import { ingestMessage } from '../../db/repositories/index.js';
import type { IncomingMessage } from '../../domain/workflow/model.js';
import type { BotContext } from '../context.js';
import { getConversation } from '../../db/repositories/conversations.js';
import { actorOf, refusalText, workflowContext } from '../run-command.js';
import type { Db } from '../../db/connection.js';
import { caseNumberOf } from '../../db/repositories/case-store.js';
import { deleteKv, getKv, setKvOnce } from '../../db/repositories/kv.js';
import { manualCallbacks, refuseUnreadable } from '../callbacks/index.js';
import { escapeHtml } from '../format/html.js';
import { clip } from './executor.js';

const URL_RE = /https?:\/\/[^\s<>"]+/i;

/** The network a link points to. */
export function networkOfLink(url: string | null): string {
  if (!url) return 'other';
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^(www|m)\./, '');
  } catch {
    return 'other';
  }
  if (/(^|\.)(ok\.ru|odnoklassniki\.ru)$/.test(host)) return 'ok';
  if (/(^|\.)(t\.me|telegram\.me|telegram\.org)$/.test(host)) return 'telegram';
  if (/(^|\.)(vk\.com|vk\.ru|vkontakte\.ru)$/.test(host)) return 'vk';
  if (/(^|\.)(facebook\.com|fb\.com)$/.test(host)) return 'facebook';
  if (/(^|\.)instagram\.com$/.test(host)) return 'instagram';
  return 'web';
}

/**
 * The manual registration of a message: the administrator forwards a message to the bot,
 * or pastes its text with a link to it, from any network (Одноклассники, Telegram, other), and it
 * becomes a case of kind `manual` with that network — registered by him, detected now. Only outside any
 * conversation (a text typed as a draft or a reason is not a new case).
 */
export function buildManualMessage(app: AppContext, msg: Message, unknownAuthor: string): IncomingMessage | null {
  const text = (msg.text ?? msg.caption ?? '').trim();
  const origin = msg.forward_origin;
  const link = URL_RE.exec(text)?.[0]?.replace(/[).,;]+$/, '') ?? null;
  let author = { externalId: null as string | null, name: unknownAuthor, profileUrl: null as string | null };
  let permalink = link;
  let network = networkOfLink(link);
  if (origin) {
    network = link ? network : 'telegram';
    if (origin.type === 'user') {
      const u = origin.sender_user;
      author = { externalId: `tg:${u.id}`, name: [u.first_name, u.last_name].filter(Boolean).join(' '), profileUrl: u.username ? `https://t.me/${u.username}` : null };
    } else if (origin.type === 'hidden_user') {
      author = { externalId: null, name: origin.sender_user_name, profileUrl: null };
    } else if (origin.type === 'channel') {
      const ch = origin.chat;
      author = { externalId: `tg:${ch.id}`, name: ch.title ?? unknownAuthor, profileUrl: ch.username ? `https://t.me/${ch.username}` : null };
      if (!permalink && ch.username) permalink = `https://t.me/${ch.username}/${origin.message_id}`;
    } else if (origin.type === 'chat') {
      const ch = origin.sender_chat;
      author = { externalId: `tg:${ch.id}`, name: ('title' in ch && ch.title) || unknownAuthor, profileUrl: null };
    }
  } else if (!link) {
    return null;
  }
  if (!text) return null;
  const now = app.clock.now().toMillis();
  const attachments = msg.photo ? [{ type: 'photo', url: null, ref: msg.photo[msg.photo.length - 1]!.file_id }] : [];
  return {
    sourceKey: `manual:tg:${msg.chat.id}:${msg.message_id}`,
    kind: 'manual',
    network,
    threadKey: null,
    author,
    text,
    attachments,
    permalink,
    publishedAt: origin ? origin.date * 1000 : null,
    detectedAt: now,
    raw: { via: 'telegram-bot', message: msg },
  };
}

/**
 * Nothing becomes a case by accident: a link or a forward is first shown back with what was recognised
 * (network, author, text, link) and «Зарегистрировать как обращение? ✅ Да / Нет». Until «Да» the
 * message waits in `kv` under `manual:<chat>:<message>`; «Да» registers it (detected then, so the term
 * runs from the confirmation), «Нет» drops it. Callback data `man.ok|man.no:0:<message id>`.
 */
const pendingKey = (chatId: number, messageId: number) => `manual:${chatId}:${messageId}`;

export function feature(app: AppContext): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on(['message:text', 'message:caption'], async (ctx, next) => {
    const me = ctx.staff;
    if (!me || !me.roles.includes('administrator') || ctx.chat.type !== 'private') return next();
    const text = ctx.message.text ?? ctx.message.caption ?? '';
    if (text.startsWith('/')) return next();
    if (getConversation(app.db, ctx.chat.id)) return next();
    const incoming = buildManualMessage(app, ctx.message, ctx.t('manual-author-unknown'));
    if (!incoming) return next();
    const now = Date.now();
    setKvOnce(app.db, pendingKey(ctx.chat.id, ctx.message.message_id), JSON.stringify(incoming), now);
    const question = ctx.t('manual-confirm', {
      network: ctx.t(`network-${incoming.network}`),
      author: escapeHtml(incoming.author.name),
      text: escapeHtml(clip(incoming.text, 500)),
      link: escapeHtml(incoming.permalink ?? '—'),
    });
    const b = (label: string, action: 'ok' | 'no') => ({ text: ctx.t(label), callback_data: manualCallbacks.encode(action, 0, ctx.message.message_id) });
    await ctx.reply(question, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_parameters: { message_id: ctx.message.message_id },
      reply_markup: { inline_keyboard: [[b('manual-confirm-yes', 'ok'), b('manual-confirm-no', 'no')]] },
    });
  });

  composer.on('callback_query:data', async (ctx, next) => {
    const cb = manualCallbacks.decode(ctx.callbackQuery.data);
    if (!cb || !ctx.staff || !ctx.chat) return manualCallbacks.claims(ctx.callbackQuery.data) && ctx.staff ? refuseUnreadable(ctx) : next();
    const me = ctx.staff;
    if (!me.roles.includes('administrator')) return void (await ctx.answerCallbackQuery({ text: ctx.t('workflow-refusal-wrong_role'), show_alert: true }));
    const key = pendingKey(ctx.chat.id, cb.arg);
    const pending = getKv(app.db, key);
    if (pending === null) return void (await ctx.answerCallbackQuery({ text: ctx.t('manual-confirm-gone'), show_alert: true }));
    deleteKv(app.db, key);
    if (cb.name === 'no') {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t('manual-not-registered'), { reply_markup: { inline_keyboard: [] } });
      return;
    }
    const incoming = { ...(JSON.parse(pending) as IncomingMessage), detectedAt: app.clock.now().toMillis() };
    try {
      const r = ingestMessage(app.db, incoming, workflowContext(app), {
        actor: actorOf(me),
        findCaseForReply: () => null,
        onEffects: (tx, effects) => app.applyEffects(tx as Db, effects),
      });
      const number = r.caseId !== null ? caseNumberOf(app.db, r.caseId) : null;
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t(r.duplicate ? 'manual-duplicate' : 'manual-registered', { number: number ?? '—', network: ctx.t(`network-${incoming.network}`) }), {
        reply_markup: { inline_keyboard: [] },
      });
    } catch (err) {
      const refusal = (err as { refusal?: Parameters<typeof refusalText>[2] }).refusal;
      if (!refusal) throw err;
      await ctx.answerCallbackQuery({ text: refusalText(app, me.locale, refusal), show_alert: true });
    }
  });
  return composer;
}
