import { words } from './stem.js';

/**
 * Significant incidents (А17): accidents, emergencies and ecological harm are reported to the head at
 * once. A text with such words, or a burst of similar texts, suggests «Срочно — главе»; only the
 * administrator's press escalates (the case's «значимое происшествие» mark is his decision too).
 */

const INCIDENT_STEMS = [
  'авари', 'дтп', 'прорвал', 'прорыв', 'затопил', 'затоплен', 'подтопил', 'обруш', 'рухнул', 'взрыв', 'взорвал',
  'пожар', 'горит', 'загорел', 'сель', 'оползн', 'оползен', 'камнепад', 'паводок', 'паводк', 'наводнен', 'вышла из берег',
  'эвакуир', 'эвакуац', 'пострадавш', 'погиб', 'запах газа', 'утечк', 'отравлен', 'разлив', 'выброс', 'перевернул', 'отрезан', 'хлещет', 'бьет вода', 'заливает',
];
const CALM = /(не было аварии|чуть не было|в прошлом году|каждую весну|каждый год|если будет)/;

export interface IncidentHint {
  /** The words that suggest it. */
  words: string[];
}

export function incidentHint(text: string): IncidentHint | null {
  const lower = words(text).join(' ');
  if (CALM.test(lower)) return null;
  const found = INCIDENT_STEMS.filter((s) => (s.includes(' ') ? lower.includes(s) : lower.split(' ').some((w) => w.startsWith(s))));
  return found.length ? { words: found.slice(0, 3) } : null;
}

/** A burst: at least `min` texts (this one included) about the same within `windowMs`. */
export function isBurst(similarRecentCount: number, min = 3): boolean {
  return similarRecentCount + 1 >= min;
}
