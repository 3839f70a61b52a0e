import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'otklik-cli-time-'));
const env = { ...process.env, DATABASE_PATH: path.join(dir, 'none.db') };

async function otklik(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/otklik.js', ...args], { cwd: root, env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('otklik calendar', () => {
  it('prints 2026 as JSON in the documented shape', async () => {
    const r = await otklik('calendar', '2026', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['year', 'region', 'months', 'total']);
    expect(j.year).toBe(2026);
    expect(j.region).toBeNull();
    expect(j.months).toHaveLength(12);
    expect(j.months[0]).toEqual({ month: 1, workingDays: 15, daysOff: 16, hours40: 120 });
    expect(j.total).toEqual({ workingDays: 247, daysOff: 118, hours40: 1972 });
  });

  it('applies --region and the calendar section of --config', async () => {
    const cfg = path.join(dir, 'org.yaml');
    writeFileSync(cfg, 'organization:\n  name: Тест\n  timezone: Europe/Moscow\ncalendar:\n  region: RU-DA\n  extraDaysOff: ["2026-03-20", "2026-05-27"]\nschedule:\n  lunch: null\nstaff: []\n');
    const cu = JSON.parse((await otklik('calendar', '2026', '--region', 'RU-CU', '--json')).stdout);
    expect(cu.region).toBe('RU-CU');
    expect(cu.total.workingDays).toBe(246);
    const da = JSON.parse((await otklik('calendar', '2026', '--config', cfg, '--json')).stdout);
    expect(da.region).toBe('RU-DA');
    expect(da.total.workingDays).toBe(247 - 2 - 2); // 27 July, 15 September, and the two added days
  });

  it('prints a readable table and refuses a bad year', async () => {
    const r = await otklik('calendar', '2024');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Итого\s+248\s+118\s+1979/);
    expect((await otklik('calendar', 'next')).code).toBe(2);
  });

  it('imports an xmlcalendar year into the database and uses it', async () => {
    const db = path.join(dir, 'otklik.db');
    const xml = path.join(dir, '2029.xml');
    writeFileSync(xml, '<calendar year="2029" lang="ru" country="ru"><days><day d="01.01" t="1" h="1"/><day d="03.05" t="1"/></days></calendar>');
    const imp = await otklik('calendar', 'import', xml, '--db', db);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/2029/);
    const r = await otklik('calendar', '2029', '--json', '--db', db);
    expect(r.stderr).not.toMatch(/ТК РФ/); // no fallback warning: the imported year is used
    expect(JSON.parse(r.stdout).months[2].daysOff).toBe(10); // 5 March 2029 (Monday) is off
    const bad = path.join(dir, 'bad.xml');
    writeFileSync(bad, '<calendar year="2029"><days><day d="99.99" t="1"/></days></calendar>');
    const b = await otklik('calendar', 'import', bad, '--db', db);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/bad\.xml/);
  });
});

describe('otklik deadlines', () => {
  it('kanash-2020 from 30 December 2026 17:30 as JSON', async () => {
    const r = await otklik('deadlines', '--regulation', 'kanash-2020', '--from', '2026-12-30T17:30', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ regulation: 'kanash-2020', importance: 'normal', zone: 'Europe/Moscow', detectedAt: '2026-12-30T17:30:00+03:00', answerDeadline: '2027-01-11T17:30:00+03:00' });
    const draft = j.stages.find((s: { id: string }) => s.id === 'draft');
    expect(draft).toMatchObject({ clause: 'К11', role: 'executor', roleTitle: 'исполнитель', at: '2027-01-11T14:30:00+03:00' });
  });

  it('akhty-2021 «срочно» in a table', async () => {
    const r = await otklik('deadlines', '--regulation', 'akhty-2021', '--from', '2026-03-11T10:00', '--importance', 'urgent');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ср 11\.03\.2026 13:00\s+А7\.3/);
  });

  it('refuses an unknown importance and a bad --from', async () => {
    const a = await otklik('deadlines', '--regulation', 'kanash-2020', '--from', '2026-12-30T17:30', '--importance', 'urgent');
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/normal/);
    expect((await otklik('deadlines', '--regulation', 'kanash-2020', '--from', 'вчера')).code).toBe(2);
  });
});

describe('otklik deadlines: the preset carries its region', () => {
  it('kanash-2020 without a config skips 24 June (Чувашия); the К11 draft deadline matches the workflow', async () => {
    const r = await otklik('deadlines', '--regulation', 'kanash-2020', '--from', '2026-06-23T12:00', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.answerDeadline).toBe('2026-06-25T12:00:00+03:00');
    expect(j.stages.find((s: { id: string }) => s.id === 'draft').at).toBe('2026-06-25T09:00:00+03:00');
    // Ахты's preset is in Дагестан, where 24 June is an ordinary working day.
    const ra = await otklik('deadlines', '--regulation', 'akhty-2021', '--from', '2026-06-23T12:00', '--json');
    expect(JSON.parse(ra.stdout).answerDeadline).toBe('2026-06-25T12:00:00+03:00'); // «оперативно»: 2 working days
    // Дагестан's movable holidays of 2026 (Ураза-байрам, Курбан-байрам) are not declared: the CLI says so.
    expect(ra.stderr).toMatch(/RU-DA на 2026 год .* ещё не объявлены/);
  });
});
