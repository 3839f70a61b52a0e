/**
 * Russian text → stems: the Snowball Russian stemmer (snowballstem.org/algorithms/russian), written
 * out here rather than pulled in as a package: the npm ports bundle thirty languages and no types,
 * and the algorithm is a page long. «ямы», «ямой», «яма» → «ям»; «дороги», «дорогу» → «дорог».
 */

const VOWELS = new Set('аеиоуыэюя');

const PERFECTIVE_1 = ['вшись', 'вши', 'в']; // preceded by а or я
const PERFECTIVE_2 = ['ившись', 'ывшись', 'ивши', 'ывши', 'ив', 'ыв'];
const REFLEXIVE = ['ся', 'сь'];
const ADJECTIVE = ['ими', 'ыми', 'его', 'ого', 'ему', 'ому', 'ее', 'ие', 'ые', 'ое', 'ей', 'ий', 'ый', 'ой', 'ем', 'им', 'ым', 'ом', 'их', 'ых', 'ую', 'юю', 'ая', 'яя', 'ою', 'ею'];
const PARTICIPLE_1 = ['ем', 'нн', 'вш', 'ющ', 'щ'];
const PARTICIPLE_2 = ['ивш', 'ывш', 'ующ'];
const VERB_1 = ['ете', 'йте', 'ешь', 'нно', 'ла', 'на', 'ли', 'ем', 'ло', 'но', 'ет', 'ют', 'ны', 'ть', 'й', 'л', 'н'];
const VERB_2 = [
  'ейте',
  'уйте',
  'ила',
  'ыла',
  'ена',
  'ите',
  'или',
  'ыли',
  'ило',
  'ыло',
  'ено',
  'ует',
  'уют',
  'ены',
  'ить',
  'ыть',
  'ишь',
  'ей',
  'уй',
  'ил',
  'ыл',
  'им',
  'ым',
  'ен',
  'ят',
  'ит',
  'ыт',
  'ую',
  'ю',
];
const NOUN = [
  'иями',
  'ями',
  'ами',
  'иях',
  'ием',
  'ией',
  'иям',
  'ев',
  'ов',
  'ие',
  'ье',
  'еи',
  'ии',
  'ей',
  'ой',
  'ий',
  'ям',
  'ем',
  'ам',
  'ом',
  'ах',
  'ях',
  'ию',
  'ью',
  'ия',
  'ья',
  'а',
  'е',
  'и',
  'й',
  'о',
  'у',
  'ы',
  'ь',
  'ю',
  'я',
];
const DERIVATIONAL = ['ость', 'ост'];
const SUPERLATIVE = ['ейше', 'ейш'];

const byLength = (xs: string[]) => [...xs].sort((a, b) => b.length - a.length);
const P1 = byLength(PERFECTIVE_1),
  P2 = byLength(PERFECTIVE_2),
  ADJ = byLength(ADJECTIVE);
const PA1 = byLength(PARTICIPLE_1),
  PA2 = byLength(PARTICIPLE_2),
  V1 = byLength(VERB_1),
  V2 = byLength(VERB_2),
  N = byLength(NOUN);

/** The longest suffix of `w` from `list` that starts at or after `from`; with `afterAYa` it must follow а/я. */
function ending(w: string, from: number, list: string[], afterAYa = false): string | null {
  for (const s of list) {
    if (!w.endsWith(s)) continue;
    const at = w.length - s.length;
    if (at < from) continue;
    if (afterAYa) {
      const prev = w[at - 1];
      if (at - 1 < from || (prev !== 'а' && prev !== 'я')) continue;
    }
    return s;
  }
  return null;
}

/** Removes the longer of the two groups' endings (group 1 needs а/я before it, which stays). */
function removeGroups(w: string, from: number, g1: string[], g2: string[]): string | null {
  const a = ending(w, from, g1, true);
  const b = ending(w, from, g2);
  if (a === null && b === null) return null;
  const s = (a?.length ?? 0) >= (b?.length ?? 0) ? a! : b!;
  return w.slice(0, w.length - s.length);
}

function regionAfterVC(w: string, start: number): number {
  for (let i = start + 1; i < w.length; i++) if (!VOWELS.has(w[i]!) && VOWELS.has(w[i - 1]!)) return i + 1;
  return w.length;
}

export function stem(word: string): string {
  let w = word.toLowerCase().replace(/ё/g, 'е');
  if (!/^[а-я]+$/.test(w)) return w;
  let rv = w.length;
  for (let i = 0; i < w.length; i++)
    if (VOWELS.has(w[i]!)) {
      rv = i + 1;
      break;
    }
  const r1 = regionAfterVC(w, 0);
  const r2 = regionAfterVC(w, r1);

  // Step 1.
  const perfective = removeGroups(w, rv, P1, P2);
  if (perfective !== null) w = perfective;
  else {
    const refl = ending(w, rv, REFLEXIVE);
    if (refl) w = w.slice(0, -refl.length);
    const adj = ending(w, rv, ADJ);
    if (adj) {
      w = w.slice(0, -adj.length);
      const part = removeGroups(w, rv, PA1, PA2);
      if (part !== null) w = part;
    } else {
      const verb = removeGroups(w, rv, V1, V2);
      if (verb !== null) w = verb;
      else {
        const noun = ending(w, rv, N);
        if (noun) w = w.slice(0, -noun.length);
      }
    }
  }
  // Step 2.
  if (w.endsWith('и') && w.length - 1 >= rv) w = w.slice(0, -1);
  // Step 3.
  const der = ending(w, Math.max(r2, rv), DERIVATIONAL);
  if (der) w = w.slice(0, -der.length);
  // Step 4.
  if (w.endsWith('нн') && w.length - 2 >= rv) w = w.slice(0, -1);
  else {
    const sup = ending(w, rv, SUPERLATIVE);
    if (sup) {
      w = w.slice(0, -sup.length);
      if (w.endsWith('нн') && w.length - 2 >= rv) w = w.slice(0, -1);
    } else if (w.endsWith('ь') && w.length - 1 >= rv) w = w.slice(0, -1);
  }
  return w;
}

export interface Token {
  /** The word as written (lower case, ё → е). */
  word: string;
  stem: string;
}

/** Short function words that carry no subject. */
const STOP = new Set(
  'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это уже пожалуйста здравствуйте добрый день подскажите почему сколько'.split(
    ' ',
  ),
);

/** Words of a text: Cyrillic and Latin letters and digits; ё folded to е. */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/ё/g, 'е')
      .match(/[а-яa-z0-9]+/g) ?? []
  );
}

/** Content tokens of a text (function words and one-letter words dropped), each with its stem. */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const word of words(text)) {
    if (word.length < 2 || STOP.has(word) || /^\d+$/.test(word)) continue;
    out.push({ word, stem: stem(word) });
  }
  return out;
}

export function stems(text: string): string[] {
  return tokens(text).map((t) => t.stem);
}
