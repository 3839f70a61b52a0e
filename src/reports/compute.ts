import type {
  DepartmentFigures,
  DynamicsRow,
  Headline,
  Millis,
  MonthlyReport,
  PersonViolations,
  ReportCase,
  ReportDeadline,
  ReportInput,
  ReportPeriod,
} from './model.js';

/**
 * The monthly summary's numbers from plain records (pure: the loader in ./load.ts reads them from
 * the database). Rules, in short (docs/reports.md has them in full):
 * - a case belongs to the month it was DETECTED in (received, repeats, dynamics);
 * - answers, reworks, returns and intermediate answers belong to the month they HAPPENED in;
 * - overdue and violations belong to the month the deadline was DUE in, judged at `asOf`.
 * So a case detected on 31 October and answered on 2 November is received in October and answered
 * in November, and its time to answer spans the boundary (counted in working minutes).
 */

/** The deadline kind whose keeping is «answered on time» (К10, А7.3). */
export const ANSWER_KIND = 'answer';

export interface ComputeOptions {
  period: ReportPeriod;
  previous: ReportPeriod;
  organization: string;
  regulationId: string;
  asOf: Millis;
  /** Working minutes between two instants. */
  workingMinutes(from: Millis, to: Millis): number;
  /** Name of the row of cases no department took. */
  unroutedName: string;
}

const inPeriod = (t: Millis | null, p: ReportPeriod): t is Millis => t !== null && t >= p.from && t < p.to;

/** Missed: done after its due, or still open past its due at `asOf`. Paused deadlines are not running. */
export function isMissed(d: ReportDeadline, asOf: Millis): boolean {
  if (d.status === 'met' || d.status === 'cancelled') return d.closedAt !== null && d.closedAt > d.dueAt;
  if (d.status === 'open') return d.dueAt < asOf;
  return false;
}

export function average(xs: number[]): number | null {
  if (xs.length === 0) return null;
  return Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

export function pct(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

interface Acc {
  received: number;
  answered: number;
  answeredOnTime: number;
  overdue: number;
  first: number[];
  final: number[];
  intermediate: number;
  reworks: number;
  returns: number;
  repeats: number;
}

const emptyAcc = (): Acc => ({
  received: 0,
  answered: 0,
  answeredOnTime: 0,
  overdue: 0,
  first: [],
  final: [],
  intermediate: 0,
  reworks: 0,
  returns: 0,
  repeats: 0,
});

function figures(departmentId: string | null, name: string, a: Acc): DepartmentFigures {
  return {
    departmentId,
    name,
    received: a.received,
    answered: a.answered,
    answeredOnTime: a.answeredOnTime,
    onTimePct: pct(a.answeredOnTime, a.answered),
    overdue: a.overdue,
    avgFirstResponse: average(a.first),
    medianFirstResponse: median(a.first),
    avgFinalAnswer: average(a.final),
    medianFinalAnswer: median(a.final),
    intermediate: a.intermediate,
    reworks: a.reworks,
    returns: a.returns,
    repeats: a.repeats,
  };
}

function accumulate(input: ReportInput, p: ReportPeriod, asOf: Millis, wm: ComputeOptions['workingMinutes']): Map<string, Acc> {
  const byDept = new Map<string, Acc>();
  const acc = (dept: string | null): Acc => {
    const key = dept ?? '';
    let a = byDept.get(key);
    if (!a) byDept.set(key, (a = emptyAcc()));
    return a;
  };
  const caseById = new Map<number, ReportCase>(input.cases.map((c) => [c.id, c]));

  for (const c of input.cases) {
    if (inPeriod(c.detectedAt, p)) {
      const a = acc(c.departmentId);
      a.received += 1;
      if (c.repeat) a.repeats += 1;
    }
    if (inPeriod(c.firstResponseAt, p)) acc(c.departmentId).first.push(wm(c.detectedAt, c.firstResponseAt));
    if (inPeriod(c.finalAnswerAt, p)) acc(c.departmentId).final.push(wm(c.detectedAt, c.finalAnswerAt));
  }
  for (const d of input.deadlines) {
    if (d.kind !== ANSWER_KIND) continue;
    const dept = caseById.get(d.caseId)?.departmentId ?? d.departmentId;
    if (d.status === 'met' && inPeriod(d.closedAt, p)) {
      const a = acc(dept);
      a.answered += 1;
      if (d.closedAt <= d.dueAt) a.answeredOnTime += 1;
    }
    if (inPeriod(d.dueAt, p) && isMissed(d, asOf)) acc(dept).overdue += 1;
  }
  for (const e of input.events) {
    if (!inPeriod(e.at, p)) continue;
    const dept = e.departmentId ?? caseById.get(e.caseId)?.departmentId ?? null;
    const a = acc(dept);
    if (e.type === 'rework') a.reworks += 1;
    else if (e.type === 'return') a.returns += 1;
    else a.intermediate += 1;
  }
  return byDept;
}

function merge(accs: Iterable<Acc>): Acc {
  const t = emptyAcc();
  for (const a of accs) {
    t.received += a.received;
    t.answered += a.answered;
    t.answeredOnTime += a.answeredOnTime;
    t.overdue += a.overdue;
    for (const x of a.first) t.first.push(x); // no spread: 125,000+ arguments overflow the stack (bench/report.ts, 1M messages)
    for (const x of a.final) t.final.push(x);
    t.intermediate += a.intermediate;
    t.reworks += a.reworks;
    t.returns += a.returns;
    t.repeats += a.repeats;
  }
  return t;
}

function headlineOf(a: Acc): Headline {
  return {
    received: a.received,
    answered: a.answered,
    onTimePct: pct(a.answeredOnTime, a.answered),
    overdue: a.overdue,
    avgFirstResponse: average(a.first),
    avgFinalAnswer: average(a.final),
  };
}

function dynamics(input: ReportInput, p: ReportPeriod, prev: ReportPeriod): DynamicsRow[] {
  const rows: DynamicsRow[] = [];
  const dims: { dimension: DynamicsRow['dimension']; get: (c: ReportCase) => string | null }[] = [
    { dimension: 'topic', get: (c) => c.topic },
    { dimension: 'location', get: (c) => c.location },
    { dimension: 'source', get: (c) => c.source },
  ];
  for (const { dimension, get } of dims) {
    const counts = new Map<string, { current: number; previous: number }>();
    for (const c of input.cases) {
      const cur = inPeriod(c.detectedAt, p);
      const old = inPeriod(c.detectedAt, prev);
      if (!cur && !old) continue;
      const v = get(c) ?? '';
      const e = counts.get(v) ?? { current: 0, previous: 0 };
      if (cur) e.current += 1;
      else e.previous += 1;
      counts.set(v, e);
    }
    const list = [...counts.entries()].map(([value, e]) => ({
      dimension,
      value,
      current: e.current,
      previous: e.previous,
      delta: e.current - e.previous,
      deltaPct: e.previous === 0 ? null : Math.round(((e.current - e.previous) / e.previous) * 1000) / 10,
    }));
    list.sort((a, b) => b.current - a.current || b.previous - a.previous || a.value.localeCompare(b.value, 'ru'));
    rows.push(...list);
  }
  return rows;
}

function violationsByPerson(input: ReportInput, p: ReportPeriod, asOf: Millis, wm: ComputeOptions['workingMinutes']): PersonViolations[] {
  const staffById = new Map(input.staff.map((s) => [s.id, s]));
  const groups = new Map<string, { v: PersonViolations; clauses: Map<string, number> }>();
  for (const d of input.deadlines) {
    if (!inPeriod(d.dueAt, p) || !isMissed(d, asOf)) continue;
    const person = d.staffId !== null ? staffById.get(d.staffId) : undefined;
    const key = d.staffId !== null ? `s${d.staffId}` : `r${d.role ?? ''}|${d.departmentId ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      const name = person?.name ?? (d.role ? (input.roleTitles[d.role] ?? d.role) : '—');
      g = {
        v: { staffId: d.staffId, name, departmentId: person?.departmentId ?? d.departmentId, count: 0, overdueMinutes: 0, clauses: '' },
        clauses: new Map(),
      };
      groups.set(key, g);
    }
    g.v.count += 1;
    g.v.overdueMinutes += wm(d.dueAt, d.closedAt ?? asOf);
    g.clauses.set(d.clause, (g.clauses.get(d.clause) ?? 0) + 1);
  }
  return [...groups.values()]
    .map(({ v, clauses }) => ({
      ...v,
      clauses: [...clauses.entries()]
        .sort((a, b) => a[0].localeCompare(b[0], 'ru', { numeric: true }))
        .map(([c, n]) => (n > 1 ? `${c} ×${n}` : c))
        .join(', '),
    }))
    .sort((a, b) => b.count - a.count || b.overdueMinutes - a.overdueMinutes || a.name.localeCompare(b.name, 'ru'));
}

export function computeMonthlyReport(input: ReportInput, o: ComputeOptions): MonthlyReport {
  const cur = accumulate(input, o.period, o.asOf, o.workingMinutes);
  const prev = accumulate(input, o.previous, o.asOf, o.workingMinutes);
  const departments: DepartmentFigures[] = input.departments.map((d) => figures(d.id, d.name, cur.get(d.id) ?? emptyAcc()));
  // Cases of departments no longer in the organization file keep their own row.
  const known = new Set(input.departments.map((d) => d.id));
  for (const [id, a] of cur) if (id !== '' && !known.has(id)) departments.push(figures(id, id, a));
  const unrouted = cur.get('');
  if (unrouted) departments.push(figures(null, o.unroutedName, unrouted));
  const total = merge(cur.values());
  return {
    period: o.period,
    previous: o.previous,
    organization: o.organization,
    regulationId: o.regulationId,
    asOf: o.asOf,
    departments,
    totals: figures(null, '', total),
    headline: headlineOf(total),
    previousHeadline: headlineOf(merge(prev.values())),
    dynamics: dynamics(input, o.period, o.previous),
    violations: violationsByPerson(input, o.period, o.asOf, o.workingMinutes),
  };
}
