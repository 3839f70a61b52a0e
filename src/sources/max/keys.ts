/**
 * Source keys of messages in a dialog with the MAX citizens' bot: `max:<chat_id>:<mid>`. The dialog's
 * chat id and the message id are what an answer needs (POST /messages?chat_id=… with a reply link to the
 * mid), so the key alone locates the reply.
 */
export const maxKey = (chatId: number, mid: string): string => `max:${chatId}:${mid}`;

export function parseMaxKey(key: string): { chatId: number; mid: string } | null {
  const m = /^max:(-?\d+):(.+)$/.exec(key);
  return m ? { chatId: Number(m[1]), mid: m[2]! } : null;
}

/** One thread per dialog: the author's later messages in it are follow-ups by threads.ts's dialogue rule. */
export const maxThreadKey = (chatId: number): string => `max:dialog:${chatId}`;
