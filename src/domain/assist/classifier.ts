import { tokens, type Token } from './stem.js';

/**
 * Which department a text is for: a multinomial naive Bayes over stems, learned incrementally from
 * the administrator's own routing decisions (each routing and each correction is one example) and
 * started cold from the organization file (each department's topics and keywords, plus a small
 * built-in lexicon of the usual municipal topics, count as a few pseudo-examples). Explainable: the
 * words that pulled the text towards the chosen department are returned with it.
 */

export interface DepartmentSeed {
  id: string;
  name: string;
  topics: readonly string[];
  keywords?: readonly string[];
}

export interface Suggestion {
  departmentId: string;
  /** Posterior probability, 0..1. */
  confidence: number;
  /** Up to three words of the text (as written) that weigh most for this department. */
  because: string[];
}

/**
 * Words for the topic names organizations usually list; a topic not listed here brings only its own
 * name. Keys are lower-case topic names.
 */
export const TOPIC_LEXICON: Record<string, string> = {
  'жкх': 'вода горячая холодная отопление батареи подъезд крыша управляющая компания канализация лифт газ свет электричество подвал квартира дом трубы',
  'благоустройство': 'двор площадка детская дерево фонарь освещение трава покос урна лавочка собаки мусор контейнер свалка',
  'дороги': 'дорога дороги яма ямы асфальт тротуар светофор переход разметка знак обочина ремонт дорожный колея снег грейдер',
  'транспорт': 'автобус маршрут маршрутка остановка расписание водитель проезд рейс',
  'образование': 'школа школьный детский сад садик учитель класс ребенок ученик кружок егэ воспитатель урок',
  'здравоохранение': 'больница поликлиника врач лекарства аптека запись талон скорая фельдшер терапевт',
  'социальная защита': 'пенсия пособие выплата инвалид льгота многодетная семья соцзащита опека пенсионер',
  'другое': 'справка документы помощь',
  'культура': 'дом культуры клуб библиотека праздник концерт памятник музей',
  'спорт': 'спорт стадион спортзал секция футбол борьба турнир соревнования',
  'сельское хозяйство': 'скот пастбище сад урожай ветеринар фермер субсидия саженцы орошение',
  'земля': 'земля участок аренда кадастр границы',
  'чс': 'сель оползень паводок пожар камнепад эвакуация наводнение землетрясение авария',
};

/** Weight of one cold-start word, in example-word units: strong enough to start, weak beside real decisions. */
const SEED_WEIGHT = 2;
const ALPHA = 0.5;

interface ClassStats {
  docs: number;
  words: number;
  counts: Map<string, number>;
}

export class DepartmentClassifier {
  private readonly classes = new Map<string, ClassStats>();
  private readonly vocabulary = new Map<string, number>();
  private decisions = 0;

  /** `ignore`: stems that say nothing of the department (the organization's place names). */
  constructor(
    seeds: readonly DepartmentSeed[],
    private readonly ignore: ReadonlySet<string> = new Set(),
  ) {
    for (const d of seeds) {
      const stats: ClassStats = { docs: 1, words: 0, counts: new Map() };
      this.classes.set(d.id, stats);
      const text = [d.name, ...d.topics, ...d.topics.map((t) => TOPIC_LEXICON[t.toLowerCase()] ?? ''), ...(d.keywords ?? [])].join(' ');
      for (const s of tokens(text).map((t) => t.stem)) this.add(stats, s, SEED_WEIGHT);
    }
  }

  private ignored(s: string): boolean {
    if (this.ignore.has(s)) return true;
    for (const p of this.ignore) if (p.length >= 4 && s.startsWith(p)) return true;
    return false;
  }

  /** Routing decisions learned so far (seeds not counted). */
  get learned(): number {
    return this.decisions;
  }

  private add(stats: ClassStats, s: string, n: number): void {
    const before = stats.counts.get(s) ?? 0;
    const after = Math.max(0, before + n);
    stats.counts.set(s, after);
    stats.words += after - before;
    const v = (this.vocabulary.get(s) ?? 0) + (after - before);
    if (v > 0) this.vocabulary.set(s, v);
    else this.vocabulary.delete(s);
  }

  /** One routing decision: `text` went to `departmentId`. A department unknown so far is added. */
  learn(text: string, departmentId: string): void {
    this.update(text, departmentId, 1);
  }

  /** Takes back an earlier example (the decision was corrected). */
  unlearn(text: string, departmentId: string): void {
    this.update(text, departmentId, -1);
  }

  private update(text: string, departmentId: string, sign: 1 | -1): void {
    let stats = this.classes.get(departmentId);
    if (!stats) {
      if (sign < 0) return;
      stats = { docs: 1, words: 0, counts: new Map() };
      this.classes.set(departmentId, stats);
    }
    stats.docs = Math.max(1, stats.docs + sign);
    this.decisions = Math.max(0, this.decisions + sign);
    for (const s of new Set(tokens(text).map((t) => t.stem))) if (!this.ignored(s)) this.add(stats, s, sign);
  }

  /** Departments ranked for `text`, best first; empty when the text has no known word. */
  rank(text: string): Suggestion[] {
    const toks = tokens(text).filter((t) => this.vocabulary.has(t.stem) && !this.ignored(t.stem));
    if (!toks.length) return [];
    const unique = dedupe(toks);
    const v = this.vocabulary.size;
    const totalDocs = [...this.classes.values()].reduce((n, c) => n + c.docs, 0);
    const scored = [...this.classes].map(([id, c]) => {
      const denom = c.words + ALPHA * v;
      let score = Math.log(c.docs / totalDocs);
      const per = unique.map((t) => {
        const lp = Math.log(((c.counts.get(t.stem) ?? 0) + ALPHA) / denom);
        score += lp;
        return { t, lp };
      });
      return { id, score, per };
    });
    const max = Math.max(...scored.map((s) => s.score));
    const z = scored.reduce((n, s) => n + Math.exp(s.score - max), 0);
    scored.sort((a, b) => b.score - a.score);
    return scored.map((s) => ({
      departmentId: s.id,
      confidence: Math.exp(s.score - max) / z,
      because: explain(s.per, scored, s.id),
    }));
  }
}

function dedupe(toks: Token[]): Token[] {
  const seen = new Set<string>();
  return toks.filter((t) => (seen.has(t.stem) ? false : (seen.add(t.stem), true)));
}

/** The words whose likelihood here most exceeds their mean likelihood elsewhere. */
function explain(per: { t: Token; lp: number }[], all: { id: string; per: { t: Token; lp: number }[] }[], id: string): string[] {
  const others = all.filter((s) => s.id !== id);
  const lift = per.map(({ t, lp }, i) => ({ word: t.word, lift: lp - (others.length ? others.reduce((n, o) => n + o.per[i]!.lp, 0) / others.length : 0) }));
  return lift
    .filter((x) => x.lift > 0.5)
    .sort((a, b) => b.lift - a.lift)
    .slice(0, 3)
    .map((x) => x.word);
}
