import type { Failure } from '../../outbox/worker.js';

/**
 * VK errors and what the outbox does with them:
 * - 6 (too many requests/s), 9 (flood control), 10 (internal error), 1 (unknown), 29 (rate limit)
 *   and network failures/timeouts: back off and retry. A retried wall.createComment carries the
 *   same `guid` and a retried messages.send the same `random_id`, so VK refuses a double post.
 * - 5 (token invalid), 15 (access denied), 27 (method unavailable with a community token),
 *   213 (comments closed), and the other "a person must act" codes: no retry; the case stays
 *   waiting and the administrator is told, with the option to publish by hand.
 */

export const RETRY_CODES = new Set([1, 6, 9, 10, 29]);
/** Codes that need a person (token, rights, closed comments, privacy); the answer can be published by hand. */
export const NEEDS_PERSON_CODES = new Set([5, 7, 15, 17, 18, 27, 28, 30, 100, 113, 200, 203, 210, 211, 212, 213, 222, 223, 900, 901, 902, 945]);

export const VK_ERROR_HINTS: Record<number, string> = {
  5: 'the VK token is invalid or revoked: issue a new one and restart',
  7: 'the token lacks the permission for this action',
  15: 'access denied: the community or the administrator has no right to this',
  18: 'the user was deleted or banned',
  27: 'this method needs the administrator user token (VK_USER_TOKEN)',
  212: 'no access to the comments of this post',
  213: 'comments are closed on this post',
  222: 'links are not allowed in comments here',
  223: 'too many replies in this thread',
  900: 'the user has blacklisted the community',
  901: 'the user has not allowed messages from the community',
  902: 'the user privacy settings forbid messages',
};

/** The VK error code of an error thrown by vk-io (APIError) or of a raw `{error_code}`; null for others. */
export function vkErrorCode(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { name?: unknown; code?: unknown; error_code?: unknown };
  if (typeof e.error_code === 'number') return e.error_code;
  // vk-io APIError: name 'APIError', numeric code. UpdatesError etc. have string codes.
  if (typeof e.code === 'number' && (e.name === 'APIError' || e.name === 'VkApiError')) return e.code;
  return null;
}

/** A network failure: timeout (AbortError), reset, refused, DNS; VK may or may not have executed the call. */
export function isNetworkError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown; type?: unknown; message?: unknown };
  if (e.name === 'AbortError' || e.name === 'FetchError' || e.type === 'aborted' || e.type === 'system') return true;
  if (typeof e.code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(e.code)) return true;
  return typeof e.message === 'string' && /fetch failed|socket hang up|network|timed? ?out|aborted|ECONN|invalid json/i.test(e.message);
}

export function describeVkError(err: unknown): string {
  const code = vkErrorCode(err);
  const msg = err instanceof Error ? err.message : String(err);
  if (code === null) return msg;
  const hint = VK_ERROR_HINTS[code];
  return `vk ${code}: ${msg}${hint ? ` (${hint})` : ''}`;
}

/** Error 213/212/15/… on publication: leave the case waiting and offer publishing by hand. */
export function needsPerson(err: unknown): boolean {
  const code = vkErrorCode(err);
  return code !== null && NEEDS_PERSON_CODES.has(code);
}

export function classifyVkError(err: unknown): Failure {
  const code = vkErrorCode(err);
  const reason = describeVkError(err);
  if (code !== null) {
    if (code === 6) return { retry: true, afterMs: 1_000, reason };
    // Flood control: VK asks to slow down for a while; do not hammer.
    if (code === 9) return { retry: true, afterMs: 30_000, reason };
    if (RETRY_CODES.has(code)) return { retry: true, reason };
    return { retry: false, reason };
  }
  if (isNetworkError(err)) return { retry: true, reason: `network: ${reason}` };
  // Programming or unexpected errors: retry a few times (the worker caps attempts), never crash.
  return { retry: true, reason };
}
