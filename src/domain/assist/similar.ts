import { tokens } from './stem.js';

/**
 * Repeats and duplicates (К17, А7.11): the same author on the same question, or another text about
 * the same thing at the same place. Texts are compared as sets of stems (Jaccard on content stems,
 * with the location counted as a strong shared word); the same author lowers the bar.
 */

export interface EarlierCase {
  caseId: number;
  number: number;
  text: string;
  authorId: string | null;
  location: string | null;
  departmentId: string | null;
  /** When it was detected, epoch ms. */
  at: number;
}

export interface RepeatCandidate {
  caseId: number;
  number: number;
  score: number;
  sameAuthor: boolean;
}

/** Stem sets of texts seen recently: the same earlier cases are compared with every new one. */
const cache = new Map<string, Set<string>>();
const CACHE_SIZE = 5000;

export function stemSet(text: string): Set<string> {
  let set = cache.get(text);
  if (set) return set;
  set = new Set(
    tokens(text)
      .map((t) => t.stem)
      .filter((s) => s.length >= 3),
  );
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, set);
  return set;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}

/** Shares of the earlier case's words that the new text repeats, and the other way round: the larger. */
function overlap(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / Math.min(a.size, b.size);
}

export interface RepeatQuery {
  text: string;
  authorId: string | null;
  location: string | null;
  departmentId: string | null;
  at: number;
  /** Whether a text tells of a significant incident: two such at one place within a day are one. */
  incident?: (text: string) => boolean;
}

const DAY = 24 * 3600_000;
const SAME_AUTHOR_BAR = 0.18;
const SAME_PLACE_BAR = 0.3;
const MARKED_BAR = 0.08;
const REPEAT_MARKER = /(^|[^а-я])(опять|снова|так и|до сих пор|уже писал[а-я]*|писали|писала|писал|просили|как и|повторно|который раз|сколько можно|обещали|еще больше)([^а-я]|$)/;
const ANY_BAR = 0.5;

/**
 * Earlier cases this text may repeat, best first. Another citizen's text counts only at the same
 * location (when both have one) and with clearly shared words; the same author's with fewer.
 */
export function findRepeats(q: RepeatQuery, earlier: readonly EarlierCase[], limit = 3): RepeatCandidate[] {
  // The place's own name is shared by every text about it: compare what is said, not where.
  const placeStems = (l: string | null) => (l ? stemSet(l) : new Set<string>());
  const without = (set: Set<string>, drop: Set<string>) => new Set([...set].filter((x) => !drop.has(x) && ![...drop].some((d) => x.startsWith(d))));
  const mine = without(stemSet(q.text), placeStems(q.location));
  const mineIncident = q.incident?.(q.text) ?? false;
  // «опять», «так и не», «уже писал»: the author says it is a repeat; a shared place and subject then suffice.
  const says = REPEAT_MARKER.test(q.text.toLowerCase().replace(/ё/g, 'е'));
  const out: RepeatCandidate[] = [];
  for (const e of earlier) {
    if (e.at > q.at) continue;
    const theirs = without(stemSet(e.text), new Set([...placeStems(e.location), ...placeStems(q.location)]));
    const sim = 0.5 * jaccard(mine, theirs) + 0.5 * overlap(mine, theirs);
    const sameAuthor = !!q.authorId && q.authorId === e.authorId;
    const samePlace = !!q.location && q.location === e.location;
    const otherPlace = !!q.location && !!e.location && q.location !== e.location;
    const sameDept = !q.departmentId || !e.departmentId || q.departmentId === e.departmentId;
    let ok: boolean;
    if (mineIncident && samePlace && q.at - e.at < DAY && q.incident!(e.text)) ok = true;
    else if (sameAuthor) ok = sim >= SAME_AUTHOR_BAR && !otherPlace;
    else if (samePlace) ok = sim >= (says ? MARKED_BAR : SAME_PLACE_BAR) && sameDept;
    else ok = !otherPlace && sim >= ANY_BAR && sameDept;
    if (ok) out.push({ caseId: e.caseId, number: e.number, score: sim + (sameAuthor ? 0.3 : 0) + (samePlace ? 0.2 : 0), sameAuthor });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}
