import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { staff, departments } from '../../../src/db/schema/org.js';
import { syncOrganization } from '../../../src/db/repositories/org-sync.js';
import { parseOrganization } from '../../../src/config/organization.js';
import { organizationYaml } from '../../support/service.js';

describe('importing the organization file', () => {
  let dir: string;
  let handle: DatabaseHandle;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'otklik-org-'));
    handle = openDatabase(path.join(dir, 'db.sqlite'));
  });
  afterEach(() => {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const person = (telegramId: number) => handle.db.select().from(staff).where(eq(staff.telegramId, telegramId)).get()!;

  it('is idempotent and upserts people and departments', () => {
    const org = parseOrganization(organizationYaml(), 'org.yaml');
    syncOrganization(handle.db, org, 1);
    syncOrganization(handle.db, org, 2);
    expect(handle.db.select().from(staff).all()).toHaveLength(7);
    expect(
      handle.db
        .select()
        .from(departments)
        .all()
        .map((d) => d.id)
        .sort(),
    ).toEqual(['roads', 'zhkh']);
    expect(person(100002)).toMatchObject({ name: 'Петров П.П.', roles: ['executor'], departmentId: 'zhkh', active: true });
  });

  it('deactivates, never deletes, someone removed from the file', () => {
    syncOrganization(handle.db, parseOrganization(organizationYaml(), 'org.yaml'), 1);
    const without = organizationYaml().replace(/\n {2}- \{ telegramId: 100006[^\n]*/, '');
    syncOrganization(handle.db, parseOrganization(without, 'org.yaml'), 2);
    expect(person(100006)).toMatchObject({ active: false, name: 'Васильев Д.А.' });
    syncOrganization(handle.db, parseOrganization(organizationYaml(), 'org.yaml'), 3);
    expect(person(100006).active).toBe(true);
  });

  it('keeps a change made in the bot until the file entry itself changes', () => {
    syncOrganization(handle.db, parseOrganization(organizationYaml(), 'org.yaml'), 1);
    // The administrator deactivated the executor and made the coordinator also an administrator in /staff.
    handle.db.update(staff).set({ active: false }).where(eq(staff.telegramId, 100002)).run();
    handle.db
      .update(staff)
      .set({ roles: ['coordinator', 'administrator'] })
      .where(eq(staff.telegramId, 100005))
      .run();
    syncOrganization(handle.db, parseOrganization(organizationYaml(), 'org.yaml'), 2);
    expect(person(100002).active).toBe(false);
    expect(person(100005).roles).toEqual(['coordinator', 'administrator']);
    // The file now says something new about the coordinator: the file wins.
    const changed = organizationYaml().replace('Кисина С.О., roles: [coordinator]', 'Кисина С.О., roles: [coordinator, head]');
    syncOrganization(handle.db, parseOrganization(changed, 'org.yaml'), 3);
    expect(person(100005).roles).toEqual(['coordinator', 'head']);
    expect(person(100002).active).toBe(false);
  });
});
