/**
 * А17: «социально значимые события (аварии, экологические катастрофы, чрезвычайные ситуации)». A hint
 * that a citizen's text may describe one — the watch suggests, the administrator decides. Pure.
 * Returns the matched word as written, or null.
 */
const PATTERNS: RegExp[] = [
  /(?<![\p{L}])авари\p{L}*/iu,
  /(?<![\p{L}])пожар\p{L}*/iu,
  /(?<![\p{L}])возгоран\p{L}*/iu,
  /(?<![\p{L}])прорыв\p{L}*/iu,
  /(?<![\p{L}])прорвал\p{L}*/iu,
  /(?<![\p{L}])затоп\p{L}*/iu,
  /(?<![\p{L}])подтоп\p{L}*/iu,
  /(?<![\p{L}])наводнен\p{L}*/iu,
  /(?<![\p{L}])паводк?\p{L}*/iu,
  /(?<![\p{L}])обруш\p{L}*/iu,
  /(?<![\p{L}])оползн\p{L}*/iu,
  /(?<![\p{L}])сел(?:ь|евой|я)(?![\p{L}])/iu,
  /(?<![\p{L}])взрыв\p{L}*/iu,
  /(?<![\p{L}])утечк\p{L}*\s+газа/iu,
  /(?<![\p{L}])запах\p{L}*\s+газа/iu,
  /(?<![\p{L}])отравлен\p{L}*/iu,
  /(?<![\p{L}])выброс\p{L}*/iu,
  /(?<![\p{L}])разлив\p{L}*/iu,
  /(?<![\p{L}])погиб\p{L}*/iu,
  /(?<![\p{L}])пострадавш\p{L}*/iu,
  /(?<![\p{L}])(?:ДТП|ЧС)(?![\p{L}])/u,
  /(?<![\p{L}])чрезвычайн\p{L}*/iu,
  /без\s+(?:света|электричества|воды|тепла|отопления)\s+(?:весь|всю|целый|уже|второй|третий|\d)/iu,
];

export function significantIncidentHint(text: string): string | null {
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (m) return m[0];
  }
  return null;
}
