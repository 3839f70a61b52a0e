import { isValidIsoDate } from './dates.js';

/**
 * A day declared by the administration in the bot (a regional act, a decree not yet in the calendar):
 * «20.03.2026 — нерабочий, Ураза-байрам», «06.06.2026 рабочий», «19.03.2026 сокращённый». Pure.
 */
export type DeclaredDayKind = 'off' | 'work' | 'short';
export interface DayDeclaration {
  date: string;
  kind: DeclaredDayKind;
  note: string | null;
}

const KINDS: [RegExp, DeclaredDayKind][] = [
  [/^(нерабоч\S*|выходн\S*|праздн\S*)$/iu, 'off'],
  [/^(сокращ[её]нн\S*|предпраздничн\S*)$/iu, 'short'],
  [/^рабоч\S*$/iu, 'work'],
];

export function parseDayDeclaration(text: string): DayDeclaration | null {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*[—–-]?\s*([\p{L}]+)(?:\s+день)?\s*(?:[,—–:-]\s*(.+?))?\s*$/iu.exec(text);
  if (!m) return null;
  const date = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  if (!isValidIsoDate(date)) return null;
  const kind = KINDS.find(([re]) => re.test(m[4]!))?.[1];
  if (!kind) return null;
  const note = m[5]?.trim() || null;
  return { date, kind, note: note ? note.slice(0, 200) : null };
}
