import type Database from 'better-sqlite3';
import { ANSWER_KIND } from '../../domain/workflow/deadlines.js';

/** A month's bounds, [from, to) (src/reports/model.ts `ReportPeriod`). */
interface ReportPeriod {
  from: number;
  to: number;
}

/** What the monthly summary's computation (src/reports/compute.ts) reads: plain records. Times are epoch ms. */
export interface ReportCase {
  id: number;
  detectedAt: number;
  /** Department of the responsible executor (the last one not returned); null when never routed. */
  departmentId: string | null;
  topic: string | null;
  location: string | null;
  /** Source kind (vk_comment, vk_message, manual, …). */
  source: string | null;
  repeat: boolean;
  /** First publication of an intermediate or final answer; null when none yet. */
  firstResponseAt: number | null;
  /** Publication of the final answer; null when none yet. */
  finalAnswerAt: number | null;
}

export interface ReportDeadline {
  caseId: number;
  kind: string;
  clause: string;
  role: string | null;
  staffId: number | null;
  departmentId: string | null;
  dueAt: number;
  status: 'open' | 'paused' | 'met' | 'cancelled';
  closedAt: number | null;
}

/** Audit events that count: rework (sent_to_rework, department_returned) and returns (returned). */
export interface ReportEvent {
  caseId: number;
  type: 'rework' | 'return' | 'intermediate';
  at: number;
  /** Department the event is charged to (the returning or reworking department). */
  departmentId: string | null;
}

/**
 * Reads what the monthly summary needs for a period and the one before it, by indexed ranges only
 * (cases by detection time, deadlines by due and by closing time, events by time). Never all cases.
 */
export interface LoadedRecords {
  cases: ReportCase[];
  deadlines: ReportDeadline[];
  events: ReportEvent[];
}

/**
 * The cases a summary of [from, to) needs, in a temporary table every other read joins: detected, published,
 * due or reworked/returned in the period. Emptied by the caller when done.
 */
function fillReportCaseIds(sqlite: Database.Database, from: number, to: number): void {
  sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS report_case_ids (id INTEGER PRIMARY KEY)');
  sqlite.exec('DELETE FROM temp.report_case_ids');
  sqlite
    .prepare(
      `INSERT INTO temp.report_case_ids (id)
       SELECT id FROM cases WHERE detected_at >= ? AND detected_at < ?
       UNION SELECT case_id FROM publications WHERE at >= ? AND at < ?
       UNION SELECT case_id FROM deadlines WHERE status IN ('open', 'paused', 'met', 'cancelled') AND due_at >= ? AND due_at < ?
       UNION SELECT case_id FROM audit_events WHERE at >= ? AND at < ? AND type IN ('sent_to_rework', 'department_returned', 'returned', 'published')`,
    )
    .run(from, to, from, to, from, to, from, to);
}

export function loadReportRecords(sqlite: Database.Database, period: ReportPeriod, previous: ReportPeriod): LoadedRecords {
  const from = previous.from;
  const to = period.to;
  // The cases of the two months, in a temporary table; every other read joins it — six set-based
  // queries in all, instead of seven statements per case.
  fillReportCaseIds(sqlite, from, to);
  try {
    return loadJoined(sqlite);
  } finally {
    sqlite.exec('DELETE FROM temp.report_case_ids');
  }
}

type CaseRow = { id: number; detectedAt: number; topic: string | null; location: string | null; source: string | null; repeatOf: number | null };

function loadJoined(sqlite: Database.Database): LoadedRecords {
  // CROSS JOIN keeps the id table as the outer loop (each case's rows through its index).
  // Responsible department: the latest responsible assignment not returned or withdrawn, else the latest one.
  const live = new Map<number, string>();
  const latest = new Map<number, string>();
  for (const a of sqlite
    .prepare(
      `SELECT a.case_id AS caseId, a.department_id AS departmentId, a.status AS status
         FROM temp.report_case_ids r CROSS JOIN assignments a ON a.case_id = r.id
        WHERE a.role = 'responsible' ORDER BY r.id, a.seq`,
    )
    .iterate() as IterableIterator<{ caseId: number; departmentId: string; status: string }>) {
    latest.set(a.caseId, a.departmentId);
    if (a.status !== 'returned' && a.status !== 'withdrawn') live.set(a.caseId, a.departmentId);
  }
  const firstPub = new Map<number, number>();
  const finalPub = new Map<number, number>();
  for (const p of sqlite
    .prepare(`SELECT p.case_id AS caseId, p.kind AS kind, p.at AS at FROM temp.report_case_ids r CROSS JOIN publications p ON p.case_id = r.id ORDER BY r.id, p.at`)
    .iterate() as IterableIterator<{ caseId: number; kind: string; at: number }>) {
    if ((p.kind === 'final' || p.kind === 'intermediate') && !firstPub.has(p.caseId)) firstPub.set(p.caseId, p.at);
    if (p.kind === 'final' && !finalPub.has(p.caseId)) finalPub.set(p.caseId, p.at);
  }
  const cases: ReportCase[] = [];
  for (const c of sqlite
    .prepare(
      `SELECT c.id AS id, c.detected_at AS detectedAt, c.topic AS topic, c.location AS location, c.source_kind AS source, c.repeat_of AS repeatOf
         FROM temp.report_case_ids r CROSS JOIN cases c ON c.id = r.id ORDER BY r.id`,
    )
    .iterate() as IterableIterator<CaseRow>) {
    cases.push({
      id: c.id,
      detectedAt: c.detectedAt,
      departmentId: live.get(c.id) ?? latest.get(c.id) ?? null,
      topic: c.topic,
      location: c.location,
      source: c.source,
      repeat: c.repeatOf !== null,
      firstResponseAt: firstPub.get(c.id) ?? null,
      finalAnswerAt: finalPub.get(c.id) ?? null,
    });
  }
  live.clear();
  latest.clear();
  firstPub.clear();
  finalPub.clear();
  if (cases.length === 0) return { cases: [], deadlines: [], events: [] };
  const deptOf = new Map(cases.map((c) => [c.id, c.departmentId]));
  const deadlines = sqlite
    .prepare(
      `SELECT d.case_id AS caseId, d.kind AS kind, d.clause AS clause, d.role AS role, d.staff_id AS staffId, d.department_id AS departmentId,
              d.due_at AS dueAt, d.status AS status, d.closed_at AS closedAt
         FROM temp.report_case_ids r CROSS JOIN deadlines d ON d.case_id = r.id ORDER BY r.id, d.seq`,
    )
    .all() as ReportDeadline[];
  const events: ReportEvent[] = [];
  const asgQ = sqlite.prepare(`SELECT department_id AS departmentId FROM assignments WHERE case_id = ? AND seq = ?`);
  const evRows = sqlite
    .prepare(
      `SELECT e.case_id AS caseId, e.type AS type, e.at AS at, e.payload AS data
         FROM temp.report_case_ids r CROSS JOIN audit_events e ON e.case_id = r.id
        WHERE e.type IN ('sent_to_rework', 'department_returned', 'returned', 'published') ORDER BY r.id, e.at, e.version`,
    )
    .iterate() as IterableIterator<{ caseId: number; type: string; at: number; data: string | null }>;
  for (const e of evRows) {
    const id = e.caseId;
    const dept = deptOf.get(id) ?? null;
    const raw = e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {};
    // The audit payload is the event's data, possibly wrapped as { data }.
    const data = (raw.data && typeof raw.data === 'object' ? raw.data : raw) as Record<string, unknown>;
    if (e.type === 'returned') {
      const seq = typeof data.assignmentSeq === 'number' ? data.assignmentSeq : null;
      const d = seq !== null ? ((asgQ.get(id, seq) as { departmentId: string } | undefined)?.departmentId ?? null) : null;
      events.push({ caseId: id, type: 'return', at: e.at, departmentId: d });
    } else if (e.type === 'published') {
      const pub = (data.publication ?? {}) as { kind?: string };
      if (pub.kind === 'intermediate') events.push({ caseId: id, type: 'intermediate', at: e.at, departmentId: dept });
    } else {
      events.push({ caseId: id, type: 'rework', at: e.at, departmentId: dept });
    }
  }
  return { cases, deadlines, events };
}

/**
 * A superset of `isMissed` (compute.ts) in SQL, with `?` = asOf: done after its due, or still open past
 * its due, on the wall clock (compute.ts then judges in working time). Only
 * deadlines that can count (answer deadlines answered or due in the two months; any deadline missed in
 * the month) leave SQLite — the others change no figure (`MonthlyReportBuilder.addDeadline`).
 */
const MISSED_SQL = `(d.status IN ('met', 'cancelled') AND d.closed_at IS NOT NULL AND d.closed_at > d.due_at) OR (d.status = 'open' AND d.due_at < ?)`;

/** What the streaming loader feeds (src/reports/compute.ts `MonthlyReportBuilder`). */
export interface ReportSink {
  addCase(c: ReportCase): void;
  addDeadline(d: ReportDeadline, caseDepartment: string | null | undefined): void;
  addEvent(e: ReportEvent, caseDepartment: string | null | undefined): void;
}

/**
 * The same records as `loadReportRecords`, in the same order, handed to `sink` one at a time and never
 * held (a region's two months are ~600,000 cases and twice as many deadlines): the cases with
 * their department and answer times (correlated subqueries, one row per case), then the deadlines, then
 * the events. Only each case's department is kept meanwhile, in a typed array.
 */
export function streamReportRecords(sqlite: Database.Database, period: ReportPeriod, previous: ReportPeriod, asOf: number, sink: ReportSink): void {
  const from = previous.from;
  const to = period.to;
  fillReportCaseIds(sqlite, from, to);
  try {
    const range = sqlite.prepare('SELECT min(id) AS lo, max(id) AS hi FROM temp.report_case_ids').get() as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return;
    const lo = range.lo;
    // Department of each loaded case: index into `names`; -1 no department; -2 not loaded.
    const deptIdx = new Int32Array(range.hi - lo + 1).fill(-2);
    const names: string[] = [];
    const nameIdx = new Map<string, number>();
    const deptOf = (caseId: number): string | null | undefined => {
      const i = caseId >= lo && caseId <= range.hi! ? deptIdx[caseId - lo]! : -2;
      return i === -2 ? undefined : i === -1 ? null : names[i];
    };
    for (const c of sqlite
      .prepare(
        `SELECT c.id AS id, c.detected_at AS detectedAt, c.topic AS topic, c.location AS location, c.source_kind AS source, c.repeat_of AS repeatOf,
                (SELECT a.department_id FROM assignments a WHERE a.case_id = c.id AND a.role = 'responsible' AND a.status NOT IN ('returned', 'withdrawn') ORDER BY a.seq DESC LIMIT 1) AS live,
                (SELECT a.department_id FROM assignments a WHERE a.case_id = c.id AND a.role = 'responsible' ORDER BY a.seq DESC LIMIT 1) AS latest,
                (SELECT min(p.at) FROM publications p WHERE p.case_id = c.id AND p.kind IN ('final', 'intermediate')) AS firstAt,
                (SELECT min(p.at) FROM publications p WHERE p.case_id = c.id AND p.kind = 'final') AS finalAt
           FROM temp.report_case_ids r CROSS JOIN cases c ON c.id = r.id ORDER BY r.id`,
      )
      .iterate() as IterableIterator<CaseRow & { live: string | null; latest: string | null; firstAt: number | null; finalAt: number | null }>) {
      const dept = c.live ?? c.latest ?? null;
      if (dept === null) deptIdx[c.id - lo] = -1;
      else {
        let i = nameIdx.get(dept);
        if (i === undefined) nameIdx.set(dept, (i = names.push(dept) - 1));
        deptIdx[c.id - lo] = i;
      }
      sink.addCase({
        id: c.id,
        detectedAt: c.detectedAt,
        departmentId: dept,
        topic: c.topic,
        location: c.location,
        source: c.source,
        repeat: c.repeatOf !== null,
        firstResponseAt: c.firstAt,
        finalAnswerAt: c.finalAt,
      });
    }
    for (const d of sqlite
      .prepare(
        `SELECT d.case_id AS caseId, d.kind AS kind, d.clause AS clause, d.role AS role, d.staff_id AS staffId, d.department_id AS departmentId,
                d.due_at AS dueAt, d.status AS status, d.closed_at AS closedAt
           FROM temp.report_case_ids r CROSS JOIN deadlines d ON d.case_id = r.id
          WHERE (d.kind = ? AND ((d.status = 'met' AND d.closed_at >= ? AND d.closed_at < ?) OR (d.due_at >= ? AND d.due_at < ? AND (${MISSED_SQL}))))
             OR (d.due_at >= ? AND d.due_at < ? AND (${MISSED_SQL}))
          ORDER BY r.id, d.seq`,
      )
      .iterate(ANSWER_KIND, from, to, from, to, asOf, period.from, period.to, asOf) as IterableIterator<ReportDeadline>)
      sink.addDeadline(d, deptOf(d.caseId));
    const asgQ = sqlite.prepare(`SELECT department_id AS departmentId FROM assignments WHERE case_id = ? AND seq = ?`);
    // Only events of the two months can count (MonthlyReportBuilder.addEvent); their cases are all loaded
    // (the id table's fourth part), so they are read through audit_events_type_at_idx, not per case.
    for (const e of sqlite
      .prepare(
        `SELECT e.case_id AS caseId, e.type AS type, e.at AS at, e.payload AS data
           FROM audit_events e INDEXED BY audit_events_type_at_idx
          WHERE e.type IN ('sent_to_rework', 'department_returned', 'returned', 'published') AND e.at >= ? AND e.at < ?
          ORDER BY e.case_id, e.at, e.version`,
      )
      .iterate(from, to) as IterableIterator<{ caseId: number; type: string; at: number; data: string | null }>) {
      const id = e.caseId;
      const dept = deptOf(id);
      const raw = e.data ? (JSON.parse(e.data) as Record<string, unknown>) : {};
      const data = (raw.data && typeof raw.data === 'object' ? raw.data : raw) as Record<string, unknown>;
      if (e.type === 'returned') {
        const seq = typeof data.assignmentSeq === 'number' ? data.assignmentSeq : null;
        const d = seq !== null ? ((asgQ.get(id, seq) as { departmentId: string } | undefined)?.departmentId ?? null) : null;
        sink.addEvent({ caseId: id, type: 'return', at: e.at, departmentId: d }, dept);
      } else if (e.type === 'published') {
        const pub = (data.publication ?? {}) as { kind?: string };
        if (pub.kind === 'intermediate') sink.addEvent({ caseId: id, type: 'intermediate', at: e.at, departmentId: dept ?? null }, dept);
      } else {
        sink.addEvent({ caseId: id, type: 'rework', at: e.at, departmentId: dept ?? null }, dept);
      }
    }
  } finally {
    sqlite.exec('DELETE FROM temp.report_case_ids');
  }
}
