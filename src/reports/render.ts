import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
// Types only: exceljs (a large package) is loaded when a workbook is built, not at every start.
import type ExcelJS from 'exceljs';
import type { Resvg as ResvgClass, renderAsync as renderAsyncFn } from '@resvg/resvg-js';
import { DateTime } from 'luxon';
import type { DepartmentFigures, Headline, MonthlyReport } from './model.js';

/** A translator bound to one locale. */
export type Tr = (key: string, vars?: Record<string, string | number>) => string;

// ---------------------------------------------------------------------------------------------
// Shared formatting
// ---------------------------------------------------------------------------------------------

/** «2 ч 15 мин» from working minutes. */
export function formatMinutes(t: Tr, minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return t('duration-minutes', { m: rest });
  if (rest === 0) return t('duration-hours', { h });
  return t('duration-hours-minutes', { h, m: rest });
}

/** «октябрь 2026» / «October 2026». */
export function monthTitle(month: string, locale: string): string {
  return DateTime.fromFormat(month, 'yyyy-MM', { locale }).toFormat('LLLL yyyy');
}

const signed = (n: number, suffix = ''): string => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n)}${suffix}`;

// ---------------------------------------------------------------------------------------------
// Short message (Telegram, HTML parse mode: only numbers and our own text, nothing to escape)
// ---------------------------------------------------------------------------------------------

export function reportMessage(report: MonthlyReport, t: Tr, locale: string, opts: { late?: boolean } = {}): string {
  const h = report.headline;
  const p = report.previousHeadline;
  const none = t('report-no-data');
  const onTimeDelta = h.onTimePct === null || p.onTimePct === null ? none : signed(Math.round((h.onTimePct - p.onTimePct) * 10) / 10, ' п.п.');
  const text = t('report-message', {
    month: monthTitle(report.period.month, locale),
    received: h.received,
    answered: h.answered,
    onTime: h.onTimePct === null ? none : `${h.onTimePct}%`,
    overdue: h.overdue,
    firstResponse: h.avgFirstResponse === null ? none : formatMinutes(t, h.avgFirstResponse),
    finalAnswer: h.avgFinalAnswer === null ? none : formatMinutes(t, h.avgFinalAnswer),
    receivedDelta: signed(h.received - p.received),
    onTimeDelta: locale === 'en' ? onTimeDelta.replace(' п.п.', ' pp') : onTimeDelta,
    violations: report.violations.reduce((n, v) => n + v.count, 0),
  });
  return opts.late ? `${text}\n${t('report-late-note')}` : text;
}

// ---------------------------------------------------------------------------------------------
// XLSX: one sheet per table
// ---------------------------------------------------------------------------------------------

const DEPT_COLUMNS: [string, keyof DepartmentFigures][] = [
  ['col-received', 'received'],
  ['col-answered', 'answered'],
  ['col-on-time', 'answeredOnTime'],
  ['col-on-time-pct', 'onTimePct'],
  ['col-overdue', 'overdue'],
  ['col-avg-first', 'avgFirstResponse'],
  ['col-median-first', 'medianFirstResponse'],
  ['col-avg-final', 'avgFinalAnswer'],
  ['col-median-final', 'medianFinalAnswer'],
  ['col-intermediate', 'intermediate'],
  ['col-reworks', 'reworks'],
  ['col-returns', 'returns'],
  ['col-repeats', 'repeats'],
];

/** Columns holding working minutes: shown as a duration «225:00» (hours:minutes of working time), still a number. */
const DURATION_FIELDS = new Set<keyof DepartmentFigures>(['avgFirstResponse', 'medianFirstResponse', 'avgFinalAnswer', 'medianFinalAnswer']);
const DURATION_FORMAT = '[h]:mm';
const asDuration = (minutes: number | null): number | null => (minutes === null ? null : Math.round(minutes) / 1440);

function headerRow(ws: ExcelJS.Worksheet, titles: string[]): void {
  const row = ws.addRow(titles);
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'top' };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.columns.forEach((c, i) => {
    c.width = i === 0 ? 34 : 16;
  });
}

export async function reportWorkbook(report: MonthlyReport, t: Tr, locale: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'Otklik';
  wb.created = new Date(report.asOf);
  wb.title = t('report-title', { month: monthTitle(report.period.month, locale), org: report.organization });

  const head = wb.addWorksheet(t('sheet-headline'));
  headerRow(head, [t('col-indicator'), t('col-current'), t('col-previous')]);
  const hl = (key: string, get: (h: Headline) => number | null, duration = false) => {
    const row = head.addRow([t(key), duration ? asDuration(get(report.headline)) : get(report.headline), duration ? asDuration(get(report.previousHeadline)) : get(report.previousHeadline)]);
    if (duration) [2, 3].forEach((c) => (row.getCell(c).numFmt = DURATION_FORMAT));
  };
  hl('col-received', (h) => h.received);
  hl('col-answered', (h) => h.answered);
  hl('headline-on-time', (h) => h.onTimePct);
  hl('col-overdue', (h) => h.overdue);
  hl('headline-first', (h) => h.avgFirstResponse, true);
  hl('headline-final', (h) => h.avgFinalAnswer, true);

  const depts = wb.addWorksheet(t('sheet-departments'));
  headerRow(depts, [t('col-department'), ...DEPT_COLUMNS.map(([k]) => t(k))]);
  const cell = (figures: DepartmentFigures, f: keyof DepartmentFigures) => (DURATION_FIELDS.has(f) ? asDuration(figures[f] as number | null) : (figures[f] as number | null));
  for (const d of report.departments) depts.addRow([d.name, ...DEPT_COLUMNS.map(([, f]) => cell(d, f))]);
  const total = depts.addRow([t('total-row'), ...DEPT_COLUMNS.map(([, f]) => cell(report.totals, f))]);
  total.font = { bold: true };
  DEPT_COLUMNS.forEach(([, f], i) => {
    if (DURATION_FIELDS.has(f)) depts.getColumn(i + 2).numFmt = DURATION_FORMAT;
  });
  depts.getColumn(1).alignment = { wrapText: true, vertical: 'top' };

  const dyn = wb.addWorksheet(t('sheet-dynamics'));
  headerRow(dyn, [t('col-dimension'), t('col-value'), t('col-current'), t('col-previous'), t('col-delta'), t('col-delta-pct')]);
  for (const r of report.dynamics) {
    dyn.addRow([t(`dimension-${r.dimension}`), shownValue(t, r.dimension, r.value), r.current, r.previous, r.delta, r.deltaPct]);
  }
  dyn.getColumn(1).width = 14;
  dyn.getColumn(2).width = 34;

  const vio = wb.addWorksheet(t('sheet-violations'));
  headerRow(vio, [t('col-person'), t('col-department'), t('col-violations'), t('col-overdue-minutes'), t('col-clauses')]);
  const deptName = new Map(report.departments.map((d) => [d.departmentId, d.name]));
  for (const v of report.violations) {
    vio.addRow([v.name, v.departmentId ? (deptName.get(v.departmentId) ?? v.departmentId) : '', v.count, asDuration(v.overdueMinutes), v.clauses]);
  }
  vio.getColumn(4).numFmt = DURATION_FORMAT;
  vio.getColumn(2).width = 30;
  vio.getColumn(5).width = 30;

  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------
// PNG chart: an SVG built here, rasterized by resvg with DejaVu Sans loaded from its npm package
// (never from the system), so Cyrillic renders the same on every machine.
// ---------------------------------------------------------------------------------------------

const require = createRequire(import.meta.url);

/** Path of the TTF the chart uses (dejavu-fonts-ttf package). */
export function chartFontFile(): string {
  const pkg = require.resolve('dejavu-fonts-ttf/package.json');
  return path.join(path.dirname(pkg), 'ttf', 'DejaVuSans.ttf');
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS = { received: '#4C78A8', onTime: '#54A24B', overdue: '#E45756' };

/** Characters of a department label per line (DejaVu Sans 15 px, about 8.5 px each, in the 300 px label column). */
export const LABEL_CHARS = 30;
/** Lines a label may take beside its three bars; a longer name gets a number and a line in the key below. */
export const LABEL_LINES = 3;

/** Words into lines of at most `width` characters; a word longer than a line is split, never dropped. */
export function wrapLabel(text: string, width = LABEL_CHARS): string[] {
  const lines: string[] = [];
  let cur = '';
  for (let w of text.split(/\s+/).filter(Boolean)) {
    while (w.length > width) {
      if (cur) {
        lines.push(cur);
        cur = '';
      }
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!w) continue;
    if (!cur) cur = w;
    else if (cur.length + 1 + w.length <= width) cur += ` ${w}`;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  if (cur) lines.push(cur);
  return lines.length ? lines : [''];
}

/** A grouped horizontal bar chart: per department, received / answered on time / overdue. */
export function reportChartSvg(report: MonthlyReport, t: Tr, locale: string): string {
  const rows = report.departments;
  const width = 1000;
  const labelW = 300;
  const top = 90;
  const rowH = 66;
  const barH = 16;
  // Names too long to wrap beside the bars are numbered, with the full name in a key under the chart.
  const labels = rows.map((r, i) => {
    const lines = wrapLabel(r.name);
    return lines.length <= LABEL_LINES ? { lines, key: null } : { lines: [`${i + 1}.`], key: wrapLabel(`${i + 1}. ${r.name}`, 110) };
  });
  const keyLines = labels.flatMap((l) => l.key ?? []);
  const keyTop = top + Math.max(1, rows.length) * rowH + 20;
  const height = keyTop + keyLines.length * 20 + 20;
  const max = Math.max(1, ...rows.flatMap((r) => [r.received, r.answeredOnTime, r.overdue]));
  const scale = (width - labelW - 90) / max;
  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="20" y="36" font-size="22" font-weight="bold" fill="#222">${xmlEscape(t('chart-title', { month: monthTitle(report.period.month, locale) }))}</text>`);
  const legend: [string, string][] = [
    [t('chart-legend-received'), COLORS.received],
    [t('chart-legend-on-time'), COLORS.onTime],
    [t('chart-legend-overdue'), COLORS.overdue],
  ];
  let lx = 20;
  for (const [label, color] of legend) {
    parts.push(`<rect x="${lx}" y="52" width="14" height="14" fill="${color}"/>`);
    parts.push(`<text x="${lx + 20}" y="64" font-size="15" fill="#333">${xmlEscape(label)}</text>`);
    lx += 40 + label.length * 9;
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const lines = labels[i]!.lines;
    const first = y + 30 - (lines.length - 1) * 9;
    const spans = lines.map((l, k) => `<tspan x="20" y="${first + k * 18}">${xmlEscape(l)}</tspan>`).join('');
    parts.push(`<text font-size="15" fill="#222">${spans}</text>`);
    const bars: [number, string][] = [
      [r.received, COLORS.received],
      [r.answeredOnTime, COLORS.onTime],
      [r.overdue, COLORS.overdue],
    ];
    bars.forEach(([v, color], j) => {
      const by = y + j * (barH + 2);
      const w = Math.max(v > 0 ? 2 : 0, v * scale);
      parts.push(`<rect x="${labelW}" y="${by}" width="${w.toFixed(1)}" height="${barH}" fill="${color}"/>`);
      parts.push(`<text x="${(labelW + w + 6).toFixed(1)}" y="${by + 13}" font-size="13" fill="#333">${v}</text>`);
    });
  });
  keyLines.forEach((l, k) => parts.push(`<text x="20" y="${keyTop + 14 + k * 20}" font-size="14" fill="#333">${xmlEscape(l)}</text>`));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` + `font-family="DejaVu Sans">${parts.join('')}</svg>`;
}

let fontCheck: string | null = null;

function chartOptions() {
  const fontFile = chartFontFile();
  if (fontCheck !== fontFile) {
    readFileSync(fontFile); // fail loudly here when the font package is missing
    fontCheck = fontFile;
  }
  return {
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    background: '#ffffff',
  };
}

// The native rasterizer is loaded on the first chart, not at every start.
const resvgModule = () => require('@resvg/resvg-js') as { Resvg: typeof ResvgClass; renderAsync: typeof renderAsyncFn };

export function reportChartPng(report: MonthlyReport, t: Tr, locale: string): Buffer {
  const resvg = new (resvgModule().Resvg)(reportChartSvg(report, t, locale), chartOptions());
  return Buffer.from(resvg.render().asPng());
}

/** The same chart rasterized on libuv's thread pool: the workbook is built meanwhile on this thread. */
export async function reportChartPngAsync(report: MonthlyReport, t: Tr, locale: string): Promise<Buffer> {
  const image = await resvgModule().renderAsync(reportChartSvg(report, t, locale), chartOptions());
  return Buffer.from(image.asPng());
}

/** A value of the dynamics sheet; the MAX sources are named as the network is called («MAX»). */
function shownValue(t: Tr, dimension: string, value: string): string {
  if (dimension === 'source' && (value === 'max' || value === 'max_comment')) return t(`report-source-${value}`);
  return value || t('value-unset');
}
