import { HttpError, type Transformer } from 'grammy';
import { Bot as MaxBot, MaxError, type Api as MaxApi } from '@maxhub/max-bot-api';
import type { Message as MaxMessage, AttachmentRequest, MessageTextFormat } from '@maxhub/max-bot-api/types';
import type { Db } from '../db/connection.js';
import { maxMessageNumber, maxMessageOf } from '../db/repositories/max.js';
import { isMaxWorkspace, maxUserOf, MAX_TEXT_LIMIT } from '../kernel/workspace-id.js';
import { CALLBACK_PREFIX, keyboardAttachment, maxHtml } from './translate.js';

/** The official client pointed at MAX_API_ROOT (the fake server in tests); only its API is used, never its polling. */
export function maxApi(token: string, baseUrl: string): MaxApi {
  return new MaxBot(token, { clientOptions: { baseUrl } }).api;
}

/** The body of POST /messages and PUT /messages (modules/messages/types.d.ts MessageBody). */
type MessageBody = { text?: string | null; attachments?: AttachmentRequest[] | null; format?: MessageTextFormat | null };

type Payload = Record<string, unknown>;
type Result = { ok: true; result: unknown } | { ok: false; error_code: number; description: string };

/**
 * The grammY API transformer of the MAX bridge: every Bot API call whose chat is a MAX workspace chat
 * (or whose callback query came from MAX) goes to the MAX Bot API and gets back a Telegram-shaped
 * result; everything else goes on to Telegram untouched. A MAX refusal becomes a Bot API error with
 * the same HTTP status (so the outbox classifies it like Telegram's: 429/5xx retry, 400/403/404 give
 * up), a network failure an HttpError.
 */
export function maxTransformer(api: MaxApi, db: Db, now: () => number = Date.now): Transformer {
  const bridge = new MaxBridge(api, db, now);
  return async (prev, method, payload, signal) => {
    if (!bridge.owns(method, payload as Payload)) return prev(method, payload, signal);
    try {
      return (await bridge.call(method, payload as Payload)) as never;
    } catch (err) {
      if (err instanceof MaxError) return { ok: false, error_code: err.status, description: `MAX ${err.code}: ${err.description}` } as never;
      throw new HttpError(`Network request for MAX '${method}' failed!`, err);
    }
  };
}

class MaxBridge {
  constructor(
    private readonly api: MaxApi,
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  owns(method: string, p: Payload): boolean {
    if (method === 'answerCallbackQuery') return String(p['callback_query_id'] ?? '').startsWith(CALLBACK_PREFIX);
    if (method === 'setMyCommands' || method === 'deleteMyCommands') return isMaxWorkspace((p['scope'] as { chat_id?: number } | undefined)?.chat_id);
    return isMaxWorkspace(p['chat_id'] as number | undefined);
  }

  async call(method: string, p: Payload): Promise<Result> {
    const chatId = Number(p['chat_id']);
    switch (method) {
      case 'sendMessage':
        return this.send(chatId, { ...this.body(p['text'], p), attachments: this.attachments(p) }, p);
      case 'editMessageText':
        return this.edit(chatId, p, { ...this.body(p['text'], p), attachments: this.attachments(p) });
      case 'editMessageCaption':
        return this.edit(chatId, p, { ...this.body(p['caption'], p), attachments: this.attachments(p) });
      case 'editMessageReplyMarkup':
        // Telegram: the markup alone changes; MAX PUT /messages with only `attachments` keeps the text.
        return this.edit(chatId, p, { attachments: this.attachments(p) });
      case 'deleteMessage': {
        const mid = this.midOf(p['message_id']);
        if (!mid) return notFound('message to delete not found');
        await this.api.deleteMessage(mid);
        return { ok: true, result: true };
      }
      case 'answerCallbackQuery': {
        const text = typeof p['text'] === 'string' ? p['text'] : '';
        // MAX needs `message` or `notification` in POST /answers; a silent acknowledgement has nothing to say.
        if (!text) return { ok: true, result: true };
        const callbackId = String(p['callback_query_id']).slice(CALLBACK_PREFIX.length);
        // dev.max.ru/docs-api/methods/POST/answers: body { message?, notification? }; the library's type names only `message`.
        await this.api.raw.messages.answerOnCallback({ callback_id: callbackId, notification: text } as never);
        return { ok: true, result: true };
      }
      case 'sendPhoto': {
        // A photo by URL is an image attachment (attachment-request.d.ts ImageAttachmentRequest.payload.url); a file is uploaded first.
        const photo = p['photo'];
        const image = typeof photo === 'string' ? { type: 'image' as const, payload: { url: photo } } : (await this.api.uploadImage({ source: fileSource(photo) })).toJson();
        return this.send(chatId, { ...this.body(p['caption'], p), attachments: [image, ...this.attachments(p)] }, p);
      }
      case 'sendDocument': {
        const doc = p['document'];
        if (typeof doc === 'string') return unsupported(method, 'a document by file_id or URL cannot be sent to MAX');
        const file = (await this.api.uploadFile({ source: fileSource(doc) })).toJson();
        return this.send(chatId, { ...this.body(p['caption'], p), attachments: [file, ...this.attachments(p)] }, p);
      }
      // MAX has one command menu per bot (PATCH /me/commands), none per chat; a dialog shows no typing for a user id.
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'sendChatAction':
      case 'pinChatMessage':
        return { ok: true, result: true };
      default:
        return unsupported(method, 'the MAX bridge does not translate it');
    }
  }

  private body(text: unknown, p: Payload): MessageBody {
    const s = typeof text === 'string' ? text : '';
    const html = p['parse_mode'] === 'HTML';
    return { text: html ? maxHtml(s) : s, ...(html ? { format: 'html' as const } : {}) };
  }

  private attachments(p: Payload): NonNullable<MessageBody['attachments']> {
    const kb = keyboardAttachment(p['reply_markup']);
    return kb ? [kb] : [];
  }

  private async send(chatId: number, body: MessageBody, p: Payload): Promise<Result> {
    if ((body.text ?? '').length > MAX_TEXT_LIMIT) return { ok: false, error_code: 400, description: `Bad Request: message is too long for MAX (${MAX_TEXT_LIMIT} characters)` };
    const replyTo = this.midOf((p['reply_parameters'] as { message_id?: number } | undefined)?.message_id);
    const extra = {
      ...body,
      ...(body.attachments?.length ? {} : { attachments: undefined }),
      ...(replyTo ? { link: { type: 'reply' as const, mid: replyTo } } : {}),
      ...(p['disable_notification'] ? { notify: false } : {}),
      ...((p['link_preview_options'] as { is_disabled?: boolean } | undefined)?.is_disabled ? { disable_link_preview: true } : {}),
    };
    const message = await this.api.sendMessageToUser(maxUserOf(chatId), body.text ?? '', extra);
    return { ok: true, result: this.telegramMessage(chatId, message) };
  }

  private async edit(chatId: number, p: Payload, body: MessageBody): Promise<Result> {
    const id = Number(p['message_id']);
    const mid = this.midOf(id);
    if (!mid) return { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' };
    if ((body.text ?? '').length > MAX_TEXT_LIMIT) return { ok: false, error_code: 400, description: `Bad Request: message is too long for MAX (${MAX_TEXT_LIMIT} characters)` };
    await this.api.editMessage(mid, body);
    return { ok: true, result: { message_id: id, date: Math.floor(this.now() / 1000), chat: { id: chatId, type: 'private', first_name: '' }, text: body.text ?? '' } };
  }

  private midOf(id: unknown): string | null {
    return typeof id === 'number' ? (maxMessageOf(this.db, id)?.mid ?? null) : null;
  }

  private telegramMessage(chatId: number, m: MaxMessage): Record<string, unknown> {
    return {
      message_id: maxMessageNumber(this.db, m.body.mid, chatId, this.now()),
      date: Math.floor(m.timestamp / 1000),
      chat: { id: chatId, type: 'private', first_name: '' },
      text: m.body.text ?? '',
    };
  }
}

/** grammY's InputFile (a path or a buffer) as the library's upload source. */
function fileSource(file: unknown): string | Buffer {
  const f = (file as { fileData?: unknown } | undefined)?.fileData;
  if (typeof f === 'string' || Buffer.isBuffer(f)) return f;
  throw new Error('MAX bridge: only files on disk or in memory can be uploaded');
}

function notFound(description: string): Result {
  return { ok: false, error_code: 400, description: `Bad Request: ${description}` };
}

function unsupported(method: string, why: string): Result {
  return { ok: false, error_code: 400, description: `Bad Request: ${method} in a MAX chat: ${why}` };
}
