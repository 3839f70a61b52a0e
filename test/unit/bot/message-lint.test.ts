import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluentBundle, FluentResource } from '@fluent/bundle';

/**
 * Every message of locales/ru and locales/en rendered with realistic values — names with initials
 * («Петров П.П.»), dates as staff see them («10:00, пт 25 дек.»), the regulation's role titles with
 * their brackets, numbers that take each plural form — must read as text: no doubled punctuation
 * («П.П..», «, ,»), no nested brackets, no unresolved placeholder, no raw identifier
 * (`telegram:sendMessage`, `VK_USER_TOKEN`, `outsideBodies`, `vk_comment`).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function bundleOf(lang: 'ru' | 'en'): { bundle: FluentBundle; ids: string[] } {
  const bundle = new FluentBundle(lang, { useIsolating: false });
  const ids: string[] = [];
  const dir = path.join(root, 'locales', lang);
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.ftl'))
    .sort()) {
    const res = new FluentResource(readFileSync(path.join(dir, f), 'utf8'));
    for (const m of res.body) if (!m.id.startsWith('-')) ids.push(m.id);
    const errors = bundle.addResource(res);
    expect(errors, `${lang}/${f}`).toEqual([]);
  }
  return { bundle, ids };
}

/** Values as the code passes them, the awkward ones on purpose (trailing full stops, brackets). */
function values(lang: 'ru' | 'en', n: number): Record<string, string | number> {
  const ru = lang === 'ru';
  const name = ru ? 'Петров П.П.' : 'Petrov P.P.';
  const moment = ru ? '10:00, пт 25 дек.' : '10:00, Fri 25 Dec';
  const s = (r: string, e: string) => (ru ? r : e);
  return {
    // numbers: every plural form (1, 3, 5) and zero
    count: n,
    n,
    number: 5,
    case: 5,
    days: n,
    media: n,
    parts: n,
    missing: n,
    violations: n,
    total: 7,
    part: 1,
    of: 3,
    order: 1,
    open: 12,
    urgent: 1,
    received: 40,
    answered: 38,
    onTime: 35,
    overdue: 3,
    dueToday: 2,
    posts: 20,
    found: n,
    pct: 75,
    page: 2,
    pages: 5,
    h: 2,
    m: 15,
    id: 100001,
    baseline: 2,
    // people
    name,
    by: name,
    person: name,
    who: name,
    head: name,
    author: s('Ольга Смирнова', 'Olga Smirnova'),
    substitute: name,
    role: s('куратор (начальник отдела информатизации)', 'curator (head of the IT department)'),
    roles: s('куратор (начальник отдела информатизации)', 'curator (head of the IT department)'),
    title: s('куратор (начальник отдела информатизации)', 'curator (head of the IT department)'),
    // moments and terms
    due: moment,
    until: moment,
    at: moment,
    date: s('25.12.2026', '25.12.2026'),
    from: moment,
    to: moment,
    limit: s('07.03.2025', '07.03.2025'),
    promised: s('07.03.2025', '07.03.2025'),
    left: s('1 ч 30 мин', '1 h 30 min'),
    month: s('ноябрь 2026', 'November 2026'),
    example: '07.03.2025',
    // the regulation
    clause: 'К10',
    step: s('подготовка и публикация ответа', 'preparing and publishing the answer'),
    kind: s('окончательный ответ', 'final answer'),
    status: s('в работе', 'in work'),
    reason: s('сообщение содержит угрозы', 'the message contains threats'),
    importance: s('обычная', 'ordinary'),
    topic: s('ЖКХ', 'Housing'),
    location: s('ул. Ленина', 'Lenina St.'),
    department: s('Отдел ЖКХ', 'Housing department'),
    departments: s('Отдел ЖКХ, Отдел дорожного хозяйства', 'Housing, Roads'),
    body: s('Государственная жилищная инспекция', 'State housing inspection'),
    contacts: s('тел. 00-00-00', 'tel. 00-00-00'),
    // texts and links
    text: s('Когда отремонтируют дорогу у дома 5?', 'When will the road at house 5 be repaired?'),
    original: s('Яма у дома 5', 'A pothole at house 5'),
    question: s('Когда отремонтируют дорогу?', 'When will the road be repaired?'),
    query: s('яма', 'pothole'),
    link: 'https://vk.com/wall-1_2?reply=3',
    earlier: '№ 3',
    list: '№ 3, № 4',
    cases: '№ 3, № 4',
    value: s('Дороги', 'Roads'),
    greeting: s('Здравствуйте, Ольга!', 'Hello, Olga!'),
    network: s('ВКонтакте', 'VK'),
    source: s('комментарий', 'comment'),
    type: s('фото', 'photo'),
    action: s('отправка сообщения в Telegram', 'sending a Telegram message'),
    why: s('сервис не работал', 'the service was down'),
    // terms, conditions and declared days
    conditions: s('после схода снега', 'after the snow melts'),
    condition: s('после схода снега', 'after the snow melts'),
    phrase: s('до 25 декабря', 'by 25 December'),
    changed: n,
    region: 'RU-DA',
    year: 2026,
    word: s('авария', 'accident'),
    // the sandbox page
    url: 'http://127.0.0.1:8080',
    reminders: n,
    escalations: n,
    // the assistance on the card and the draft check
    confidence: 82,
    hours: 3,
    length: 4500,
    matched: s('ленина', 'lenina'),
    evidence: s('убью', 'kill'),
    words: s('яма, дорога, асфальт', 'pothole, road, asphalt'),
    because: s(', по словам: яма, дорога', ', by the words: pothole, road'),
    note: s(' — решите сами', ' — your decision'),
    same: s(' (тот же автор)', ' (same author)'),
    dimension: s('по теме', 'by topic'),
    spikes: s('нет', 'none'),
    org: s('Администрация города Канаш', 'Kanash city administration'),
    firstResponse: s('2 ч 15 мин', '2 h 15 min'),
    finalAnswer: s('6 ч', '6 h'),
    receivedDelta: '+5',
    onTimeDelta: '+2 п. п.',
    publisher: '',
    command: '/foo',
    // the storm summary
    minutes: n,
    groups: s('ЖКХ, ул. Ленина — 188; Дороги, мкр. Восточный — 12', 'Housing, Lenina St. — 188; Roads, Vostochny — 12'),
    // the messenger a person moves his workspace to
    other: 'MAX',
  };
}

/** Where a variable means something else in one message, the value the code passes there. */
function overrides(id: string, lang: 'ru' | 'en'): Record<string, string> {
  const ru = lang === 'ru';
  // The assignment's role on the card line, not the person's title.
  if (id === 'card-holder') return { role: ru ? 'ответственный' : 'responsible' };
  // Texts for authors carry dates as 25.12.2026 (src/sources/effects.ts).
  if (id.startsWith('author-')) return { until: '25.12.2026' };
  return {};
}

/** What must not appear in a rendered message, with why. */
const RULES: Array<[RegExp, string]> = [
  [/(?<![.…])\.\.(?!\.)/, 'a doubled full stop'],
  [/[,;:]\s*[,;:.]/, 'doubled punctuation'],
  [/\.\s*\./, 'a full stop after a full stop'],
  [/\([^()]*\(/, 'nested brackets'],
  [/\{\s*\$?[a-zA-Z-]+\s*\}|\{\$|\$[a-zA-Z]/, 'an unresolved placeholder'],
  [/\b[a-z]+_[a-z][a-z_]*\b/, 'a raw snake_case identifier'],
  [/\b[A-Z]{2,}_[A-Z_]+\b/, 'an environment variable name'],
  [/(?<![\w/.-])[a-z]+[A-Z][a-zA-Z]+\b/, 'a raw camelCase identifier'],
  [/\b(?:telegram|vk|tg):[a-z][A-Za-z.]+/, 'a raw channel:action identifier'],
];

/** Problems of one rendered text (URLs and /commands are not prose). */
export function lint(text: string): string[] {
  const prose = text.replace(/https?:\/\/\S+/g, 'URL').replace(/\/[a-z_]+(?:_\d+)?\b/g, '/cmd');
  return RULES.filter(([re]) => re.test(prose)).map(([, why]) => why);
}

describe('message lint: every key, both languages, realistic values', () => {
  it('the rules catch what they are for', () => {
    expect(lint('Поручил: Петров П.П..')).toContain('a doubled full stop');
    expect(lint('до 25 дек..')).toContain('a doubled full stop');
    expect(lint('Иванова А.П. (куратор (начальник отдела информатизации))')).toContain('nested brackets');
    expect(lint('Не удалось выполнить действие telegram:sendMessage')).toContain('a raw channel:action identifier');
    expect(lint('нужен токен VK_USER_TOKEN')).toContain('an environment variable name');
    expect(lint('раздел outsideBodies')).toContain('a raw camelCase identifier');
    expect(lint('источник vk_comment')).toContain('a raw snake_case identifier');
    expect(lint('Здравствуйте, {$name}')).toContain('an unresolved placeholder');
    expect(lint('Что ждёт вас — /queue, карточка — /case_5. Ссылка: https://vk.com/wall-1_2?reply=3')).toEqual([]);
    expect(lint('Срок — 10:00, пт 25 дек.')).toEqual([]);
  });

  for (const lang of ['ru', 'en'] as const) {
    it(`${lang}: no message renders with doubled punctuation, nested brackets, placeholders or raw ids`, () => {
      const { bundle, ids } = bundleOf(lang);
      expect(ids.length).toBeGreaterThan(300);
      const problems: string[] = [];
      for (const id of ids) {
        const msg = bundle.getMessage(id)!;
        if (!msg.value) continue;
        for (const n of [0, 1, 3, 5]) {
          const errors: Error[] = [];
          const text = bundle.formatPattern(msg.value, { ...values(lang, n), ...overrides(id, lang) }, errors);
          for (const e of errors) problems.push(`${id}: ${e.message}`);
          for (const why of lint(text)) problems.push(`${id} (${why}): ${text.replace(/\n/g, ' ⏎ ').slice(0, 160)}`);
        }
      }
      expect([...new Set(problems)]).toEqual([]);
    });
  }
});
