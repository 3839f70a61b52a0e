import { DateTime } from 'luxon';
import type { Duration } from '../time/duration.js';
import type { WorkingTime } from '../time/types.js';

/**
 * The term an intermediate answer promises (К15, А7.8), read from the answer's own Russian text:
 * «до 25 декабря», «до 25.12.2026», «к 1 марта 2027 года», «в течение 10 рабочих дней», or a condition
 * («после схода снега», «после заключения контракта»). Pure: `now` and the zone are passed in.
 */
export type PromisedTerm =
  { kind: 'date'; year: number; month: number; day: number; phrase: string } | { kind: 'period'; duration: Duration; phrase: string } | { kind: 'condition'; text: string; phrase: string };

const MONTHS: Record<string, number> = {
  январ: 1,
  феврал: 2,
  март: 3,
  апрел: 4,
  ма: 5,
  июн: 6,
  июл: 7,
  август: 8,
  сентябр: 9,
  октябр: 10,
  ноябр: 11,
  декабр: 12,
};
const MONTH_RE = '(январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь])';

const NUMBER_WORDS: Record<string, number> = {
  одного: 1,
  один: 1,
  одной: 1,
  одну: 1,
  двух: 2,
  два: 2,
  две: 2,
  трех: 3,
  трёх: 3,
  три: 3,
  четырех: 4,
  четырёх: 4,
  четыре: 4,
  пяти: 5,
  пять: 5,
  шести: 6,
  шесть: 6,
  семи: 7,
  семь: 7,
  восьми: 8,
  восемь: 8,
  девяти: 9,
  девять: 9,
  десяти: 10,
  десять: 10,
  четырнадцати: 14,
  пятнадцати: 15,
  двадцати: 20,
  тридцати: 30,
};

// A preposition that makes a date a term: «до», «к», «не позднее», «по», «в срок до».
const PREP = '(?:^|[\\s(«"])(?:до|к|ко|не\\s+позднее|по)\\s+';
const YEAR = '(?:\\s+(\\d{4})(?:\\s*(?:года|г\\.?))?)?';

function monthOf(word: string): number | null {
  const w = word.toLowerCase();
  for (const [stem, n] of Object.entries(MONTHS)) {
    if (stem === 'ма' ? /^ма[яй]$/.test(w) : w.startsWith(stem)) return n;
  }
  return null;
}

function numberOf(word: string): number | null {
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBER_WORDS[word.toLowerCase()] ?? null;
}

/** Completes a date without a year: this year, or the next one when the day has passed. */
function withYear(day: number, month: number, year: number | null, now: DateTime): { year: number; month: number; day: number } | null {
  let y = year ?? now.year;
  if (y < 100) y += 2000;
  let d = DateTime.fromObject({ year: y, month, day }, { zone: now.zone });
  if (!d.isValid) return null;
  if (year === null && d.endOf('day') < now) d = d.plus({ years: 1 });
  return { year: d.year, month: d.month, day: d.day };
}

/**
 * The first term the text states, or null. A text that is only a date («25.12», «25 декабря 2026») is a
 * date too (the executor typing the term alone).
 */
export function findPromisedTerm(text: string, now: DateTime): PromisedTerm | null {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return null;
  const candidates: { index: number; term: PromisedTerm }[] = [];

  const numeric = new RegExp(`${PREP}(\\d{1,2})[./](\\d{1,2})(?:[./](\\d{2,4}))?(?:\\s*(?:года|г\\.?))?(?![\\d/]|\\.\\d)`, 'giu');
  const worded = new RegExp(`${PREP}(\\d{1,2})\\s+${MONTH_RE}${YEAR}(?![\\p{L}\\d])`, 'giu');
  const alone = new RegExp(`^(?:(\\d{1,2})[./](\\d{1,2})(?:[./](\\d{2,4}))?|(\\d{1,2})\\s+${MONTH_RE}${YEAR})\\s*\\.?$`, 'iu');
  const period = /(?:в\s+течение|в\s+срок|за)\s+(\d+|[а-яё]+)?\s*(рабоч\S*\s+|календарн\S*\s+)?(дн(?:я|ей)|день|недел[иьюя]|месяц(?:а|ев)?)(?![а-яё])/giu;
  const condition = /(?:^|[\s(,«"])(после\s+[^.,;!?\n)»"]{3,80})/giu;

  for (const m of t.matchAll(numeric)) {
    const d = withYear(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : null, now);
    if (d) candidates.push({ index: m.index!, term: { kind: 'date', ...d, phrase: m[0].trim() } });
  }
  for (const m of t.matchAll(worded)) {
    const month = monthOf(m[2]!);
    const d = month ? withYear(Number(m[1]), month, m[3] ? Number(m[3]) : null, now) : null;
    if (d) candidates.push({ index: m.index!, term: { kind: 'date', ...d, phrase: m[0].trim() } });
  }
  const a = alone.exec(t);
  if (a) {
    const d = a[1] ? withYear(Number(a[1]), Number(a[2]), a[3] ? Number(a[3]) : null, now) : withYear(Number(a[4]), monthOf(a[5]!) ?? 0, a[6] ? Number(a[6]) : null, now);
    if (d) candidates.push({ index: 0, term: { kind: 'date', ...d, phrase: t } });
  }
  for (const m of t.matchAll(period)) {
    const unit = m[3]!.toLowerCase();
    const n = m[1] ? numberOf(m[1]) : 1;
    if (n === null || n <= 0) continue;
    const working = /^рабоч/i.test(m[2] ?? '');
    let duration: Duration;
    if (unit.startsWith('недел')) duration = { amount: n * 7, unit: 'days', basis: 'calendar' };
    else if (unit.startsWith('месяц')) duration = { amount: n * 30, unit: 'days', basis: 'calendar' };
    else duration = { amount: n, unit: 'days', basis: working ? 'working' : 'calendar' };
    candidates.push({ index: m.index!, term: { kind: 'period', duration, phrase: m[0].trim() } });
  }
  if (candidates.length === 0) {
    for (const m of t.matchAll(condition)) {
      const phrase = m[1]!.trim();
      candidates.push({ index: m.index!, term: { kind: 'condition', text: phrase, phrase } });
    }
  }
  candidates.sort((x, y) => x.index - y.index);
  return candidates[0]?.term ?? null;
}

/**
 * The control instant of a term stated as a date or a period: a date is kept until the end of that
 * working day (the end of the last working day before it when the date is a day off); a period counts
 * from `now`. Null for a condition, or a date already past.
 */
export function promisedInstant(term: PromisedTerm, wt: WorkingTime, now: DateTime): number | null {
  if (term.kind === 'condition') return null;
  if (term.kind === 'period') return wt.add(now, term.duration).toMillis();
  let day = DateTime.fromObject({ year: term.year, month: term.month, day: term.day }, { zone: wt.zone });
  for (let i = 0; i < 31; i++) {
    const start = day.startOf('day');
    const end = start.plus({ days: 1 });
    const minutes = wt.workingMinutesBetween(start, end);
    if (minutes > 0) {
      const at = wt.add(wt.nextWorkingMoment(start), { amount: Math.round(minutes), unit: 'minutes', basis: 'working' });
      const ms = at.toMillis();
      return ms > now.toMillis() ? ms : null;
    }
    day = day.minus({ days: 1 });
  }
  return null;
}
