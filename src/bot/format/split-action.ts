import type { OutgoingAction } from '../../outbox/queue.js';
import { splitHtml, splitText, TELEGRAM_TEXT_LIMIT } from './html.js';

/**
 * Every outgoing Telegram text fits Telegram's 4096 characters: a longer `sendMessage` (a notice
 * quoting an edited long comment, a report line list) becomes several rows, in order in the chat's
 * lane, the keyboard on the last. Each part is its own row, so a retry resends only the part that
 * failed. Anything else passes unchanged.
 */
export function splitLongText(action: OutgoingAction, limit = TELEGRAM_TEXT_LIMIT): OutgoingAction[] {
  const text = action.payload['text'];
  if (action.channel === 'telegram_channel' || action.action !== 'sendMessage' || typeof text !== 'string' || text.length <= limit) return [action];
  const parts = action.payload['parse_mode'] === 'HTML' ? splitHtml(text, limit) : splitText(text, limit);
  const { reply_markup: markup, ...rest } = action.payload;
  const chat = String(action.payload['chat_id'] ?? '');
  return parts.map((part, i) => ({
    ...action,
    payload: { ...rest, text: part, ...(i === parts.length - 1 && markup !== undefined ? { reply_markup: markup } : {}) },
    // The parts keep their order: one chat lane, sent one after another.
    throttleKey: action.throttleKey ?? `tg:${chat}`,
    ...(action.idempotencyKey ? { idempotencyKey: i === 0 ? action.idempotencyKey : `${action.idempotencyKey}:part${i + 1}` } : {}),
  }));
}
