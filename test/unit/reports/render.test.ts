import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import { createI18n } from '../../../src/kernel/context.js';
import { computeMonthlyReport, median } from '../../../src/reports/compute.js';
import { reportChartPng, reportChartPngAsync, reportChartSvg, reportMessage, reportWorkbook, formatMinutes, type Tr } from '../../../src/reports/render.js';
import type { ReportInput } from '../../../src/reports/model.js';

const i18n = createI18n();
const tr =
  (locale: string): Tr =>
  (key, vars) =>
    i18n.t(locale, key, vars);
const H = 3_600_000;
const OCT = Date.UTC(2026, 9, 1) - 3 * H; // 1 Oct 2026 00:00 Moscow
const NOV = Date.UTC(2026, 10, 1) - 3 * H;
const SEP = Date.UTC(2026, 8, 1) - 3 * H;

function sample(): ReportInput {
  return {
    departments: [
      { id: 'roads', name: 'Дорожное хозяйство' },
      { id: 'empty', name: 'Отдел культуры' },
    ],
    staff: [{ id: 1, name: 'Иванов И. И.', departmentId: 'roads' }],
    roleTitles: { administrator: 'куратор' },
    cases: [
      { id: 1, detectedAt: OCT + 10 * H, departmentId: 'roads', topic: 'Дороги', location: 'Центр', source: 'vk_comment', repeat: false, firstResponseAt: OCT + 12 * H, finalAnswerAt: OCT + 12 * H },
      { id: 2, detectedAt: OCT + 11 * H, departmentId: 'roads', topic: 'Дороги', location: null, source: 'vk_message', repeat: true, firstResponseAt: null, finalAnswerAt: null },
      { id: 3, detectedAt: SEP + 10 * H, departmentId: 'roads', topic: 'Свет', location: null, source: 'vk_comment', repeat: false, firstResponseAt: SEP + 11 * H, finalAnswerAt: SEP + 11 * H },
    ],
    deadlines: [
      { caseId: 1, kind: 'answer', clause: 'К10', role: 'executor', staffId: 1, departmentId: 'roads', dueAt: OCT + 18 * H, status: 'met', closedAt: OCT + 12 * H },
      { caseId: 2, kind: 'answer', clause: 'К10', role: 'executor', staffId: 1, departmentId: 'roads', dueAt: OCT + 19 * H, status: 'open', closedAt: null },
      { caseId: 3, kind: 'answer', clause: 'К10', role: 'executor', staffId: 1, departmentId: 'roads', dueAt: SEP + 18 * H, status: 'met', closedAt: SEP + 11 * H },
    ],
    events: [{ caseId: 1, type: 'rework', at: OCT + 11 * H, departmentId: 'roads' }],
  };
}

function report(locale = 'ru') {
  return computeMonthlyReport(sample(), {
    period: { month: '2026-10', from: OCT, to: NOV },
    previous: { month: '2026-09', from: SEP, to: OCT },
    organization: 'Администрация',
    regulationId: 'kanash-2020',
    asOf: NOV + 9 * H,
    workingMinutes: (a, b) => Math.round((b - a) / 60_000),
    unroutedName: tr(locale)('report-unrouted'),
  });
}

describe('monthly report rendering', () => {
  it('computes figures, keeps an empty department, formats minutes', () => {
    const r = report();
    const roads = r.departments.find((d) => d.departmentId === 'roads')!;
    expect(roads).toMatchObject({ received: 2, answered: 1, answeredOnTime: 1, onTimePct: 100, overdue: 1, repeats: 1, reworks: 1, avgFirstResponse: 120 });
    expect(r.departments.find((d) => d.departmentId === 'empty')).toMatchObject({ received: 0, answered: 0, onTimePct: null, avgFirstResponse: null });
    expect(r.violations).toEqual([expect.objectContaining({ staffId: 1, count: 1, clauses: 'К10' })]);
    expect(median([1, 5, 3, 10])).toBe(4);
    expect(formatMinutes(tr('ru'), 135)).toBe('2 ч 15 мин');
  });

  it('writes a short message with Russian plural forms', () => {
    const text = reportMessage(report(), tr('ru'), 'ru', { late: true });
    expect(text).toContain('октябрь 2026');
    expect(text).toContain('Поступило: 2');
    expect(text).toContain('1 нарушение сроков');
    expect(text).toContain('с опозданием');
  });

  it('writes an XLSX workbook, one sheet per table, readable back', async () => {
    const buf = await reportWorkbook(report(), tr('ru'), 'ru');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Итоги', 'Подразделения', 'Динамика', 'Нарушения']);
    const depts = wb.getWorksheet('Подразделения')!;
    expect(depts.getRow(2).getCell(1).value).toBe('Дорожное хозяйство');
    expect(depts.getRow(2).getCell(2).value).toBe(2);
    expect(depts.getRow(3).getCell(1).value).toBe('Отдел культуры');
    expect(depts.getRow(3).getCell(2).value).toBe(0);
    expect(wb.getWorksheet('Нарушения')!.getRow(2).getCell(1).value).toBe('Иванов И. И.');
  });

  it('renders a PNG chart with Cyrillic glyphs from the packaged font', () => {
    const svg = reportChartSvg(report(), tr('ru'), 'ru');
    expect(svg).toContain('Дорожное хозяйство');
    const png = PNG.sync.read(reportChartPng(report(), tr('ru'), 'ru'));
    expect(png.width).toBe(1000);
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 100 && png.data[i + 1]! < 100 && png.data[i + 2]! < 100) dark++;
    expect(dark).toBeGreaterThan(500); // text was drawn (no font → no dark pixels at all)
  });

  it('rasterizes the same chart off the main thread (the files are written with it)', async () => {
    const png = await reportChartPngAsync(report(), tr('ru'), 'ru');
    expect(png.equals(reportChartPng(report(), tr('ru'), 'ru'))).toBe(true);
  });
});
