import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createI18n } from '../app/context.js';

const localesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');
let i18n: ReturnType<typeof createI18n> | undefined;

/** The page's texts (locales/<lang>/sandbox.ftl) as a plain key → text map for the browser. */
export function sandboxStrings(lang: 'ru' | 'en'): Record<string, string> {
  i18n ??= createI18n();
  const keys = [...readFileSync(path.join(localesDir, lang, 'sandbox.ftl'), 'utf8').matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1]!);
  return Object.fromEntries(keys.map((k) => [k, i18n!.t(lang, k)]));
}

export function sandboxText(lang: 'ru' | 'en', key: string, vars?: Record<string, string | number>): string {
  i18n ??= createI18n();
  return i18n.t(lang, key, vars);
}
