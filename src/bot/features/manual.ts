import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { AppContext } from '../../app/context.js';
import { ingestMessage } from '../../db/repositories/index.js';
import type { IncomingMessage } from '../../domain/workflow/model.js';
import type { BotContext } from '../context.js';
import { getConversation } from '../conversation/store.js';
import { actorOf, refusalText, workflowContext } from '../run-command.js';
import type { Db } from '../../db/connection.js';
import { eq } from 'drizzle-orm';
import { cases } from '../../db/schema/cases.js';

const URL_RE = /https?:\/\/[^\s<>"]+/i;

/** The network a link points to. */
export function networkOfLink(url: string | null): string {
  if (!url) return 'other';
  let host = '';
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
 * The manual registration of a message (issue 5 §2): the administrator forwards a message to the bot,
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
    try {
      const r = ingestMessage(app.db, incoming, workflowContext(app), {
        actor: actorOf(me),
        findCaseForReply: () => null,
        onEffects: (tx, effects) => app.applyEffects(tx as Db, effects),
      });
      const number = r.caseId !== null ? app.db.select({ n: cases.number }).from(cases).where(eq(cases.id, r.caseId)).get()?.n : undefined;
      await ctx.reply(ctx.t(r.duplicate ? 'manual-duplicate' : 'manual-registered', { number: number ?? '—', network: ctx.t(`network-${incoming.network}`) }), {
        reply_parameters: { message_id: ctx.message.message_id },
      });
    } catch (err) {
      const refusal = (err as { refusal?: Parameters<typeof refusalText>[2] }).refusal;
      if (!refusal) throw err;
      await ctx.reply(refusalText(app, me.locale, refusal));
    }
  });
  return composer;
}
