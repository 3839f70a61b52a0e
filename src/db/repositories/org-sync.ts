import { createHash } from 'node:crypto';
import { eq, notInArray, and, or } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { departments, staff, outsideBodies } from '../schema/org.js';
import type { Role } from '../../domain/regulation/schema.js';

/** What the sync reads of the organization file (src/config validates it; the db layer only stores it). */
export interface OrganizationEntries {
  departments: readonly { id: string; name: string; topics: string[] }[];
  outsideBodies: readonly { id: string; name: string; contacts: string }[];
  staff: readonly {
    telegramId?: number;
    /** The MAX user id; the person works in MAX when `workspaceId` is his MAX workspace id. */
    maxUserId?: number;
    /** The chat id of the messenger he works in (kernel/workspace-id.ts); his Telegram id when absent. */
    workspaceId?: number;
    name: string;
    roles: Role[];
    department?: string | null;
    locale?: string | null;
    supervises?: string[];
  }[];
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

    const kept: number[] = [];
    for (const s of org.staff) {
      const workspaceId = s.workspaceId ?? s.telegramId!;
      // `supervises` and the MAX fields only when given, so the digests of the other entries (and what was changed in the bot) stay.
      const ids = s.maxUserId !== undefined ? { maxUserId: s.maxUserId, telegramUserId: s.telegramId ?? null } : {};
      const entry = { name: s.name, roles: s.roles, departmentId: s.department ?? null, locale: s.locale ?? null, ...(s.supervises?.length ? { supervises: s.supervises } : {}) };
      const digest = createHash('sha256')
        .update(JSON.stringify(s.maxUserId !== undefined ? { ...entry, ...ids, workspaceId } : entry))
        .digest('hex')
        .slice(0, 16);
      // The same person whichever messenger he is in now: by his chat id, his MAX id or his Telegram id.
      const match = [eq(staff.telegramId, workspaceId)];
      if (s.maxUserId !== undefined) match.push(eq(staff.maxUserId, s.maxUserId));
      if (s.telegramId !== undefined) match.push(eq(staff.telegramId, s.telegramId), eq(staff.telegramUserId, s.telegramId));
      const existing = tx
        .select()
        .from(staff)
        .where(or(...match))
        .get();
      if (existing) kept.push(existing.id);
      if (existing && existing.origin === 'config' && existing.configDigest === digest) continue;
      const messengers = { telegramId: workspaceId, ...ids };
      if (existing) {
        tx.update(staff)
          .set({ ...entry, ...messengers, active: true, origin: 'config', configDigest: digest, updatedAt: now })
          .where(eq(staff.id, existing.id))
          .run();
        continue;
      }
      const row = tx
        .insert(staff)
        .values({ ...messengers, ...entry, active: true, origin: 'config', configDigest: digest, createdAt: now, updatedAt: now })
        .returning({ id: staff.id })
        .get();
      kept.push(row.id);
    }
    const removed = tx
      .update(staff)
      // Forget the applied entry, so being put back into the file reactivates the person.
      .set({ active: false, configDigest: null, updatedAt: now })
      .where(
        and(
          eq(staff.origin, 'config'),
          eq(staff.active, true),
          notInArray(staff.id, kept),
        ),
      )
      .run().changes;
    if (removed > 0) logger?.info({ removed }, 'organization: people no longer in the file were deactivated');
  });
}
