import { ANSWER_KIND, lateBy } from '../domain/workflow/deadlines.js';
import type { DepartmentFigures, DynamicsRow, Headline, Millis, MonthlyReport, PersonViolations, ReportCase, ReportDeadline, ReportEvent, ReportInput, ReportPeriod } from './model.js';

/**
 * The monthly summary's numbers from plain records (pure: the loader in src/db/repositories/report-records.ts reads them from
 * the database). Rules, in short (docs/reports.md has them in full):
 * - a case belongs to the month it was DETECTED in (received, repeats, dynamics);
 * - answers, reworks, returns and intermediate answers belong to the month they HAPPENED in;
 * - overdue and violations belong to the month the deadline was DUE in, judged at `asOf`.
 * So a case detected on 31 October and answered on 2 November is received in October and answered
 * in November, and its time to answer spans the boundary (counted in working minutes).
 */

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

/**
 * Missed: done after its due, or still open past its due at `asOf`, late in working time (`lateBy`,
 * the watch's rule). Paused deadlines are not running.
 */
export function isMissed(d: ReportDeadline, asOf: Millis, workingMinutes: (from: Millis, to: Millis) => number): boolean {
  if (d.status === 'met' || d.status === 'cancelled') return d.closedAt !== null && lateBy(workingMinutes, d.dueAt, d.closedAt);
  if (d.status === 'open') return lateBy(workingMinutes, d.dueAt, asOf);
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

type Dimension = DynamicsRow['dimension'];
const DIMENSIONS: { dimension: Dimension; get: (c: Pick<ReportCase, 'topic' | 'location' | 'source'>) => string | null }[] = [
  { dimension: 'topic', get: (c) => c.topic },
  { dimension: 'location', get: (c) => c.location },
  { dimension: 'source', get: (c) => c.source },
];

/**
 * The computation, fed one record at a time (the loader streams a month of a region — hundreds
 * of thousands of cases — without holding them): all cases first, then the deadlines, then the events,
 * each with its case's department, in the loader's order. Keeps only counters and, per department, the
 * working minutes to the first and the final answer. `computeMonthlyReport` feeds it from arrays.
 */
export class MonthlyReportBuilder {
  private readonly cur = new Map<string, Acc>();
  private readonly prev = new Map<string, Acc>();
  private readonly dyn = new Map<Dimension, Map<string, { current: number; previous: number }>>(DIMENSIONS.map((d) => [d.dimension, new Map()]));
  private readonly groups = new Map<string, { v: PersonViolations; clauses: Map<string, number> }>();
  private readonly staffById: Map<number, ReportInput['staff'][number]>;
  /** Departments any case of the two months is with (a department removed from the file keeps its row). */
  readonly caseDepartments = new Set<string>();
  /** Each month with its figures. */
  private readonly periods: readonly (readonly [Map<string, Acc>, ReportPeriod])[];

  constructor(
    private readonly o: ComputeOptions,
    private readonly people: Pick<ReportInput, 'staff' | 'roleTitles'>,
  ) {
    this.staffById = new Map(people.staff.map((s) => [s.id, s]));
    this.periods = [
      [this.cur, o.period],
      [this.prev, o.previous],
    ];
  }

  private acc(map: Map<string, Acc>, dept: string | null): Acc {
    const key = dept ?? '';
    let a = map.get(key);
    if (!a) map.set(key, (a = emptyAcc()));
    return a;
  }

  addCase(c: ReportCase): void {
    this.addReceived(c, 1);
    const finalIsFirst = c.finalAnswerAt !== null && c.finalAnswerAt === c.firstResponseAt;
    if (c.firstResponseAt !== null && !finalIsFirst) this.addFirstResponse(c.departmentId, c.detectedAt, c.firstResponseAt);
    if (c.finalAnswerAt !== null) this.addFinalAnswer(c.departmentId, c.detectedAt, c.finalAnswerAt, finalIsFirst);
  }

  /** `n` cases alike in what is counted of their detection (the fast loader hands them grouped). */
  addReceived(c: Pick<ReportCase, 'detectedAt' | 'departmentId' | 'topic' | 'location' | 'source' | 'repeat'>, n: number): void {
    this.noteDepartment(c.departmentId);
    for (const [map, p] of this.periods) {
      if (!inPeriod(c.detectedAt, p)) continue;
      const a = this.acc(map, c.departmentId);
      a.received += n;
      if (c.repeat) a.repeats += n;
    }
    const cur = inPeriod(c.detectedAt, this.o.period);
    const old = inPeriod(c.detectedAt, this.o.previous);
    if (!cur && !old) return;
    for (const { dimension, get } of DIMENSIONS) {
      const counts = this.dyn.get(dimension)!;
      const v = get(c) ?? '';
      const e = counts.get(v) ?? { current: 0, previous: 0 };
      if (cur) e.current += n;
      else e.previous += n;
      counts.set(v, e);
    }
  }

  /** A case's first published answer (intermediate or final), counted in the month it was published. */
  addFirstResponse(departmentId: string | null, detectedAt: Millis, at: Millis): void {
    this.noteDepartment(departmentId);
    for (const [map, p] of this.periods) if (inPeriod(at, p)) this.acc(map, departmentId).first.push(this.o.workingMinutes(detectedAt, at));
  }

  /**
   * A case's final answer, counted in the month it was published; `isFirst`: it is also its first
   * response; `n` cases alike (detected and answered on the same instants, same department).
   */
  addFinalAnswer(departmentId: string | null, detectedAt: Millis, at: Millis, isFirst: boolean, n = 1): void {
    this.noteDepartment(departmentId);
    for (const [map, p] of this.periods) {
      if (!inPeriod(at, p)) continue;
      const a = this.acc(map, departmentId);
      const minutes = this.o.workingMinutes(detectedAt, at);
      for (let i = 0; i < n; i++) a.final.push(minutes);
      if (isFirst) for (let i = 0; i < n; i++) a.first.push(minutes);
    }
  }

  /**
   * `n` answer deadlines met by their due (so on time, and neither overdue nor a violation), closed in
   * the month of `closedAt` — what `addDeadline` makes of each; the fast loader counts them in SQLite.
   */
  addAnsweredOnTime(caseDepartment: string | null, departmentId: string | null, closedAt: Millis, n: number): void {
    this.noteDepartment(caseDepartment);
    for (const [map, p] of this.periods) {
      if (!inPeriod(closedAt, p)) continue;
      const a = this.acc(map, caseDepartment ?? departmentId);
      a.answered += n;
      a.answeredOnTime += n;
    }
  }

  /** A department some case of the two months is with (keeps an inactive department's row). */
  noteDepartment(departmentId: string | null | undefined): void {
    if (departmentId != null) this.caseDepartments.add(departmentId);
  }

  /**
   * `caseDepartment`: the department of the deadline's case (undefined when its case was not loaded);
   * `n` deadlines alike in all the summary reads of them (the fast loader groups the open ones).
   */
  addDeadline(d: ReportDeadline, caseDepartment: string | null | undefined, n = 1): void {
    const asOf = this.o.asOf;
    this.noteDepartment(caseDepartment);
    // Judged once (working minutes are the cost here), only for a deadline due in one of the months.
    let missed: boolean | undefined;
    const isMissedOnce = () => (missed ??= isMissed(d, asOf, this.o.workingMinutes));
    if (d.kind === ANSWER_KIND) {
      const dept = caseDepartment ?? d.departmentId;
      for (const [map, p] of this.periods) {
        if (d.status === 'met' && inPeriod(d.closedAt, p)) {
          const a = this.acc(map, dept);
          a.answered += n;
          if (!lateBy(this.o.workingMinutes, d.dueAt, d.closedAt)) a.answeredOnTime += n;
        }
        if (inPeriod(d.dueAt, p) && isMissedOnce()) this.acc(map, dept).overdue += n;
      }
    }
    // Violations by person: every kind of deadline missed in the month.
    if (!inPeriod(d.dueAt, this.o.period) || !isMissedOnce()) return;
    const person = d.staffId !== null ? this.staffById.get(d.staffId) : undefined;
    const key = d.staffId !== null ? `s${d.staffId}` : `r${d.role ?? ''}|${d.departmentId ?? ''}`;
    let g = this.groups.get(key);
    if (!g) {
      const name = person?.name ?? (d.role ? (this.people.roleTitles[d.role] ?? d.role) : '—');
      g = {
        v: { staffId: d.staffId, name, departmentId: person?.departmentId ?? d.departmentId, count: 0, overdueMinutes: 0, clauses: '' },
        clauses: new Map(),
      };
      this.groups.set(key, g);
    }
    g.v.count += n;
    g.v.overdueMinutes += n * this.o.workingMinutes(d.dueAt, d.closedAt ?? asOf);
    g.clauses.set(d.clause, (g.clauses.get(d.clause) ?? 0) + n);
  }

  addEvent(e: ReportEvent, caseDepartment: string | null | undefined): void {
    this.noteDepartment(caseDepartment);
    for (const [map, p] of this.periods) {
      if (!inPeriod(e.at, p)) continue;
      const a = this.acc(map, e.departmentId ?? caseDepartment ?? null);
      if (e.type === 'rework') a.reworks += 1;
      else if (e.type === 'return') a.returns += 1;
      else a.intermediate += 1;
    }
  }

  finish(departmentsOfOrg: ReportInput['departments']): MonthlyReport {
    const o = this.o;
    const cur = this.cur;
    const departments: DepartmentFigures[] = departmentsOfOrg.map((d) => figures(d.id, d.name, cur.get(d.id) ?? emptyAcc()));
    // Cases of departments no longer in the organization file keep their own row.
    const known = new Set(departmentsOfOrg.map((d) => d.id));
    // Sorted, so the order does not depend on the order the records arrived in.
    for (const id of [...cur.keys()].sort()) if (id !== '' && !known.has(id)) departments.push(figures(id, id, cur.get(id)!));
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
      previousHeadline: headlineOf(merge(this.prev.values())),
      dynamics: this.dynamicsRows(),
      violations: this.violationRows(),
    };
  }

  private dynamicsRows(): DynamicsRow[] {
    const rows: DynamicsRow[] = [];
    for (const { dimension } of DIMENSIONS) {
      const list = [...this.dyn.get(dimension)!.entries()].map(([value, e]) => ({
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

  private violationRows(): PersonViolations[] {
    return [...this.groups.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) // ties below keep an order independent of arrival
      .map(([, { v, clauses }]) => ({
        ...v,
        clauses: [...clauses.entries()]
          .sort((a, b) => a[0].localeCompare(b[0], 'ru', { numeric: true }))
          .map(([c, n]) => (n > 1 ? `${c} ×${n}` : c))
          .join(', '),
      }))
      .sort((a, b) => b.count - a.count || b.overdueMinutes - a.overdueMinutes || a.name.localeCompare(b.name, 'ru'));
  }
}

export function computeMonthlyReport(input: ReportInput, o: ComputeOptions): MonthlyReport {
  const b = new MonthlyReportBuilder(o, input);
  const caseById = new Map<number, ReportCase>(input.cases.map((c) => [c.id, c]));
  for (const c of input.cases) b.addCase(c);
  for (const d of input.deadlines) b.addDeadline(d, caseById.get(d.caseId)?.departmentId);
  for (const e of input.events) b.addEvent(e, caseById.get(e.caseId)?.departmentId);
  return b.finish(input.departments);
}
