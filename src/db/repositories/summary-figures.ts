import type Database from 'better-sqlite3';
import type { ReportDeadline } from './report-records.js';

/**
 * The monthly summary's reads by index ranges (migration 0013): every case's department and answer
 * times are on its row (`summaryFacts`, written by `saveCase`), so no read visits the cases of a month
 * one by one to join their assignments and publications.
 * - received, repeats, dynamics: counted by SQLite inside `cases_detected_idx` (covering), grouped;
 * - answer times: `cases_final_answer_idx` (covering, partial), and `cases_first_response_idx` for the
 *   first responses that are not the final answer;
 * - answered: `deadlines_answered_idx` (partial: met answer deadlines, by closing time; its condition
 *   `kind = 'answer'` is written out in the queries, as SQLite needs to use the index); the ones met by
 *   their due are counted inside it, the late ones read;
 * - missed: open ones by `deadlines_due_idx`, closed late ones by `deadlines_closed_late_idx` (partial);
 *   each deadline row carries its case's department (`case_department_id`), so no join.
 * - reworks, returns, intermediate answers: `audit_events_type_at_idx`.
 * Final answers and deadline rows come grouped with their number (alike in all the builder reads of
 * them), so the builder converts each distinct span to working minutes once.
 */

type Millis = number;

export interface SummaryFiguresSink {
  addReceived(c: { detectedAt: Millis; departmentId: string | null; repeat: boolean; topic: string | null; location: string | null; source: string | null }, n: number): void;
  addFirstResponse(departmentId: string | null, detectedAt: Millis, at: Millis): void;
  addFinalAnswer(departmentId: string | null, detectedAt: Millis, at: Millis, isFirst: boolean, n: number): void;
  addAnsweredOnTime(caseDepartment: string | null, departmentId: string | null, closedAt: Millis, n: number): void;
  addDeadline(d: ReportDeadline, caseDepartment: string | null, n?: number): void;
  addEvent(e: { caseId: number; type: 'rework' | 'return' | 'intermediate'; at: Millis; departmentId: string | null }, caseDepartment: string | null): void;
}

/** Which of the summary's figures a database row feeds: [from, to) spans both months, `current` the reported one. */
export interface SummaryRange {
  from: Millis;
  to: Millis;
  currentFrom: Millis;
  asOf: Millis;
}

// Deadlines alike in all the builder reads of them (the case is not read: any one stands for the group)
// come as one row with their number: due and closed on the same instants, of the same kind, clause and holder.
const DEADLINE_COLUMNS = `min(d.case_id), d.kind, d.clause, d.role, d.staff_id, d.department_id, d.due_at, d.status, d.closed_at, d.case_department_id, count(*)`;
const DEADLINE_GROUPS = `GROUP BY d.due_at, d.closed_at, d.kind, d.clause, d.role, d.staff_id, d.department_id, d.status, d.case_department_id`;

const statements = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

function prepare(sqlite: Database.Database) {
  return {
    received: sqlite.prepare(
      `SELECT min(detected_at), summary_department_id, repeat_of IS NOT NULL, topic, location, source_kind, count(*)
         FROM cases INDEXED BY cases_detected_idx WHERE detected_at >= ? AND detected_at < ?
        GROUP BY detected_at >= ?, summary_department_id, repeat_of IS NOT NULL, topic, location, source_kind`,
    ),
    // First responses that are not the final answer (the others come with the final answers below).
    first: sqlite.prepare(
      `SELECT first_response_at, detected_at, summary_department_id FROM cases INDEXED BY cases_first_response_idx
        WHERE first_response_at >= ? AND first_response_at < ? AND first_response_at IS NOT final_answer_at`,
    ),
    // Grouped in the index's own order (no sort): cases answered and detected on the same instants count once, n times.
    final: sqlite.prepare(
      `SELECT final_answer_at, detected_at, summary_department_id, first_response_at = final_answer_at, count(*) FROM cases INDEXED BY cases_final_answer_idx
        WHERE final_answer_at >= ? AND final_answer_at < ? GROUP BY final_answer_at, detected_at, summary_department_id, first_response_at`,
    ),
    // Answered by their due: counted inside the covering index, per month and department.
    answeredOnTime: sqlite.prepare(
      `SELECT min(closed_at), case_department_id, department_id, count(*) FROM deadlines INDEXED BY deadlines_answered_idx
        WHERE kind = 'answer' AND status = 'met' AND closed_at >= ? AND closed_at < ? AND closed_at <= due_at
        GROUP BY closed_at >= ?, case_department_id, department_id`,
    ),
    answeredLate: sqlite.prepare(
      `SELECT ${DEADLINE_COLUMNS} FROM deadlines d INDEXED BY deadlines_answered_idx
        WHERE d.kind = 'answer' AND d.status = 'met' AND d.closed_at >= ? AND d.closed_at < ? AND d.closed_at > d.due_at ${DEADLINE_GROUPS}`,
    ),
    // Missed and due in the two months — a superset of `isMissed` on the wall clock (the builder judges in
    // working time) — except the answered ones above: still open past due, or closed after due.
    missedOpen: sqlite.prepare(
      `SELECT ${DEADLINE_COLUMNS} FROM deadlines d INDEXED BY deadlines_due_idx
        WHERE d.status = 'open' AND d.due_at >= ? AND d.due_at < ? AND d.due_at < ? ${DEADLINE_GROUPS}`,
    ),
    missedClosed: sqlite.prepare(
      `SELECT ${DEADLINE_COLUMNS} FROM deadlines d INDEXED BY deadlines_closed_late_idx
        WHERE d.status IN ('met', 'cancelled') AND d.closed_at > d.due_at AND d.due_at >= ? AND d.due_at < ?
          AND NOT (d.kind = 'answer' AND d.status = 'met' AND d.closed_at >= ? AND d.closed_at < ?) ${DEADLINE_GROUPS}`,
    ),
    // A published event counts only for an intermediate answer: the LIKE (a superset) spares parsing the others.
    events: sqlite.prepare(
      `SELECT e.case_id AS caseId, e.type AS type, e.at AS at, e.payload AS data, c.summary_department_id AS caseDepartment
         FROM audit_events e INDEXED BY audit_events_type_at_idx CROSS JOIN cases c ON c.id = e.case_id
        WHERE e.type IN ('sent_to_rework', 'department_returned', 'returned', 'published') AND e.at >= ? AND e.at < ?
          AND (e.type <> 'published' OR e.payload LIKE '%"intermediate"%')`,
    ),
    assignmentDepartment: sqlite.prepare(`SELECT department_id FROM assignments WHERE case_id = ? AND seq = ?`).pluck(),
    // Does a case of the department concern [from, to) — detected, published, due or reworked/returned in it?
    departmentConcerned: sqlite
      .prepare(
        `SELECT 1 FROM assignments a INDEXED BY assignments_department_idx CROSS JOIN cases c ON c.id = a.case_id
          WHERE a.department_id = :dept AND c.summary_department_id = :dept AND (
                (c.detected_at >= :from AND c.detected_at < :to)
             OR EXISTS (SELECT 1 FROM publications p WHERE p.case_id = c.id AND p.at >= :from AND p.at < :to)
             OR EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND d.status IN ('open', 'paused', 'met', 'cancelled') AND d.due_at >= :from AND d.due_at < :to)
             OR EXISTS (SELECT 1 FROM audit_events e WHERE e.case_id = c.id AND e.at >= :from AND e.at < :to AND e.type IN ('sent_to_rework', 'department_returned', 'returned', 'published')))
          LIMIT 1`,
      )
      .pluck(),
  };
}

function statementsOf(sqlite: Database.Database) {
  let s = statements.get(sqlite);
  if (!s) statements.set(sqlite, (s = prepare(sqlite)));
  return s;
}

type DeadlineRow = [number, string, string, string | null, number | null, string | null, Millis, ReportDeadline['status'], Millis | null, string | null, number];

/** Feeds `sink` every record of the two months that can change a figure. */
export function streamSummaryFigures(sqlite: Database.Database, r: SummaryRange, sink: SummaryFiguresSink): void {
  const q = statementsOf(sqlite);
  for (const [detectedAt, departmentId, repeat, topic, location, source, n] of q.received.raw().iterate(r.from, r.to, r.currentFrom) as IterableIterator<
    [Millis, string | null, number, string | null, string | null, string | null, number]
  >)
    sink.addReceived({ detectedAt, departmentId, repeat: repeat === 1, topic, location, source }, n);
  for (const [at, detectedAt, dept] of q.first.raw().iterate(r.from, r.to) as IterableIterator<[Millis, Millis, string | null]>) sink.addFirstResponse(dept, detectedAt, at);
  for (const [at, detectedAt, dept, isFirst, n] of q.final.raw().iterate(r.from, r.to) as IterableIterator<[Millis, Millis, string | null, number, number]>)
    sink.addFinalAnswer(dept, detectedAt, at, isFirst === 1, n);
  for (const [closedAt, caseDept, dept, n] of q.answeredOnTime.raw().iterate(r.from, r.to, r.currentFrom) as IterableIterator<[Millis, string | null, string | null, number]>)
    sink.addAnsweredOnTime(caseDept, dept, closedAt, n);
  // Raw rows (in DEADLINE_COLUMNS order): one array each, not an object too.
  const deadlines = [
    q.answeredLate.raw().iterate(r.from, r.to),
    q.missedOpen.raw().iterate(r.from, r.to, r.asOf),
    q.missedClosed.raw().iterate(r.from, r.to, r.from, r.to),
  ] as IterableIterator<DeadlineRow>[];
  for (const rows of deadlines)
    for (const [caseId, kind, clause, role, staffId, departmentId, dueAt, status, closedAt, caseDepartment, n] of rows)
      sink.addDeadline({ caseId, kind, clause, role, staffId, departmentId, dueAt, status, closedAt }, caseDepartment, n);
  for (const e of q.events.iterate(r.from, r.to) as IterableIterator<{ caseId: number; type: string; at: number; data: string | null; caseDepartment: string | null }>) {
    const id = e.caseId;
    const dept = e.caseDepartment;
    const raw = e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {};
    // The audit payload is the event's data, possibly wrapped as { data }.
    const data = (raw.data && typeof raw.data === 'object' ? raw.data : raw) as Record<string, unknown>;
    if (e.type === 'returned') {
      const seq = typeof data.assignmentSeq === 'number' ? data.assignmentSeq : null;
      const d = seq !== null ? ((q.assignmentDepartment.get(id, seq) as string | undefined) ?? null) : null;
      sink.addEvent({ caseId: id, type: 'return', at: e.at, departmentId: d }, dept);
    } else if (e.type === 'published') {
      const pub = (data.publication ?? {}) as { kind?: string };
      if (pub.kind === 'intermediate') sink.addEvent({ caseId: id, type: 'intermediate', at: e.at, departmentId: dept }, dept);
    } else {
      sink.addEvent({ caseId: id, type: 'rework', at: e.at, departmentId: dept }, dept);
    }
  }
}

/** Whether some case of `departmentId` concerns [from, to) (an inactive department keeps its row then). */
export function departmentConcerned(sqlite: Database.Database, departmentId: string, from: Millis, to: Millis): boolean {
  return statementsOf(sqlite).departmentConcerned.get({ dept: departmentId, from, to }) !== undefined;
}
