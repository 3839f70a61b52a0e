import { stem, words } from './stem.js';

/**
 * Grounds for rejection (К19, А9) and blocking (А10) found in a text, each with the words that raised
 * it. Only a suggestion: the administrator presses the button. Obscene words are matched through the
 * usual disguises — Latin look-alikes («xyйня»), digits («пи3дец», «е6»), masks («х**ня», «бл@ть»),
 * inserted symbols («п.и.з.д.е.ц») and spaced letters («х у й»).
 */

export type FlagReason = 'obscene' | 'insult' | 'threat' | 'illegal_call' | 'advertising' | 'off_topic';
export const FLAG_REASONS: readonly FlagReason[] = ['obscene', 'insult', 'threat', 'illegal_call', 'advertising', 'off_topic'];

export interface Flag {
  reason: FlagReason;
  /** What was found, as written (for the administrator to see why). */
  evidence: string;
}

const LOOKALIKE: Record<string, string> = { a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у', u: 'и', '3': 'з', '0': 'о', '6': 'б', '4': 'ч' };
const MASK = '*';
const MASK_CHARS = /[*#@%$!&?_]/;

/** Root patterns: each letter may be masked; `^` roots must start the word (after an allowed prefix). */
interface Root {
  re: RegExp;
  reasons: ('obscene' | 'insult')[];
  /**
   * A word that is not obscene and may mean something else (an animal, a thing, an idiom: «козел
   * соседа», «уродливый забор», «дураков нет»): an insult only when the text speaks of or to people,
   * or the word itself is an address («Идиоты, …», «…, дебилы»).
   */
  mild?: boolean;
}
/** In the pattern a Cyrillic letter L becomes [L*] and a class [..] gains *, so a masked letter still matches. */
function root(pattern: string, ...reasons: Root['reasons']): Root {
  let src = '';
  let inClass = false;
  for (const c of pattern) {
    if (c === '[') inClass = true;
    if (c === ']' && inClass) {
      inClass = false;
      src += '*';
    }
    src += !inClass && /[а-я]/.test(c) ? `[${c}*]` : c;
  }
  return { re: new RegExp(src), reasons };
}
const ROOTS: Root[] = [
  root('^(на|по|ни|от|за|о|с)?ху[йяеюи]', 'obscene'),
  root('^(на|по)?хер(н|о|а|$)', 'obscene'),
  root('пиздабол', 'obscene', 'insult'),
  root('пизд', 'obscene'),
  root('^бл(яд|ят|ед|я(?!х))', 'obscene'),
  root('^(за|на|вы|до|от|при|про|у|съ|объ|разъ|под|по|долбо)?еб(а|у|л|н|ы|и|е|т|ош)', 'obscene'),
  root('^муд(ак|ил|оз|ач)', 'obscene', 'insult'),
  root('^пид(о|а)?р', 'obscene', 'insult'),
  root('^сук(а|и|у|ой|е)$', 'obscene', 'insult'),
  root('^суч(ар|ий|ье|ка)', 'obscene', 'insult'),
  {
    ...root(
      '^(дурак|дураки|дебил|идиот|кретин|придур|урод(ы|а|ов|ам|ами|ина|ины)?$|сволоч|мраз|чмо|чмы|бездар|ворюг|ворье|дармоед|быдл|жулик|лентя|бездельник|тупиц|тупой|тупые|продажн|холуи)',
      'insult',
    ),
    mild: true,
  },
  { ...root('^(козел|козла|козлы|козлов|козлин|скотин|тварь|твари|шакал|клоун)', 'insult'), mild: true },
];
/** Whom a text speaks to or of: a mild word above insults only when one of these is there (or it is an address). */
const PEOPLE =
  /(?<![а-я])(ты|вы|тебя|вас|вам|тебе|вами|ваш[а-я]*|тво[йяеи][а-я]*|они|их|эти|все\s+там|чиновни[а-я]*|власт[а-я]*|глав(а|е|у|ы|ой)|мэр[а-я]*|депутат[а-я]*|начальни[а-я]*|руковод[а-я]*|сотрудни[а-я]*|работни[а-я]*|администрац[а-я]*|управляющ[а-я]*|директор[а-я]*|люд[иейям]+|народ[а-я]*)(?![а-я])/;
/** Transliterated obscenities written wholly in Latin letters. */
const LATIN_OBSCENE = /\b(bl[yi]a(d|t)?[а-яa-z0-9]*|hu[iy][а-яa-z0-9]*|xu[iy][а-яa-z0-9]*|pizd[а-яa-z0-9]*|eba[nlt][а-яa-z0-9]*|pidor[а-яa-z0-9]*)\b/i;

/** Candidate spellings of one written word: look-alikes mapped, symbols either masks or dropped. */
function spellings(raw: string): string[] {
  const lower = raw.toLowerCase().replace(/ё/g, 'е');
  const hasCyr = /[а-я]/.test(lower);
  const mapped = hasCyr || /[*#@%$!]/.test(lower) ? [...lower].map((c) => LOOKALIKE[c] ?? c).join('') : lower;
  const masked = mapped.replace(new RegExp(MASK_CHARS.source, 'g'), MASK).replace(/[^а-я*]/g, '');
  const dropped = mapped.replace(/[^а-я]/g, '');
  return [...new Set([masked, dropped])].filter((s) => s.length >= 2);
}

function matchesRoot(spelling: string, r: Root): boolean {
  const m = r.re.exec(spelling);
  if (!m) return false;
  const masks = [...m[0]].filter((c) => c === MASK).length;
  return masks <= 2 && m[0].length - masks >= 2;
}

/** Written words, with runs of three or more single letters («х у й н я», «п.и.з.д.е.ц») joined. */
function writtenWords(text: string): string[] {
  const joined = text.replace(/(?:^|(?<=\s))(?:[^\s.,]\s*[.\s-]\s*){2,}[^\s.,](?=[\s,.!?]|$)/g, (run) => {
    const letters = run.split(/[\s.-]+/).filter(Boolean);
    return letters.every((l) => [...l].length === 1) ? letters.join('') : run;
  });
  return joined
    .split(/[\s,;:!?()«»"—]+/)
    .map((w) => w.replace(/^[.-]+|[.-]+$/g, ''))
    .filter(Boolean);
}

/** `\b` in JavaScript knows ASCII letters only; these patterns use a boundary that knows Cyrillic. */
const B = '(?:(?<![а-яa-z0-9])(?=[а-яa-z0-9])|(?<=[а-яa-z0-9])(?![а-яa-z0-9]))';
function ru(re: RegExp): RegExp {
  return new RegExp(re.source.replace(/\\b/g, B), re.flags);
}

const THREATS = [
  /\b(убью|убьем|прибью|пришибу|зарежу|застрелю|пристрелю|закопаю|задушу|урою|грохну|порешу|прикончу)\b/,
  /\b(сожгу|спалю|подожгу|взорву|сожжем|подожжем|спалим)\b/,
  /\b(голову|башку|ноги|руки|шею)\s+(\S+\s+)?(оторву|переломаю|сверну|проломлю|поотрываю)\b/,
  /\b(пусть|пускай)\s+(ходит|ходят|оглядывается)\s+осторожн/,
  /\bкровью\s+умо/,
  /\bкрасного\s+петуха\b/,
  /\bнайду\s+(тебя|его|вас|их|где)\b/,
].map(ru);
const ILLEGAL_CALLS = [
  /\b(давайте|айда|пора|предлагаю|пойдем|пошли|призываю|все\s+на)\b.{0,50}\b(перекр[а-яa-z0-9]*|громи[а-яa-z0-9]*|разгром[а-яa-z0-9]*|разнес[а-яa-z0-9]*|снес(ти|ем)|подж(ечь|жем)|захват[а-яa-z0-9]*|бить|бей[а-яa-z0-9]*|жечь|сожжем|штурм[а-яa-z0-9]*)/,
  /\bперекро(ем|йте)\s+(трассу|дорогу|улицу|мост)/,
  /\bне\s+плати(те|м)\b/,
].map(ru);
const CONTACT = ru(
  /((\+7|\b8)[\s\-(]*\d{3}[\s\-)]*\d{3}[\s-]*\d{2}[\s-]*\d{2}|\b\d{10,11}\b|https?:\/\/|www\.|\b[a-z0-9-]+\.(ru|com|net|рф|org|info)\b|bit\.ly|@[a-z_0-9]{3,}|whatsapp|viber|ватсап|вайбер|директ|в\s+лс|в\s+личку|ссылк)/i,
);
const SELLING =
  /(продам|продаю|продажа|куплю|скупка|недорого|дешево|скидк|акци[яи]|доставка|заработ|доход|кредит|займ|ставки|бонус|казино|под\s+ключ|рассрочк|гаранти|консультаци|похуд|грузчик|переезд|натяжн|пластиковые\s+окна|строим|ремонт\s+квартир|заказ)/;
/** Words of chat, not of the administration's business; the strong ones need no other sign. */
const OFF_TOPIC_STRONG = ru(/(сериал|гороскоп|маникюр|попутчик|рецепт[а-я]*\s+(пирог|торт|салат)|с\s+дн[её]м\s+рождения|ищу\s+друзей|выбор[а-я]*\s+в\s+америке)/);
const OFF_TOPIC = ru(/(футбол|матч|фильм|пирог|поздравля|кто\s+смотрел|котят|щенк|по\s+грибы|\bбой\b)/);
/** Stems that show a text is about the administration's business after all. */
const MUNICIPAL = new Set(
  'администрац город район сел улиц дом двор школ сад садик ребенк дет учител дорог автобус остановк больниц поликлиник врач вод свет газ мусор ремонт площадк стадион секц поле спортзал молодеж форм команд'.split(
    ' ',
  ),
);

/** The word is said to someone: followed by a comma, «!», «?» or the end of the text («Идиоты, …», «…, дебилы»). */
function isAddress(lowered: string, word: string): boolean {
  const w = word.toLowerCase().replace(/ё/g, 'е');
  let at = lowered.indexOf(w);
  while (at >= 0) {
    if (/^\s*([,!?]|$)/.test(lowered.slice(at + w.length))) return true;
    at = lowered.indexOf(w, at + 1);
  }
  return false;
}

export interface FlagContext {
  /** True when a location of the organization was recognised in the text. */
  located?: boolean;
}

export function riskFlags(text: string, ctx: FlagContext = {}): Flag[] {
  const out: Flag[] = [];
  const seen = new Set<FlagReason>();
  const add = (reason: FlagReason, evidence: string) => {
    if (seen.has(reason)) return;
    seen.add(reason);
    out.push({ reason, evidence: evidence.slice(0, 40) });
  };
  const lowered = text.toLowerCase().replace(/ё/g, 'е');
  const ofPeople = PEOPLE.test(lowered);
  for (const w of writtenWords(text)) {
    const address = ofPeople || isAddress(lowered, w);
    for (const s of spellings(w)) {
      const hits = ROOTS.filter((r) => (address || !r.mild) && matchesRoot(s, r));
      for (const h of hits) for (const reason of h.reasons) add(reason, w);
      if (hits.length) break;
    }
  }
  const latin = LATIN_OBSCENE.exec(text);
  if (latin) add('obscene', latin[0]);

  const plain = text.toLowerCase().replace(/ё/g, 'е');
  const unmasked = plain.replace(new RegExp(MASK_CHARS.source, 'g'), '');
  for (const re of THREATS) {
    const m = re.exec(unmasked);
    if (m) add('threat', m[0]);
  }
  if (ru(/\bканцелярск[а-яa-z0-9]*\s+крыс|\bкрыс[а-яa-z0-9]*\s+канцелярск/).test(plain)) add('insult', 'крысы канцелярские');
  for (const re of ILLEGAL_CALLS) {
    const m = re.exec(plain);
    if (m) add('illegal_call', m[0]);
  }
  const contact = CONTACT.exec(text);
  const selling = SELLING.exec(plain);
  if (contact && selling) add('advertising', `${selling[0]} · ${contact[0]}`);
  const strong = OFF_TOPIC_STRONG.exec(plain);
  const off = OFF_TOPIC.exec(plain);
  const municipal = () => words(plain).some((w) => MUNICIPAL.has(stem(w)) || [...MUNICIPAL].some((m) => m.length >= 5 && w.startsWith(m)));
  if (!seen.has('advertising') && (strong || (off && !ctx.located && !municipal()))) add('off_topic', (strong ?? off)![0]);
  return out;
}
