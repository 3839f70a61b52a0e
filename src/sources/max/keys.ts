/**
 * Source keys of messages in a dialog with the MAX citizens' bot: `max:<chat_id>:<mid>`. The dialog's
 * chat id and the message id are what an answer needs (POST /messages?chat_id=… with a reply link to the
 * mid), so the key alone locates the reply.
 */
/** The outbox actions of the citizens' bot (the lane max carries the staff bot's too). */
export const MAX_CITIZEN_ACTIONS: readonly string[] = ['reply', 'comment'];

export const maxKey = (chatId: number, mid: string): string => `max:${chatId}:${mid}`;

export function parseMaxKey(key: string): { chatId: number; mid: string } | null {
  const m = /^max:(-?\d+):(.+)$/.exec(key);
  return m ? { chatId: Number(m[1]), mid: m[2]! } : null;
}

/** One thread per dialog: the author's later messages in it are follow-ups by threads.ts's dialogue rule. */
export const maxThreadKey = (chatId: number): string => `max:dialog:${chatId}`;

/**
 * Comments on the administration's MAX channel posts: `max:c:<post mid>:<comment id>` — an answer is a comment
 * on that post replying to that comment (POST /messages/{post mid}/comments).
 */
export const maxCommentKey = (postMid: string, commentId: string): string => `max:c:${postMid}:${commentId}`;

export function parseMaxCommentKey(key: string): { postMid: string; commentId: string } | null {
  const m = /^max:c:([^:]+):(.+)$/.exec(key);
  return m ? { postMid: m[1]!, commentId: m[2]! } : null;
}

/** Comments under one post share its thread (a reply under a case's comment is a follow-up). */
export const maxPostThreadKey = (postMid: string): string => `max:post:${postMid}`;

/** kv key remembering the post of a comment, so a reply to a comment finds the post it is under. */
export const commentPostKv = (commentId: string): string => `max:comment-post:${commentId}`;
