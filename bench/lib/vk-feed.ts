// VK wall comments fed through the service's real ingest path, in this process (bench/ingest.ts,
// bench/ingest-statements.ts): each batch stored in `source_events` as the long-poll collector stores it
// (one transaction per batch), then VkProcessor.processPending(). users.get is answered in-process (the
// name cache is part of the path: one call per batch of new authors).
import type { API } from 'vk-io';
import type { AppContext } from '../../src/kernel/context.js';
import { storeEvent } from '../../src/db/repositories/sources.js';
import { eventKeyOf, type VkEventEnvelope } from '../../src/sources/vk/normalize.js';
import { VkProcessor } from '../../src/sources/vk/processor.js';

export const GROUP = 201234567;
/** Events per long-poll answer. */
export const BATCH = 100;

const texts = ['Яма на ул. Ленина, 5, уже месяц никто не чинит', 'Не вывозят мусор во дворе дома 12 по ул. Мира', 'Нет света на остановке «Школа» третий день', 'Когда починят лифт в доме 3?'];

export function vkFeed(app: AppContext) {
  const api = {
    call: async (method: string, params: Record<string, string>) => {
      if (method === 'users.get') return params.user_ids!.split(',').map((id) => ({ id: Number(id), first_name: 'Житель', last_name: `№${id}`, screen_name: `id${id}` }));
      return [];
    },
  } as unknown as API;
  const processor = new VkProcessor(app, api, GROUP);
  let seq = 0;
  /** Comment `i`: 3,000 authors over 50 posts; a new event id at every call (a redelivery has another). */
  function envelope(i: number): VkEventEnvelope {
    seq += 1;
    const object = {
      id: 100_000 + i,
      from_id: 1_000 + (i % 3_000),
      date: Math.floor(Date.now() / 1000),
      text: `${texts[i % texts.length]} (${i})`,
      post_owner_id: -GROUP,
      post_id: 10 + (i % 50),
      owner_id: -GROUP,
      parents_stack: [],
      thread: { count: 0 },
    };
    return { type: 'wall_reply_new', object, group_id: GROUP, event_id: `${seq.toString(16).padStart(40, '0')}`, v: '5.199' } as unknown as VkEventEnvelope;
  }
  /** Stores and processes `events`, BATCH at a time. */
  async function ingest(events: readonly VkEventEnvelope[]): Promise<void> {
    for (let b = 0; b < events.length; b += BATCH) {
      const now = Date.now();
      app.db.transaction((tx) => {
        for (const e of events.slice(b, b + BATCH)) storeEvent(tx, { source: 'vk', eventKey: eventKeyOf(e), type: 'wall_reply_new', via: 'longpoll', payload: e }, now);
      });
      await processor.processPending();
    }
  }
  /** Comments `from` … `from + n - 1`. */
  const comments = (from: number, n: number) => Array.from({ length: n }, (_, i) => envelope(from + i));
  return { envelope, comments, ingest };
}
