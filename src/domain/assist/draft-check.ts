import { DateTime } from 'luxon';
import { words } from './stem.js';
import { findPromisedTerm } from '../text/promised-term.js';

/**
 * Checks of an answer draft before it reaches the approver (shown to the executor and the approver):
 * warnings, never blocks — the regulation's own requirements (a term in an intermediate answer, the
 * measures in a repeat answer) are enforced by the workflow, not here. The term of an intermediate
 * answer is read by the same parser as the executor's promised date (../text/promised-term.ts): the
 * warning fires exactly when that flow would not find a date, a period or a condition in the text.
 */

export type DraftWarning = 'stub' | 'intermediate_no_term' | 'repeat_no_measures' | 'bare_law' | 'personal_position' | 'no_greeting' | 'no_name' | 'too_long';

export interface DraftCheckInput {
  text: string;
  kind: 'final' | 'intermediate' | string;
  /** The case is a repeat (К17, А7.11): the answer reports the measures taken. */
  isRepeat: boolean;
  /** The author's first name (or full name) as the network shows it. */
  authorName: string | null;
  /** The network's practical limit for one comment. */
  maxLength?: number;
  /** Now, in the organization's zone (a date without a year is completed from it); detection does not depend on it. */
  now?: DateTime;
}

const EPOCH = DateTime.fromMillis(0, { zone: 'utc' });

const STUBS = [
  /ваше обращение рассмотрено\.?$/,
  /информация принята к сведению/,
  /ваше обращение (принято|зарегистрировано)\.?$/,
  /вопрос (находится )?на контроле\.?$/,
  /будут приняты меры\.?$/,
  /спасибо за обращение\.?$/,
];
const MEASURES =
  /(приняты меры|проведен|проведён|выполнен|отремонтир|устранен|устранён|заменен|заменён|установлен|направлен|выдано предписание|вывезен|очищен|восстановлен|включен|включён|запланирован|заключен контракт|подрядчик)/;
const LAW = /(федеральн[а-я]* закон|№\s*\d+-фз|\d+-фз|статьей|статьи|ст\.\s*\d|постановлени[а-я]* правительства|согласно закону|в соответствии с (закон|постановлени|приказ|пункт))/;
const POSITION = /(я лично|по моему мнению|мое мнение|моё мнение|я считаю|мы поддерживаем (партию|кандидата)|голосуйте|оппозици|власть в стране|президент прав|политик)/;
const GREETING = /^(здравствуйте|добрый (день|вечер|утро)|доброе утро|уважаем[а-я]+)/;

export function checkDraft(input: DraftCheckInput): DraftWarning[] {
  const text = input.text.trim();
  const lower = text.toLowerCase().replace(/ё/g, 'е');
  const plain = words(lower).join(' ');
  const out: DraftWarning[] = [];
  const substance = words(lower).filter((w) => w.length > 3).length;
  if (STUBS.some((re) => re.test(plain) || re.test(lower.replace(/[.!]+$/, ''))) && substance < 20) out.push('stub');
  if (input.kind === 'intermediate' && !findPromisedTerm(text, input.now ?? EPOCH)) out.push('intermediate_no_term');
  if (input.isRepeat && !MEASURES.test(lower)) out.push('repeat_no_measures');
  if (LAW.test(lower) && substance < 30) out.push('bare_law');
  if (POSITION.test(lower)) out.push('personal_position');
  if (!GREETING.test(lower)) out.push('no_greeting');
  const name = input.authorName?.trim().split(/\s+/)[0]?.toLowerCase().replace(/ё/g, 'е');
  if (name && name.length >= 2 && !lower.includes(name.slice(0, Math.max(2, name.length - 2)))) out.push('no_name');
  if (text.length > (input.maxLength ?? 4000)) out.push('too_long');
  return out;
}
