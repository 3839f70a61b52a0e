import { describe, expect, it } from 'vitest';
import type { Update as MaxUpdate } from '@maxhub/max-bot-api/types';
import { isMaxWorkspace, maxUserOf, maxWorkspaceId, MAX_WORKSPACE_BASE, staffChannel, withWorkspaceId } from '../../../src/kernel/workspace-id.js';
import { keyboardAttachment, maxHtml, toTelegramUpdate, updateKey } from '../../../src/max/translate.js';
import { parseOrganization } from '../../../src/config/organization.js';
import { loadEnv } from '../../../src/config/env.js';
import { wantsSandbox } from '../../../src/sandbox/decide.js';
import { splitLongText } from '../../../src/bot/format/split-action.js';
import { MAX_TEXT_LIMIT, maxFileUrl } from '../../../src/kernel/workspace-id.js';

const user = { user_id: 42, name: 'Анна', first_name: 'Анна', username: null, is_bot: false, last_activity_time: 0 };
const numbers = () => {
  const seen = new Map<string, number>();
  return { numberOf: (mid: string) => seen.get(mid) ?? (seen.set(mid, seen.size + 1), seen.size) };
};

describe('workspace ids', () => {
  it('puts MAX users above every Telegram id and back', () => {
    expect(maxWorkspaceId(42)).toBe(MAX_WORKSPACE_BASE + 42);
    expect(maxUserOf(maxWorkspaceId(42))).toBe(42);
    expect(isMaxWorkspace(maxWorkspaceId(1))).toBe(true);
    expect(isMaxWorkspace(MAX_WORKSPACE_BASE - 1)).toBe(false);
    expect(isMaxWorkspace(-1001234567890)).toBe(false);
    expect(() => maxUserOf(100001)).toThrow(RangeError);
    expect(() => maxWorkspaceId(0)).toThrow(RangeError);
  });

  it('routes a staff action for a MAX chat to channel max, Telegram chats and other channels unchanged', () => {
    const ws = maxWorkspaceId(7);
    expect(staffChannel({ channel: 'telegram', payload: { chat_id: ws } }).channel).toBe('max');
    expect(staffChannel({ channel: 'telegram', payload: { chatId: ws } }).channel).toBe('max');
    expect(staffChannel({ channel: 'telegram', payload: { chat_id: 100001 } }).channel).toBe('telegram');
    expect(staffChannel({ channel: 'vk', payload: { chat_id: ws } }).channel).toBe('vk');
  });

  it('takes the messenger of a staff entry: telegram by default when a Telegram id is given, max otherwise', () => {
    expect(withWorkspaceId({ telegramId: 5, maxUserId: 9 }).workspaceId).toBe(5);
    expect(withWorkspaceId({ telegramId: 5, maxUserId: 9, messenger: 'max' as const }).workspaceId).toBe(maxWorkspaceId(9));
    expect(withWorkspaceId({ maxUserId: 9 }).workspaceId).toBe(maxWorkspaceId(9));
  });

  it('splits a text for MAX at 4000 characters, the keyboard on the last part', () => {
    const parts = splitLongText(
      { channel: 'max', action: 'sendMessage', payload: { chat_id: maxWorkspaceId(7), text: 'а'.repeat(4050), reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'y' }]] } } },
      MAX_TEXT_LIMIT,
    );
    expect(parts).toHaveLength(2);
    expect(parts.every((p) => String(p.payload.text).length <= MAX_TEXT_LIMIT)).toBe(true);
    expect(parts[0]!.payload.reply_markup).toBeUndefined();
    expect(parts[1]!.payload.reply_markup).toBeDefined();
  });
});

describe('MAX updates as Telegram updates', () => {
  it('a dialog message: private chat and sender are the workspace id, a command gets its entity, a reply its message', () => {
    const u = {
      update_type: 'message_created',
      timestamp: 1_700_000_000_000,
      message: {
        sender: user,
        recipient: { chat_id: 9, chat_type: 'dialog', user_id: null, post_id: null },
        timestamp: 1_700_000_000_000,
        body: { mid: 'mid.2', seq: 2, text: '/queue now' },
        link: { type: 'reply', message: { mid: 'mid.1', seq: 1, text: 'card' } },
      },
    } as unknown as MaxUpdate;
    const t = toTelegramUpdate(u, 77, numbers())!;
    expect(t.update_id).toBe(77);
    expect(t.message).toMatchObject({
      chat: { id: maxWorkspaceId(42), type: 'private' },
      from: { id: maxWorkspaceId(42), is_bot: false },
      text: '/queue now',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      date: 1_700_000_000,
    });
    expect(t.message!.reply_to_message!.message_id).not.toBe(t.message!.message_id);
    expect(updateKey(u)).toBe('msg:mid.2');
  });

  it('a press: callback query with the payload as data and an id the bridge recognises; a bot_started deep link is /start <payload>', () => {
    const press = { update_type: 'message_callback', timestamp: 1, callback: { timestamp: 1, callback_id: 'cb1', payload: 'adm.assign:5:0-0', user }, message: null } as unknown as MaxUpdate;
    const t = toTelegramUpdate(press, 1, numbers())!;
    expect(t.callback_query).toMatchObject({ id: 'max:cb1', data: 'adm.assign:5:0-0', from: { id: maxWorkspaceId(42) } });
    const start = toTelegramUpdate({ update_type: 'bot_started', timestamp: 5, chat_id: 9, user, payload: 'inv123' } as unknown as MaxUpdate, 2, numbers())!;
    expect(start.message).toMatchObject({ text: '/start inv123', entities: [{ type: 'bot_command', offset: 0, length: 6 }] });
  });

  it('a photo arrives as a Telegram photo whose file id carries its MAX url, the text as caption', () => {
    const u = {
      update_type: 'message_created',
      timestamp: 1,
      message: {
        sender: user,
        recipient: { chat_id: 9, chat_type: 'dialog', user_id: null, post_id: null },
        timestamp: 1,
        body: { mid: 'm.p', seq: 1, text: 'двор', attachments: [{ type: 'image', payload: { photo_id: 1, token: 't', url: 'https://i.max.ru/p.jpg' } }] },
      },
    } as unknown as MaxUpdate;
    const t = toTelegramUpdate(u, 3, numbers())!;
    expect(t.message).toMatchObject({ photo: [{ file_id: 'max:https://i.max.ru/p.jpg' }], caption: 'двор' });
    expect(t.message!.text).toBeUndefined();
    expect(maxFileUrl(t.message!.photo![0]!.file_id)).toBe('https://i.max.ru/p.jpg');
    expect(maxFileUrl('AgACAgIAAxkBAAI')).toBeNull();
  });

  it('ignores group chats, bots and other update types', () => {
    const inChat = {
      update_type: 'message_created',
      timestamp: 1,
      message: { sender: user, recipient: { chat_id: -5, chat_type: 'chat', user_id: null, post_id: null }, timestamp: 1, body: { mid: 'm', seq: 1, text: 'hi' } },
    } as unknown as MaxUpdate;
    expect(toTelegramUpdate(inChat, 1, numbers())).toBeNull();
    const fromBot = {
      update_type: 'message_created',
      timestamp: 1,
      message: { sender: { ...user, is_bot: true }, recipient: { chat_id: 9, chat_type: 'dialog', user_id: null, post_id: null }, timestamp: 1, body: { mid: 'm', seq: 1, text: 'hi' } },
    } as unknown as MaxUpdate;
    expect(toTelegramUpdate(fromBot, 1, numbers())).toBeNull();
    expect(toTelegramUpdate({ update_type: 'dialog_muted', timestamp: 1, chat_id: 9, user, muted_until: 0 } as unknown as MaxUpdate, 1, numbers())).toBeNull();
  });
});

describe('Telegram calls as MAX requests', () => {
  it('an inline keyboard becomes a MAX inline_keyboard attachment with callback and link buttons; an empty one none', () => {
    expect(keyboardAttachment({ inline_keyboard: [[{ text: 'Взять', callback_data: 'ex.acc:1' }], [{ text: 'Открыть', url: 'https://vk.com/x' }]] })).toEqual({
      type: 'inline_keyboard',
      payload: { buttons: [[{ type: 'callback', text: 'Взять', payload: 'ex.acc:1' }], [{ type: 'link', text: 'Открыть', url: 'https://vk.com/x' }]] },
    });
    expect(keyboardAttachment({ inline_keyboard: [] })).toBeNull();
    expect(keyboardAttachment({ force_reply: true })).toBeNull();
  });

  it('keeps the HTML MAX knows and drops Telegram-only tags', () => {
    expect(maxHtml('<b>№ 1</b> <tg-spoiler>тайна</tg-spoiler> <blockquote>цитата</blockquote>')).toBe('<b>№ 1</b> тайна <blockquote>цитата</blockquote>');
  });
});

describe('configuration', () => {
  const org = (staff: string) => `organization: { name: X, timezone: Europe/Moscow }
regulation: kanash-2020
departments: [{ id: zhkh, name: ЖКХ }]
staff:
${staff}
topics: [Другое]
`;
  it('takes staff by maxUserId with messenger, and refuses an entry with neither id or a messenger without its id', () => {
    const ok = parseOrganization(org('  - { maxUserId: 9, name: A, roles: [administrator] }\n  - { telegramId: 5, maxUserId: 10, messenger: max, name: B, roles: [head] }'), 'o.yaml');
    expect(ok.staff.map((s) => [s.telegramId, s.maxUserId, s.messenger])).toEqual([
      [undefined, 9, undefined],
      [5, 10, 'max'],
    ]);
    expect(() => parseOrganization(org('  - { name: A, roles: [administrator] }'), 'o.yaml')).toThrow(/telegramId: is required \(or maxUserId\)/);
    expect(() => parseOrganization(org('  - { telegramId: 5, messenger: max, name: A, roles: [administrator] }'), 'o.yaml')).toThrow(/maxUserId: is required with messenger: max/);
    expect(() => parseOrganization(org('  - { maxUserId: 9, name: A, roles: [administrator] }\n  - { maxUserId: 9, name: B, roles: [head] }'), 'o.yaml')).toThrow(/maxUserId: 9 appears twice/);
  });

  it('refuses one MAX token for both bots and a webhook URL without its secret', () => {
    const base = { BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' };
    expect(() => loadEnv({ ...base, MAX_BOT_TOKEN: 'same-token', MAX_SOURCE_TOKEN: 'same-token' })).toThrow(/MAX_SOURCE_TOKEN must not be the staff bot token/);
    expect(() => loadEnv({ ...base, MAX_BOT_TOKEN: 't', MAX_WEBHOOK_URL: 'https://x.ru/max' })).toThrow(/MAX_WEBHOOK_SECRET is required/);
    expect(loadEnv({ ...base, MAX_BOT_TOKEN: 't' }).MAX_API_ROOT).toBe('https://platform-api2.max.ru');
  });

  it('a workspace in MAX only needs no BOT_TOKEN; with neither token BOT_TOKEN is required; no sandbox with a MAX token', () => {
    expect(loadEnv({ MAX_BOT_TOKEN: 'max-staff' }).BOT_TOKEN).toBeUndefined();
    expect(() => loadEnv({})).toThrow(/BOT_TOKEN is required/);
    expect(() => loadEnv({ MAX_SOURCE_TOKEN: 'max-citizens' })).toThrow(/BOT_TOKEN is required/);
    expect(wantsSandbox({ MAX_BOT_TOKEN: 'max-staff' })).toBe(false);
    expect(wantsSandbox({})).toBe(true);
  });
});
