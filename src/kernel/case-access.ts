import type { Db } from '../db/connection.js';
import { holdsAssignment } from '../db/repositories/work-lists.js';
import type { StaffRow } from '../db/repositories/staff.js';

/** Roles that see every case: they answer for the whole flow (administrator), the outcome (head) or the reports (coordinator). */
export const WIDE_ROLES: readonly string[] = ['administrator', 'coordinator', 'head'];

export function hasWideRole(person: Pick<StaffRow, 'roles'>): boolean {
  return person.roles.some((r) => WIDE_ROLES.includes(r));
}

/**
 * Whether a person may see a case: the wide roles see all; the others the cases assigned to them or to
 * their department. The one rule behind /case, /find and the cards a chat may keep.
 */
export function maySee(db: Db, person: Pick<StaffRow, 'id' | 'roles' | 'departmentId'>, caseId: number): boolean {
  return hasWideRole(person) || holdsAssignment(db, person, caseId);
}
