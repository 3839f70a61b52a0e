import type { Absence, Assignment, CaseState, Millis } from './model.js';
import { TERMINAL_STATUSES } from './model.js';

/**
 * Absences (А6.3): «с учетом возможности исполнения обязанностей исполнителей в период их
 * временного отсутствия … иными лицами».
 */

/** Whom `staffId` hands new work to at `now`: the substitute's id, `null` when away with nobody named, `undefined` when present. Follows chains of substitutes (A → B → C) without loops. */
export function substituteFor(staffId: number, now: Millis, absences: readonly Absence[]): number | null | undefined {
  const seen = new Set<number>([staffId]);
  let current = staffId;
  let result: number | null | undefined;
  for (;;) {
    const away = absences.find((a) => a.staffId === current && a.from <= now && now < a.until);
    if (!away) return result;
    if (away.substituteId === null || seen.has(away.substituteId)) return away.substituteId === null ? null : result;
    seen.add(away.substituteId);
    current = away.substituteId;
    result = current;
  }
}

export function isAbsent(staffId: number, now: Millis, absences: readonly Absence[]): boolean {
  return absences.some((a) => a.staffId === staffId && a.from <= now && now < a.until);
}

export interface OpenAssignmentOffer {
  caseId: number;
  caseNumber: number;
  assignment: Assignment;
  /** Who stands in for the absent person, if named: the department head's default choice. */
  suggestedExecutorId: number | null;
}

/**
 * The open assignments of a person who is away, offered to the department head for
 * reassignment (designateExecutor) — they are not moved silently, since the head knows whether
 * the work can wait.
 */
export function offerReassignmentOnAbsence(cases: readonly CaseState[], absence: Absence): OpenAssignmentOffer[] {
  const out: OpenAssignmentOffer[] = [];
  for (const c of cases) {
    if (TERMINAL_STATUSES.includes(c.status)) continue;
    for (const a of c.assignments) {
      if (a.executorId !== absence.staffId) continue;
      if (a.status !== 'assigned' && a.status !== 'accepted') continue;
      out.push({ caseId: c.id, caseNumber: c.number, assignment: a, suggestedExecutorId: absence.substituteId });
    }
  }
  return out;
}
