import { describe, expect, it } from 'vitest';
import { TAKE_BACK_PER_ROW, enqueueTakeBack } from '../../../src/bot/sent-record.js';
import type { AppContext } from '../../../src/kernel/context.js';
import type { Db } from '../../../src/db/connection.js';

/** The take-back of a long chat history is split into outbox rows of at most TAKE_BACK_PER_ROW (50) messages, none lost, none twice. */
describe('enqueueTakeBack', () => {
  const rowsFor = (cardIds: number[], texts: number[], media: number[]) => {
    const rows: { messageIds: number[]; media: { id: number }[] }[] = [];
    const app = { enqueue: (a: { payload: { messageIds: number[]; media: { id: number }[] } }) => rows.push(a.payload) } as unknown as AppContext;
    const queued = enqueueTakeBack(app, {} as Db, 7, cardIds, { texts, media: media.map((id) => ({ id, sentAt: 0 })) });
    return { queued, rows };
  };
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

  it('one row for a short history; card ids and recorded texts merged', () => {
    const { queued, rows } = rowsFor([1, 2], [2, 3], [10]);
    expect(queued).toBe(true);
    expect(rows).toEqual([{ chatId: 7, messageIds: [1, 2, 3], media: [{ id: 10, sentAt: 0 }] }]);
  });

  it('several rows of at most 50 for a long one, every message exactly once', () => {
    const { rows } = rowsFor([], range(1, 250), range(1000, 130));
    expect(rows.every((r) => r.messageIds.length + r.media.length <= TAKE_BACK_PER_ROW)).toBe(true);
    expect(rows.flatMap((r) => r.messageIds)).toEqual(range(1, 250));
    expect(rows.flatMap((r) => r.media.map((m) => m.id))).toEqual(range(1000, 130));
    expect(rows).toHaveLength(Math.ceil(380 / TAKE_BACK_PER_ROW));
  });

  it('nothing to take back: no row', () => {
    expect(rowsFor([], [], [])).toEqual({ queued: false, rows: [] });
  });
});
