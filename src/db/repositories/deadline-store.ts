import type Database from 'better-sqlite3';

/**
 * The scheduler's reads of the case storage (src/db/schema/cases.ts), in one place. Every hot-path
 * query goes through an index: open deadlines by (status, due_at), cases by primary key, recent
 * cases by detection time.
 */

export interface WatchedDeadline {
  caseId: number;
  seq: number;
  kind: string;
  clause: string;
  role: string | null;
  staffId: number | null;
  departmentId: string | null;
  startsAt: number;
  dueAt: number;
  caseNumber: number;
  urgent: boolean;
}

export interface CaseSummary {
  id: number;
  number: number;
  status: string;
  urgent: boolean;
  importance: string;
  topic: string | null;
  location: string | null;
  detectedAt: number;
}

export interface CaseStore {
  /** Open deadlines due before `until` (index on status, due_at). */
  openDeadlinesDueBefore(until: number): WatchedDeadline[];
  caseSummary(caseId: number): CaseSummary | undefined;
  /** Text and link of the case's first message. */
  firstMessage(caseId: number): { text: string; permalink: string | null } | undefined;
  /** Cases detected in [from, to) with their topic and location (index on detected_at). */
  casesDetectedBetween(from: number, to: number): CaseSummary[];
  /** Responsible department of a case (the live responsible assignment). */
  responsibleDepartment(caseId: number): string | null;
}

/**
 * The statements the scheduler runs on every tick, named so a test can check each one's query plan
 * (test/unit/scheduler/store.test.ts: SEARCH through an index, never a SCAN of cases or deadlines).
 */
export const STORE_SQL = {
  dueSoon: `SELECT d.case_id AS caseId, d.seq AS seq, d.kind AS kind, d.clause AS clause, d.role AS role, d.staff_id AS staffId,
            d.department_id AS departmentId, d.starts_at AS startsAt, d.due_at AS dueAt, c.number AS caseNumber, c.urgent AS urgent
       FROM deadlines d JOIN cases c ON c.id = d.case_id
      WHERE d.status = 'open' AND d.due_at <= ?
      ORDER BY d.due_at`,
  summary: `SELECT id, number, status, urgent, importance, topic, location, detected_at AS detectedAt FROM cases WHERE id = ?`,
  between: `SELECT id, number, status, urgent, importance, topic, location, detected_at AS detectedAt FROM cases WHERE detected_at >= ? AND detected_at < ?`,
  first: `SELECT m.text AS text, m.permalink AS permalink FROM case_messages cm JOIN messages m ON m.id = cm.message_id
      WHERE cm.case_id = ? ORDER BY cm.position LIMIT 1`,
  responsible: `SELECT department_id AS departmentId FROM assignments WHERE case_id = ? AND role = 'responsible'
        AND status NOT IN ('returned', 'withdrawn') ORDER BY seq DESC LIMIT 1`,
} as const;

export function sqliteCaseStore(sqlite: Database.Database): CaseStore {
  const dueSoon = sqlite.prepare(STORE_SQL.dueSoon);
  const summary = sqlite.prepare(STORE_SQL.summary);
  const between = sqlite.prepare(STORE_SQL.between);
  const first = sqlite.prepare(STORE_SQL.first);
  const responsible = sqlite.prepare(STORE_SQL.responsible);
  const toSummary = (r: (Omit<CaseSummary, 'urgent'> & { urgent: number }) | undefined): CaseSummary | undefined => (r ? { ...r, urgent: Boolean(r.urgent) } : undefined);
  return {
    openDeadlinesDueBefore: (until) => (dueSoon.all(until) as (Omit<WatchedDeadline, 'urgent'> & { urgent: number })[]).map((r) => ({ ...r, urgent: Boolean(r.urgent) })),
    caseSummary: (id) => toSummary(summary.get(id) as never),
    firstMessage: (id) => first.get(id) as { text: string; permalink: string | null } | undefined,
    casesDetectedBetween: (from, to) => (between.all(from, to) as never[]).map((r) => toSummary(r)!),
    responsibleDepartment: (id) => (responsible.get(id) as { departmentId: string } | undefined)?.departmentId ?? null,
  };
}
