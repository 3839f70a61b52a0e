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
});
