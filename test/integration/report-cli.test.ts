import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import { readFileSync } from 'node:fs';
import { makeWorld } from '../unit/scheduler/env.js';

const ORG = `organization: { name: Администрация, timezone: Europe/Moscow }
regulation: kanash-2020
calendar: { region: RU-CU }
departments:
  - { id: roads, name: Дорожное хозяйство }
  - { id: culture, name: Отдел культуры }
staff:
  - { telegramId: 101, name: Админ А., roles: [administrator] }
  - { telegramId: 105, name: Исполнитель И., roles: [executor], department: roads }
topics: [Дороги]
`;

describe('otklik report / otklik backup', () => {
  it('writes the message, the workbook and the chart; backs the database up', async () => {
    const w = makeWorld('kanash-2020', '2026-10-05T10:00');
    const id = w.register({ topic: 'Дороги' });
    w.run(id, { type: 'assign', actor: w.actor(101), assignments: [{ departmentId: 'roads', executorId: w.staffId(105) }] });
    w.database.close();
    const config = path.join(w.dir, 'otklik.yaml');
    writeFileSync(config, ORG);
    const env = { ...process.env, DATABASE_PATH: path.join(w.dir, 'otklik.db'), CONFIG_PATH: config, OTKLIK_FAKE_NOW: '2026-11-02T10:00:00+03:00' };
    const out = path.join(w.dir, 'out');
    const stdout = execFileSync('node', ['bin/otklik.js', 'report', '2026-10', '--out', out], { env, encoding: 'utf8' });
    expect(stdout).toContain('Поступило: 1');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, 'otklik-report-2026-10.xlsx'));
    const depts = wb.getWorksheet('Подразделения')!;
    expect(depts.getRow(2).values).toEqual(expect.arrayContaining(['Дорожное хозяйство', 1]));
    expect(depts.getRow(3).getCell(1).value).toBe('Отдел культуры');
    expect(PNG.sync.read(readFileSync(path.join(out, 'otklik-report-2026-10.png'))).height).toBeGreaterThan(100);

    const backup = path.join(w.dir, 'copy.db');
    execFileSync('node', ['bin/otklik.js', 'backup', '--out', backup], { env, encoding: 'utf8' });
    expect(existsSync(backup)).toBe(true);
  });
});
