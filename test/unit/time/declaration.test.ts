import { describe, expect, it } from 'vitest';
import { parseDayDeclaration } from '../../../src/domain/time/declaration.js';
import { movableHolidaysUndeclared } from '../../../src/domain/time/calendar.js';

describe('a day declared in the bot', () => {
  it('reads a day off, a working day and a shortened day, with a note', () => {
    expect(parseDayDeclaration('20.03.2026 — нерабочий, Ураза-байрам')).toEqual({ date: '2026-03-20', kind: 'off', note: 'Ураза-байрам' });
    expect(parseDayDeclaration('27.05.2026 нерабочий день — Курбан-байрам')).toEqual({ date: '2026-05-27', kind: 'off', note: 'Курбан-байрам' });
    expect(parseDayDeclaration('6.6.2026 рабочий')).toEqual({ date: '2026-06-06', kind: 'work', note: null });
    expect(parseDayDeclaration('19.03.2026 - сокращённый')).toEqual({ date: '2026-03-19', kind: 'short', note: null });
  });

  it('refuses what is not a declaration', () => {
    for (const bad of ['', '20.03 нерабочий', '31.02.2026 нерабочий', '20.03.2026 отпуск', 'завтра нерабочий']) expect(parseDayDeclaration(bad), bad).toBeNull();
  });

  it('Дагестан declares its movable holidays year by year: 2026 is not shipped, 2025 is; Чувашия has none', () => {
    expect(movableHolidaysUndeclared('RU-DA', 2026)).toBe(true);
    expect(movableHolidaysUndeclared('RU-DA', 2025)).toBe(false);
    expect(movableHolidaysUndeclared('RU-CU', 2026)).toBe(false);
    expect(movableHolidaysUndeclared(null, 2026)).toBe(false);
  });
});
