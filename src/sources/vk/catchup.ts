import { DateTime } from 'luxon';
import type { API } from 'vk-io';
import type { AppContext } from '../../kernel/context.js';
import { storeEvent } from '../../db/repositories/sources.js';
import { int, isObj } from './normalize.js';
import { tellAdministrators } from '../../kernel/staff-notices.js';

/**
 * Catch-up after lost history (Long Poll `failed: 1`/`3`) or downtime: scans the
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
    tellAdministrators(
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
  const withComments: number[] = [];
  for (const p of posts) {
    const postId = int(p.id);
    if (postId === undefined) continue;
    const fromId = int(p.from_id);
    if (fromId !== ownerId && (int(p.date) ?? 0) >= sinceSec) {
      if (storeEvent(app.db, { source: 'vk', eventKey: `vk:new:vk:post:${ownerId}_${postId}`, type: 'wall_post_new', via: 'catchup', payload: { type: 'wall_post_new', object: p } }, now)) stored += 1;
    }
    if ((int((p.comments as Record<string, unknown> | undefined)?.count) ?? 1) > 0) withComments.push(postId);
  }
  const comments = await getCommentsBatched(app, user, ownerId, withComments);
  for (const [postId, flat] of comments) {
    for (const c of flat) {
      const id = int(c.id);
      if (id === undefined || (int(c.date) ?? 0) < sinceSec) continue;
      const object = { ...c, owner_id: int(c.owner_id) ?? ownerId, post_id: int(c.post_id) ?? postId };
      if (storeEvent(app.db, { source: 'vk', eventKey: `vk:new:vk:wall:${ownerId}_${postId}_${id}`, type: 'wall_reply_new', via: 'catchup', payload: { type: 'wall_reply_new', object } }, now))
        stored += 1;
    }
  }
  app.logger.info({ posts: posts.length, stored, why: opts.why }, 'vk: catch-up scan done');
  return { stored, posts: posts.length };
}

/** VK's limit of API calls inside one `execute`. */
export const EXECUTE_MAX_CALLS = 25;

const commentParams = (ownerId: number, postId: number) => ({ owner_id: ownerId, post_id: postId, count: 100, sort: 'desc', thread_items_count: 10, need_likes: 0 });

function flatten(r: unknown): Record<string, unknown>[] {
  const flat: Record<string, unknown>[] = [];
  for (const c of ((isObj(r) && Array.isArray(r.items) ? r.items : []) as unknown[]).filter(isObj)) {
    flat.push(c);
    if (isObj(c.thread) && Array.isArray(c.thread.items)) flat.push(...c.thread.items.filter(isObj));
  }
  return flat;
}

/**
 * The latest comments (with thread replies) of several posts, batched through `execute`: up to 25
 * `wall.getComments` calls count as ONE request against the user token's 3 requests/s, so a scan
 * of 20 posts takes one request instead of seven seconds. A post whose item failed inside the
 * batch (`false`) is fetched on its own; a failed `execute` falls back to one call per post.
 */
export async function getCommentsBatched(app: Pick<AppContext, 'logger'>, user: API, ownerId: number, postIds: number[]): Promise<Map<number, Record<string, unknown>[]>> {
  const out = new Map<number, Record<string, unknown>[]>();
  for (let i = 0; i < postIds.length; i += EXECUTE_MAX_CALLS) {
    const chunk = postIds.slice(i, i + EXECUTE_MAX_CALLS);
    let answers: unknown[] | null = null;
    if (chunk.length > 1) {
      const code = `return [${chunk.map((id) => `API.wall.getComments(${JSON.stringify(commentParams(ownerId, id))})`).join(',')}];`;
      try {
        // vk-io resolves `execute` as { response, errors } (errors: the failed items' execute_errors).
        const r = (await user.call('execute', { code })) as { response?: unknown } | unknown[];
        const list = Array.isArray(r) ? r : (r as { response?: unknown }).response;
        answers = Array.isArray(list) ? list : null;
      } catch (err) {
        app.logger.warn({ err: (err as Error).message, posts: chunk.length }, 'vk: execute failed, fetching comments one post at a time');
      }
    }
    for (const [j, postId] of chunk.entries()) {
      const a = answers?.[j];
      if (a !== undefined && a !== false && a !== null) out.set(postId, flatten(a));
      else out.set(postId, flatten(await user.call('wall.getComments', commentParams(ownerId, postId))));
    }
  }
  return out;
}
