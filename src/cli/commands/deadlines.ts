// `otklik deadlines --regulation kanash-2020 --from 2026-12-30T17:30 [--importance ID] [--json] [--config FILE]`
// Every deadline of a case detected at that moment, in the organization's time zone.
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { RegulationLoadError, getPreset, listPresets, loadRegulation } from '../../domain/regulation/load.js';
import { UnknownImportanceError, regulationTimeline } from '../../domain/regulation/timeline.js';
import { configFile, readImportedYears, readTimeConfig, workingTimeFor } from './calendar.js';

export const summary = 'Все сроки по делу, выявленному в указанный момент / every deadline of a case';

const usage = `Использование / usage:
  otklik deadlines --regulation ${listPresets()
    .map((p) => p.id)
    .join('|')}|FILE --from 2026-12-30T17:30
                   [--importance ID] [--json] [--config FILE] [--db PATH]
  Время — местное время организации (часовой пояс из --config или CONFIG_PATH); сроки — по порядку.
  Важности (--importance): ${listPresets()
    .map(
      (p) =>
        `${p.id}: ${getPreset(p.id)!
          .importance.levels.map((l) => l.id)
          .join(', ')}`,
    )
    .join('; ')}`;

const BRANCH_RU: Record<string, string> = {
  main: '',
  urgent: 'срочное',
  return: 'при возврате',
  coexecutors: 'соисполнители',
  rework: 'при доработке',
  intermediate: 'промежуточный ответ',
  extension: 'продление',
};

export async function run(args: string[]): Promise<number> {
  let values: { regulation?: string; from?: string; importance?: string; json?: boolean; config?: string; db?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        regulation: { type: 'string', short: 'r' },
        from: { type: 'string' },
        importance: { type: 'string' },
        json: { type: 'boolean' },
        config: { type: 'string' },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (!warnings.includes(m)) warnings.push(m);
  };
  try {
    const cfg = readTimeConfig(configFile(values.config));
    const regulationRef = values.regulation ?? cfg.regulation;
    if (!regulationRef || !values.from) {
      console.error(`Нужны --regulation и --from.\n${usage}`);
      return 2;
    }
    const from = DateTime.fromISO(values.from, { zone: cfg.zone, setZone: false });
    if (!from.isValid) {
      console.error(`--from: «${values.from}» — не дата ISO 8601 (например 2026-12-30T17:30)`);
      return 2;
    }
    const reg = loadRegulation(regulationRef, values.regulation ? process.cwd() : cfg.baseDir);
    const wt = workingTimeFor(cfg, await readImportedYears(values.db, warn), warn, cfg.calendar.region ?? reg.region);
    const tl = regulationTimeline(reg, wt, from, values.importance);
    for (const w of warnings) console.error(w);
    const iso = (d: DateTime | null) => (d ? d.setZone(cfg.zone).toISO({ suppressMilliseconds: true }) : null);
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            regulation: reg.id,
            importance: tl.importance.id,
            zone: cfg.zone,
            detectedAt: iso(tl.detectedAt),
            answerDeadline: iso(tl.answerDeadline),
            stages: tl.stages.map((s) => ({
              id: s.id,
              stage: s.title.ru,
              role: s.role,
              roleTitle: s.roleTitle.ru,
              clause: s.clause,
              at: iso(s.at),
              branch: s.branch,
              afterAnswerDeadline: s.afterAnswerDeadline,
              ...(s.note ? { note: s.note.ru } : {}),
            })),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    // Local wall-clock times of the organization, in time order (stages without a term last).
    const local = (d: DateTime) => d.setZone(cfg.zone).setLocale('ru').toFormat('ccc dd.MM.yyyy HH:mm');
    const levels = reg.importance.levels.map((l) => `${l.id} — ${l.title.ru}${l.id === reg.importance.default ? ' (по умолчанию)' : ''}`);
    const lines = [
      `${reg.title.ru}`,
      `Выявлено: ${local(tl.detectedAt)} (местное время, ${cfg.zone}); важность: ${tl.importance.title.ru} (${tl.importance.id}); срок ответа: ${local(tl.answerDeadline)} (${tl.importance.answer.clause})`,
      `Важность (--importance): ${levels.join('; ')}`,
      '',
    ];
    const ordered = tl.stages
      .map((s, i) => ({ s, i }))
      .sort((a, b) => (a.s.at ? a.s.at.toMillis() : Infinity) - (b.s.at ? b.s.at.toMillis() : Infinity) || a.i - b.i)
      .map((x) => x.s);
    for (const s of ordered) {
      const when = s.at ? local(s.at) : 'без срока';
      const extra = [BRANCH_RU[s.branch], s.note?.ru, s.afterAnswerDeadline ? 'позже срока ответа!' : ''].filter(Boolean).join('; ');
      lines.push(`${when.padEnd(19)} ${s.clause.padEnd(6)} ${s.title.ru} — ${s.roleTitle.ru}${extra ? ` (${extra})` : ''}`);
    }
    console.log(lines.join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof RegulationLoadError || e instanceof UnknownImportanceError || e instanceof Error) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}
