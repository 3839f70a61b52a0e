import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaxError } from '@maxhub/max-bot-api';
import ExcelJS from 'exceljs';
import { createI18n } from '../../../src/kernel/context.js';
import { computeMonthlyReport } from '../../../src/reports/compute.js';
import { reportWorkbook } from '../../../src/reports/render.js';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { createLogger } from '../../../src/infra/logger.js';
import type { AppContext } from '../../../src/kernel/context.js';
import { laneOf } from '../../../src/outbox/lanes.js';
import type { OutboxRow } from '../../../src/outbox/queue.js';
import { classifyMaxError, maxChannel, splitText, withCitizenSenders, type MaxReplyPayload } from '../../../src/sources/max/channel.js';
import type { ChannelAdapter } from '../../../src/outbox/worker.js';
import { maxKey, parseMaxKey } from '../../../src/sources/max/keys.js';
import { maxEventKey, normalizeMaxUpdate } from '../../../src/sources/max/normalize.js';
import type { MaxApi } from '../../../src/sources/max/api.js';

/** Shapes as the official library types them (dist/core/network/api/types/subcription.d.ts, message.d.ts). */
const citizen = { user_id: 5001, first_name: 'Анна', last_name: 'Петрова', name: 'Анна Петрова', username: null, is_bot: false, last_activity_time: 0 };
const created = (over: Record<string, unknown> = {}) => ({
  update_type: 'message_created',
  timestamp: 1_740_000_000_000,
  message: {
    sender: citizen,
    recipient: { chat_id: 9001, chat_type: 'dialog', user_id: 777 },
    timestamp: 1_740_000_000_000,
    body: { mid: 'mid.1', seq: 1, text: 'Не вывозят мусор', attachments: [{ type: 'image', payload: { url: 'https://i.max.ru/1.jpg', token: 't1', photo_id: 1 } }] },
    ...over,
  },
});

describe('MAX updates → messages', () => {
  it("a citizen's dialog message: source max, his name, the dialog thread, a key that locates the reply", () => {
    const n = normalizeMaxUpdate(created(), 42);
    expect(n.ok && n.action === 'new').toBe(true);
    if (!n.ok || n.action === 'delete') return;
    expect(n.message).toMatchObject({
      sourceKey: 'max:9001:mid.1',
      kind: 'max',
      network: 'max',
      threadKey: 'max:dialog:9001',
      author: { externalId: '5001', name: 'Анна Петрова' },
      text: 'Не вывозят мусор',
      attachments: [{ type: 'photo', url: 'https://i.max.ru/1.jpg', ref: 'max-image:t1' }],
      detectedAt: 42,
    });
    expect(parseMaxKey(n.message.sourceKey)).toEqual({ chatId: 9001, mid: 'mid.1' });
    expect(maxEventKey(created())).toEqual({ key: 'max:new:mid.1', type: 'message_created' });
  });

  it('a nameless author is id<user id>, greeted without a name like a VK one', () => {
    const n = normalizeMaxUpdate(created({ sender: { user_id: 5002, first_name: '', name: '', username: null, is_bot: false } }), 1);
    expect(n.ok && n.action !== 'delete' && n.message.author.name).toBe('id5002');
  });

  it('the bot itself and group chats are not cases', () => {
    expect(normalizeMaxUpdate(created({ sender: { ...citizen, is_bot: true } }), 1)).toMatchObject({ ok: false, ignored: true });
    expect(normalizeMaxUpdate(created({ recipient: { chat_id: 1, chat_type: 'chat', user_id: null } }), 1)).toMatchObject({ ok: false, ignored: true });
  });

  it('malformed updates are refused with a reason naming what is missing', () => {
    expect(maxEventKey(null)).toEqual({ rejected: 'not an update object (null)' });
    expect(maxEventKey({ timestamp: 1 })).toEqual({ rejected: 'no update_type' });
    expect(maxEventKey({ update_type: 'message_created', message: { body: {} } })).toEqual({ rejected: 'message_created without message.body.mid' });
    expect(normalizeMaxUpdate(created({ sender: null }), 1)).toEqual({ ok: false, ignored: false, reason: 'message_created: no message.sender.user_id' });
    expect(normalizeMaxUpdate(created({ recipient: { chat_type: 'dialog' } }), 1)).toEqual({ ok: false, ignored: false, reason: 'message_created: no message.recipient.chat_id' });
  });

  it('a comment on a channel post: keyed by its post (a reply to another comment finds the post through postOf)', () => {
    const comment = (linkMid: string) => ({
      update_type: 'comment_created',
      timestamp: 1,
      message: {
        sender: citizen,
        recipient: { chat_id: -5, chat_type: 'channel', user_id: null },
        timestamp: 1,
        link: { type: 'reply', message: { mid: linkMid } },
        body: { mid: 'cmt.2', seq: 2, text: 'А у нас?' },
      },
    });
    const onPost = normalizeMaxUpdate(comment('mid.post'), 1);
    expect(onPost).toMatchObject({
      ok: true,
      action: 'new',
      replyToMid: null,
      post: { postMid: 'mid.post', commentId: 'cmt.2' },
      message: { sourceKey: 'max:c:mid.post:cmt.2', kind: 'max_comment', threadKey: 'max:post:mid.post' },
    });
    const onComment = normalizeMaxUpdate(comment('cmt.1'), 1, (mid) => (mid === 'cmt.1' ? 'mid.post' : mid));
    expect(onComment).toMatchObject({ ok: true, replyToMid: 'cmt.1', message: { sourceKey: 'max:c:mid.post:cmt.2' } });
    expect(maxEventKey(comment('mid.post'))).toEqual({ key: 'max:comment:cmt.2', type: 'comment_created' });
  });

  it('a removal points at the stored message by its key', () => {
    expect(normalizeMaxUpdate({ update_type: 'message_removed', timestamp: 1, message_id: 'mid.1', chat_id: 9001, user_id: 5001, post_id: null }, 1)).toEqual({
      ok: true,
      action: 'delete',
      sourceKey: maxKey(9001, 'mid.1'),
    });
  });
});

describe('the MAX outbox channel', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let app: AppContext;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otklik-max-'));
    handle = openDatabase(path.join(dir, 'otklik.db'));
    app = { db: handle.db, logger: createLogger('silent') } as unknown as AppContext;
  });
  afterEach(() => {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const payload: MaxReplyPayload = { purpose: 'answer', caseId: 1, chatId: 9001, userId: 5001, replyToMid: 'mid.1', text: 'Мусор вывезут завтра.', sendKey: 'max:g1' };

  /** A stand-in for the library's Api: records sends, keeps the dialog, can lose the response of a send. */
  function stubApi(opts: { loseResponse?: boolean } = {}) {
    const dialog: Array<{ sender: { user_id: number }; body: { mid: string; text: string } }> = [{ sender: { user_id: 5001 }, body: { mid: 'mid.1', text: payload.text } }];
    const sends: unknown[] = [];
    let lose = opts.loseResponse ?? false;
    const api = {
      sendMessageToChat: async (chatId: number, text: string, extra: unknown) => {
        sends.push({ chatId, text, extra });
        const m = { sender: { user_id: 1 }, body: { mid: `mid.bot${sends.length}`, text }, url: null };
        dialog.push(m);
        if (lose) {
          lose = false;
          throw new TypeError('fetch failed');
        }
        return m;
      },
      getMessages: async () => ({ messages: [...dialog] }),
    } as unknown as MaxApi;
    return { api, sends };
  }

  it('replies in the dialog to the citizen’s message', async () => {
    const { api, sends } = stubApi();
    const r = await maxChannel(app, api).senders.reply!(payload as unknown as Record<string, unknown>, {} as OutboxRow);
    expect(sends).toEqual([{ chatId: 9001, text: payload.text, extra: { link: { type: 'reply', mid: 'mid.1' } } }]);
    expect(r).toEqual({ messageId: 'mid.bot1', permalink: null });
  });

  it('a retry after a send whose response was lost adopts the message that went out instead of sending it twice (the citizen’s own identical text is not taken for it)', async () => {
    const { api, sends } = stubApi({ loseResponse: true });
    const channel = maxChannel(app, api);
    await expect(channel.senders.reply!(payload as unknown as Record<string, unknown>, {} as OutboxRow)).rejects.toThrow('fetch failed');
    expect(classifyMaxError(new TypeError('fetch failed')).retry).toBe(true);
    const r = await channel.senders.reply!(payload as unknown as Record<string, unknown>, {} as OutboxRow);
    expect(sends).toHaveLength(1);
    expect(r).toEqual({ messageId: 'mid.bot1', permalink: null });
  });

  it('MAX errors: 429 and 5xx are retried, 400/403/404 given up', () => {
    const e = (status: number) => new MaxError(status, { code: 'x', message: 'y' });
    expect([429, 500, 503].map((s) => classifyMaxError(e(s)).retry)).toEqual([true, true, true]);
    expect([400, 401, 403, 404].map((s) => classifyMaxError(e(s)).retry)).toEqual([false, false, false, false]);
    expect(classifyMaxError(e(403)).reason).toBe('MAX 403 x: y');
  });

  it('a text over 4000 characters goes in parts MAX accepts, cut between words', () => {
    const parts = splitText(`${'слово '.repeat(1000)}конец`);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => p.length <= 4000)).toBe(true);
    expect(parts.join(' ')).toBe(`${'слово '.repeat(1000)}конец`);
  });

  it("with the staff workspace on, channel max carries both bots' senders; the citizens' bot's MAX errors keep their classification", () => {
    const workspace: ChannelAdapter = { senders: { sendMessage: async () => null }, classify: () => ({ retry: true, reason: 'workspace' }), spacingMs: () => 1_000, perSecond: 25 };
    const joined = withCitizenSenders(workspace, maxChannel(app, stubApi().api));
    expect(Object.keys(joined.senders).sort()).toEqual(['comment', 'reply', 'sendMessage']);
    expect(joined.classify(new MaxError(403, { code: 'chat.denied', message: 'stopped' }))).toEqual({ retry: false, reason: 'MAX 403 chat.denied: stopped' });
    expect(joined.classify(new Error('grammy'))).toEqual({ retry: true, reason: 'workspace' });
  });

  it('the outbox lane of channel max is its own', () => {
    expect(laneOf({ channel: 'max', action: 'reply' })).toBe('max');
    expect(laneOf({ channel: 'vk', action: 'publish' })).toBe('vk_group');
  });
});

describe('MAX in the monthly summary', () => {
  it('the source «max» is shown as «MAX» on the dynamics sheet', async () => {
    const H = 3_600_000;
    const OCT = Date.UTC(2026, 9, 1) - 3 * H;
    const NOV = Date.UTC(2026, 10, 1) - 3 * H;
    const SEP = Date.UTC(2026, 8, 1) - 3 * H;
    const i18n = createI18n();
    const t = (key: string, vars?: Record<string, string | number>) => i18n.t('ru', key, vars);
    const c = (id: number, source: string) => ({ id, detectedAt: OCT + id * H, departmentId: null, topic: null, location: null, source, repeat: false, firstResponseAt: null, finalAnswerAt: null });
    const report = computeMonthlyReport(
      { departments: [], staff: [], roleTitles: {}, cases: [c(1, 'max'), c(2, 'max_comment'), c(3, 'vk_comment')], deadlines: [], events: [] },
      {
        period: { month: '2026-10', from: OCT, to: NOV },
        previous: { month: '2026-09', from: SEP, to: OCT },
        organization: 'Администрация',
        regulationId: 'akhty-2021',
        asOf: NOV,
        workingMinutes: (a, b) => Math.round((b - a) / 60_000),
        unroutedName: t('report-unrouted'),
      },
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(report, t, 'ru')) as unknown as ArrayBuffer);
    const values: string[] = [];
    wb.getWorksheet('Динамика')!.eachRow((row) => {
      if (row.getCell(1).value === 'Источник') values.push(String(row.getCell(2).value));
    });
    expect(values.sort()).toEqual(['MAX', 'MAX (комментарии в канале)', 'vk_comment']);
  });
});
