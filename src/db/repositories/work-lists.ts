import { and, asc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { assignments, cases, deadlines } from '../schema/cases.js';
import type { StaffRow } from './staff.js';

/** The reads behind /case, /queue and /overdue: cases by number, who holds a case, deadlines by person. */

export interface DeadlineItem {
  caseId: number;
  number: number;
  status: string;
  kind: string | null;
  dueAt: number | null;
}

/** The id of the case with this number, or null. */
export function caseIdByNumber(db: Db, number: number): number | null {
  return db.select({ id: cases.id }).from(cases).where(eq(cases.number, number)).get()?.id ?? null;
}

export function caseExists(db: Db, caseId: number): boolean {
  return db.select({ id: cases.id }).from(cases).where(eq(cases.id, caseId)).get() !== undefined;
}

/** The person holds an assignment of the case, or his department does. */
export function holdsAssignment(db: Db, person: Pick<StaffRow, 'id' | 'departmentId'>, caseId: number): boolean {
  const a = db
    .select({ seq: assignments.seq })
    .from(assignments)
    .where(and(eq(assignments.caseId, caseId), or(eq(assignments.executorId, person.id), person.departmentId ? eq(assignments.departmentId, person.departmentId) : isNull(assignments.caseId))))
    .get();
  return !!a;
}

/** Open deadlines that name the person, or his role (in his department when one is named). */
function namingPerson(person: Pick<StaffRow, 'id' | 'roles' | 'departmentId'>) {
  const conds = [eq(deadlines.staffId, person.id)];
  for (const role of person.roles) {
    conds.push(and(isNull(deadlines.staffId), eq(deadlines.role, role), isNull(deadlines.departmentId))!);
    if (person.departmentId) conds.push(and(isNull(deadlines.staffId), eq(deadlines.role, role), eq(deadlines.departmentId, person.departmentId))!);
  }
  return or(...conds)!;
}

/** Open or paused deadlines of the person, soonest first. */
export function deadlinesOf(db: Db, person: Pick<StaffRow, 'id' | 'roles' | 'departmentId'>): DeadlineItem[] {
  return db
    .select({ caseId: cases.id, number: cases.number, status: cases.status, kind: deadlines.kind, dueAt: deadlines.dueAt })
    .from(deadlines)
    .innerJoin(cases, eq(cases.id, deadlines.caseId))
    .where(and(inArray(deadlines.status, ['open', 'paused']), namingPerson(person)))
    .orderBy(asc(deadlines.dueAt))
    .all();
}

/** Cases not routed yet (new or returned), oldest first. */
export function unroutedCases(db: Db): { caseId: number; number: number; status: string }[] {
  return db
    .select({ caseId: cases.id, number: cases.number, status: cases.status })
    .from(cases)
    .where(inArray(cases.status, ['new', 'returned']))
    .orderBy(asc(cases.id))
    .all();
}

/** Open deadlines past `now`: all of them, or the person's. */
export function overdueDeadlines(db: Db, now: number, person: Pick<StaffRow, 'id' | 'roles' | 'departmentId'> | null): DeadlineItem[] {
  const where = and(eq(deadlines.status, 'open'), lt(deadlines.dueAt, now), person ? namingPerson(person) : undefined);
  return db
    .select({ caseId: cases.id, number: cases.number, status: cases.status, kind: deadlines.kind, dueAt: deadlines.dueAt })
    .from(deadlines)
    .innerJoin(cases, eq(cases.id, deadlines.caseId))
    .where(where)
    .orderBy(asc(deadlines.dueAt))
    .all();
}
