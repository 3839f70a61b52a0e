import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Regulation, regulationSchema } from './schema.js';
import { PRESETS } from './presets/index.js';

export class RegulationLoadError extends Error {}

export interface PresetInfo {
  id: string;
  title: { ru: string; en: string };
  source: string;
}

/** The shipped presets: `kanash-2020`, `akhty-2021`. */
export function listPresets(): PresetInfo[] {
  return Object.values(PRESETS).map((r) => ({ id: r.id, title: r.title, source: r.source }));
}

export function getPreset(id: string): Regulation | undefined {
  return Object.hasOwn(PRESETS, id) ? PRESETS[id] : undefined;
}

/**
 * Validate a parsed regulation; errors name the file and the field path, e.g.
 * `regulation.yaml: windows.approval.duration.unit: Invalid option: expected one of "minutes"|"hours"|"days"`.
 */
export function parseRegulation(raw: unknown, fileLabel = 'regulation'): Regulation {
  const parsed = regulationSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${fileLabel}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new RegulationLoadError(lines.join('\n'));
}

/**
 * A preset by id, or a YAML/JSON regulation file (a path, resolved against `baseDir`, usually the folder of
 * the organization file). A value that looks like a preset id but is unknown is refused with the list.
 */
export function loadRegulation(idOrPath: string, baseDir: string = process.cwd()): Regulation {
  const preset = getPreset(idOrPath);
  if (preset) return preset;
  const looksLikeFile = /[\\/]|\.(ya?ml|json)$/i.test(idOrPath);
  if (!looksLikeFile) {
    throw new RegulationLoadError(
      `Неизвестный регламент «${idOrPath}». Доступны: ${listPresets()
        .map((p) => p.id)
        .join(', ')}, или путь к файлу YAML/JSON. ` + `(Unknown regulation "${idOrPath}".)`,
    );
  }
  const file = path.resolve(baseDir, idOrPath);
  const label = path.basename(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RegulationLoadError(`${label}: не удалось прочитать файл (cannot read): ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new RegulationLoadError(`${label}: синтаксическая ошибка (syntax error): ${(e as Error).message}`);
  }
  return parseRegulation(raw, label);
}
