import { Composer, type Api, type Context } from 'grammy';
import { eventByKey } from '../../db/repositories/sources.js';
import type { AppContext } from '../../kernel/context.js';
import type { Attachment, IncomingMessage } from '../../domain/workflow/model.js';
import type { ChannelAdapter, Sender } from '../../outbox/worker.js';
import { classifyTelegramError } from '../../outbox/telegram-channel.js';
import { messageBySourceKey } from '../cases.js';
import { ingestThreaded, recordChange, type ThreadHints } from '../threads.js';
import { storeEvent, markEvent } from '../../db/repositories/sources.js';
import { parseTelegramKey, telegramKey } from './keys.js';

export { telegramKey, parseTelegramKey };

/**
 * The administration's Telegram channel (Ахты 4 names messengers). When the bot is a
 * member of the channel's discussion group (`org.telegramChannel.discussionChatId`), citizens'
 * comments there become cases with source `telegram`: stored in `source_events` first, then
 * ingested in one transaction (dedupe on `tg:<chat>_<message>`), so a redelivered update is one
 * message. The channel's own automatic forwards and the administration's posts are not cases.
 * The approved answer is posted as a reply to the comment through the outbox (`telegram_channel:reply`).
 */
export function telegramChannelComposer(app: AppContext): Composer<Context> {
  const composer = new Composer<Context>();
  const cfg = app.org.telegramChannel;
  if (!cfg) return composer;
  composer.filter(
    (ctx) => ctx.chat?.id === cfg.discussionChatId && Boolean(ctx.message ?? ctx.editedMessage),
    async (ctx, next) => {
      const m = ctx.message ?? ctx.editedMessage!;
      // Posts the channel forwards into its group, and messages sent on behalf of a chat (the channel, anonymous admins).
      if (m.is_automatic_forward || m.sender_chat || !m.from || m.from.is_bot) return next();
      const msg = toIncomingMessage(m as unknown as TgMessage, cfg.channelUsername, app.clock.now().toMillis());
      const now = Date.now();
      const key = `tg:${ctx.editedMessage ? 'edit' : 'new'}:${msg.sourceKey}:${ctx.editedMessage?.edit_date ?? ''}`;
      app.db.transaction((tx) => {
        storeEvent(tx, { source: 'telegram', eventKey: key, type: ctx.editedMessage ? 'edited_message' : 'message', via: 'telegram', payload: m }, now);
        const row = eventByKey(tx, key);
        if (!row || row.status !== 'pending') return;
        const existing = messageBySourceKey(tx, msg.sourceKey);
        const replyTo = (m as unknown as TgMessage).reply_to_message?.message_id;
        const hints: ThreadHints = {
          replyToSourceKeys: replyTo ? [telegramKey(m.chat.id, replyTo)] : [],
          replyToItemIds: replyTo ? [replyTo] : [],
          dialogue: false,
        };
        if (ctx.editedMessage) {
          const note = existing
            ? recordChange(tx, app, existing, { action: 'edit', text: msg.text, attachments: msg.attachments, raw: m })
            : `edit of an unknown message: ${ingestThreaded(tx, app, msg, hints)}`;
          markEvent(tx, row.id, 'done', note, now);
          return;
        }
        if (existing) {
          markEvent(tx, row.id, 'done', `duplicate of message ${existing.id}`, now);
          return;
        }
        markEvent(tx, row.id, 'done', ingestThreaded(tx, app, msg, hints), now);
      });
      return next();
    },
  );
  return composer;
}

interface TgMessage {
  message_id: number;
  date: number;
  chat: { id: number; username?: string };
  from?: { id: number; first_name: string; last_name?: string; username?: string };
  text?: string;
  caption?: string;
  photo?: { file_id: string; width: number; height: number }[];
  document?: { file_id: string; file_name?: string };
  video?: { file_id: string };
  message_thread_id?: number;
  reply_to_message?: { message_id: number };
}

/** Normalizes a discussion-group message to the incoming-message type. */
export function toIncomingMessage(m: TgMessage, channelUsername: string | undefined, now: number): IncomingMessage {
  const chatId = m.chat.id;
  const from = m.from;
  const name = from ? [from.first_name, from.last_name].filter(Boolean).join(' ') : 'Telegram';
  const attachments: Attachment[] = [];
  if (m.photo?.length) attachments.push({ type: 'photo', url: null, ref: `tg-file:${m.photo[m.photo.length - 1]!.file_id}` });
  if (m.document) attachments.push({ type: 'doc', url: null, title: m.document.file_name ?? null, ref: `tg-file:${m.document.file_id}` });
  if (m.video) attachments.push({ type: 'video', url: null, ref: `tg-file:${m.video.file_id}` });
  // Comments to one channel post share the thread of the post's automatic forward.
  const thread = m.message_thread_id ?? m.reply_to_message?.message_id ?? null;
  const internal = String(chatId).replace(/^-100/, '');
  const username = m.chat.username;
  return {
    sourceKey: telegramKey(chatId, m.message_id),
    kind: 'telegram',
    network: 'telegram',
    threadKey: thread !== null ? `tg:${chatId}:thread:${thread}` : null,
    author: {
      externalId: from ? String(from.id) : null,
      name,
      profileUrl: from?.username ? `https://t.me/${from.username}` : null,
    },
    text: m.text ?? m.caption ?? '',
    attachments,
    permalink: username ? `https://t.me/${username}/${m.message_id}` : channelUsername ? `https://t.me/c/${internal}/${m.message_id}` : `https://t.me/c/${internal}/${m.message_id}`,
    publishedAt: m.date ? m.date * 1000 : null,
    detectedAt: now,
    raw: m,
  };
}

/**
 * The outbox channel `telegram_channel`: `reply` posts the answer as a reply to the comment
 * (`reply_parameters` with `allow_sending_without_reply`, so a deleted comment does not block the
 * answer). A retried reply after a lost response may appear twice: Telegram has no idempotency key;
 * the outbox keeps such retries to network failures only.
 */
export function telegramChannelAdapter(api: Api): ChannelAdapter {
  const reply: Sender = async (payload) => {
    const p = payload as { chat_id: number; reply_to_message_id: number; text: string };
    const sent = await api.sendMessage(p.chat_id, p.text, {
      reply_parameters: { message_id: p.reply_to_message_id, allow_sending_without_reply: true },
      link_preview_options: { is_disabled: true },
    });
    const username = sent.chat.username;
    const internal = String(sent.chat.id).replace(/^-100/, '');
    return {
      messageId: sent.message_id,
      permalink: username ? `https://t.me/${username}/${sent.message_id}` : `https://t.me/c/${internal}/${sent.message_id}`,
    };
  };
  return {
    senders: { reply },
    classify: classifyTelegramError,
    spacingMs: () => 3_100,
    perSecond: 20,
  };
}
