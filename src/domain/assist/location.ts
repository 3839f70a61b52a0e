import { stem, words } from './stem.js';

/**
 * Which of the organization's locations a text names, in any Russian form: «на Ленина», «по ул.
 * Ленина», «Ленина, 5», «в Новых Черемушках», «в Хрюге». A location's name (its type — ул., пр.,
 * мкр., с. — set aside) matches when its longest word's stem starts a word of the text; the other
 * words of the name and the type, when written too, make the match stronger. Of two equally named
 * locations («ул. Ленина», «пр. Ленина») the one whose type is written wins, else the first listed.
 */

export interface LocationMatch {
  index: number;
  location: string;
  /** The words of the text that matched. */
  matched: string;
}

const TYPES: Record<string, RegExp> = {
  'ул': /(^|[^а-я])(ул\.?|улиц[а-я]*)(?![а-я])/,
  'пр': /(^|[^а-я])(пр\.|пр-т|проспект[а-я]*)/,
  'мкр': /(^|[^а-я])(мкр\.?|микрорайон[а-я]*)(?![а-я])/,
  'с': /(^|[^а-я])(с\.|село|селе|села|селу)(?![а-я])/,
  'пер': /(^|[^а-я])(пер\.|переул[а-я]*)/,
  'пл': /(^|[^а-я])(пл\.|площад[а-я]*)/,
};
const TYPE_WORD = /^(ул|улица|пр|пр-т|проспект|мкр|микрорайон|с|село|пос|пгт|пер|переулок|пл|площадь|д|деревня|х|хутор)\.?$/i;

interface Prepared {
  index: number;
  location: string;
  type: string | null;
  key: string;
  others: string[];
}

export class LocationFinder {
  private readonly items: Prepared[];

  constructor(locations: readonly string[]) {
    this.items = locations.map((location, index) => {
      const parts = location.split(/\s+/);
      const type = parts[0] && TYPE_WORD.test(parts[0]) ? parts.shift()!.replace(/\.$/, '').toLowerCase() : null;
      const ws = words(parts.join(' '));
      const stems = ws.map((w) => (/^\d+$/.test(w) ? w : stem(w)));
      const longest = stems.reduce((a, b) => (b.length > a.length ? b : a), '');
      return { index, location, type, key: longest, others: stems.filter((s) => s !== longest) };
    });
  }

  find(text: string): LocationMatch | null {
    const ws = words(text);
    const lower = text.toLowerCase().replace(/ё/g, 'е');
    let best: { p: Prepared; score: number; matched: string } | null = null;
    for (const p of this.items) {
      if (p.key.length < 3) continue;
      const at = ws.findIndex((w) => w.startsWith(p.key) && w.length - p.key.length <= 4);
      if (at < 0) continue;
      let score = p.key.length * 2;
      const near = ws.slice(Math.max(0, at - 3), at + 4);
      for (const o of p.others) if (near.some((w) => w.startsWith(o))) score += o.length;
      const typeRe = p.type ? TYPES[p.type] : undefined;
      if (typeRe && typeRe.test(lower)) score += 1;
      // A longer key that also matched («Ахтыпаре») beats a shorter one («Ахты»).
      if (!best || score > best.score) best = { p, score, matched: ws[at]! };
    }
    return best ? { index: best.p.index, location: best.p.location, matched: best.matched } : null;
  }
}
