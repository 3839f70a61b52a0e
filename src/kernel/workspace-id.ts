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
