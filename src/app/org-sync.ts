import { eq, notInArray, and } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { departments, staff, outsideBodies } from '../db/schema/org.js';
import type { Organization } from '../config/organization.js';
import type { Logger } from '../infra/logger.js';

/**
 * Imports the organization file into the database at every start, idempotently: departments,
 * people and outside bodies are upserted; people removed from the file are deactivated, never
 * deleted (their history stays). People who joined through an invite are left alone.
 */
export function syncOrganization(db: Db, org: Organization, now: number, logger?: Logger): void {
  db.transaction((tx) => {
    for (const d of org.departments) {
      tx.insert(departments)
        .values({ id: d.id, name: d.name, topics: d.topics, active: true })
        .onConflictDoUpdate({ target: departments.id, set: { name: d.name, topics: d.topics, active: true } })
        .run();
    }
    const deptIds = org.departments.map((d) => d.id);
    tx.update(departments).set({ active: false }).where(notInArray(departments.id, deptIds)).run();

    for (const b of org.outsideBodies) {
      tx.insert(outsideBodies)
        .values({ id: b.id, name: b.name, contacts: b.contacts, active: true })
        .onConflictDoUpdate({ target: outsideBodies.id, set: { name: b.name, contacts: b.contacts, active: true } })
        .run();
    }
    tx.update(outsideBodies).set({ active: false }).where(notInArray(outsideBodies.id, org.outsideBodies.map((b) => b.id).concat(['']))).run();

    for (const s of org.staff) {
      tx.insert(staff)
        .values({
          telegramId: s.telegramId,
          name: s.name,
          roles: s.roles,
          departmentId: s.department ?? null,
          active: true,
          origin: 'config',
          locale: s.locale ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: staff.telegramId,
          set: { name: s.name, roles: s.roles, departmentId: s.department ?? null, active: true, origin: 'config', locale: s.locale ?? null, updatedAt: now },
        })
        .run();
    }
    const removed = tx
      .update(staff)
      .set({ active: false, updatedAt: now })
      .where(and(eq(staff.origin, 'config'), eq(staff.active, true), notInArray(staff.telegramId, org.staff.map((s) => s.telegramId))))
      .run().changes;
    if (removed > 0) logger?.info({ removed }, 'organization: people no longer in the file were deactivated');
  });
}
