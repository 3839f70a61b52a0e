import { describe, expect, it } from 'vitest';
import { normalizeVkEvent, eventKeyOf } from '../../../src/sources/vk/normalize.js';
import { parseSourceKey } from '../../../src/sources/vk/keys.js';

const G = 201234567;
const ctx = { groupId: G, detectedAt: 1_700_000_000_000 };

const wallReply = (o: Record<string, unknown> = {}) => ({
  type: 'wall_reply_new',
  event_id: 'e1',
  group_id: G,
  object: {
    id: 301,
    from_id: 555,
    post_id: 25,
    owner_id: -G,
    post_owner_id: -G,
    date: 1_700_000_000,
    text: 'Яма на ул. Ленина',
    parents_stack: [],
    attachments: [
      {
        type: 'photo',
        photo: {
          id: 9,
          owner_id: 555,
          sizes: [
            { url: 'https://x/s.jpg', width: 10, height: 10 },
            { url: 'https://x/l.jpg', width: 100, height: 100 },
          ],
        },
      },
    ],
    ...o,
  },
});

describe('normalizeVkEvent', () => {
  it('wall_reply_new becomes a vk_comment with keys, link, author and photo', () => {
    const r = normalizeVkEvent(wallReply(), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const e = r.event;
    expect(e.sourceKey).toBe(`vk:wall:-${G}_25_301`);
    expect(e.threadKey).toBe(`vk:wall:-${G}_25`);
    expect(e.fromCommunity).toBe(false);
    expect(e.message?.kind).toBe('vk_comment');
    expect(e.message?.permalink).toBe(`https://vk.com/wall-${G}_25?reply=301`);
    expect(e.message?.author).toEqual({ externalId: '555', name: 'id555', profileUrl: 'https://vk.com/id555' });
    expect(e.message?.attachments[0]).toMatchObject({ type: 'photo', url: 'https://x/l.jpg', ref: 'photo555_9' });
    expect(e.message?.publishedAt).toBe(1_700_000_000_000);
    expect(parseSourceKey(e.sourceKey)).toEqual({ type: 'wall', ownerId: -G, objectId: 25, itemId: 301 });
  });

  it('reads post_owner_id when owner_id is missing, and reply_to_comment / parents_stack', () => {
    const r = normalizeVkEvent(wallReply({ owner_id: undefined, reply_to_comment: 300, parents_stack: [299] }), ctx);
    expect(r.ok && r.event.sourceKey).toBe(`vk:wall:-${G}_25_301`);
    expect(r.ok && r.event.replyToSourceKey).toBe(`vk:wall:-${G}_25_300`);
    expect(r.ok && r.event.parentSourceKeys).toEqual([`vk:wall:-${G}_25_299`]);
    expect(r.ok && r.event.message?.permalink).toBe(`https://vk.com/wall-${G}_25?reply=301&thread=299`);
  });

  it('the community own comment is flagged', () => {
    const r = normalizeVkEvent(wallReply({ from_id: -G, reply_to_comment: 300 }), ctx);
    expect(r.ok && r.event.fromCommunity).toBe(true);
  });

  it('wall_reply_delete has no message and keeps the key', () => {
    const r = normalizeVkEvent({ type: 'wall_reply_delete', object: { owner_id: -G, id: 301, deleter_id: 1, post_id: 25 } }, ctx);
    expect(r.ok && r.event.action).toBe('delete');
    expect(r.ok && r.event.message).toBeNull();
    expect(r.ok && r.event.sourceKey).toBe(`vk:wall:-${G}_25_301`);
  });

  it('wall_post_new: a citizen post and a suggested post are messages; the community post is own', () => {
    const citizen = normalizeVkEvent({ type: 'wall_post_new', object: { id: 7, owner_id: -G, from_id: 42, text: 'x', date: 1 } }, ctx);
    expect(citizen.ok && citizen.event.sourceKey).toBe(`vk:post:-${G}_7`);
    expect(citizen.ok && citizen.event.fromCommunity).toBe(false);
    const suggested = normalizeVkEvent({ type: 'wall_post_new', object: { id: 8, owner_id: -G, from_id: -G, post_type: 'suggest', text: 'x' } }, ctx);
    expect(suggested.ok && suggested.event.suggested).toBe(true);
    expect(suggested.ok && suggested.event.fromCommunity).toBe(false);
    const own = normalizeVkEvent({ type: 'wall_post_new', object: { id: 9, owner_id: -G, from_id: -G, text: 'news' } }, ctx);
    expect(own.ok && own.event.fromCommunity).toBe(true);
  });

  it('message_new (5.199 shape) becomes a vk_message in the dialogue thread', () => {
    const r = normalizeVkEvent({ type: 'message_new', object: { message: { id: 12, date: 2, peer_id: 555, from_id: 555, text: 'Здравствуйте', attachments: [] }, client_info: {} } }, ctx);
    expect(r.ok && r.event.sourceKey).toBe('vk:msg:555_12');
    expect(r.ok && r.event.threadKey).toBe('vk:dm:555');
    expect(r.ok && r.event.message?.permalink).toBe(`https://vk.com/gim${G}?sel=555`);
  });

  it('board, photo, video and market comments', () => {
    const board = normalizeVkEvent({ type: 'board_post_new', object: { id: 3, from_id: 5, topic_id: 11, topic_owner_id: -G, text: 'b' } }, ctx);
    expect(board.ok && board.event.sourceKey).toBe(`vk:board:-${G}_11_3`);
    expect(board.ok && board.event.kind).toBe('vk_board');
    const photo = normalizeVkEvent({ type: 'photo_comment_new', object: { id: 4, from_id: 5, photo_id: 12, photo_owner_id: -G, text: 'p' } }, ctx);
    expect(photo.ok && photo.event.sourceKey).toBe(`vk:photo:-${G}_12_4`);
    const video = normalizeVkEvent({ type: 'video_comment_new', object: { id: 5, from_id: 5, video_id: 13, video_owner_id: -G, text: 'v' } }, ctx);
    expect(video.ok && video.event.kind).toBe('vk_video_comment');
    const market = normalizeVkEvent({ type: 'market_comment_new', object: { id: 6, from_id: 5, item_id: 14, market_owner_id: -G, text: 'm' } }, ctx);
    expect(market.ok && market.event.sourceKey).toBe(`vk:market:-${G}_14_6`);
  });

  it('never throws on fuzzed payloads', () => {
    const junk: unknown[] = [
      null,
      1,
      'x',
      [],
      { type: 'wall_reply_new' },
      { type: 'wall_reply_new', object: { id: 'abc' } },
      { type: 'message_new', object: { message: null } },
      { type: 'wall_reply_new', object: { id: 1, post_id: 2, owner_id: -1, text: { evil: true }, attachments: 'no', parents_stack: 'x' } },
    ];
    for (const j of junk) {
      const r = normalizeVkEvent(j as never, ctx);
      expect(typeof r.ok).toBe('boolean');
    }
    const huge = normalizeVkEvent(wallReply({ text: 'я'.repeat(300_000) }), ctx);
    expect(huge.ok && huge.event.message!.text.length).toBeLessThan(100_010);
  });

  it('unknown event types are ignored, not failures', () => {
    const r = normalizeVkEvent({ type: 'group_join', object: {} }, ctx);
    expect(r).toMatchObject({ ok: false, ignored: true });
  });

  it('event keys: event_id when present, else the object', () => {
    expect(eventKeyOf({ type: 't', object: {}, event_id: 'abc' })).toBe('vk:event:abc');
    const r = normalizeVkEvent(wallReply(), ctx);
    expect(eventKeyOf({ type: 'wall_reply_new', object: {} }, r.ok ? r.event : null)).toBe(`vk:new:vk:wall:-${G}_25_301`);
  });
});
