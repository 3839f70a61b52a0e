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

export function stemSet(text: string): Set<string> {
  return new Set(tokens(text).map((t) => t.stem).filter((s) => s.length >= 3));
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
}

const SAME_AUTHOR_BAR = 0.18;
const SAME_PLACE_BAR = 0.22;
const ANY_BAR = 0.5;

/**
 * Earlier cases this text may repeat, best first. Another citizen's text counts only at the same
 * location (when both have one) and with clearly shared words; the same author's with fewer.
 */
export function findRepeats(q: RepeatQuery, earlier: readonly EarlierCase[], limit = 3): RepeatCandidate[] {
  const mine = stemSet(q.text);
  const out: RepeatCandidate[] = [];
  for (const e of earlier) {
    if (e.at > q.at) continue;
    const theirs = stemSet(e.text);
    const sim = 0.5 * jaccard(mine, theirs) + 0.5 * overlap(mine, theirs);
    const sameAuthor = !!q.authorId && q.authorId === e.authorId;
    const samePlace = !!q.location && q.location === e.location;
    const otherPlace = !!q.location && !!e.location && q.location !== e.location;
    const sameDept = !q.departmentId || !e.departmentId || q.departmentId === e.departmentId;
    let ok: boolean;
    if (sameAuthor) ok = sim >= SAME_AUTHOR_BAR && !otherPlace;
    else if (samePlace) ok = sim >= SAME_PLACE_BAR && sameDept;
    else ok = !otherPlace && sim >= ANY_BAR && sameDept;
    if (ok) out.push({ caseId: e.caseId, number: e.number, score: sim + (sameAuthor ? 0.3 : 0) + (samePlace ? 0.2 : 0), sameAuthor });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}
