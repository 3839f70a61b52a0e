import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createI18n } from '../../../src/kernel/context.js';
import { computeMonthlyReport } from '../../../src/reports/compute.js';
import { LABEL_CHARS, reportChartSvg, reportMessage, reportWorkbook, wrapLabel, type Tr } from '../../../src/reports/render.js';
import { reportCaption } from '../../../src/reports/caption.js';

/**
 * A report a head reads in a minute: durations as hours and minutes of working time, department names on
 * the chart wrapped (or numbered with a key) but never cut and never running into the bars, a title that
 * starts with a capital, captions that name the month in words.
 */
const i18n = createI18n();
const tr =
  (locale: string): Tr =>
  (key, vars) =>
    i18n.t(locale, key, vars);
const H = 3_600_000;
const NOV = Date.UTC(2026, 10, 1) - 3 * H;
const DEC = Date.UTC(2026, 11, 1) - 3 * H;
const OCT = Date.UTC(2026, 9, 1) - 3 * H;

const WRAPPED = 'Отдел жилищно-коммунального хозяйства, благоустройства и дорожной деятельности';
const HUGE = `Управление ${'по вопросам строительства, архитектуры, градостроительства и земельных отношений '.repeat(2).trim()}`;

function report() {
  return computeMonthlyReport(
    {
      departments: [
        { id: 'a', name: WRAPPED },
        { id: 'b', name: HUGE },
        { id: 'c', name: 'Отдел культуры' },
      ],
      staff: [],
      roleTitles: {},
      // 225 working hours to the first answer: «225:00», not «13 500 раб. мин».
      cases: [{ id: 1, detectedAt: NOV + 10 * H, departmentId: 'a', topic: null, location: null, source: 'vk_comment', repeat: false, firstResponseAt: NOV + 235 * H, finalAnswerAt: NOV + 235 * H }],
      deadlines: [{ caseId: 1, kind: 'answer', clause: 'К10', role: 'executor', staffId: null, departmentId: 'a', dueAt: NOV + 300 * H, status: 'met', closedAt: NOV + 235 * H }],
      events: [],
    },
    {
      period: { month: '2026-11', from: NOV, to: DEC },
      previous: { month: '2026-10', from: OCT, to: NOV },
      organization: 'Администрация',
      regulationId: 'kanash-2020',
      asOf: DEC + 9 * H,
      workingMinutes: (a, b) => Math.round((b - a) / 60_000),
      unroutedName: 'Не распределено',
    },
  );
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1]!);
const spans = (svg: string) => [...svg.matchAll(/<tspan x="(\d+)" y="(\d+)">(.*?)<\/tspan>/g)].map((m) => ({ y: Number(m[2]), text: m[3]! }));

describe('report readability', () => {
  it('wraps a department name into lines, splitting only an overlong word', () => {
    expect(wrapLabel(WRAPPED)).toEqual(['Отдел жилищно-коммунального', 'хозяйства, благоустройства и', 'дорожной деятельности']);
    expect(wrapLabel('А'.repeat(70))).toEqual(['А'.repeat(30), 'А'.repeat(30), 'А'.repeat(10)]);
  });

  it('the chart never cuts or overlaps a long department name; the title starts with a capital', () => {
    for (const locale of ['ru', 'en']) {
      const svg = reportChartSvg(report(), tr(locale), locale);
      const title = texts(svg)[0]!;
      expect(title).toMatch(/^[A-ZА-ЯЁ]/);
      expect(svg).not.toContain('…');
      const lines = spans(svg);
      for (const l of lines) expect(l.text.length).toBeLessThanOrEqual(LABEL_CHARS);
      // The wrapped name is all there, line by line, inside its own row (66 px, bars from its top).
      const wrapped = lines.slice(0, 3);
      expect(wrapped.map((l) => l.text).join(' ')).toBe(WRAPPED);
      for (const l of wrapped) {
        expect(l.y).toBeGreaterThanOrEqual(90);
        expect(l.y).toBeLessThan(90 + 66);
      }
      // The name too long to wrap beside its bars is numbered, and the key under the chart gives it whole.
      expect(lines[3]!.text).toBe('2.');
      const key = texts(svg)
        .filter((t) => !t.includes('<tspan'))
        .slice(-3)
        .join(' ');
      expect(key).toContain(`2. ${HUGE}`.slice(0, 100));
      expect(key.replace(/\s+/g, ' ')).toContain(HUGE.slice(-40));
    }
  });

  it('durations are hours and minutes of working time: the message, and the workbook as [h]:mm', async () => {
    const r = report();
    const text = reportMessage(r, tr('ru'), 'ru');
    expect(text).toContain('Среднее время в рабочих часах: первого ответа — 225 ч');
    expect(text).not.toMatch(/раб\. мин/);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(r, tr('ru'), 'ru')) as unknown as ArrayBuffer);
    const depts = wb.getWorksheet('Подразделения')!;
    const headers = (depts.getRow(1).values as unknown[]).map(String);
    const col = headers.indexOf('Первый ответ, среднее (рабочее время, ч:мм)');
    expect(col).toBeGreaterThan(0);
    const cell = depts.getRow(2).getCell(col);
    expect(cell.numFmt).toBe('[h]:mm');
    // 225 hours stored as 9.375 days (Excel shows 225:00; ExcelJS reads a time-formatted cell back as a date).
    const days = (cell.value as Date).getTime() / 86_400_000 - Date.UTC(1899, 11, 30) / 86_400_000;
    expect(days).toBeCloseTo(225 / 24, 6);
    expect(headers.some((h) => /раб\. мин/.test(h))).toBe(false);
    const head = wb.getWorksheet('Итоги')!;
    const first = head.getRows(2, 6)!.find((row) => String(row.getCell(1).value).startsWith('Среднее время первого ответа'))!;
    expect(first.getCell(2).numFmt).toBe('[h]:mm');
  });

  it('captions name the month in words', () => {
    expect(reportCaption({ t: (l, k, v) => i18n.t(l ?? 'ru', k, v) }, 'ru', '2026-11')).toBe('Сводка за ноябрь 2026');
    expect(reportCaption({ t: (l, k, v) => i18n.t(l ?? 'ru', k, v) }, 'en', '2026-11')).toBe('Summary for November 2026');
  });
});
