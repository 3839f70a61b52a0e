/** Source keys of comments in the administration's Telegram channel discussion group: `tg:<chat>_<message>`. */
export const telegramKey = (chatId: number, messageId: number): string => `tg:${chatId}_${messageId}`;

export function parseTelegramKey(key: string): { chatId: number; messageId: number } | null {
  const m = /^tg:(-?\d+)_(\d+)$/.exec(key);
  return m ? { chatId: Number(m[1]), messageId: Number(m[2]) } : null;
}
