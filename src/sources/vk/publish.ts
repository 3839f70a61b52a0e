import { createHash } from 'node:crypto';
import { parseSourceKey, type VkRef } from './keys.js';

/**
 * Building the VK call that publishes an answer as the community: a reply under the
 * comment (or post, photo, video, board topic, market item) the case came from, or a private
 * message. Pure, so the parameters are unit-tested.
 *
 * Idempotency: wall/photos/video/market/board `createComment` get the draft's `guid` (VK refuses a
 * second comment with the same guid on the same post and returns the first one); `messages.send`
 * gets a `random_id` derived from the guid, so a retried send after a lost answer is one message.
 */

export interface VkCall {
  method: string;
  params: Record<string, string | number>;
}

/** A positive int32 derived from the guid: the same guid always gives the same random_id. */
export function randomIdFromGuid(guid: string): number {
  const n = createHash('sha256').update(guid).digest().readUInt32BE(0) & 0x7fffffff;
  return n === 0 ? 1 : n;
}

/** VK limits a guid to a short string; keep ours stable and within it. */
export function vkGuid(guid: string): string {
  return guid.length <= 64 ? guid : createHash('sha256').update(guid).digest('hex').slice(0, 64);
}

export interface PublishInput {
  /** Source key of the message answered (the case's first message). */
  sourceKey: string;
  groupId: number;
  text: string;
  /** Attachment strings as VK wants them: `photo-1_456`. */
  attachments?: string[];
  guid: string;
}

/** The call that publishes `text` as a reply to the message with `sourceKey`; null when it is not a VK message. */
export function publicationCall(input: PublishInput): VkCall | null {
  const ref = parseSourceKey(input.sourceKey);
  if (!ref) return null;
  return publicationCallFor(ref, input);
}

export function publicationCallFor(ref: VkRef, input: Omit<PublishInput, 'sourceKey'>): VkCall {
  const attachment = input.attachments?.length ? input.attachments.join(',') : undefined;
  const guid = vkGuid(input.guid);
  const withAtt = (p: Record<string, string | number>) => (attachment ? { ...p, attachments: attachment } : p);
  switch (ref.type) {
    case 'wall':
    case 'post': {
      const params: Record<string, string | number> = {
        owner_id: ref.ownerId,
        post_id: ref.objectId,
        from_group: input.groupId,
        message: input.text,
        guid,
      };
      if (ref.itemId) params.reply_to_comment = ref.itemId;
      return { method: 'wall.createComment', params: withAtt(params) };
    }
    case 'photo':
      return {
        method: 'photos.createComment',
        params: withAtt({ owner_id: ref.ownerId, photo_id: ref.objectId, reply_to_comment: ref.itemId ?? 0, from_group: 1, message: input.text, guid }),
      };
    case 'video':
      return {
        method: 'video.createComment',
        params: withAtt({ owner_id: ref.ownerId, video_id: ref.objectId, reply_to_comment: ref.itemId ?? 0, from_group: 1, message: input.text, guid }),
      };
    case 'market':
      return {
        method: 'market.createComment',
        params: withAtt({ owner_id: ref.ownerId, item_id: ref.objectId, reply_to_comment: ref.itemId ?? 0, from_group: 1, message: input.text, guid }),
      };
    case 'board':
      // Board topics have no reply_to: the answer names the post it answers, as VK's own UI does.
      return {
        method: 'board.createComment',
        params: withAtt({
          group_id: -ref.ownerId,
          topic_id: ref.objectId,
          from_group: 1,
          message: ref.itemId ? `[post${ref.itemId}|↑] ${input.text}` : input.text,
          guid,
        }),
      };
    case 'msg': {
      const params: Record<string, string | number> = { peer_id: ref.ownerId, message: input.text, random_id: randomIdFromGuid(input.guid) };
      if (attachment) params.attachment = attachment;
      return { method: 'messages.send', params };
    }
  }
}

/** Link to a comment the community published, from the createComment answer. */
export function publishedPermalink(ref: VkRef, commentId: number | null, groupId: number): string | null {
  switch (ref.type) {
    case 'wall':
    case 'post':
      return commentId ? `https://vk.com/wall${ref.ownerId}_${ref.objectId}?reply=${commentId}` : `https://vk.com/wall${ref.ownerId}_${ref.objectId}`;
    case 'photo':
      return `https://vk.com/photo${ref.ownerId}_${ref.objectId}`;
    case 'video':
      return `https://vk.com/video${ref.ownerId}_${ref.objectId}`;
    case 'market':
      return `https://vk.com/product${ref.ownerId}_${ref.objectId}`;
    case 'board':
      return commentId ? `https://vk.com/topic${ref.ownerId}_${ref.objectId}?post=${commentId}` : `https://vk.com/topic${ref.ownerId}_${ref.objectId}`;
    case 'msg':
      return `https://vk.com/gim${groupId}?sel=${ref.ownerId}`;
  }
}

/** VK `groups.ban` parameters (А10): reason code 0–4, `end_date` in unix seconds (absent = without end). */
export function banParams(opts: { groupId: number; userId: number; vkReason: number; until: number | null; comment: string | null }): Record<string, string | number> {
  const p: Record<string, string | number> = { group_id: opts.groupId, owner_id: opts.userId, reason: opts.vkReason };
  if (opts.until !== null) p.end_date = Math.floor(opts.until / 1000);
  if (opts.comment) {
    p.comment = opts.comment.slice(0, 1000);
    p.comment_visible = 1;
  }
  return p;
}
