import type { API } from 'vk-io';
import type { Db } from '../../db/connection.js';
import type { Logger } from '../../infra/logger.js';
import { cacheUser, cachedUsers } from '../../db/repositories/sources.js';
import { profileUrl } from './keys.js';

const MAX_AGE_MS = 7 * 24 * 3600_000;

export interface VkName {
  name: string;
  profileUrl: string;
}

/**
 * Author names and profile links through users.get (and groups.getById for communities), cached in
 * `vk_users` for a week. A failed look-up leaves the placeholder (id123): never blocks ingest.
 */
export async function resolveNames(db: Db, api: API, ids: number[], now: number, logger: Logger): Promise<Map<number, VkName>> {
  const unique = [...new Set(ids.filter((i) => Number.isSafeInteger(i) && i !== 0))];
  const out = new Map<number, VkName>();
  const cached = cachedUsers(db, unique, MAX_AGE_MS, now);
  for (const [id, u] of cached) out.set(id, { name: u.name, profileUrl: profileUrl(id, u.screenName) });
  const users = unique.filter((i) => i > 0 && !cached.has(i));
  const groups = unique.filter((i) => i < 0 && !cached.has(i));
  try {
    if (users.length) {
      const rows = (await api.call('users.get', { user_ids: users.join(','), fields: 'screen_name' })) as Array<{
        id: number;
        first_name?: string;
        last_name?: string;
        screen_name?: string;
      }>;
      // One transaction for the whole answer (up to a long-poll batch of new authors), not a commit each.
      db.transaction((tx) => {
        for (const u of Array.isArray(rows) ? rows : []) {
          const name = [u.first_name, u.last_name].filter(Boolean).join(' ').trim() || `id${u.id}`;
          cacheUser(tx, { id: u.id, name, screenName: u.screen_name ?? null }, now);
          out.set(u.id, { name, profileUrl: profileUrl(u.id, u.screen_name) });
        }
      });
    }
    if (groups.length) {
      const r = (await api.call('groups.getById', { group_ids: groups.map((g) => -g).join(',') })) as
        Array<{ id: number; name?: string; screen_name?: string }> | { groups?: Array<{ id: number; name?: string; screen_name?: string }> };
      const list = Array.isArray(r) ? r : (r.groups ?? []);
      db.transaction((tx) => {
        for (const g of list) {
          const name = g.name ?? `club${g.id}`;
          cacheUser(tx, { id: -g.id, name, screenName: g.screen_name ?? null }, now);
          out.set(-g.id, { name, profileUrl: profileUrl(-g.id, g.screen_name) });
        }
      });
    }
  } catch (err) {
    logger.warn({ err: (err as Error).message, ids: unique.length }, 'vk: users.get failed, authors keep their ids for now');
  }
  return out;
}
