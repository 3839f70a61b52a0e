import path from 'node:path';
import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import type { ChannelAdapter, Failure, Sender } from './worker.js';

/**
 * The outbox channel for Telegram. An action is a Bot API call: `action` is the method name and
 * `payload` its parameters (files by file_id or URL, so a row can be retried after a restart).
 * Features add their own senders (e.g. a card edit that needs the card's message id) with `extraSenders`.
 */
export function telegramChannel(api: Api, extraSenders: Record<string, Sender> = {}): ChannelAdapter {
  const call =
    (method: string): Sender =>
    async (payload) => {
      let result: unknown;
      try {
        result = (await api.raw[method as keyof Api['raw']](payload as never)) as unknown;
      } catch (err) {
        // The message already shows exactly this (a repeated card edit): that is success.
        if (err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description)) return { notModified: true };
        throw err;
      }
      if (result && typeof result === 'object') {
        const r = result as { message_id?: number; chat?: { id: number } };
        if (Array.isArray(result)) return { messageIds: (result as { message_id: number }[]).map((m) => m.message_id) };
        return { messageId: r.message_id ?? null, chatId: r.chat?.id ?? null };
      }
      return { ok: result === true };
    };
  const methods = ['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption', 'deleteMessage', 'sendPhoto', 'sendVideo', 'sendDocument', 'sendMediaGroup', 'pinChatMessage'];
  const senders: Record<string, Sender> = Object.fromEntries(methods.map((m) => [m, call(m)]));
  return {
    senders: { ...senders, ...extraSenders },
    classify: classifyTelegramError,
    // Telegram: about 1 message/s per private chat, 20/min per group. Edits of messages
    // already in a chat have their own lane per chat (`tgedit:<chat>`, see cards/registry.ts), also 1/s.
    spacingMs: (key) => (key.startsWith('tg:-') ? 3_100 : 1_000),
    perSecond: 25,
  };
}

export function classifyTelegramError(err: unknown): Failure {
  if (err instanceof GrammyError) {
    const desc = `telegram ${err.error_code}: ${err.description}`;
    if (err.error_code === 429) return { retry: true, afterMs: (err.parameters.retry_after ?? 5) * 1_000, reason: desc };
    if (err.error_code >= 500) return { retry: true, reason: desc };
    // 400 bad request, 403 blocked by the user / kicked: retrying cannot help.
    return { retry: false, reason: desc };
  }
  if (err instanceof HttpError) return { retry: true, reason: `network: ${err.message}` };
  return { retry: true, reason: err instanceof Error ? err.message : String(err) };
}

/**
 * Outbox sender for report files: `payload.file` is a path on this machine, uploaded as a
 * multipart InputFile through the channel's own sendDocument/sendPhoto sender.
 */
export function reportFileSender(telegram: ChannelAdapter): Sender {
  return async (payload, row) => {
    const { method, file, ...rest } = payload as { method: 'sendDocument' | 'sendPhoto'; file: string } & Record<string, unknown>;
    const base = telegram.senders[method];
    if (!base) throw new Error(`telegram channel has no ${method} sender`);
    const field = method === 'sendPhoto' ? 'photo' : 'document';
    return base({ ...rest, [field]: new InputFile(file, path.basename(file)) }, row);
  };
}
