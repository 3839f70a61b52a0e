import type { Db } from '../../db/connection.js';
import { caseNumberOf, loadCase, loadEvents, loadMessage } from '../../db/repositories/case-store.js';
import { departmentNames, outsideBodyById, staffNames } from '../../db/repositories/staff.js';
import type { CaseState, Message } from '../../domain/workflow/model.js';

/** Everything a card shows, read from the database at render time. */
export interface CardView {
  state: CaseState;
  /** The case's messages in order (the first is the original). */
  messages: Message[];
  departmentNames: Map<string, string>;
  staffNames: Map<number, string>;
  outsideBody: { name: string; contacts: string } | null;
  /** Number of the earlier case this one repeats. */
  repeatOfNumber: number | null;
  /**
   * Who gave the case to its holders and what he asked: the last assignment step
   * (`assigned` / `reassigned`) with its author, time and note, and the department head's designation.
   */
  assignedBy: { name: string; staffId: number | null; at: number; note: string | null } | null;
  designatedBy: { name: string; at: number } | null;
}

export function loadCardView(db: Db, caseId: number): CardView | null {
  const state = loadCase(db, caseId);
  if (!state) return null;
  const msgs = state.messageIds.map((id) => loadMessage(db, id)).filter((m): m is Message => m !== null);
  const depts = departmentNames(db);
  const ids = new Set<number>();
  for (const a of state.assignments) {
    if (a.executorId !== null) ids.add(a.executorId);
    if (a.substituteFor !== null) ids.add(a.substituteFor);
  }
  for (const d of state.deadlines) if (d.staffId !== null) ids.add(d.staffId);
  const people = staffNames(db, [...ids]);
  const body = state.outsideBodyId ? outsideBodyById(db, state.outsideBodyId) : null;
  const rep = state.repeatOf !== null ? caseNumberOf(db, state.repeatOf) : null;
  let assignedBy = null as CardView['assignedBy'];
  let designatedBy = null as CardView['designatedBy'];
  if (state.assignments.length) {
    for (const e of loadEvents(db, caseId)) {
      if (e.type === 'assigned' || e.type === 'reassigned') {
        assignedBy = { name: e.actor.name, staffId: e.actor.staffId, at: e.at, note: e.comment ?? assignedBy?.note ?? null };
        designatedBy = null;
      } else if (e.type === 'executor_designated') designatedBy = { name: e.actor.name, at: e.at };
    }
  }
  return {
    state,
    messages: msgs,
    departmentNames: new Map(depts.map((d) => [d.id, d.name])),
    staffNames: new Map(people.map((p) => [p.id, p.name])),
    outsideBody: body ? { name: body.name, contacts: body.contacts } : null,
    repeatOfNumber: rep,
    assignedBy,
    designatedBy,
  };
}
