import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeWorld } from '../unit/scheduler/env.js';

const exec = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/otklik.js');
/** The environment without the service's variables, so only `.env` or flags can name the files. */
const bareEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

async function otklik(args: string[], cwd: string, env: Record<string, string> = bareEnv) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const ORG = `organization: { name: Администрация, timezone: Asia/Yekaterinburg }
regulation: kanash-2020
calendar: { region: RU-CU }
departments:
  - { id: roads, name: Дорожное хозяйство }
staff:
  - { telegramId: 101, name: Админ А., roles: [administrator] }
  - { telegramId: 105, name: Исполнитель И., roles: [executor], department: roads }
topics: [Дороги]
`;

describe('otklik CLI', () => {
  it('reads .env from the working folder like npm start: report finds the database and the organization', async () => {
    const w = makeWorld('kanash-2020', '2026-10-05T10:00');
    w.register({ topic: 'Дороги' });
    w.database.close();
    writeFileSync(path.join(w.dir, 'org.yaml'), ORG);
    writeFileSync(path.join(w.dir, '.env'), 'DATABASE_PATH=./otklik.db\nCONFIG_PATH=./org.yaml\n');
    const r = await otklik(['report', '2026-10', '--out', 'out'], w.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Поступило: 1');
    expect(existsSync(path.join(w.dir, 'out', 'otklik-report-2026-10.xlsx'))).toBe(true);
  });

  it('report --db with a mistyped path refuses and creates nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-cli-'));
    writeFileSync(path.join(dir, 'org.yaml'), ORG);
    const typo = path.join(dir, 'otklik.bd');
    const r = await otklik(['report', '2026-10', '--db', typo, '--config', 'org.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(typo);
    expect(r.stdout).not.toContain('Поступило');
    expect(existsSync(typo)).toBe(false);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('every command answers --help with its usage and exit code 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-cli-'));
    const list = await otklik(['help'], dir);
    const commands = [...list.stdout.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['calendar', 'deadlines', 'report', 'serve']));
    // backup's own usage text is written with its other start-up changes.
    for (const c of commands.filter((c) => c !== 'backup')) {
      const r = await otklik([c, '--help'], dir);
      expect({ c, code: r.code }).toEqual({ c, code: 0 });
      expect(r.stdout).toMatch(new RegExp(`otklik ${c}`));
    }
  });

  it('deadlines prints local times of the organization in time order and lists the importance ids', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-cli-'));
    writeFileSync(path.join(dir, 'org.yaml'), ORG);
    const r = await otklik(['deadlines', '--regulation', 'kanash-2020', '--from', '2026-12-30T17:30', '--config', 'org.yaml'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    // Detected at 17:30 local time in Yekaterinburg (UTC+5), shown as such, not as an ISO offset.
    expect(lines[1]).toContain('ср 30.12.2026 17:30 (местное время, Asia/Yekaterinburg)');
    expect(r.stdout).not.toMatch(/\+0[35]:00/);
    expect(lines[2]).toMatch(/^Важность \(--importance\): .*normal — .*\(по умолчанию\)/);
    const stamps = lines
      .map((l) => /^\S+ (\d\d)\.(\d\d)\.(\d{4}) (\d\d:\d\d) /.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[3]}-${m[2]}-${m[1]}T${m[4]}`);
    expect(stamps.length).toBeGreaterThan(8);
    expect(stamps).toEqual([...stamps].sort());
    // Stages without a term come after every dated one.
    const firstUndated = lines.findIndex((l) => l.startsWith('без срока'));
    const lastDated = lines.findLastIndex((l) => /^\S+ \d\d\.\d\d\.\d{4} /.test(l));
    expect(firstUndated).toBeGreaterThan(lastDated);
  });

  it('calendar YEAR --dates lists days off, shortened days and working weekends', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otklik-cli-'));
    const r = await otklik(['calendar', '2026', '--dates', '--region', 'RU-CU', '--json'], dir);
    expect(r.code).toBe(0);
    const { dates } = JSON.parse(r.stdout) as { dates: Record<string, string[]> };
    expect(dates.daysOff).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-23', '2026-06-24', '2026-12-31']));
    expect(dates.daysOff).not.toContain('2026-01-03');
    expect(dates.weekendHolidays).toContain('2026-01-03');
    expect(dates.shortened).toEqual(['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03']);
    expect(dates.workingWeekends).toEqual([]);
    const text = await otklik(['calendar', '2025', '--dates'], dir);
    // 2025: Saturday 1 November was a working day (moved from 3 November).
    expect(text.stdout).toMatch(/Рабочие субботы и воскресенья \(перенос\): 1\n {2}01\.11\.2025 сб/);
  });
});
