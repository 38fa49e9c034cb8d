import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { accessGrants, auditLog, driverGroupMembers } from '@/lib/db/schema';
import { setAccessPolicy } from './access-policies';
import {
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  setGroupMembers,
  updateGroup,
} from './driver-groups';
import { createDriver } from './drivers';
import { anOrganisation, aSite, aStation, aUser, expectError } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

const auditOf = (targetId: string) =>
  db.select().from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(auditLog.id);

describe('createGroup and updateGroup', () => {
  it('creates, renames and audits; a name in use (any case) is refused on the name field', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const fleet = await createGroup(db, admin, { name: ' Fleet A ', description: '' });
    expect(fleet).toMatchObject({ name: 'Fleet A', description: null, organisationId: org.id });
    const staff = await createGroup(db, admin, { name: 'Employees', description: 'Badge holders' });

    const taken = await expectError(createGroup(db, admin, { name: 'employees' }), 'conflict');
    expect(taken.fieldErrors).toEqual({ name: 'A group with this name exists already' });
    const renameTaken = await expectError(
      updateGroup(db, admin, fleet.id, { name: 'EMPLOYEES' }),
      'conflict',
    );
    expect(renameTaken.fieldErrors).toEqual({ name: 'A group with this name exists already' });

    // Its own name in another case is fine; other organisations have their own names.
    const renamed = await updateGroup(db, admin, fleet.id, { name: 'FLEET A', description: 'Vans' });
    expect(renamed).toMatchObject({ name: 'FLEET A', description: 'Vans' });
    await expect(
      createGroup(db, await aUser(db, (await anOrganisation(db)).id), { name: 'Employees' }),
    ).resolves.toBeTruthy();

    expect((await auditOf(fleet.id)).map((a) => a.action)).toEqual([
      'driver-group.create',
      'driver-group.update',
    ]);
    expect((await auditOf(staff.id)).map((a) => a.action)).toEqual(['driver-group.create']);
  });

  it('lets managers manage groups and refuses technicians', async () => {
    const org = await anOrganisation(db);
    const manager = await aUser(db, org.id, { role: 'manager' });
    const technician = await aUser(db, org.id, { role: 'technician' });
    const group = await createGroup(db, manager, { name: 'Visitors' });
    expect((await listGroups(db, manager)).map((g) => g.id)).toEqual([group.id]);
    await expectError(listGroups(db, technician), 'forbidden');
    await expectError(getGroup(db, technician, group.id), 'forbidden');
    await expectError(createGroup(db, technician, { name: 'Nope' }), 'forbidden');
    await expectError(updateGroup(db, technician, group.id, { name: 'Nope' }), 'forbidden');
    await expectError(deleteGroup(db, technician, group.id), 'forbidden');
    await expectError(setGroupMembers(db, technician, group.id, []), 'forbidden');
  });

  it('does not find groups of another organisation', async () => {
    const admin = await aUser(db, (await anOrganisation(db)).id);
    const foreign = await createGroup(db, await aUser(db, (await anOrganisation(db)).id), {
      name: 'Foreign',
    });
    await expectError(getGroup(db, admin, foreign.id), 'not_found');
    await expectError(updateGroup(db, admin, foreign.id, { name: 'Mine' }), 'not_found');
    await expectError(deleteGroup(db, admin, foreign.id), 'not_found');
    await expectError(setGroupMembers(db, admin, foreign.id, []), 'not_found');
    await expectError(getGroup(db, admin, 'not-a-uuid'), 'not_found');
  });
});

describe('setGroupMembers', () => {
  it('replaces the members and audits what was added and removed', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const [ann, ben, cat] = [
      await createDriver(db, admin, { name: 'Ann', email: 'ann@example.test' }),
      await createDriver(db, admin, { name: 'Ben' }),
      await createDriver(db, admin, { name: 'Cat' }),
    ];
    const group = await createGroup(db, admin, { name: 'Night shift' });

    expect(await setGroupMembers(db, admin, group.id, [ann.id, ben.id, ann.id])).toEqual({
      added: 2,
      removed: 0,
    });
    expect(await setGroupMembers(db, admin, group.id, [ben.id, cat.id])).toEqual({ added: 1, removed: 1 });

    const detail = await getGroup(db, admin, group.id);
    expect(detail.memberCount).toBe(2);
    expect(detail.members).toEqual([
      { id: ben.id, name: 'Ben', email: null },
      { id: cat.id, name: 'Cat', email: null },
    ]);
    const audit = (await auditOf(group.id)).filter((a) => a.action === 'driver-group.set-members');
    expect(audit.map((a) => a.details)).toEqual([
      expect.objectContaining({ added: 2, removed: 0, memberCount: 2 }),
      expect.objectContaining({ added: 1, removed: 1, memberCount: 2 }),
    ]);

    expect(await setGroupMembers(db, admin, group.id, [])).toEqual({ added: 0, removed: 2 });
    expect((await getGroup(db, admin, group.id)).members).toEqual([]);
  });

  it('refuses drivers of another organisation and changes nothing', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const mine = await createDriver(db, admin, { name: 'Mine' });
    const foreign = await createDriver(db, await aUser(db, (await anOrganisation(db)).id), {
      name: 'Foreign',
    });
    const group = await createGroup(db, admin, { name: 'Mixed' });
    await setGroupMembers(db, admin, group.id, [mine.id]);
    const error = await expectError(setGroupMembers(db, admin, group.id, [foreign.id]), 'not_found');
    expect(error.fieldErrors).toEqual({ driverIds: 'Choose drivers of your organisation' });
    const members = await db
      .select()
      .from(driverGroupMembers)
      .where(eq(driverGroupMembers.groupId, group.id));
    expect(members.map((m) => m.driverId)).toEqual([mine.id]);
  });
});

describe('listGroups and getGroup', () => {
  it('shows member counts and the grants a caller may see', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const [north, south] = [
      await aSite(db, org.id, { name: 'North depot' }),
      await aSite(db, org.id, { name: 'South depot' }),
    ];
    const station = await aStation(db, org.id, south.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [north.id] });
    const fleet = await createGroup(db, admin, { name: 'Fleet' });
    const empty = await createGroup(db, admin, { name: 'Alpha' });
    await setGroupMembers(db, admin, fleet.id, [(await createDriver(db, admin, { name: 'D' })).id]);
    const windows = [{ days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' }];
    await setAccessPolicy(
      db,
      admin,
      { siteId: north.id },
      {
        mode: 'restricted',
        grants: [{ groupId: fleet.id, windows, maxPowerW: 11_000 }],
      },
    );
    await setAccessPolicy(
      db,
      admin,
      { stationId: station.id },
      {
        mode: 'restricted',
        grants: [{ groupId: fleet.id }],
      },
    );

    const groups = await listGroups(db, admin);
    expect(groups.map((g) => [g.name, g.memberCount])).toEqual([
      ['Alpha', 0],
      ['Fleet', 1],
    ]);
    expect(groups[0]).toMatchObject({ id: empty.id, grants: [] });
    expect(groups[1]?.grants).toEqual([
      {
        policyId: expect.any(String),
        target: { kind: 'site', id: north.id, name: 'North depot' },
        windows,
        maxPowerW: 11_000,
      },
      {
        policyId: expect.any(String),
        target: { kind: 'station', id: station.id, identity: station.identity },
        windows: [],
        maxPowerW: null,
      },
    ]);
    // The manager of the north depot does not see the station of the south depot.
    expect((await getGroup(db, manager, fleet.id)).grants.map((g) => g.target.id)).toEqual([north.id]);
  });
});

describe('deleteGroup', () => {
  it('removes the group with its memberships and grants, and audits which policies lost a grant', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const site = await aSite(db, org.id);
    const group = await createGroup(db, admin, { name: 'Temporary' });
    await setGroupMembers(db, admin, group.id, [(await createDriver(db, admin, { name: 'E' })).id]);
    await setAccessPolicy(
      db,
      admin,
      { siteId: site.id },
      { mode: 'restricted', grants: [{ groupId: group.id }] },
    );

    await deleteGroup(db, admin, group.id);
    await expectError(getGroup(db, admin, group.id), 'not_found');
    expect(await db.select().from(accessGrants).where(eq(accessGrants.groupId, group.id))).toEqual([]);
    const [audit] = (await auditOf(group.id)).filter((a) => a.action === 'driver-group.delete');
    expect(audit?.details).toMatchObject({
      name: 'Temporary',
      memberCount: 1,
      policyIds: [expect.any(String)],
    });
  });
});
