import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createI18n } from '../kernel/context.js';

const localesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');
let i18n: ReturnType<typeof createI18n> | undefined;

/**
 * The page's texts (locales/<lang>/sandbox.ftl, one line each) as a key → template map for the browser;
 * the page fills `{ $name }` itself.
 */
export function sandboxStrings(lang: 'ru' | 'en'): Record<string, string> {
  const text = readFileSync(path.join(localesDir, lang, 'sandbox.ftl'), 'utf8');
  return Object.fromEntries([...text.matchAll(/^([a-z][a-z0-9_-]*)\s*=\s*(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

export function sandboxText(lang: 'ru' | 'en', key: string, vars?: Record<string, string | number>): string {
  i18n ??= createI18n();
  return i18n.t(lang, key, vars);
}
