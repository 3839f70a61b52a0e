import type { Attachment, IncomingMessage } from '../../domain/workflow/model.js';
import { maxCommentKey, maxKey, maxPostThreadKey, maxThreadKey } from './keys.js';

/**
 * MAX updates of the citizens' bot → what the sources store and ingest. Shapes as the official library
 * types them (`@maxhub/max-bot-api`, dist/core/network/api/types/subcription.d.ts: `MessageCreatedUpdate`
 * { update_type, timestamp, message }, `MessageEditedUpdate`, `MessageRemovedUpdate` { message_id,
 * chat_id, user_id }; message.d.ts: `Message` { sender, recipient { chat_id, chat_type, user_id }, timestamp,
 * link, body { mid, seq, text, attachments }, url }; attachment.d.ts for the attachments). Comments on the
 * administration's channel posts: `CommentCreatedUpdate` / `CommentEditedUpdate` { message } with the library's
 * `CommentMessage` (modules/comments/types.d.ts: sender, timestamp, link, body, recipient); the public docs do
 * not describe them, so the post is taken from `link` (a reply to the post, or to a comment under it).
 */
export const MAX_UPDATE_TYPES = ['message_created', 'message_edited', 'message_removed', 'comment_created', 'comment_edited'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface MaxUser {
  user_id: number;
  name?: string;
  first_name?: string;
  last_name?: string;
  username?: string | null;
  is_bot?: boolean;
}

interface MaxMessage {
  sender?: MaxUser | null;
  recipient: { chat_id: number | null; chat_type: string; user_id: number | null };
  timestamp: number;
  link?: { type: string; message?: { mid?: string } } | null;
  body: { mid: string; seq?: number; text: string | null; attachments?: unknown[] | null };
  url?: string | null;
}

/**
 * The `source_events` key of an update, or why it cannot be stored as one (then it is stored as rejected).
 * A redelivered update (the same message) has the same key, so it is one event.
 */
export function maxEventKey(u: unknown): { key: string; type: string } | { rejected: string } {
  if (!isObj(u)) return { rejected: `not an update object (${u === null ? 'null' : Array.isArray(u) ? 'array' : typeof u})` };
  const type = u.update_type;
  if (typeof type !== 'string' || !type) return { rejected: 'no update_type' };
  if (type === 'message_created' || type === 'message_edited') {
    const m = u.message;
    const mid = isObj(m) && isObj(m.body) ? m.body.mid : undefined;
    if (typeof mid !== 'string' || !mid) return { rejected: `${type} without message.body.mid` };
    // An edit is a new event each time the text changes (the timestamp of the update tells them apart).
    return { key: type === 'message_created' ? `max:new:${mid}` : `max:edit:${mid}:${String(u.timestamp ?? '')}`, type };
  }
  if (type === 'comment_created' || type === 'comment_edited') {
    const m = u.message;
    const id = isObj(m) && isObj(m.body) ? m.body.mid : undefined;
    if (typeof id !== 'string' || !id) return { rejected: `${type} without message.body.mid` };
    return { key: type === 'comment_created' ? `max:comment:${id}` : `max:comment-edit:${id}:${String(u.timestamp ?? '')}`, type };
  }
  if (type === 'message_removed') {
    if (typeof u.message_id !== 'string' || !u.message_id) return { rejected: 'message_removed without message_id' };
    return { key: `max:removed:${u.message_id}`, type };
  }
  return { key: `max:${type}:${String(u.timestamp ?? '')}:${String(u.chat_id ?? '')}`, type };
}

export type NormalizedMaxUpdate =
  | { ok: true; action: 'new' | 'edit'; message: IncomingMessage; replyToMid: string | null; post?: { postMid: string; commentId: string } }
  | { ok: true; action: 'delete'; sourceKey: string }
  | { ok: false; ignored: boolean; reason: string };

/**
 * `postOf` maps the mid a comment replies to onto the post it is under (itself for a post; the processor
 * remembers the post of each comment it stores).
 */
export function normalizeMaxUpdate(u: unknown, detectedAt: number, postOf: (mid: string) => string = (mid) => mid): NormalizedMaxUpdate {
  if (!isObj(u)) return { ok: false, ignored: false, reason: 'not an update object' };
  const type = u.update_type;
  if (type === 'message_removed') {
    if (typeof u.chat_id !== 'number' || typeof u.message_id !== 'string') return { ok: false, ignored: false, reason: 'message_removed without chat_id or message_id' };
    return { ok: true, action: 'delete', sourceKey: maxKey(u.chat_id, u.message_id) };
  }
  if (type === 'comment_created' || type === 'comment_edited') return normalizeComment(u, type, detectedAt, postOf);
  if (type !== 'message_created' && type !== 'message_edited') return { ok: false, ignored: true, reason: `ignored: ${String(type)}` };
  const problem = messageProblem(u.message);
  if (problem) return { ok: false, ignored: false, reason: `${type}: ${problem}` };
  const m = u.message as MaxMessage;
  // Group chats the bot may be added to are not the citizens' dialogs; the bot's own messages are not cases.
  if (m.recipient.chat_type !== 'dialog') return { ok: false, ignored: true, reason: `ignored: a message in a ${m.recipient.chat_type} chat` };
  if (m.sender!.is_bot) return { ok: false, ignored: true, reason: 'ignored: a bot message' };
  const sender = m.sender!;
  const chatId = m.recipient.chat_id!;
  const replyToMid = m.link?.type === 'reply' && typeof m.link.message?.mid === 'string' ? m.link.message.mid : null;
  const message: IncomingMessage = {
    sourceKey: maxKey(chatId, m.body.mid),
    kind: 'max',
    network: 'max',
    threadKey: maxThreadKey(chatId),
    author: { externalId: String(sender.user_id), name: nameOf(sender), profileUrl: null },
    text: m.body.text ?? '',
    attachments: attachmentsOf(m.body.attachments ?? []),
    // A dialog message has no public address; `url` is given for channel posts (message.d.ts).
    permalink: typeof m.url === 'string' && m.url ? m.url : null,
    publishedAt: typeof m.timestamp === 'number' ? m.timestamp : null,
    detectedAt,
    raw: u,
  };
  return { ok: true, action: type === 'message_created' ? 'new' : 'edit', message, replyToMid };
}

function normalizeComment(u: Obj, type: 'comment_created' | 'comment_edited', detectedAt: number, postOf: (mid: string) => string): NormalizedMaxUpdate {
  const m = u.message;
  if (!isObj(m) || !isObj(m.body) || typeof m.body.mid !== 'string') return { ok: false, ignored: false, reason: `${type}: no message.body.mid` };
  if (!isObj(m.sender) || typeof m.sender.user_id !== 'number') return { ok: false, ignored: false, reason: `${type}: no message.sender.user_id` };
  const link = isObj(m.link) && isObj(m.link.message) && typeof m.link.message.mid === 'string' ? m.link.message.mid : null;
  if (!link) return { ok: false, ignored: false, reason: `${type}: no link to the post it comments` };
  const sender = m.sender as unknown as MaxUser;
  if (sender.is_bot) return { ok: false, ignored: true, reason: 'ignored: a bot comment' };
  const commentId = m.body.mid;
  const postMid = postOf(link);
  const text = typeof m.body.text === 'string' ? m.body.text : '';
  const message: IncomingMessage = {
    sourceKey: maxCommentKey(postMid, commentId),
    kind: 'max_comment',
    network: 'max',
    threadKey: maxPostThreadKey(postMid),
    author: { externalId: String(sender.user_id), name: nameOf(sender), profileUrl: null },
    text,
    attachments: attachmentsOf(Array.isArray(m.body.attachments) ? m.body.attachments : []),
    permalink: null,
    publishedAt: typeof m.timestamp === 'number' ? m.timestamp : null,
    detectedAt,
    raw: u,
  };
  return { ok: true, action: type === 'comment_created' ? 'new' : 'edit', message, replyToMid: link === postMid ? null : link, post: { postMid, commentId } };
}

/** A nameless author is `id<user id>`, as in VK, so the notices greet him «Здравствуйте!» (kernel/author-templates.ts). */
const nameOf = (sender: MaxUser): string => [sender.first_name, sender.last_name].filter(Boolean).join(' ') || sender.name || `id${sender.user_id}`;

function messageProblem(m: unknown): string | null {
  if (!isObj(m)) return 'no message';
  if (!isObj(m.body) || typeof m.body.mid !== 'string') return 'no message.body.mid';
  if (m.body.text !== undefined && m.body.text !== null && typeof m.body.text !== 'string') return 'message.body.text is not a string';
  if (!isObj(m.recipient) || typeof m.recipient.chat_type !== 'string') return 'no message.recipient.chat_type';
  if (typeof m.recipient.chat_id !== 'number') return 'no message.recipient.chat_id';
  if (!isObj(m.sender) || typeof m.sender.user_id !== 'number') return 'no message.sender.user_id';
  if (m.body.attachments !== undefined && m.body.attachments !== null && !Array.isArray(m.body.attachments)) return 'message.body.attachments is not a list';
  return null;
}

/** Attachments by their documented types (image, video, audio, file); the others are named only. */
function attachmentsOf(list: unknown[]): Attachment[] {
  return list.flatMap((a): Attachment[] => {
    if (!isObj(a) || typeof a.type !== 'string') return [];
    const p = isObj(a.payload) ? a.payload : {};
    const url = typeof p.url === 'string' ? p.url : null;
    const ref = typeof p.token === 'string' ? `max-${a.type}:${p.token}` : null;
    switch (a.type) {
      case 'image':
        return [{ type: 'photo', url, ref }];
      case 'video':
        return [{ type: 'video', url, ref }];
      case 'audio':
        return [{ type: 'audio', url, ref }];
      case 'file':
        return [{ type: 'doc', url, title: typeof a.filename === 'string' ? a.filename : null, ref }];
      default:
        return [{ type: 'other', url, title: a.type }];
    }
  });
}
