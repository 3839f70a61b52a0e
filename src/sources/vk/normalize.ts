import type { Attachment, IncomingMessage, Millis, SourceKind } from '../../domain/workflow/model.js';
import { commentKey, messageKey, permalinkOf, postKey, profileUrl, threadKey, type VkRef } from './keys.js';

/**
 * One normalizer from every VK event we collect to the single incoming-message type. VK payloads
 * differ from the official schema in places (`post_owner_id`, `topic_owner_id`, `user_id` instead of `from_id`), and a fuzzed or truncated payload must never throw: every field
 * is read defensively, the way vk-io's CommentContext getters do, and an event we cannot read is
 * reported as `unreadable` with the reason.
 */

export type VkAction = 'new' | 'edit' | 'delete' | 'restore';

export interface VkEventEnvelope {
  type: string;
  object: unknown;
  group_id?: unknown;
  event_id?: unknown;
}

export interface NormalizedVkEvent {
  action: VkAction;
  kind: SourceKind;
  ref: VkRef;
  sourceKey: string;
  threadKey: string;
  /** Author id (negative for communities); null when VK did not say (deletions). */
  fromId: number | null;
  /** Written by our own community: not a case; a hand-written answer is linked to the case it answers. */
  fromCommunity: boolean;
  /** Source key of the comment this one replies to (`reply_to_comment`), or of the thread's root. */
  replyToSourceKey: string | null;
  /** Source keys of the comment's ancestors (`parents_stack`), nearest last. */
  parentSourceKeys: string[];
  /** wall_post_new: the post was suggested to the community (`post_type: suggest`). */
  suggested: boolean;
  /** The message to store; null for deletions. Author name is the id until the name cache fills it. */
  message: IncomingMessage | null;
}

export type NormalizeResult = { ok: true; event: NormalizedVkEvent } | { ok: false; ignored: true; reason: string } | { ok: false; ignored: false; reason: string };

export const MAX_TEXT = 100_000;

// ------------------------------------------------------------------ defensive readers

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An integer from a number or a numeric string; undefined otherwise. */
export function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,16}$/.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}
function firstInt(o: Obj, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const n = int(o[k]);
    if (n !== undefined && n !== 0) return n;
  }
  return undefined;
}
function text(v: unknown): string {
  if (typeof v !== 'string') return '';
  return v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;
}

// ------------------------------------------------------------------ attachments

function largestPhotoUrl(photo: Obj): string | null {
  const sizes = Array.isArray(photo.sizes) ? photo.sizes.filter(isObj) : [];
  let best: { url: string; area: number } | null = null;
  for (const s of sizes) {
    if (typeof s.url !== 'string') continue;
    const area = (int(s.width) ?? 0) * (int(s.height) ?? 0);
    if (!best || area >= best.area) best = { url: s.url, area };
  }
  if (best) return best.url;
  for (const k of ['photo_2560', 'photo_1280', 'photo_807', 'photo_604', 'photo_130', 'photo_75']) {
    if (typeof photo[k] === 'string') return photo[k] as string;
  }
  return null;
}

export function normalizeAttachments(list: unknown): Attachment[] {
  if (!Array.isArray(list)) return [];
  const out: Attachment[] = [];
  for (const a of list) {
    if (!isObj(a) || typeof a.type !== 'string') continue;
    const body = isObj(a[a.type]) ? (a[a.type] as Obj) : {};
    const owner = int(body.owner_id);
    const id = int(body.id);
    const ref = owner !== undefined && id !== undefined ? `${a.type}${owner}_${id}` : null;
    switch (a.type) {
      case 'photo':
        out.push({ type: 'photo', url: largestPhotoUrl(body), title: typeof body.text === 'string' && body.text ? body.text : null, ref });
        break;
      case 'video':
        out.push({
          type: 'video',
          url: owner !== undefined && id !== undefined ? `https://vk.com/video${owner}_${id}` : null,
          title: typeof body.title === 'string' ? body.title : null,
          ref,
        });
        break;
      case 'doc':
        out.push({ type: 'doc', url: typeof body.url === 'string' ? body.url : null, title: typeof body.title === 'string' ? body.title : null, ref });
        break;
      case 'link':
        out.push({ type: 'link', url: typeof body.url === 'string' ? body.url : null, title: typeof body.title === 'string' ? body.title : null });
        break;
      case 'audio':
        out.push({ type: 'audio', url: null, title: [body.artist, body.title].filter((x) => typeof x === 'string').join(' — ') || null, ref });
        break;
      default:
        out.push({ type: 'other', url: null, title: a.type, ref });
    }
  }
  return out;
}

// ------------------------------------------------------------------ events

const COMMENT_TYPES: Record<string, { ref: VkRef['type']; kind: SourceKind; objectKeys: string[]; ownerKeys: string[] }> = {
  wall_reply: { ref: 'wall', kind: 'vk_comment', objectKeys: ['post_id'], ownerKeys: ['owner_id', 'post_owner_id'] },
  board_post: { ref: 'board', kind: 'vk_board', objectKeys: ['topic_id'], ownerKeys: ['topic_owner_id', 'owner_id'] },
  photo_comment: { ref: 'photo', kind: 'vk_photo_comment', objectKeys: ['photo_id'], ownerKeys: ['photo_owner_id', 'owner_id'] },
  video_comment: { ref: 'video', kind: 'vk_video_comment', objectKeys: ['video_id'], ownerKeys: ['video_owner_id', 'owner_id'] },
  market_comment: { ref: 'market', kind: 'vk_market_comment', objectKeys: ['item_id'], ownerKeys: ['market_owner_id', 'owner_id'] },
};

/** The event types the collector subscribes to (Long Poll settings / Callback API settings). */
export const COLLECTED_EVENT_TYPES = [
  'wall_reply_new',
  'wall_reply_edit',
  'wall_reply_delete',
  'wall_reply_restore',
  'wall_post_new',
  'message_new',
  'board_post_new',
  'board_post_edit',
  'board_post_delete',
  'board_post_restore',
  'photo_comment_new',
  'photo_comment_edit',
  'photo_comment_delete',
  'photo_comment_restore',
  'video_comment_new',
  'video_comment_edit',
  'video_comment_delete',
  'video_comment_restore',
  'market_comment_new',
  'market_comment_edit',
  'market_comment_delete',
  'market_comment_restore',
] as const;

export interface NormalizeContext {
  /** Our community id (positive). */
  groupId: number;
  detectedAt: Millis;
  /** Override the kind (external pages are wall comments with kind `external_page`). */
  kind?: SourceKind;
}

function authorOf(fromId: number | null): IncomingMessage['author'] {
  if (fromId === null) return { externalId: null, name: 'VK', profileUrl: null };
  return { externalId: String(fromId), name: fromId < 0 ? `club${-fromId}` : `id${fromId}`, profileUrl: profileUrl(fromId) };
}

function dateMs(v: unknown): Millis | null {
  const n = int(v);
  return n !== undefined && n > 0 ? n * 1000 : null;
}

/** Normalizes one VK event (Long Poll update or Callback API body). Never throws. */
export function normalizeVkEvent(envelope: VkEventEnvelope, ctx: NormalizeContext): NormalizeResult {
  try {
    return normalizeUnsafe(envelope, ctx);
  } catch (err) {
    return { ok: false, ignored: false, reason: `unreadable ${String(envelope?.type)}: ${(err as Error).message}` };
  }
}

function normalizeUnsafe(envelope: VkEventEnvelope, ctx: NormalizeContext): NormalizeResult {
  const type = typeof envelope?.type === 'string' ? envelope.type : '';
  const o = envelope?.object;
  if (!isObj(o)) return { ok: false, ignored: false, reason: `${type || 'event'} without an object` };

  if (type === 'message_new') return normalizeMessage(o, ctx);
  if (type === 'wall_post_new') return normalizePost(o, ctx);

  const m = /^(wall_reply|board_post|photo_comment|video_comment|market_comment)_(new|edit|delete|restore)$/.exec(type);
  if (!m) return { ok: false, ignored: true, reason: `event type ${type || '(none)'} is not collected` };
  const spec = COMMENT_TYPES[m[1]!]!;
  const action = m[2] as VkAction;

  const id = int(o.id);
  const ownerId = firstInt(o, ...spec.ownerKeys) ?? (spec.ref === 'board' ? -ctx.groupId : undefined);
  const objectId = firstInt(o, ...spec.objectKeys);
  if (id === undefined || ownerId === undefined || objectId === undefined) {
    return { ok: false, ignored: false, reason: `${type}: missing id, owner or object (id=${String(o.id)})` };
  }
  const ref: VkRef = { type: spec.ref, ownerId, objectId, itemId: id };
  const key = commentKey(spec.ref as 'wall', ownerId, objectId, id);
  const thread = threadKey(spec.ref, ownerId, objectId);
  const fromId = action === 'delete' ? (firstInt(o, 'user_id', 'from_id') ?? null) : (firstInt(o, 'from_id', 'user_id') ?? null);

  const replyTo = int(o.reply_to_comment);
  const parents = Array.isArray(o.parents_stack) ? o.parents_stack.map(int).filter((n): n is number => n !== undefined && n > 0) : [];
  const parentKeys = spec.ref === 'wall' ? parents.map((p) => commentKey('wall', ownerId, objectId, p)) : [];
  const replyToKey = spec.ref === 'wall' && replyTo ? commentKey('wall', ownerId, objectId, replyTo) : parentKeys.length ? parentKeys[parentKeys.length - 1]! : null;

  const base = {
    action,
    kind: ctx.kind ?? spec.kind,
    ref,
    sourceKey: key,
    threadKey: thread,
    fromId,
    fromCommunity: fromId === -ctx.groupId,
    replyToSourceKey: replyToKey,
    parentSourceKeys: parentKeys,
    suggested: false,
  };
  if (action === 'delete') return { ok: true, event: { ...base, message: null } };

  const threadRoot = parents[0] ?? null;
  const message: IncomingMessage = {
    sourceKey: key,
    kind: base.kind,
    network: 'vk',
    threadKey: thread,
    author: authorOf(fromId),
    text: text(o.text),
    attachments: normalizeAttachments(o.attachments),
    permalink: permalinkOf(ref, { threadId: threadRoot }),
    publishedAt: dateMs(o.date),
    detectedAt: ctx.detectedAt,
    raw: envelope,
  };
  return { ok: true, event: { ...base, message } };
}

function normalizePost(o: Obj, ctx: NormalizeContext): NormalizeResult {
  const id = int(o.id);
  const ownerId = firstInt(o, 'owner_id', 'to_id');
  if (id === undefined || ownerId === undefined) return { ok: false, ignored: false, reason: 'wall_post_new: missing id or owner_id' };
  const fromId = firstInt(o, 'from_id', 'signer_id', 'created_by') ?? null;
  const postType = typeof o.post_type === 'string' ? o.post_type : 'post';
  const suggested = postType === 'suggest';
  if (postType === 'postpone') return { ok: false, ignored: true, reason: 'wall_post_new: a postponed post of the community' };
  // The community's own posts (from_id = -group) are news, not messages; a suggested post is by a citizen.
  const fromCommunity = !suggested && (fromId === -ctx.groupId || (fromId === null && ownerId === -ctx.groupId));
  const ref: VkRef = { type: 'post', ownerId, objectId: id, itemId: null };
  const message: IncomingMessage = {
    sourceKey: postKey(ownerId, id),
    kind: ctx.kind ?? 'vk_post',
    network: 'vk',
    threadKey: threadKey('post', ownerId, id),
    author: authorOf(fromId),
    text: text(o.text),
    attachments: normalizeAttachments(o.attachments),
    permalink: permalinkOf(ref),
    publishedAt: dateMs(o.date),
    detectedAt: ctx.detectedAt,
    raw: { type: 'wall_post_new', object: o },
  };
  return {
    ok: true,
    event: {
      action: 'new',
      kind: message.kind,
      ref,
      sourceKey: message.sourceKey,
      threadKey: message.threadKey!,
      fromId,
      fromCommunity,
      replyToSourceKey: null,
      parentSourceKeys: [],
      suggested,
      message,
    },
  };
}

function normalizeMessage(o: Obj, ctx: NormalizeContext): NormalizeResult {
  // 5.103+: { message, client_info }; older: the message itself.
  const msg = isObj(o.message) ? o.message : o;
  const id = firstInt(msg, 'id', 'conversation_message_id');
  const peerId = firstInt(msg, 'peer_id', 'from_id', 'user_id');
  if (id === undefined || peerId === undefined) return { ok: false, ignored: false, reason: 'message_new: missing id or peer_id' };
  const fromId = firstInt(msg, 'from_id', 'user_id') ?? peerId;
  if (int(msg.out) === 1) return { ok: false, ignored: true, reason: 'message_new: an outgoing message of the community' };
  if (peerId > 2_000_000_000) return { ok: false, ignored: true, reason: 'message_new: a group chat message (not collected)' };
  const ref: VkRef = { type: 'msg', ownerId: peerId, objectId: id, itemId: null };
  const message: IncomingMessage = {
    sourceKey: messageKey(peerId, id),
    kind: 'vk_message',
    network: 'vk',
    threadKey: threadKey('msg', peerId, 0),
    author: authorOf(fromId),
    text: text(msg.text),
    attachments: normalizeAttachments(msg.attachments),
    permalink: permalinkOf(ref, { groupId: ctx.groupId }),
    publishedAt: dateMs(msg.date),
    detectedAt: ctx.detectedAt,
    raw: { type: 'message_new', object: o },
  };
  return {
    ok: true,
    event: {
      action: 'new',
      kind: 'vk_message',
      ref,
      sourceKey: message.sourceKey,
      threadKey: message.threadKey!,
      fromId,
      fromCommunity: fromId === -ctx.groupId,
      replyToSourceKey: null,
      parentSourceKeys: [],
      suggested: false,
      message,
    },
  };
}

/** A stable key for an event without `event_id` (catch-up scans, old Callback servers). */
export function eventKeyOf(envelope: VkEventEnvelope, normalized?: NormalizedVkEvent | null): string {
  if (typeof envelope.event_id === 'string' && envelope.event_id) return `vk:event:${envelope.event_id}`;
  if (normalized) return `vk:${normalized.action}:${normalized.sourceKey}`;
  // JSON.stringify(undefined) is undefined: an update without object (garbage) must not throw here,
  // or the whole long-poll batch is refused and refetched forever.
  return `vk:anon:${String(envelope.type)}:${(JSON.stringify(envelope.object) ?? 'undefined').slice(0, 200)}`;
}
