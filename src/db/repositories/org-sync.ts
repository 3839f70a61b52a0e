import { createHash } from 'node:crypto';
import { eq, notInArray, and } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { departments, staff, outsideBodies } from '../schema/org.js';
import type { Role } from '../../domain/regulation/schema.js';

/** What the sync reads of the organization file (src/config validates it; the db layer only stores it). */
export interface OrganizationEntries {
  departments: readonly { id: string; name: string; topics: string[] }[];
  outsideBodies: readonly { id: string; name: string; contacts: string }[];
  staff: readonly { telegramId: number; name: string; roles: Role[]; department?: string | null; locale?: string | null; supervises?: string[] }[];
}
import type { Logger } from '../../infra/logger.js';

/**
 * Imports the organization file into the database at every start, idempotently: departments,
 * people and outside bodies are upserted; people removed from the file are deactivated, never
 * deleted (their history stays). People who joined through an invite are left alone. A person's
 * entry is re-applied only when it changed since it was last applied, so what an administrator
 * changed in the bot (roles, deactivation) survives a restart until the file says otherwise.
 */
export function syncOrganization(db: Db, org: OrganizationEntries, now: number, logger?: Logger): void {
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
    tx.update(outsideBodies)
      .set({ active: false })
      .where(notInArray(outsideBodies.id, org.outsideBodies.map((b) => b.id).concat([''])))
      .run();

    for (const s of org.staff) {
      // `supervises` only when given, so the digests of the other entries (and what was changed in the bot) stay.
      const entry = { name: s.name, roles: s.roles, departmentId: s.department ?? null, locale: s.locale ?? null, ...(s.supervises?.length ? { supervises: s.supervises } : {}) };
      const digest = createHash('sha256').update(JSON.stringify(entry)).digest('hex').slice(0, 16);
      const existing = tx.select().from(staff).where(eq(staff.telegramId, s.telegramId)).get();
      if (existing && existing.origin === 'config' && existing.configDigest === digest) continue;
      tx.insert(staff)
        .values({ telegramId: s.telegramId, ...entry, active: true, origin: 'config', configDigest: digest, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: staff.telegramId,
          set: { ...entry, active: true, origin: 'config', configDigest: digest, updatedAt: now },
        })
        .run();
    }
    const removed = tx
      .update(staff)
      // Forget the applied entry, so being put back into the file reactivates the person.
      .set({ active: false, configDigest: null, updatedAt: now })
      .where(
        and(
          eq(staff.origin, 'config'),
          eq(staff.active, true),
          notInArray(
            staff.telegramId,
            org.staff.map((s) => s.telegramId),
          ),
        ),
      )
      .run().changes;
    if (removed > 0) logger?.info({ removed }, 'organization: people no longer in the file were deactivated');
  });
}
