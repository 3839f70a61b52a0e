import type { OutboxRow } from './queue.js';

/**
 * Outbox lanes: each remote the outbox talks to has its own lane — its own slots for sends in flight
 * and its own bound on retries — so an outage of one (Telegram unreachable, a revoked VK user token)
 * cannot hold the others: an approved VK answer is published while Telegram is down.
 *
 * The lane is a pure function of the row's channel and action (metrics read it the same way):
 * - `telegram`: the Bot API (cards, notices, command menus, the channel's discussion group);
 * - `vk_group`: VK calls with the community token (answers, notices to authors);
 * - `vk_user`: VK calls with the administrator's user token (bans, comment deletion);
 * - `max`: the MAX Bot API (staff workspace chats in MAX, answers to citizens in MAX).
 */
export type Lane = 'telegram' | 'vk_group' | 'vk_user' | 'max';

export interface LaneConfig {
  /** Sends in flight at once in this lane. */
  concurrency: number;
  /** Attempts before a row fails for good (told to the administrators); backoff doubles up to 10 min. */
  maxAttempts: number;
  /** Outbox channels served by this lane (for the due-rows query). */
  channels: readonly string[];
}

export const LANES: Record<Lane, LaneConfig> = {
  // 16 attempts ≈ 1 + 2 + … + 512 s, then 10 min each: about 1.5 h of outage before a row is given up.
  telegram: { concurrency: 6, maxAttempts: 16, channels: ['telegram', 'telegram_channel'] },
  vk_group: { concurrency: 3, maxAttempts: 12, channels: ['vk'] },
  vk_user: { concurrency: 1, maxAttempts: 12, channels: ['vk'] },
  max: { concurrency: 4, maxAttempts: 16, channels: ['max'] },
};

const VK_USER_ACTIONS: ReadonlySet<string> = new Set(['ban', 'unban', 'deleteComment']);

export function laneOf(row: Pick<OutboxRow, 'channel' | 'action'>): Lane {
  if (row.channel === 'vk') return VK_USER_ACTIONS.has(row.action) ? 'vk_user' : 'vk_group';
  if (row.channel === 'max') return 'max';
  return 'telegram';
}
