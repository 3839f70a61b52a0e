import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createI18n, makeTranslator } from '../../../src/kernel/context.js';
import { renderCard, type CardApp } from '../../../src/bot/cards/render.js';
import type { CardView } from '../../../src/bot/cards/view.js';
import { formatMoment } from '../../../src/bot/cards/format.js';
import { decide, type CaseState, type Message } from '../../../src/domain/workflow/index.js';
import { TELEGRAM_TEXT_LIMIT } from '../../../src/bot/format/html.js';
import { renderText } from '../../../src/sandbox/emulators/telegram.js';
import { decodeSelection, departmentsKeyboard, encodeSelection } from '../../../src/bot/keyboards/admin.js';
import { cast, makeCtx, registerCommand, regulation, type PresetId } from '../../support/workflow-fixtures.js';

const i18n = createI18n();
const t = makeTranslator(i18n, 'ru');
const FRIDAY = DateTime.fromISO('2026-12-04T10:00', { zone: 'Europe/Moscow' });

function app(preset: PresetId): CardApp {
  const ctx = makeCtx(preset, FRIDAY);
  return { t, regulation: regulation(preset), clock: ctx.clock, org: { organization: { name: 'x', timezone: 'Europe/Moscow', locale: 'ru' } } as CardApp['org'] };
}

function view(preset: PresetId, text: string, extra: Partial<Message> = {}): CardView {
  const ctx = makeCtx(preset, FRIDAY);
  const d = decide(null, registerCommand(1, FRIDAY.toMillis()), ctx);
  if (!d.ok) throw new Error(d.refusal.message);
  const state: CaseState = d.state;
  const message: Message = {
    id: 1,
    sourceKey: 'vk:wall:-1_2_3',
    kind: 'vk_comment',
    network: 'vk',
    threadKey: null,
    author: { externalId: '5', name: 'Иван <script>', profileUrl: 'https://vk.com/id5' },
    text,
    attachments: [{ type: 'photo', url: 'https://example.org/p.jpg' }],
    permalink: 'https://vk.com/wall-1_2?reply=3',
    publishedAt: null,
    detectedAt: FRIDAY.toMillis(),
    raw: null,
    ...extra,
  };
  state.author = message.author;
  return { state, messages: [message], departmentNames: new Map(), staffNames: new Map(), outsideBody: null, repeatOfNumber: null, assignedBy: null, designatedBy: null };
}

describe('case card', () => {
  it('formats deadlines in working time style, in the organization zone', () => {
    const at = DateTime.fromISO('2026-12-04T14:30', { zone: 'Europe/Moscow' }).toMillis();
    expect(formatMoment(at, 'Europe/Moscow', 'ru', at)).toBe('14:30, пт 4 дек.');
    expect(formatMoment(at, 'Europe/Moscow', 'en', at)).toBe('14:30, Fri 4 Dec');
  });

  it('puts the month in the genitive, as a date is read in Russian («8 мая», not «8 май»)', () => {
    const may = DateTime.fromISO('2026-05-08T18:00', { zone: 'Europe/Moscow' }).toMillis();
    expect(formatMoment(may, 'Europe/Moscow', 'ru', may)).toBe('18:00, пт 8 мая');
    const march = DateTime.fromISO('2027-03-03T10:00', { zone: 'Europe/Moscow' }).toMillis();
    expect(formatMoment(march, 'Europe/Moscow', 'ru', may)).toBe('10:00, ср 3 мар. 2027');
  });

  for (const preset of ['kanash-2020', 'akhty-2021'] as const) {
    it(`${preset}: shows source, author, link, escaped text, attachments, detection time and deadlines`, () => {
      const card = renderCard(app(preset), view(preset, 'Яма <b>на</b> Ленина & Co'), 'ru');
      expect(card.parts).toHaveLength(1);
      const seen = renderText(card.parts[0]!, 'HTML'); // valid HTML, as Telegram would parse it
      expect(seen).toContain('Обращение № 1');
      expect(seen).toContain('ВКонтакте, комментарий');
      expect(seen).toContain('Иван <script>');
      expect(seen).toContain('vk.com/wall-1_2?reply=3');
      expect(seen).toContain('Яма <b>на</b> Ленина & Co');
      expect(seen).toContain('фото 1');
      expect(seen).toContain('Выявлено: 10:00, пт 4 дек.');
      expect(seen).toMatch(/подготовка и публикация ответа — до \d\d:\d\d, [а-я]{2} \d+ [а-я]+\./);
      if (preset === 'kanash-2020') expect(seen).toContain('куратор');
      else expect(seen).toContain('администратор');
    });
  }

  it('splits a long citizen text into parts of at most 4096 characters, the card with buttons last', () => {
    const long = 'Очень длинный текст <про> яму. '.repeat(400);
    const card = renderCard(app('akhty-2021'), view('akhty-2021', long), 'ru', [[{ text: 'x', callback_data: 'a:1' }]]);
    expect(card.parts.length).toBeGreaterThan(2);
    for (const p of card.parts) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(() => renderText(p, 'HTML')).not.toThrow();
    }
    expect(card.parts.at(-1)).toContain('Обращение № 1');
    const joined = card.parts
      .slice(0, -1)
      .map((p) => renderText(p, 'HTML'))
      .join('');
    expect(joined.replace(/\s+/g, '')).toContain(long.slice(0, 500).replace(/\s+/g, ''));
  });

  it('renders English completely', () => {
    const card = renderCard(app('akhty-2021'), view('akhty-2021', 'Pothole', { author: { externalId: '5', name: 'Ivan', profileUrl: null } }), 'en');
    const seen = renderText(card.parts[0]!, 'HTML');
    expect(seen).toContain('Case 1');
    expect(seen).toContain('Detected: 10:00, Fri 4 Dec');
    expect(seen).not.toMatch(/[а-яё]{4,}/i);
  });
});

describe('department selection in callback data', () => {
  it('round-trips and refuses forged selections', () => {
    const sel = { responsible: 1, order: [0, 1] };
    expect(decodeSelection(encodeSelection(sel), 2)).toEqual(sel);
    expect(decodeSelection('5-0.5', 2)).toBeNull();
    expect(decodeSelection('1-0', 2)).toBeNull();
    expect(decodeSelection('0-0.0', 2)).toBeNull();
    expect(decodeSelection('drop table', 2)).toBeNull();
  });
  it('every button fits Telegram callback data limits', () => {
    const depts = Array.from({ length: 12 }, (_, i) => ({ id: `d${i}`, name: `Отдел ${i}` }));
    const rows = departmentsKeyboard({ t: (_l: string, k: string) => k } as never, 'ru', 123456, depts, { responsible: 3, order: [3, 1, 11, 10, 9, 8, 7, 6, 5, 4, 2] });
    for (const b of rows.flat()) expect(Buffer.byteLength((b as { callback_data: string }).callback_data)).toBeLessThanOrEqual(64);
  });
});
void cast;
