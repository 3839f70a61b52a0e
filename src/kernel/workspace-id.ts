/**
 * A staff member's workspace id: the chat id the bot and the outbox use for him. In Telegram it is his
 * Telegram user id; in MAX it is MAX_WORKSPACE_BASE + his MAX user_id. Telegram user ids fit in 52 bits
 * (core.telegram.org/bots/api#user: "at most 52 significant bits"), so the two ranges never meet and
 * every id stays a safe JavaScript integer.
 */
export const MAX_WORKSPACE_BASE = 2 ** 52;

export function maxWorkspaceId(maxUserId: number): number {
  if (!Number.isSafeInteger(maxUserId) || maxUserId <= 0 || maxUserId >= MAX_WORKSPACE_BASE) throw new RangeError(`not a MAX user id: ${maxUserId}`);
  return MAX_WORKSPACE_BASE + maxUserId;
}

export function isMaxWorkspace(id: number | string | null | undefined): boolean {
  const n = typeof id === 'string' ? Number(id) : id;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > MAX_WORKSPACE_BASE;
}

/** The MAX user id behind a MAX workspace id (throws for a Telegram id). */
export function maxUserOf(id: number): number {
  if (!isMaxWorkspace(id)) throw new RangeError(`not a MAX workspace id: ${id}`);
  return id - MAX_WORKSPACE_BASE;
}

/** A staff entry of the organization file with the chat id of the messenger he works in. */
export function withWorkspaceId<T extends { telegramId?: number; maxUserId?: number; messenger?: 'telegram' | 'max' }>(s: T): T & { workspaceId: number } {
  const inMax = (s.messenger ?? (s.telegramId !== undefined ? 'telegram' : 'max')) === 'max';
  return { ...s, workspaceId: inMax ? maxWorkspaceId(s.maxUserId!) : s.telegramId! };
}

/** MAX refuses a text over 4000 characters (dev.max.ru/docs-api/methods/POST/messages: text «до 4000 символов»). */
export const MAX_TEXT_LIMIT = 4000;

/**
 * The outbox channel of a staff action: an action queued for the workspace (channel `telegram`) whose
 * chat is a MAX workspace goes to channel `max` — its own lane, so a MAX outage holds no Telegram send
 * and the other way round. The senders are the same; the bot's API routes the call to MAX (src/max).
 */
export function staffChannel<T extends { channel: string; payload: Record<string, unknown> }>(action: T): T {
  if (action.channel !== 'telegram') return action;
  const chat = action.payload['chat_id'] ?? action.payload['chatId'];
  return isMaxWorkspace(chat as number | string | undefined) ? { ...action, channel: 'max' } : action;
}
