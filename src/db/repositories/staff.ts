import { and, asc, eq, gt, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import { invites } from '../schema/bot.js';
import type { Absence } from '../../domain/workflow/model.js';
import type { Db } from '../connection.js';
import { batchScope, prepared } from './fast.js';
import { absences, departments, outsideBodies, staff } from '../schema/org.js';

/** Reads of the people, departments, outside bodies and absences (tables of schema/org.ts). */

export type StaffRow = typeof staff.$inferSelect;
export type OutsideBodyRow = typeof outsideBodies.$inferSelect;

export function staffById(db: Db, id: number | null | undefined): StaffRow | null {
  if (id === null || id === undefined) return null;
  return db.select().from(staff).where(eq(staff.id, id)).get() ?? null;
}

export function staffByTelegramId(db: Db, telegramId: number): StaffRow | null {
  return db.select().from(staff).where(eq(staff.telegramId, telegramId)).get() ?? null;
}

/** Everyone, active or not (in id order, or by name). */
export function allStaff(db: Db, order: 'id' | 'name' = 'id'): StaffRow[] {
  return order === 'name' ? db.select().from(staff).orderBy(asc(staff.name)).all() : db.select().from(staff).all();
}

/** Active staff, read through a statement prepared once per connection (notices run it per step). */
export function activeStaff(db: Db): StaffRow[] {
  const read = () => prepared(db, 'bot.activeStaff', () => db.select().from(staff).where(eq(staff.active, true)).prepare()).all();
  // Within a batch of ingest, read once (repositories/fast.ts `batchScope`); callers never change the list.
  const scope = batchScope(db);
  if (!scope) return read();
  let rows = scope.get('staff.active') as StaffRow[] | undefined;
  if (!rows) scope.set('staff.active', (rows = read()));
  return rows;
}

/** Active staff of a department. */
export function activeStaffOfDepartment(db: Db, departmentId: string): StaffRow[] {
  return db
    .select()
    .from(staff)
    .where(and(eq(staff.active, true), eq(staff.departmentId, departmentId)))
    .all();
}

/** Active staff other than `staffId`, by name. */
export function activeColleaguesOf(db: Db, staffId: number): StaffRow[] {
  return db
    .select()
    .from(staff)
    .where(and(eq(staff.active, true), ne(staff.id, staffId)))
    .orderBy(asc(staff.name))
    .all();
}

export function staffNames(db: Db, ids: readonly number[]): { id: number; name: string }[] {
  return ids.length
    ? db
        .select({ id: staff.id, name: staff.name })
        .from(staff)
        .where(inArray(staff.id, [...ids]))
        .all()
    : [];
}

export function departmentNames(db: Db): { id: string; name: string }[] {
  return db.select({ id: departments.id, name: departments.name }).from(departments).all();
}

export function outsideBodyById(db: Db, id: string): OutsideBodyRow | null {
  return db.select().from(outsideBodies).where(eq(outsideBodies.id, id)).get() ?? null;
}

/** Absences in force now (А6.3), for the workflow context. */
export function absencesNow(db: Db, now: number): Absence[] {
  const scope = batchScope(db);
  if (!scope) {
    return prepared(db, 'bot.absencesNow', () =>
      db
        .select()
        .from(absences)
        .where(and(lte(absences.fromTs, sql.placeholder('now')), gt(absences.untilTs, sql.placeholder('now'))))
        .prepare(),
    )
      .all({ now })
      .map(toAbsence);
  }
  // Within a batch of ingest: every absence not over at the first `now` asked, read once; an absence in
  // force at a later `now` is among them (an earlier `now` reads again).
  let kept = scope.get('staff.absences') as { since: number; list: Absence[] } | undefined;
  if (!kept || now < kept.since) {
    const list = prepared(db, 'bot.absencesNotOver', () =>
      db
        .select()
        .from(absences)
        .where(gt(absences.untilTs, sql.placeholder('now')))
        .prepare(),
    )
      .all({ now })
      .map(toAbsence);
    scope.set('staff.absences', (kept = { since: now, list }));
  }
  return kept.list.filter((a) => a.from <= now && a.until > now);
}

const toAbsence = (a: typeof absences.$inferSelect): Absence => ({ staffId: a.staffId, from: a.fromTs, until: a.untilTs, substituteId: a.substituteId });

/** Records an absence (А6.3) from `from` until `until`. */
export function insertAbsence(db: Db, absence: { staffId: number; from: number; until: number; substituteId: number | null; note: string }, now: number): void {
  db.insert(absences).values({ staffId: absence.staffId, fromTs: absence.from, untilTs: absence.until, substituteId: absence.substituteId, note: absence.note, createdAt: now }).run();
}

/** A department's name (its id when unknown). */
export function departmentName(db: Db, id: string): string {
  return db.select().from(departments).where(eq(departments.id, id)).get()?.name ?? id;
}

export type NewStaffRow = typeof staff.$inferInsert;

/** Changes a person's roles or activity; returns the row as it is now. */
export function updateStaff(db: Db, id: number, patch: Partial<Pick<StaffRow, 'roles' | 'active'>>, now: number): StaffRow {
  return db
    .update(staff)
    .set({ ...patch, updatedAt: now })
    .where(eq(staff.id, id))
    .returning()
    .get();
}

/**
 * Moves a person to another messenger: his chat id becomes `workspaceId`, the id he leaves is kept
 * (`telegramUserId` when he leaves Telegram), so he can come back. Returns the row as it is now.
 */
export function moveStaffWorkspace(db: Db, id: number, workspaceId: number, keep: { telegramUserId?: number }, now: number): StaffRow {
  return db
    .update(staff)
    .set({ telegramId: workspaceId, ...keep, updatedAt: now })
    .where(eq(staff.id, id))
    .returning()
    .get();
}

/** Adds the person who joined by invite, or gives his existing row the invite's role and department. */
export function upsertInvitedStaff(db: Db, values: NewStaffRow & { roles: string[] }, now: number): StaffRow {
  return db
    .insert(staff)
    .values(values)
    .onConflictDoUpdate({ target: staff.telegramId, set: { roles: values.roles, departmentId: values.departmentId, active: true, origin: 'invite', updatedAt: now } })
    .returning()
    .get();
}

export type InviteRow = typeof invites.$inferSelect;

export function createInvite(db: Db, invite: typeof invites.$inferInsert): void {
  db.insert(invites).values(invite).run();
}

/** Marks an unused, unexpired invite used by `usedBy`; returns it, or null when there is none such. */
export function useInvite(db: Db, token: string, usedBy: number, now: number): InviteRow | null {
  const invite = db
    .select()
    .from(invites)
    .where(and(eq(invites.token, token), isNull(invites.usedAt), gt(invites.expiresAt, now)))
    .get();
  if (!invite) return null;
  db.update(invites).set({ usedBy, usedAt: now }).where(eq(invites.token, token)).run();
  return invite;
}

/** Outside bodies still in use, in id order. */
export function activeOutsideBodies(db: Db): OutsideBodyRow[] {
  return db.select().from(outsideBodies).where(eq(outsideBodies.active, true)).orderBy(outsideBodies.id).all();
}

export type DepartmentRow = typeof departments.$inferSelect;

export function allDepartments(db: Db): DepartmentRow[] {
  return db.select().from(departments).all();
}

/** The people with these ids (any activity). */
export function staffByIds(db: Db, ids: readonly number[]): StaffRow[] {
  return ids.length
    ? db
        .select()
        .from(staff)
        .where(inArray(staff.id, [...ids]))
        .all()
    : [];
}
