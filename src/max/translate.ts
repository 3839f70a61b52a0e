import type { Update as TgUpdate, Message as TgMessage, User as TgUser, InlineKeyboardButton } from 'grammy/types';
import type { Update as MaxUpdate, User as MaxUser, Message as MaxMessage, Button } from '@maxhub/max-bot-api/types';
import { maxWorkspaceId } from '../kernel/workspace-id.js';

/**
 * MAX ↔ Telegram shapes for the staff workspace bridge. MAX shapes are the official library's types
 * (@maxhub/max-bot-api, dist/core/network/api/types: subcription.d.ts for updates, message.d.ts,
 * keyboard.d.ts, attachment-request.d.ts); Telegram's are grammY's.
 */

/** Update types the staff bot asks for (GET /updates `types`, POST /subscriptions `update_types`). */
export const STAFF_UPDATE_TYPES = ['message_created', 'message_callback', 'bot_started'] as const;

/**
 * A stable key per update: MAX updates carry no id, and a long-polled update comes again until the
 * marker passes it, so the stored row is keyed by what identifies the event.
 */
export function updateKey(u: MaxUpdate): string {
  switch (u.update_type) {
    case 'message_created':
      return `msg:${u.message.body.mid}`;
    case 'message_callback':
      return `cb:${u.callback.callback_id}`;
    case 'bot_started':
      return `start:${u.user.user_id}:${u.timestamp}`;
    default:
      return `${u.update_type}:${u.timestamp}:${JSON.stringify(u).length}`;
  }
}

function tgUser(u: MaxUser): TgUser {
  return {
    id: maxWorkspaceId(u.user_id),
    is_bot: u.is_bot,
    first_name: u.first_name || u.name || String(u.user_id),
    ...(u.last_name ? { last_name: u.last_name } : {}),
    ...(u.username ? { username: u.username } : {}),
  };
}

function privateChat(u: MaxUser): TgMessage['chat'] {
  return { id: maxWorkspaceId(u.user_id), type: 'private', first_name: u.first_name || u.name || String(u.user_id) };
}

/** grammY's commands match on a `bot_command` entity at offset 0, as Telegram marks `/start …`. */
function withCommandEntity(text: string): Pick<TgMessage, 'text' | 'entities'> {
  const command = /^\/[A-Za-z0-9_]+/.exec(text);
  return { text, ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}) };
}

export interface MessageNumbers {
  /** The integer id standing for a MAX message id (the same every time). */
  numberOf(mid: string, chatId: number): number;
}

/**
 * The Telegram update a MAX update stands for, or null when the workspace has no use for it (a group
 * chat, a bot's own message, an event type the workspace does not handle).
 */
export function toTelegramUpdate(u: MaxUpdate, updateId: number, ids: MessageNumbers): TgUpdate | null {
  switch (u.update_type) {
    case 'message_created': {
      const m = u.message;
      if (m.recipient.chat_type !== 'dialog' || !m.sender || m.sender.is_bot) return null;
      const chat = privateChat(m.sender);
      const reply = m.link?.type === 'reply' ? m.link.message : null;
      const message = {
        message_id: ids.numberOf(m.body.mid, chat.id),
        date: Math.floor(m.timestamp / 1000),
        chat,
        from: tgUser(m.sender),
        ...withCommandEntity(m.body.text ?? ''),
        ...(reply ? { reply_to_message: { message_id: ids.numberOf(reply.mid, chat.id), date: Math.floor(m.timestamp / 1000), chat, text: reply.text ?? '' } } : {}),
      } as TgMessage;
      return { update_id: updateId, message } as TgUpdate;
    }
    case 'message_callback': {
      const { callback } = u;
      const chat = privateChat(callback.user);
      const shown = u.message;
      return {
        update_id: updateId,
        callback_query: {
          id: `${CALLBACK_PREFIX}${callback.callback_id}`,
          from: tgUser(callback.user),
          chat_instance: `max:${callback.user.user_id}`,
          data: callback.payload ?? '',
          ...(shown ? { message: shownMessage(shown, chat, ids) } : {}),
        },
      } as TgUpdate;
    }
    case 'bot_started': {
      // A deep link max.ru/<bot>?start=<payload> opens the dialog with this payload: the workspace's `/start <invite>`.
      const chat = privateChat(u.user);
      return {
        update_id: updateId,
        message: {
          message_id: ids.numberOf(`started:${u.user.user_id}:${u.timestamp}`, chat.id),
          date: Math.floor(u.timestamp / 1000),
          chat,
          from: tgUser(u.user),
          ...withCommandEntity(u.payload ? `/start ${u.payload}` : '/start'),
        },
      } as TgUpdate;
    }
    default:
      return null;
  }
}

function shownMessage(m: MaxMessage, chat: TgMessage['chat'], ids: MessageNumbers): TgMessage {
  return { message_id: ids.numberOf(m.body.mid, chat.id), date: Math.floor(m.timestamp / 1000), chat, text: m.body.text ?? '' } as TgMessage;
}

/** Callback query ids the bridge made up for MAX presses (answerCallbackQuery goes to POST /answers). */
export const CALLBACK_PREFIX = 'max:';

/** Telegram inline_keyboard → MAX inline_keyboard attachment (keyboard.d.ts: callback / link buttons). */
export function keyboardAttachment(markup: unknown): { type: 'inline_keyboard'; payload: { buttons: Button[][] } } | null {
  const rows = (markup as { inline_keyboard?: InlineKeyboardButton[][] } | undefined)?.inline_keyboard;
  if (!rows?.length) return null;
  const buttons = rows
    .map((row) =>
      row.flatMap((b): Button[] => {
        if ('callback_data' in b && b.callback_data !== undefined) return [{ type: 'callback', text: b.text, payload: b.callback_data }];
        if ('url' in b && b.url) return [{ type: 'link', text: b.text, url: b.url }];
        return [];
      }),
    )
    .filter((row) => row.length > 0);
  return buttons.length ? { type: 'inline_keyboard', payload: { buttons } } : null;
}

/**
 * Telegram HTML → MAX `format: 'html'`. MAX knows b/strong, i/em, u/ins, s/del, code, pre and a href
 * and blockquote (dev.max.ru/docs-api «Форматирование текста»); Telegram's own tags (tg-spoiler, span,
 * tg-emoji) are dropped, their text kept.
 */
export function maxHtml(html: string): string {
  return html.replace(/<\/?(?:tg-spoiler|tg-emoji|span)(?:\s[^>]*)?>/g, '');
}
