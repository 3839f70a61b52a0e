import { describe, expect, it } from 'vitest';
import { parseManualLink } from '../../../src/kernel/manual-publication.js';

describe('parseManualLink («Опубликовал вручную»)', () => {
  it('takes the comment id from VK and Telegram links', () => {
    expect(parseManualLink('https://vk.com/wall-1_2?reply=3')).toEqual({ permalink: 'https://vk.com/wall-1_2?reply=3', externalId: '3' });
    expect(parseManualLink(' https://m.vk.com/wall-1_25?reply=77&thread=5 ')?.externalId).toBe('77');
    expect(parseManualLink('vk.com/wall-1_2')).toEqual({ permalink: 'https://vk.com/wall-1_2', externalId: '2' });
    expect(parseManualLink('https://t.me/adm_chat/15')?.externalId).toBe('15');
    expect(parseManualLink('https://t.me/c/1234567890/15')?.externalId).toBe('15');
  });
  it('keeps any other http(s) link without an id', () => {
    expect(parseManualLink('https://ok.ru/group/1/topic/2')).toEqual({ permalink: 'https://ok.ru/group/1/topic/2', externalId: null });
    expect(parseManualLink('https://vk.com/wall-1_2?reply=abc')?.externalId).toBeNull();
  });
  it('refuses what is not a link', () => {
    for (const t of ['сделал', 'опубликовал вручную', '', 'ftp://vk.com/x', 'javascript:alert(1)', 'https://vk.com/wall 1']) expect(parseManualLink(t), t).toBeNull();
  });
});
