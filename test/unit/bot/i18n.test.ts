import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * i18n completeness: locales/ru and locales/en define the same messages (every .ftl
 * file), and every literal key the code asks for — `t('key'…)`, `ctx.t('key'…)`, `app.t(locale, 'key'…)`,
 * `tr('key'…)` — exists in both. Keys built at run time (`case-status-${…}`) are checked by their
 * prefix: some message must start with it.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const locales = path.join(root, 'locales');

function messagesOf(lang: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(path.join(locales, lang)).filter((x) => x.endsWith('.ftl'))) {
    const text = readFileSync(path.join(locales, lang, f), 'utf8');
    for (const m of text.matchAll(/^(-?[a-zA-Z][a-zA-Z0-9_-]*)\s*=/gm)) out.set(m[1]!, f);
  }
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/**
 * The message keys a source asks for: every call `t(`, `tr(`, `.t(` whose first or second top-level
 * argument is a string literal of key shape (the other one being the locale). A template literal with
 * a placeholder yields its constant prefix (`dynamic`).
 */
function translationKeys(text: string): { key: string; dynamic: boolean }[] {
  const out: { key: string; dynamic: boolean }[] = [];
  for (const m of text.matchAll(/(?:\.|\b)(?:t|tr|alert|authorText)\(/g)) {
    const args = topLevelArgs(text, m.index! + m[0].length);
    for (const a of args.slice(0, 2)) {
      // `cond ? 'key-a' : 'key-b'`: both.
      const tern = /^[^'"`?]+\?\s*'([a-z][a-z0-9_-]*)'\s*:\s*'([a-z][a-z0-9_-]*)'$/.exec(a.trim());
      if (tern) {
        out.push({ key: tern[1]!, dynamic: false }, { key: tern[2]!, dynamic: false });
        break;
      }
      const lit = /^(['"`])([a-z][a-z0-9_-]*)(\$\{)?[^'"`]*\1$/.exec(a.trim());
      if (lit && (lit[1] !== '`' || lit[3] || !a.includes('${'))) {
        out.push({ key: lit[2]!, dynamic: lit[1] === '`' && !!lit[3] });
        break;
      }
    }
  }
  return out;
}

/** The top-level arguments of a call whose `(` ends at `from` (strings and nesting respected). */
function topLevelArgs(text: string, from: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = from; i < text.length && i < from + 2000; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      cur += text.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(' || c === '{' || c === '[') depth++;
    if (c === ')' || c === '}' || c === ']') {
      if (depth === 0) {
        args.push(cur);
        return args;
      }
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  return args;
}

const ru = messagesOf('ru');
const en = messagesOf('en');

describe('locales', () => {
  it('ru and en define the same message keys, in the same files', () => {
    const onlyRu = [...ru.keys()].filter((k) => !en.has(k));
    const onlyEn = [...en.keys()].filter((k) => !ru.has(k));
    expect({ onlyRu, onlyEn }).toEqual({ onlyRu: [], onlyEn: [] });
    const moved = [...ru].filter(([k, f]) => en.get(k) !== f).map(([k]) => k);
    expect(moved).toEqual([]);
    expect(ru.size).toBeGreaterThan(100);
  });

  it('every literal key used in src/ exists in both languages', () => {
    const missing: string[] = [];
    let literal = 0;
    let prefixes = 0;
    for (const file of sources(path.join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const { key, dynamic } of translationKeys(text)) {
        const where = `${path.relative(root, file)}: ${key}${dynamic ? '…' : ''}`;
        if (dynamic) {
          prefixes++;
          if (![...ru.keys()].some((k) => k.startsWith(key)) || ![...en.keys()].some((k) => k.startsWith(key))) missing.push(where);
        } else {
          literal++;
          if (!ru.has(key) || !en.has(key)) missing.push(where);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(literal).toBeGreaterThan(200);
    expect(prefixes).toBeGreaterThan(5);
  });

  it('the scan finds keys in every calling style', () => {
    const found = translationKeys(
      "ctx.t('a-one'); app.t(locale, 'a-two', { n }); a.t(localeOf(a, p), `a-three-${k}`); t(`a-four`); tr('a-five', {}); i18n.t(x ?? 'ru', \"a-six\"); ctx.t(ok ? 'a-seven' : 'a-eight')",
    );
    expect(found).toEqual([
      { key: 'a-one', dynamic: false },
      { key: 'a-two', dynamic: false },
      { key: 'a-three-', dynamic: true },
      { key: 'a-four', dynamic: false },
      { key: 'a-five', dynamic: false },
      { key: 'a-six', dynamic: false },
      { key: 'a-seven', dynamic: false },
      { key: 'a-eight', dynamic: false },
    ]);
  });

  it('Russian counts use one/few/many forms', () => {
    // Every ru message that selects on a count variable and names a countable noun has all three forms.
    const lacking: string[] = [];
    for (const f of readdirSync(path.join(locales, 'ru')).filter((x) => x.endsWith('.ftl'))) {
      const text = readFileSync(path.join(locales, 'ru', f), 'utf8');
      for (const m of text.matchAll(/^([a-z][a-z0-9_-]*)\s*=([\s\S]*?)(?=^[a-z#-]|(?![\s\S]))/gm)) {
        const body = m[2]!;
        if (!/\{\s*\$\w+\s*->/.test(body)) continue;
        const variants = [...body.matchAll(/\[(\w+)\]/g)].map((v) => v[1]);
        if (!variants.some((v) => ['one', 'few', 'many', 'other'].includes(v!))) continue; // a select on a non-number
        if (!(variants.includes('one') && variants.includes('few') && variants.includes('many'))) lacking.push(`${f}: ${m[1]}`);
      }
    }
    expect(lacking).toEqual([]);
  });
});
