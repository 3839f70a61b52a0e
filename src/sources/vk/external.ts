import type { API } from 'vk-io';
import type { AppContext } from '../../kernel/context.js';
import { getKv, setKv } from '../../db/repositories/kv.js';
import { storeEvent } from '../../db/repositories/sources.js';
import { int, isObj } from './normalize.js';
import { getCommentsBatched } from './catchup.js';
import type { VkProcessor } from './processor.js';

/**
 * Monitoring other pages (Ахты 1: the pages of the republic's head and government). Every round,
 * for each wall in `org.vk.externalPages`: its latest posts (wall.get) and their new comments
 * (wall.getComments, from the last comment id seen per post); comments that mention one of the
 * page's keywords become messages of kind `external_page`. Needs the user token (3 req/s, shared
 * with moderation through vk-io's limiter); a round is 2 requests per page (wall.get, then one
 * `execute` with the posts' wall.getComments), every 5 minutes.
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
      const postIds = (wall.items ?? []).filter(isObj).flatMap((p) => {
        const id = int(p.id);
        return id === undefined ? [] : [id];
      });
      // One `execute` for all the page's posts (see getCommentsBatched).
      const comments = await getCommentsBatched(app, user, page.ownerId, postIds);
      for (const [postId, flat] of comments) {
        const cursorKey = `vk:ext:${page.ownerId}_${postId}`;
        const last = Number(getKv(app.db, cursorKey) ?? 0);
        let max = last;
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
