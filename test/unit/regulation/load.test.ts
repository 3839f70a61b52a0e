import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { listPresets, loadRegulation, RegulationLoadError } from '../../../src/domain/regulation/load.js';
import { PRESETS } from '../../../src/domain/regulation/presets/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'otklik-reg-'));

describe('loadRegulation', () => {
  it('lists and loads presets by id', () => {
    expect(
      listPresets()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['akhty-2021', 'kanash-2020']);
    expect(loadRegulation('kanash-2020', dir).id).toBe('kanash-2020');
  });

  it('loads a YAML or JSON file relative to baseDir', () => {
    const custom = { ...PRESETS['akhty-2021']!, id: 'my-town' };
    writeFileSync(path.join(dir, 'my.yaml'), stringify(custom));
    writeFileSync(path.join(dir, 'my.json'), JSON.stringify(custom));
    expect(loadRegulation('my.yaml', dir)).toEqual(custom);
    expect(loadRegulation('./my.json', dir)).toEqual(custom);
  });

  it('refuses a file with an error, naming the file and the field', () => {
    const bad = structuredClone(PRESETS['kanash-2020']!) as unknown as { windows: { approval: { duration: { unit: string } } } };
    bad.windows.approval.duration.unit = 'weeks';
    writeFileSync(path.join(dir, 'regulation.yaml'), stringify(bad));
    expect(() => loadRegulation('regulation.yaml', dir)).toThrow(RegulationLoadError);
    expect(() => loadRegulation('regulation.yaml', dir)).toThrow(/^regulation\.yaml: windows\.approval\.duration\.unit: .*expected one of/);
  });

  it('refuses an unknown importance default and a missing field', () => {
    const bad = structuredClone(PRESETS['akhty-2021']!) as Record<string, unknown> & { importance: { default: string } };
    bad.importance.default = 'normal';
    delete bad.rules;
    writeFileSync(path.join(dir, 'bad2.yml'), stringify(bad));
    expect(() => loadRegulation('bad2.yml', dir)).toThrow(/bad2\.yml: rules: /);
  });

  it('refuses an unknown preset id and a YAML syntax error', () => {
    expect(() => loadRegulation('moscow-2030', dir)).toThrow(/kanash-2020, akhty-2021/);
    writeFileSync(path.join(dir, 'broken.yaml'), 'id: [oops');
    expect(() => loadRegulation('broken.yaml', dir)).toThrow(/^broken\.yaml: /);
  });
});
