import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { loadOrganization } from '../../../src/config/organization.js';
import { createWorkingTime } from '../../../src/domain/time/working-time.js';
import { clockTarget, type ClockStep } from '../../../src/sandbox/clock.js';
import { telegramHtml } from '../../../src/sandbox/html.js';
import { wantsSandbox } from '../../../src/sandbox/decide.js';

const { org } = loadOrganization('otklik.example.yaml');
const wt = createWorkingTime({ zone: org.organization.timezone, calendar: { ...org.calendar, warn: () => {} }, schedule: org.schedule });
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Moscow' });
const move = (step: ClockStep, from: string) => clockTarget(step, at(from), wt).toFormat("yyyy-MM-dd'T'HH:mm");

describe('sandbox clock steps (Канаш schedule 09:00–18:00, lunch 13:00–14:00, production calendar 2025)', () => {
  it('«+1 рабочий час» counts working time only: over lunch, over the night', () => {
    expect(move('work-hour', '2025-03-03T10:00')).toBe('2025-03-03T11:00');
    expect(move('work-hour', '2025-03-03T12:30')).toBe('2025-03-03T14:30');
    expect(move('work-hour', '2025-03-03T17:30')).toBe('2025-03-04T09:30');
    expect(move('work-hour', '2025-03-01T12:00')).toBe('2025-03-03T10:00'); // Saturday
  });

  it("«к концу рабочего дня»: today's end, or the next working day's when today's work is over", () => {
    expect(move('end-of-day', '2025-03-03T10:00')).toBe('2025-03-03T18:00');
    expect(move('end-of-day', '2025-03-03T18:00')).toBe('2025-03-04T18:00');
    expect(move('end-of-day', '2025-03-03T21:00')).toBe('2025-03-04T18:00');
    // 7 March 2025 is a shortened pre-holiday day (ends an hour early).
    expect(move('end-of-day', '2025-03-07T10:00')).toBe('2025-03-07T17:00');
  });

  it('«следующий рабочий день» skips weekends and holidays', () => {
    expect(move('next-work-day', '2025-03-03T15:00')).toBe('2025-03-04T09:00');
    expect(move('next-work-day', '2025-02-28T15:00')).toBe('2025-03-03T09:00');
    expect(move('next-work-day', '2025-05-08T10:00')).toBe('2025-05-12T09:00'); // 9–11 May off
  });

  it('«1-е число следующего месяца» lands at the monthly summary time', () => {
    expect(move('next-month', '2025-03-03T10:00')).toBe('2025-04-01T09:00');
    expect(move('next-month', '2025-12-31T23:00')).toBe('2026-01-01T09:00');
  });
});

describe("the bot's HTML on the sandbox page", () => {
  it("keeps Telegram's tags and links, drops everything else to text", () => {
    expect(telegramHtml('<b>Обращение № 1</b> · <i>x</i> &lt;y&gt;')).toBe('<b>Обращение № 1</b> · <i>x</i> &lt;y&gt;');
    expect(telegramHtml('<a href="https://vk.com/id1">Ольга</a>')).toBe('<a href="https://vk.com/id1" target="_blank" rel="noopener noreferrer">Ольга</a>');
    expect(telegramHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(telegramHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(telegramHtml('<b onclick="x()">t</b>')).toBe('<b>t</b>');
    expect(telegramHtml('<tg-spoiler>s</tg-spoiler>')).toBe('<span class="tg-spoiler">s</span>');
    expect(telegramHtml('a "q" > b')).toBe('a &quot;q&quot; &gt; b');
  });
});

describe('npm start without a token', () => {
  it('opens the sandbox only outside production and unless OTKLIK_SANDBOX=0', () => {
    expect(wantsSandbox({ BOT_TOKEN: '' })).toBe(true);
    expect(wantsSandbox({})).toBe(true);
    expect(wantsSandbox({ BOT_TOKEN: '  ' })).toBe(true);
    expect(wantsSandbox({ BOT_TOKEN: '123:abc' })).toBe(false);
    expect(wantsSandbox({ NODE_ENV: 'production' })).toBe(false);
    expect(wantsSandbox({ OTKLIK_SANDBOX: '0' })).toBe(false);
  });
});

describe('a third municipality in the sandbox', () => {
  it('CONFIG_PATH other than the Канаш example adds a preset named after the organization', async () => {
    const { Sandbox } = await import('../../../src/sandbox/launcher.js');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-custom-'));
    try {
      const file = path.join(dir, 'otklik.yaml');
      writeFileSync(
        file,
        `organization: { name: Администрация села Тестовое, timezone: Europe/Moscow }
regulation: kanash-2020
departments: [{ id: zhkh, name: ЖКХ, topics: [ЖКХ] }]
staff: [{ telegramId: 300001, name: Тестова Т.Т., roles: [administrator] }]
topics: [ЖКХ]
`,
      );
      expect(new Sandbox({ customConfig: file }).presets.map((p) => [p.id, p.label])).toEqual([
        ['kanash', 'Канаш'],
        ['akhty', 'Ахты'],
        ['custom', 'Администрация села Тестовое'],
      ]);
      expect(new Sandbox({ customConfig: 'otklik.example.yaml' }).presets.map((p) => p.id)).toEqual(['kanash', 'akhty']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
