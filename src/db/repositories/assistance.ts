import type Database from 'better-sqlite3';

/**
 * What the assistance (src/kernel/assistance.ts over src/domain/assist) reads: the routing decisions
 * the department classifier learns from, the recent cases a new one may repeat, and the answer of the
 * best repeat candidate. On the raw handle: read before any drizzle query is needed.
 */

export interface RoutingDecisionRow {
  row: number;
  case_id: number;
  seq: number;
  department_id: string;
  text: string;
}

/** The newest assignments rowid (null when there are none). */
export function lastAssignmentRowId(sqlite: Database.Database): number | null {
  return (sqlite.prepare('SELECT max(rowid) AS id FROM assignments').get() as { id: number | null }).id;
}

/** Responsible assignments stored after rowid `after`, with the text of their case's first message, in rowid order. */
export function routingDecisionsAfter(sqlite: Database.Database, after: number): RoutingDecisionRow[] {
  return sqlite
    .prepare(
      `SELECT a.rowid AS row, a.case_id, a.seq, a.department_id, m.text FROM assignments a
       JOIN case_messages cm ON cm.case_id = a.case_id AND cm.position = 0
       JOIN messages m ON m.id = cm.message_id
       WHERE a.rowid > ? AND a.role = 'responsible' ORDER BY a.rowid`,
    )
    .all(after) as RoutingDecisionRow[];
}

export interface EarlierCaseRow {
  id: number;
  number: number;
  text: string;
  author: string | null;
  location: string | null;
  department: string | null;
  detected_at: number;
}

/** Cases other than `exceptCaseId` detected in [since, until] and not rejected, newest first, with their first message and latest responsible department. */
export function earlierCasesForRepeats(sqlite: Database.Database, exceptCaseId: number, since: number, until: number, limit: number): EarlierCaseRow[] {
  return sqlite
    .prepare(
      `SELECT c.id, c.number, m.text, m.author_external_id AS author, c.location, c.detected_at,
         (SELECT a.department_id FROM assignments a WHERE a.case_id = c.id AND a.role = 'responsible' ORDER BY a.seq DESC LIMIT 1) AS department
       FROM cases c
       JOIN case_messages cm ON cm.case_id = c.id AND cm.position = 0
       JOIN messages m ON m.id = cm.message_id
       WHERE c.id <> ? AND c.status NOT IN ('rejected') AND c.detected_at >= ? AND c.detected_at <= ?
       ORDER BY c.id DESC LIMIT ?`,
    )
    .all(exceptCaseId, since, until, limit) as EarlierCaseRow[];
}

/** The text of the draft version last published on a case, or null. */
export function publishedAnswerText(sqlite: Database.Database, caseId: number): string | null {
  const row = sqlite
    .prepare(
      `SELECT dv.text FROM publications p JOIN draft_versions dv ON dv.case_id = p.case_id AND dv.draft_seq = p.draft_seq
       WHERE p.case_id = ? ORDER BY p.seq DESC, dv.n DESC LIMIT 1`,
    )
    .get(caseId) as { text: string } | undefined;
  return row?.text ?? null;
}
