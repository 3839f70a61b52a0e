import { describe, expect, it } from 'vitest';
import { splitHtml } from '../../../src/bot/format/html.js';

describe('splitHtml', () => {
  it('keeps every part within the limit with its tags balanced and no tag cut', () => {
    const html = `<b>Заголовок</b>\n<i>${'слово &amp; <code>код</code> '.repeat(400)}</i>\n<a href="https://vk.com/wall-1_2">ссылка</a>`;
    const parts = splitHtml(html, 1000);
    expect(parts.length).toBeGreaterThan(4);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(1000);
      const opened = (p.match(/<(b|i|code|a)(\s[^>]*)?>/g) ?? []).length;
      const closed = (p.match(/<\/(b|i|code|a)>/g) ?? []).length;
      expect(opened, p.slice(0, 80)).toBe(closed);
      expect(p).not.toMatch(/<[^>]*$/);
    }
    expect(parts.join('').replace(/<[^>]+>/g, '')).toContain('ссылка');
  });

  it('leaves a short text alone', () => {
    expect(splitHtml('<b>коротко</b>')).toEqual(['<b>коротко</b>']);
  });
});
