import type { API } from 'vk-io';
import type { AppContext } from '../../app/context.js';
import { getKv, setKv, storeEvent } from '../store.js';
import { int, isObj } from './normalize.js';
import type { VkProcessor } from './processor.js';

/**
 * Monitoring other pages (Ахты 1: the pages of the republic's head and government). Every round,
 * for each wall in `org.vk.externalPages`: its latest posts (wall.get) and their new comments
 * (wall.getComments, from the last comment id seen per post); comments that mention one of the
 * page's keywords become messages of kind `external_page`. Needs the user token (3 req/s, shared
 * with moderation through vk-io's limiter); a round is 1 + posts calls per page, every 5 minutes.
 */
export const EXTERNAL_POSTS_PER_PAGE = 5;

export function mentions(text: string, keywords: readonly string[]): boolean {
  const t = text.toLocaleLowerCase('ru');
  return keywords.some((k) => k.trim() && t.includes(k.trim().toLocaleLowerCase('ru')));
}

export async function pollExternalPages(app: AppContext, user: API, processor: VkProcessor): Promise<number> {
  let stored = 0;
  for (const page of app.org.vk.externalPages) {
    try {
      const wall = (await user.call('wall.get', { owner_id: page.ownerId, count: EXTERNAL_POSTS_PER_PAGE })) as { items?: unknown[] };
      for (const post of (wall.items ?? []).filter(isObj)) {
        const postId = int(post.id);
        if (postId === undefined) continue;
        const cursorKey = `vk:ext:${page.ownerId}_${postId}`;
        const last = Number(getKv(app.db, cursorKey) ?? 0);
        const r = (await user.call('wall.getComments', { owner_id: page.ownerId, post_id: postId, count: 100, sort: 'desc', thread_items_count: 10 })) as {
          items?: unknown[];
        };
        let max = last;
        const flat: Record<string, unknown>[] = [];
        for (const c of (r.items ?? []).filter(isObj)) {
          flat.push(c);
          if (isObj(c.thread) && Array.isArray(c.thread.items)) flat.push(...c.thread.items.filter(isObj));
        }
        const now = Date.now();
        for (const c of flat) {
          const id = int(c.id);
          if (id === undefined || id <= last) continue;
          max = Math.max(max, id);
          if (typeof c.text !== 'string' || !mentions(c.text, page.keywords)) continue;
          const object = { ...c, owner_id: page.ownerId, post_id: postId };
          if (
            storeEvent(
              app.db,
              {
                source: 'vk',
                eventKey: `vk:new:vk:wall:${page.ownerId}_${postId}_${id}`,
                type: 'wall_reply_new',
                via: 'poll',
                payload: { type: 'wall_reply_new', object, otklik_kind: 'external_page', page: page.name },
              },
              now,
            )
          )
            stored += 1;
        }
        if (max > last) setKv(app.db, cursorKey, String(max), now);
      }
    } catch (err) {
      app.logger.warn({ err: (err as Error).message, page: page.name }, 'vk: external page poll failed; next round retries');
    }
  }
  if (stored) await processor.processPending();
  return stored;
}
