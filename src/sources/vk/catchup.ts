import { DateTime } from 'luxon';
import type { API } from 'vk-io';
import type { AppContext } from '../../app/context.js';
import { notifyAdministrators, storeEvent } from '../store.js';
import { int, isObj } from './normalize.js';

/**
 * Catch-up after lost history (Long Poll `failed: 1`/`3`) or downtime (issue 6 §2): scans the
 * community's recent posts and their comments from `since` on and stores them as events keyed by
 * the object (so what was already received is not stored twice, and ingest dedupes on the source
 * key anyway). wall.get and wall.getComments need the administrator's user token; without one the
 * administrators are told which period may have been missed.
 */
export interface CatchupOptions {
  groupId: number;
  since: number;
  until: number;
  why: 'history' | 'downtime';
  /** Most recent posts to scan (default 20). */
  posts?: number;
}

export async function catchUp(app: AppContext, user: API | null, opts: CatchupOptions): Promise<{ stored: number; posts: number } | null> {
  const ownerId = -opts.groupId;
  if (!user) {
    const fmt = (ms: number) => DateTime.fromMillis(ms, { zone: app.org.organization.timezone }).toFormat('dd.MM.yyyy HH:mm');
    notifyAdministrators(
      app,
      app.db,
      (l) =>
        app.t(l, 'sources-missed', {
          why: app.t(l, opts.why === 'history' ? 'sources-missed-why-history' : 'sources-missed-why-downtime'),
          from: fmt(opts.since),
          to: fmt(opts.until),
          link: `https://vk.com/club${opts.groupId}`,
        }),
      { key: `vk:missed:${opts.since}:${opts.until}` },
    );
    app.logger.warn({ since: opts.since, why: opts.why }, 'vk: events may have been missed; no VK_USER_TOKEN for a catch-up scan, administrators told');
    return null;
  }
  const sinceSec = Math.floor(opts.since / 1000) - 60;
  let stored = 0;
  const wall = (await user.call('wall.get', { owner_id: ownerId, count: opts.posts ?? 20, filter: 'all' })) as { items?: unknown[] };
  const posts = (wall.items ?? []).filter(isObj);
  const now = Date.now();
  for (const p of posts) {
    const postId = int(p.id);
    if (postId === undefined) continue;
    const fromId = int(p.from_id);
    if (fromId !== ownerId && (int(p.date) ?? 0) >= sinceSec) {
      if (storeEvent(app.db, { source: 'vk', eventKey: `vk:new:vk:post:${ownerId}_${postId}`, type: 'wall_post_new', via: 'catchup', payload: { type: 'wall_post_new', object: p } }, now))
        stored += 1;
    }
    const comments = int((p.comments as Record<string, unknown> | undefined)?.count) ?? 1;
    if (comments === 0) continue;
    const r = (await user.call('wall.getComments', {
      owner_id: ownerId,
      post_id: postId,
      count: 100,
      sort: 'desc',
      thread_items_count: 10,
      need_likes: 0,
    })) as { items?: unknown[] };
    const flat: Record<string, unknown>[] = [];
    for (const c of (r.items ?? []).filter(isObj)) {
      flat.push(c);
      const thread = isObj(c.thread) && Array.isArray(c.thread.items) ? c.thread.items.filter(isObj) : [];
      flat.push(...thread);
    }
    for (const c of flat) {
      const id = int(c.id);
      if (id === undefined || (int(c.date) ?? 0) < sinceSec) continue;
      const object = { ...c, owner_id: int(c.owner_id) ?? ownerId, post_id: int(c.post_id) ?? postId };
      if (
        storeEvent(
          app.db,
          { source: 'vk', eventKey: `vk:new:vk:wall:${ownerId}_${postId}_${id}`, type: 'wall_reply_new', via: 'catchup', payload: { type: 'wall_reply_new', object } },
          now,
        )
      )
        stored += 1;
    }
  }
  app.logger.info({ posts: posts.length, stored, why: opts.why }, 'vk: catch-up scan done');
  return { stored, posts: posts.length };
}
