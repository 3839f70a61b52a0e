import type { CaseState, Millis } from './model.js';

/** What the monthly summary reads of a case, kept on its row (docs/reports.md). */
export interface SummaryFacts {
  /** Department of the responsible assignment: the latest not returned or withdrawn, else the latest; null if never routed. */
  summaryDepartmentId: string | null;
  /** First published intermediate or final answer. */
  firstResponseAt: Millis | null;
  /** First published final answer. */
  finalAnswerAt: Millis | null;
}

export function summaryFacts(s: Pick<CaseState, 'assignments' | 'publications'>): SummaryFacts {
  let live: { seq: number; departmentId: string } | null = null;
  let latest: { seq: number; departmentId: string } | null = null;
  for (const a of s.assignments) {
    if (a.role !== 'responsible') continue;
    if (!latest || a.seq > latest.seq) latest = a;
    if (a.status !== 'returned' && a.status !== 'withdrawn' && (!live || a.seq > live.seq)) live = a;
  }
  let firstResponseAt: Millis | null = null;
  let finalAnswerAt: Millis | null = null;
  for (const p of s.publications) {
    if (p.kind !== 'final' && p.kind !== 'intermediate') continue;
    if (firstResponseAt === null || p.at < firstResponseAt) firstResponseAt = p.at;
    if (p.kind === 'final' && (finalAnswerAt === null || p.at < finalAnswerAt)) finalAnswerAt = p.at;
  }
  return { summaryDepartmentId: (live ?? latest)?.departmentId ?? null, firstResponseAt, finalAnswerAt };
}
