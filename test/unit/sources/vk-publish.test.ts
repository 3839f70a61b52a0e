import { describe, expect, it } from 'vitest';
import { banParams, publicationCall, randomIdFromGuid } from '../../../src/sources/vk/publish.js';
import { classifyVkError, needsPerson } from '../../../src/sources/vk/errors.js';
import { fillTemplate } from '../../../src/kernel/author-templates.js';
import { mentions } from '../../../src/sources/vk/external.js';

const G = 201234567;
const apiError = (code: number) => Object.assign(new Error(`Code №${code}`), { name: 'APIError', code });

describe('publication calls', () => {
  it('a wall comment answer: owner_id, post_id, reply_to_comment, from_group, guid', () => {
    const c = publicationCall({ sourceKey: `vk:wall:-${G}_25_301`, groupId: G, text: 'Ответ', guid: 'case-1-draft-2', attachments: ['photo-1_2'] });
    expect(c).toEqual({
      method: 'wall.createComment',
      params: { owner_id: -G, post_id: 25, reply_to_comment: 301, from_group: G, message: 'Ответ', guid: 'case-1-draft-2', attachments: 'photo-1_2' },
    });
  });
  it('a post answer has no reply_to_comment', () => {
    const c = publicationCall({ sourceKey: `vk:post:-${G}_7`, groupId: G, text: 'a', guid: 'g' });
    expect(c?.params.reply_to_comment).toBeUndefined();
    expect(c?.params.post_id).toBe(7);
  });
  it('a private message: messages.send with a random_id derived from the guid', () => {
    const c = publicationCall({ sourceKey: 'vk:msg:555_12', groupId: G, text: 'a', guid: 'g1' });
    expect(c?.method).toBe('messages.send');
    expect(c?.params.peer_id).toBe(555);
    expect(c?.params.random_id).toBe(randomIdFromGuid('g1'));
    expect(randomIdFromGuid('g1')).toBe(randomIdFromGuid('g1'));
    expect(randomIdFromGuid('g1')).not.toBe(randomIdFromGuid('g2'));
    expect(randomIdFromGuid('g1')).toBeGreaterThan(0);
    expect(randomIdFromGuid('g1')).toBeLessThanOrEqual(0x7fffffff);
  });
  it('photo/video/market/board comments use their own methods', () => {
    expect(publicationCall({ sourceKey: `vk:photo:-${G}_12_4`, groupId: G, text: 'a', guid: 'g' })?.method).toBe('photos.createComment');
    expect(publicationCall({ sourceKey: `vk:video:-${G}_13_5`, groupId: G, text: 'a', guid: 'g' })?.method).toBe('video.createComment');
    expect(publicationCall({ sourceKey: `vk:market:-${G}_14_6`, groupId: G, text: 'a', guid: 'g' })?.method).toBe('market.createComment');
    const b = publicationCall({ sourceKey: `vk:board:-${G}_11_3`, groupId: G, text: 'a', guid: 'g' });
    expect(b?.method).toBe('board.createComment');
    expect(b?.params.group_id).toBe(G);
  });
  it('not a VK key: null', () => {
    expect(publicationCall({ sourceKey: 'tg:-100_5', groupId: G, text: 'a', guid: 'g' })).toBeNull();
  });
  it('groups.ban with reason code and end_date in seconds', () => {
    expect(banParams({ groupId: G, userId: 555, vkReason: 2, until: 1_800_000_000_500, comment: 'оскорбления' })).toEqual({
      group_id: G,
      owner_id: 555,
      reason: 2,
      end_date: 1_800_000_000,
      comment: 'оскорбления',
      comment_visible: 1,
    });
    expect(banParams({ groupId: G, userId: 555, vkReason: 1, until: null, comment: null }).end_date).toBeUndefined();
  });
});

describe('VK error classification', () => {
  it('6, 9, 10 retry with backoff', () => {
    expect(classifyVkError(apiError(6))).toMatchObject({ retry: true, afterMs: 1000 });
    expect(classifyVkError(apiError(9))).toMatchObject({ retry: true });
    expect(classifyVkError(apiError(10))).toMatchObject({ retry: true });
  });
  it('5, 15, 27, 213 need a person and do not retry', () => {
    for (const code of [5, 15, 27, 213]) {
      expect(classifyVkError(apiError(code)).retry).toBe(false);
      expect(needsPerson(apiError(code))).toBe(true);
    }
    expect(classifyVkError(apiError(213)).reason).toMatch(/comments are closed/);
  });
  it('timeouts and resets retry', () => {
    expect(classifyVkError(Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' })).retry).toBe(true);
    expect(classifyVkError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).retry).toBe(true);
  });
});

describe('templates and keywords', () => {
  it('fills Fluent-style placeholders in organization overrides', () => {
    expect(fillTemplate('{ $greeting } Принято, № {$case}. { $unknown }', { greeting: 'Здравствуйте!', case: 42 })).toBe('Здравствуйте! Принято, № 42. { $unknown }');
  });
  it('keyword match is case-insensitive', () => {
    expect(mentions('В селе АХТЫ нет воды', ['Ахты'])).toBe(true);
    expect(mentions('Махачкала', ['Ахты'])).toBe(false);
  });
});
