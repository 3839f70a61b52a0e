import type Database from 'better-sqlite3';
import type { ReportCase, ReportDeadline, ReportEvent, ReportPeriod } from './model.js';

/**
 * Reads what the monthly summary needs for a period and the one before it, by indexed ranges only
 * (cases by detection time, deadlines by due and by closing time, events by time). Never all cases.
 */
export interface LoadedRecords {
  cases: ReportCase[];
  deadlines: ReportDeadline[];
  events: ReportEvent[];
}

export function loadReportRecords(sqlite: Database.Database, period: ReportPeriod, previous: ReportPeriod): LoadedRecords {
  const from = previous.from;
  const to = period.to;
  const caseRows = sqlite
    .prepare(
      `SELECT id FROM cases WHERE detected_at >= ? AND detected_at < ?
       UNION SELECT case_id FROM publications WHERE at >= ? AND at < ?
       UNION SELECT case_id FROM deadlines WHERE status IN ('open', 'paused', 'met', 'cancelled') AND due_at >= ? AND due_at < ?
       UNION SELECT case_id FROM audit_events WHERE at >= ? AND at < ? AND type IN ('sent_to_rework', 'department_returned', 'returned', 'published')`,
    )
    .all(from, to, from, to, from, to, from, to) as { id: number }[];
  const ids = caseRows.map((r) => r.id);
  if (ids.length === 0) return { cases: [], deadlines: [], events: [] };
  const cases: ReportCase[] = [];
  const deadlines: ReportDeadline[] = [];
  const events: ReportEvent[] = [];
  const caseQ = sqlite.prepare(`SELECT id, detected_at AS detectedAt, topic, location, source_kind AS source, repeat_of AS repeatOf FROM cases WHERE id = ?`);
  const deptQ = sqlite.prepare(
    `SELECT department_id AS departmentId FROM assignments WHERE case_id = ? AND role = 'responsible' AND status NOT IN ('returned', 'withdrawn') ORDER BY seq DESC LIMIT 1`,
  );
  const lastDeptQ = sqlite.prepare(`SELECT department_id AS departmentId FROM assignments WHERE case_id = ? AND role = 'responsible' ORDER BY seq DESC LIMIT 1`);
  const pubQ = sqlite.prepare(`SELECT kind, at FROM publications WHERE case_id = ? ORDER BY at`);
  const dlQ = sqlite.prepare(
    `SELECT case_id AS caseId, kind, clause, role, staff_id AS staffId, department_id AS departmentId, due_at AS dueAt, status, closed_at AS closedAt
       FROM deadlines WHERE case_id = ?`,
  );
  const evQ = sqlite.prepare(
    `SELECT type, at, payload AS data FROM audit_events WHERE case_id = ? AND type IN ('sent_to_rework', 'department_returned', 'returned', 'published') ORDER BY at`,
  );
  const asgQ = sqlite.prepare(`SELECT department_id AS departmentId FROM assignments WHERE case_id = ? AND seq = ?`);
  for (const id of ids) {
    const c = caseQ.get(id) as { id: number; detectedAt: number; topic: string | null; location: string | null; source: string | null; repeatOf: number | null } | undefined;
    if (!c) continue;
    const dept =
      (deptQ.get(id) as { departmentId: string } | undefined)?.departmentId ??
      (lastDeptQ.get(id) as { departmentId: string } | undefined)?.departmentId ??
      null;
    const pubs = pubQ.all(id) as { kind: string; at: number }[];
    const first = pubs.find((p) => p.kind === 'final' || p.kind === 'intermediate');
    const final = pubs.find((p) => p.kind === 'final');
    cases.push({
      id,
      detectedAt: c.detectedAt,
      departmentId: dept,
      topic: c.topic,
      location: c.location,
      source: c.source,
      repeat: c.repeatOf !== null,
      firstResponseAt: first?.at ?? null,
      finalAnswerAt: final?.at ?? null,
    });
    for (const d of dlQ.all(id) as ReportDeadline[]) deadlines.push(d);
    for (const e of evQ.all(id) as { type: string; at: number; data: string | null }[]) {
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
  }
  return { cases, deadlines, events };
}
