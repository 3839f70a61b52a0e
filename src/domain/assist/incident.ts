import { words } from './stem.js';

/**
 * Significant incidents (А17): accidents, emergencies and ecological harm are reported to the head at
 * once. A text with such words, or a burst of similar texts, suggests «Срочно — главе»; only the
 * administrator's press escalates (the case's «значимое происшествие» mark is his decision too).
 */

const INCIDENT = new RegExp(
  '(?<![а-я])(авари(я|и|ю|ей)|дтп|прорвал[а-я]*|прорыв|затоплен[а-я]*|затопил[а-я]*|подтопил[а-я]*|обрушил[а-я]*|обрушени[а-я]*|рухнул[а-я]*|взрыв[а-я]*|взорвал[а-я]*|пожар(?!н)[а-я]*|загорел[а-я]*|(?<!не )горит|сел(ь|я|ем)|оползень|оползн[а-я]*|камнепад[а-я]*|паводок|паводк[а-я]*|наводнени[а-я]*|вышла из берегов|эвакуир[а-я]*|эвакуаци[а-я]*|пострадавшие|погиб[а-я]*|запах газа|утечк[а-я]*|отравлени[а-я]*|разлив[а-я]*|выброс[а-я]*|перевернул[а-я]*|отрезаны|хлещет|бьет вода|заливает|камни на (трассе|дороге))(?![а-я])',
  'g',
);
const CALM = /(не было аварии|чуть не было|в прошлом году|каждую весну|каждый год|если будет|во время паводка)/;

export interface IncidentHint {
  /** The words that suggest it. */
  words: string[];
  /** Similar texts within the burst window, this one included, when they make a burst. */
  burst?: number;
}

/** How recent similar texts must be to count towards a burst, and how many make one. */
export const BURST_WINDOW_MS = 3 * 3600_000;
export const BURST_MIN = 3;

export function incidentHint(text: string): IncidentHint | null {
  const lower = words(text).join(' ');
  if (CALM.test(lower)) return null;
  const found = [...new Set([...lower.matchAll(INCIDENT)].map((m) => m[0]))];
  return found.length ? { words: found.slice(0, 3) } : null;
}

/** A burst: at least `min` texts (this one included) about the same within the window. */
export function isBurst(similarRecentCount: number, min = BURST_MIN): boolean {
  return similarRecentCount + 1 >= min;
}
