/**
 * Source keys and links of VK objects. A source key is the dedupe key of one stored message
 * (IncomingMessage.sourceKey); a thread key groups the messages of one conversation (a post's
 * comments, a private dialogue), so an author's reply under our answer joins the case.
 *
 *   wall comment   vk:wall:<owner>_<post>_<comment>     thread vk:wall:<owner>_<post>
 *   wall post      vk:post:<owner>_<post>               thread vk:wall:<owner>_<post>
 *   private msg    vk:msg:<peer>_<message id>           thread vk:dm:<peer>
 *   board post     vk:board:<owner>_<topic>_<id>        thread vk:board:<owner>_<topic>
 *   photo comment  vk:photo:<owner>_<photo>_<id>        thread vk:photo:<owner>_<photo>
 *   video comment  vk:video:<owner>_<video>_<id>        thread vk:video:<owner>_<video>
 *   market comment vk:market:<owner>_<item>_<id>        thread vk:market:<owner>_<item>
 *
 * Comments on external pages (Ахты 1) are wall comments too and use the wall keys.
 */

export type VkObjectType = 'wall' | 'post' | 'msg' | 'board' | 'photo' | 'video' | 'market';

export interface VkRef {
  type: VkObjectType;
  ownerId: number;
  /** Post, topic, photo, video or market item id; for `msg` the message id. */
  objectId: number;
  /** Comment id (absent for posts and messages). */
  itemId: number | null;
}

const THREAD_PREFIX: Record<VkObjectType, string> = {
  wall: 'vk:wall',
  post: 'vk:wall',
  msg: 'vk:dm',
  board: 'vk:board',
  photo: 'vk:photo',
  video: 'vk:video',
  market: 'vk:market',
};

export function commentKey(type: Exclude<VkObjectType, 'post' | 'msg'>, ownerId: number, objectId: number, itemId: number): string {
  return `vk:${type}:${ownerId}_${objectId}_${itemId}`;
}
export const postKey = (ownerId: number, postId: number): string => `vk:post:${ownerId}_${postId}`;
export const messageKey = (peerId: number, messageId: number): string => `vk:msg:${peerId}_${messageId}`;
export function threadKey(type: VkObjectType, ownerId: number, objectId: number): string {
  if (type === 'msg') return `vk:dm:${ownerId}`;
  return `${THREAD_PREFIX[type]}:${ownerId}_${objectId}`;
}

/** Parses a VK source key back into its parts; null for any other key. */
export function parseSourceKey(key: string): VkRef | null {
  const m = /^vk:(wall|post|msg|board|photo|video|market):(-?\d+)_(\d+)(?:_(\d+))?$/.exec(key);
  if (!m) return null;
  const type = m[1] as VkObjectType;
  const hasItem = m[4] !== undefined;
  if ((type === 'post' || type === 'msg') === hasItem) return null;
  return { type, ownerId: Number(m[2]), objectId: Number(m[3]), itemId: hasItem ? Number(m[4]) : null };
}

/** A link a person can open. For private messages, the community's dialogue with the author. */
export function permalinkOf(ref: VkRef, opts: { groupId?: number; threadId?: number | null } = {}): string {
  const { type, ownerId, objectId, itemId } = ref;
  switch (type) {
    case 'wall': {
      const thread = opts.threadId ? `&thread=${opts.threadId}` : '';
      return `https://vk.com/wall${ownerId}_${objectId}?reply=${itemId}${thread}`;
    }
    case 'post':
      return `https://vk.com/wall${ownerId}_${objectId}`;
    case 'msg':
      return opts.groupId ? `https://vk.com/gim${opts.groupId}?sel=${ownerId}` : `https://vk.com/im?sel=${ownerId}`;
    case 'board':
      return `https://vk.com/topic${ownerId}_${objectId}?post=${itemId}`;
    case 'photo':
      return `https://vk.com/photo${ownerId}_${objectId}`;
    case 'video':
      return `https://vk.com/video${ownerId}_${objectId}`;
    case 'market':
      return `https://vk.com/product${ownerId}_${objectId}`;
  }
}

export const profileUrl = (id: number, screenName?: string | null): string => (screenName ? `https://vk.com/${screenName}` : id < 0 ? `https://vk.com/club${-id}` : `https://vk.com/id${id}`);
