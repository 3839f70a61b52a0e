import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createI18n, makeTranslator } from '../../../src/kernel/context.js';
import { renderCard, type CardApp } from '../../../src/bot/cards/render.js';
import type { CardView } from '../../../src/bot/cards/view.js';
import { decide, type CaseState, type Command } from '../../../src/domain/workflow/index.js';
import { renderText } from '../../../src/sandbox/emulators/telegram.js';
import { cast, makeCtx, registerCommand, regulation, type PresetId } from '../../support/workflow-fixtures.js';

/**
 * The executor's card: who assigned the case, what is asked, and the deadlines counted
 * in working time, in the organization's zone («до 14:30, пт 4 дек.»).
 */
const i18n = createI18n();
const t = makeTranslator(i18n, 'ru');
// Thursday 3 December 2026, 10:00 Moscow; the Канаш draft is due in working time.
const THURSDAY = DateTime.fromISO('2026-12-03T10:00', { zone: 'Europe/Moscow' });

function app(preset: PresetId): CardApp {
  const ctx = makeCtx(preset, THURSDAY);
  return { t, regulation: regulation(preset), clock: ctx.clock, org: { organization: { name: 'x', timezone: 'Europe/Moscow', locale: 'ru' } } as CardApp['org'] };
}

/** A case triaged and assigned by the administrator with a note, through the workflow itself. */
function assigned(preset: PresetId, note: string | null): CardView {
  const ctx = makeCtx(preset, THURSDAY);
  let state: CaseState | null = null;
  const steps: Command[] = [
    registerCommand(1, THURSDAY.toMillis()),
    { type: 'triage', actor: cast.admin, topic: 'Дороги', location: 'ул. Ленина' },
    { type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads', responsible: true, order: 1, executorId: cast.roadsExec.staffId! }], ...(note ? { comment: note } : {}) },
  ];
  for (const c of steps) {
    const d = decide(state, c, ctx);
    if (!d.ok) throw new Error(d.refusal.message);
    state = d.state;
  }
  const s = state!;
  const events = { at: s.assignments[0]!.assignedAt };
  return {
    state: s,
    messages: [
      {
        id: 101,
        sourceKey: 'vk:wall:-1_2_3',
        kind: 'vk_comment',
        network: 'vk',
        threadKey: null,
        author: { externalId: '777', name: 'Житель Иван', profileUrl: null },
        text: 'Яма у дома 5',
        attachments: [],
        permalink: null,
        publishedAt: null,
        detectedAt: THURSDAY.toMillis(),
        raw: null,
      },
    ],
    departmentNames: new Map([['roads', 'Отдел дорожного хозяйства']]),
    staffNames: new Map([[cast.roadsExec.staffId!, cast.roadsExec.name]]),
    outsideBody: null,
    repeatOfNumber: null,
    assignedBy: { name: cast.admin.name, staffId: cast.admin.staffId, at: events.at, note },
    designatedBy: null,
  };
}

describe('the card of an assigned case', () => {
  for (const preset of ['kanash-2020', 'akhty-2021'] as const) {
    it(`${preset}: shows who assigned it (with the regulation's title), the note, and the deadlines as «до 14:30, пт 4 дек.»`, () => {
      const v = assigned(preset, 'Проверить покрытие и назвать срок ремонта');
      const seen = renderText(renderCard(app(preset), v, 'ru').parts[0]!, 'HTML');
      const title = preset === 'kanash-2020' ? 'куратор' : 'администратор';
      expect(seen).toMatch(new RegExp(`Поручение: Администратор Петрова, ${title}[^·]* · 10:00, чт 3 дек\\.`));
      expect(seen).toContain('Что поручено: Проверить покрытие и назвать срок ремонта');
      expect(seen).toContain('Исполнитель Сидоров');
      // Every open deadline: «до HH:MM, <weekday> <day> <month>.», in the organization's zone.
      const lines = seen.split('\n').filter((l) => l.startsWith('•'));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(l).toMatch(/ — до \d\d:\d\d, (пн|вт|ср|чт|пт|сб|вс) \d{1,2} [а-я]+\./);
      // The exact moments the workflow computed in working time are what the card shows.
      for (const d of v.state.deadlines.filter((x) => x.status === 'open')) {
        const local = DateTime.fromMillis(d.dueAt, { zone: 'Europe/Moscow' }).setLocale('ru').toFormat('HH:mm, ccc d MMM');
        expect(seen).toContain(`до ${local}`);
      }
    });

    it(`${preset}: without a note, what is asked is the topic and location`, () => {
      const seen = renderText(renderCard(app(preset), assigned(preset, null), 'ru').parts[0]!, 'HTML');
      expect(seen).toContain('Что поручено: ответить автору · тема «Дороги», локация: ул. Ленина');
    });
  }

  it('escapes the note and renders English', () => {
    const v = assigned('akhty-2021', 'Check <b>this</b> & report');
    const ru = renderCard(app('akhty-2021'), v, 'ru').parts[0]!;
    expect(renderText(ru, 'HTML')).toContain('Что поручено: Check <b>this</b> & report');
    const en = renderText(renderCard(app('akhty-2021'), v, 'en').parts[0]!, 'HTML');
    expect(en).toContain('Assigned by: Администратор Петрова, administrator · 10:00, Thu 3 Dec');
    expect(en).toMatch(/— until \d\d:\d\d, (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}/);
  });

  it('a deadline at 14:30 on Friday 4 December reads «до 14:30, пт 4 дек.»', () => {
    const v = assigned('kanash-2020', null);
    const due = DateTime.fromISO('2026-12-04T14:30', { zone: 'Europe/Moscow' }).toMillis();
    v.state.deadlines = v.state.deadlines.map((d, i) => (i === 0 ? { ...d, dueAt: due, status: 'open' } : { ...d, status: 'met' }));
    const seen = renderText(renderCard(app('kanash-2020'), v, 'ru').parts[0]!, 'HTML');
    expect(seen).toMatch(/— до 14:30, пт 4 дек\. · /);
  });
});
