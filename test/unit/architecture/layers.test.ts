import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain-JS config file without type declarations
import { forbidden } from '../../../eslint.config.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const src = path.join(root, 'src');
const layers = forbidden as Record<string, string[]>;

/** Every .ts file under src/ with the src folder it belongs to (`main` for src/main.ts). */
function sourceFiles(): { file: string; layer: string }[] {
  const out: { file: string; layer: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push({ file: p, layer: path.relative(src, p).split(path.sep)[0]!.replace(/\.ts$/, '') });
    }
  };
  walk(src);
  return out;
}

/** The src folders a file imports, static and dynamic (`import('…')`, which the lint rule does not see). */
function importedLayers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs
    .map((spec) => path.resolve(path.dirname(file), spec))
    .filter((target) => target.startsWith(src + path.sep))
    .map((target) =>
      path
        .relative(src, target)
        .split(path.sep)[0]!
        .replace(/\.(js|ts)$/, ''),
    );
}

/**
 * Why a file's text runs SQL or reaches the schema itself (empty when it does not): statements, pragmas,
 * drizzle's `sql` template and `$client`, SQL text in a string, and imports of drizzle-orm or src/db/schema.
 * Outside src/db every query goes through src/db/repositories (docs/architecture.md «Where queries live»).
 */
function ownQueries(file: string, text: string): string[] {
  const found: string[] = [];
  const checks: [RegExp, string][] = [
    [/\.(prepare|pragma)\s*\(/, 'prepares a statement or runs a pragma'],
    [/\.exec\(\s*['"`]/, 'executes SQL text'],
    [/\$client\b/, "reaches drizzle's $client"],
    [/\bsql(\.raw)?\s*[`(]/, "builds drizzle's sql"],
    [/['"`]\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TEMP\s+)?TABLE\s|WITH\s+\w+\s+AS\s*\()/, 'holds SQL text'],
    [/(?:from\s+|import\(\s*)['"]drizzle-orm(\/[^'"]*)?['"]/, 'imports drizzle-orm'],
  ];
  for (const [re, why] of checks) if (re.test(text)) found.push(why);
  const schema = path.join(src, 'db', 'schema');
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => path.resolve(path.dirname(file), m[1]!));
  if (specs.some((target) => target === schema || target.startsWith(schema + path.sep) || target === `${schema}.js`)) found.push('imports src/db/schema');
  return found;
}

describe('layers (docs/architecture.md)', () => {
  it('no file of src imports a layer above it or a sibling adapter', () => {
    const upward: string[] = [];
    for (const { file, layer } of sourceFiles()) {
      for (const target of importedLayers(file)) {
        if (target !== layer && layers[layer]?.includes(target)) upward.push(`${path.relative(root, file)} → src/${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the linter refuses an upward import and lets a downward one pass', async () => {
    const eslint = new ESLint({ cwd: root });
    const lint = async (filePath: string, code: string) => {
      const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
      return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    };
    expect(await lint('src/bot/probe.ts', "import { storeEvent } from '../sources/vk/collector.js';\nexport const probe = storeEvent;\n")).toEqual([
      expect.stringContaining('src/bot must not import src/sources'),
    ]);
    expect(await lint('src/sources/probe.ts', "import { buildBot } from '../bot/build.js';\nexport const probe = buildBot;\n")).toHaveLength(1);
    expect(await lint('src/domain/workflow/probe.ts', "import { openDatabase } from '../../db/connection.js';\nexport const probe = openDatabase;\n")).toHaveLength(1);
    expect(await lint('src/bot/probe.ts', "import type { AppContext } from '../kernel/context.js';\nexport type Probe = AppContext;\n")).toEqual([]);
  });

  it('no file outside src/db runs SQL or imports drizzle-orm or the schema', () => {
    const own: string[] = [];
    for (const { file, layer } of sourceFiles()) {
      if (layer === 'db') continue;
      for (const why of ownQueries(file, readFileSync(file, 'utf8'))) own.push(`${path.relative(root, file)}: ${why}`);
    }
    expect(own).toEqual([]);
  });

  it('the query check sees each way of running SQL and lets plain code pass', () => {
    const probe = path.join(src, 'bot', 'probe.ts');
    const check = (code: string) => ownQueries(probe, code);
    expect(check("app.database.sqlite.prepare('SELECT 1').get();")).toContain('prepares a statement or runs a pragma');
    expect(check("sqlite.pragma('busy_timeout = 5000');")).toContain('prepares a statement or runs a pragma');
    expect(check("sqlite.exec('DELETE FROM kv');")).toContain('executes SQL text');
    expect(check('const client = app.db.$client;')).toEqual(["reaches drizzle's $client"]);
    expect(check('app.db.run(sql`DELETE FROM kv`);')).toContain("builds drizzle's sql");
    expect(check('const text = `SELECT id FROM cases WHERE number = ?`;')).toEqual(['holds SQL text']);
    expect(check("import { eq } from 'drizzle-orm';")).toEqual(['imports drizzle-orm']);
    expect(check("import { staff } from '../db/schema/org.js';")).toEqual(['imports src/db/schema']);
    expect(check("import { staffById } from '../db/repositories/staff.js';\nconst m = /^(\\d+)$/.exec(arg);\nconst hint = 'select a department';")).toEqual([]);
  });
});
