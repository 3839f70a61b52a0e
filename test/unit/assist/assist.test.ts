import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { findPromisedTerm } from '../../../src/domain/text/promised-term.js';
import { stem, stems } from '../../../src/domain/assist/stem.js';
import { DepartmentClassifier } from '../../../src/domain/assist/classifier.js';
import { riskFlags } from '../../../src/domain/assist/flags.js';
import { LocationFinder } from '../../../src/domain/assist/location.js';
import { findRepeats } from '../../../src/domain/assist/similar.js';
import { incidentHint } from '../../../src/domain/assist/incident.js';
import { checkDraft } from '../../../src/domain/assist/draft-check.js';
import { Assistant, flagActions } from '../../../src/domain/assist/index.js';
import { PRESETS } from '../../../src/domain/regulation/presets/index.js';
import { ftsQuery, indexStems } from '../../../src/db/search-index.js';

describe('Russian stemmer (Snowball)', () => {
  it('brings the forms of a word to one stem', () => {
    expect(new Set(['яма', 'ямы', 'ямой', 'ямами', 'яму'].map(stem))).toEqual(new Set(['ям']));
    expect(new Set(['дорога', 'дороги', 'дорогу', 'дорогой'].map(stem))).toEqual(new Set(['дорог']));
    expect(stem('Черемушках')).toBe(stem('Черемушки'));
    expect(stem('отопления')).toBe(stem('отопление'));
    // ё folds to е; Latin words pass unchanged.
    expect(stem('ёлки')).toBe(stem('елки'));
    expect(stem('wifi')).toBe('wifi');
  });
  it('drops function words', () => {
    expect(stems('Когда же починят эту дорогу?')).toEqual(['почин', 'дорог']);
  });
});

describe('department classifier', () => {
  const seeds = [
    { id: 'zhkh', name: 'Отдел ЖКХ', topics: ['ЖКХ'] },
    { id: 'roads', name: 'Отдел дорожного хозяйства', topics: ['Дороги'] },
  ];
  it('starts cold from topics and keywords and explains by the words of the text', () => {
    const c = new DepartmentClassifier(seeds);
    const [top] = c.rank('На улице ямы, асфальт разбит');
    expect(top!.departmentId).toBe('roads');
    expect(top!.because).toEqual(expect.arrayContaining(['ямы']));
    expect(c.rank('Батареи холодные, отопления нет')[0]!.departmentId).toBe('zhkh');
    expect(c.rank('абракадабра')).toEqual([]);
  });
  it('learns from decisions and takes a corrected one back', () => {
    const c = new DepartmentClassifier(seeds);
    expect(c.rank('шлагбаум не поднимается')).toEqual([]);
    c.learn('Шлагбаум не поднимается', 'zhkh');
    expect(c.rank('шлагбаум сломан')[0]!.departmentId).toBe('zhkh');
    c.unlearn('Шлагбаум не поднимается', 'zhkh');
    c.learn('Шлагбаум не поднимается', 'roads');
    expect(c.rank('шлагбаум сломан')[0]!.departmentId).toBe('roads');
    expect(c.learned).toBe(1);
  });
});

describe('risk flags', () => {
  const reasons = (t: string) =>
    riskFlags(t)
      .map((f) => f.reason)
      .sort();
  it('sees obscenities through masks, look-alikes, digits, inserted symbols and spaced letters', () => {
    for (const t of ['это х**ня', 'xyйня какая-то', 'пи3дец', 'бл@ть', 'п.и.з.д.е.ц полный', 'х у й н я', 'е6аные ямы', 'blyad']) expect(reasons(t), t).toContain('obscene');
  });
  it('does not flag ordinary words that look alike', () => {
    for (const t of ['Хлеб черствый', 'купили себе дом', 'сгорел сарай', 'сук упал на машину', 'бляха на двери', 'мудрое решение', 'небо в дыму', 'Херсонская улица'])
      expect(reasons(t), t).toEqual([]);
  });
  it('a mild word with another sense insults only when said of or to people', () => {
    for (const t of ['Козел соседа ходит по нашему огороду', 'Уродливый забор у стройки', 'Дураков нет стоять два часа на остановке', 'Строительные козлы на тротуаре'])
      expect(reasons(t), t).toEqual([]);
    for (const t of ['Вы там козлы все', 'Чиновники — шакалы', 'Идиоты, сколько можно', 'Опять отписка, уроды!', 'ну и к*злы вы']) expect(reasons(t), t).toEqual(['insult']);
  });
  it('threats, insults, calls to unlawful actions, advertising, off-topic', () => {
    expect(reasons('Найду и ноги ему переломаю')).toContain('threat');
    expect(reasons('сожгу вашу машину')).toEqual(['threat']);
    expect(reasons('дебилы и бездари')).toEqual(['insult']);
    expect(reasons('Давайте перекроем трассу всем селом')).toEqual(['illegal_call']);
    expect(reasons('Продам дрова недорого, тел 8-927-000-11-22')).toEqual(['advertising']);
    expect(reasons('мой телефон 8-927-000-11-22, перезвоните по заявке')).toEqual([]);
    expect(reasons('Смотрели вчера сериал?')).toEqual(['off_topic']);
    expect(reasons('Секция футбола для детей в школе есть?')).toEqual([]);
  });
  it('maps a flag to the buttons the regulation has', () => {
    const kanash = PRESETS['kanash-2020']!;
    const akhty = PRESETS['akhty-2021']!;
    const of = (r: typeof kanash) => ({ rejectionReasons: r.rejectionReasons, banReasons: r.banReasons, bansAllowed: r.rules.bansAllowed });
    expect(flagActions('insult', of(kanash))).toEqual([{ kind: 'reject', reasonId: 'obscene_or_offensive' }]);
    expect(flagActions('insult', of(akhty))).toEqual([
      { kind: 'reject', reasonId: 'obscene_or_offensive' },
      { kind: 'ban', reasonId: 'insults' },
    ]);
    expect(flagActions('advertising', of(kanash))).toEqual([]); // К19 has no such ground
    expect(flagActions('threat', of(akhty))).toEqual([{ kind: 'reject', reasonId: 'threats' }]);
  });
});

describe('locations', () => {
  const f = new LocationFinder(['ул. Ленина', 'мкр. Новые Черемушки', 'пр. Ленина', 'с. Ахты', 'с. Ахтыпара', 'ул. 30 лет Победы']);
  it('finds the organization’s location in its Russian forms', () => {
    expect(f.find('яма на Ленина')?.location).toBe('ул. Ленина');
    expect(f.find('по ул. Ленина, 5 не убрано')?.location).toBe('ул. Ленина');
    expect(f.find('на проспекте Ленина светофор')?.location).toBe('пр. Ленина');
    expect(f.find('в Новых Черемушках нет света')?.location).toBe('мкр. Новые Черемушки');
    expect(f.find('в Ахтах нет воды')?.location).toBe('с. Ахты');
    expect(f.find('в Ахтыпаре нет воды')?.location).toBe('с. Ахтыпара');
    expect(f.find('на 30 лет Победы 14')?.location).toBe('ул. 30 лет Победы');
    expect(f.find('просто текст без места')).toBeNull();
  });
});

describe('repeats and incidents', () => {
  const earlier = [
    { caseId: 1, number: 12, text: 'Яма у магазина на Ленина, пробил колесо', authorId: 'a', location: 'ул. Ленина', departmentId: 'roads', at: 1 },
    { caseId: 2, number: 13, text: 'Не горит фонарь во дворе на Ленина', authorId: 'b', location: 'ул. Ленина', departmentId: 'zhkh', at: 2 },
  ];
  it('same author on the same question, or the same subject at the same place', () => {
    expect(findRepeats({ text: 'Я уже писал про яму у магазина, колесо снова пробил', authorId: 'a', location: null, departmentId: 'roads', at: 3 }, earlier)[0]).toMatchObject({
      number: 12,
      sameAuthor: true,
    });
    expect(findRepeats({ text: 'На Ленина опять яма у магазина', authorId: 'c', location: 'ул. Ленина', departmentId: 'roads', at: 3 }, earlier)[0]?.number).toBe(12);
    // Same place, other subject: no repeat.
    expect(findRepeats({ text: 'На Ленина автобус не ходит', authorId: 'c', location: 'ул. Ленина', departmentId: 'roads', at: 3 }, earlier)).toEqual([]);
  });
  it('hints at a significant incident, not at calm mentions', () => {
    expect(incidentHint('Прорвало трубу, вода хлещет')?.words).toEqual(['прорвало', 'хлещет']);
    expect(incidentHint('В сельсовете не принимают')).toBeNull();
    expect(incidentHint('Фонарь не горит')).toBeNull();
    expect(incidentHint('Сель сошел на дорогу')).not.toBeNull();
  });
  it('a burst of similar comments within three hours is an incident hint even without incident words', () => {
    const a = new Assistant({ departments: [{ id: 'zhkh', name: 'ЖКХ', topics: ['ЖКХ'] }], topics: ['ЖКХ'], locations: ['ул. Ленина'] });
    const h = 3600_000;
    const e = (caseId: number, text: string, at: number) => ({ caseId, number: caseId, text, authorId: `u${caseId}`, location: 'ул. Ленина', departmentId: 'zhkh', at });
    const text = 'На Ленина нет воды в домах с утра';
    const two = [e(1, 'На Ленина нет воды с утра во всех домах', 10 * h), e(2, 'Ленина, нет воды в домах, что случилось?', 11 * h)];
    expect(a.suggest({ text, authorId: 'u9', at: 12 * h, earlier: two }).incident).toEqual({ words: [], burst: 3 });
    // The same two comments a day earlier are no burst.
    const old = two.map((x) => ({ ...x, at: x.at - 24 * h }));
    expect(a.suggest({ text, authorId: 'u9', at: 12 * h, earlier: old }).incident).toBeNull();
  });

  it('the assistant suggests nothing to route for a flagged text', () => {
    const a = new Assistant({ departments: [{ id: 'roads', name: 'Дороги', topics: ['Дороги'] }], topics: ['Дороги'], locations: ['ул. Ленина'] });
    const r = a.suggest({ text: 'х*ёвые дороги на Ленина', authorId: null, at: 0, earlier: [] });
    expect(r.flags.map((f) => f.reason)).toEqual(['obscene']);
    expect(r.departments).toEqual([]);
    const ok = a.suggest({ text: 'ямы на дороге на Ленина', authorId: null, at: 0, earlier: [] });
    expect(ok).toMatchObject({ topic: 'Дороги', location: { location: 'ул. Ленина' } });
    expect(ok.departments[0]!.departmentId).toBe('roads');
  });
});

describe('draft check', () => {
  const base = { kind: 'final', isRepeat: false, authorName: 'Ольга Смирнова' };
  it('warns about a stub, a missing greeting and name', () => {
    expect(checkDraft({ ...base, text: 'Ваше обращение рассмотрено.' })).toEqual(['stub', 'no_greeting', 'no_name']);
    expect(checkDraft({ ...base, text: 'Здравствуйте, Ольга! Яму заделают до 10 июня, подрядчик уже назначен.' })).toEqual([]);
  });
  it('intermediate without a term, repeat without measures, a bare law, a personal position, too long', () => {
    const hi = 'Здравствуйте, Ольга! ';
    expect(checkDraft({ ...base, kind: 'intermediate', text: `${hi}Вопрос изучается.` })).toContain('intermediate_no_term');
    expect(checkDraft({ ...base, kind: 'intermediate', text: `${hi}Ответ дадим в течение 10 дней.` })).not.toContain('intermediate_no_term');
    expect(checkDraft({ ...base, kind: 'intermediate', text: `${hi}Ответим после получения заключения экспертизы.` })).not.toContain('intermediate_no_term');
    // The same reading as the executor's promised date: what that parser cannot take as a term is warned about.
    const now = DateTime.fromISO('2026-11-30T12:00', { zone: 'Europe/Moscow' });
    for (const text of ['Ответим до конца месяца.', 'Работы запланированы, ответ будет позже.', 'Срок — 31.02.']) {
      expect(findPromisedTerm(text, now), text).toBeNull();
      expect(checkDraft({ ...base, kind: 'intermediate', text: `${hi}${text}`, now }), text).toContain('intermediate_no_term');
    }
    for (const text of ['Ответим до 15.12.', 'Ответ дадим в течение 10 рабочих дней.', 'Ремонт выполним после схода снега.']) {
      expect(findPromisedTerm(text, now), text).not.toBeNull();
      expect(checkDraft({ ...base, kind: 'intermediate', text: `${hi}${text}`, now }), text).not.toContain('intermediate_no_term');
    }
    expect(checkDraft({ ...base, isRepeat: true, text: `${hi}Ваш вопрос рассматривается.` })).toContain('repeat_no_measures');
    expect(checkDraft({ ...base, isRepeat: true, text: `${hi}Участок отремонтирован 3 июня.` })).not.toContain('repeat_no_measures');
    expect(checkDraft({ ...base, text: `${hi}Согласно Федеральный закон № 131-ФЗ.` })).toContain('bare_law');
    expect(checkDraft({ ...base, text: `${hi}Я лично считаю, что оппозиция виновата.` })).toContain('personal_position');
    expect(checkDraft({ ...base, text: hi + 'а'.repeat(4100), maxLength: 4000 })).toContain('too_long');
  });
});

describe('search query', () => {
  it('stems content words as required prefixes, keeps numbers, skips function words', () => {
    expect(ftsQuery('ямка на луне')).toBe('"ямк"* AND "лун"*');
    expect(ftsQuery('Ленина 5')).toBe('"ленин"* AND "5"*');
    expect(ftsQuery('на в')).toBeNull();
    expect(indexStems('ул. Ленина, 5: ямы')).toBe('ул ленин 5 ям');
  });
});
