import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { accessGrants, accessPolicies, auditLog } from '@/lib/db/schema';
import { decideAccess } from './access';
import { clearStationPolicy, getAccessPolicy, setAccessPolicy } from './access-policies';
import { createGroup, setGroupMembers } from './driver-groups';
import { addToken, createDriver } from './drivers';
import { anOrganisation, aSite, aStation, aUser, expectError } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

/** An organisation with an admin, a site with a station, and two groups. */
async function aNetwork() {
  const org = await anOrganisation(db);
  const admin = await aUser(db, org.id);
  const site = await aSite(db, org.id, { timezone: 'America/Chicago' });
  const station = await aStation(db, org.id, site.id);
  const employees = await createGroup(db, admin, { name: 'Employees' });
  const fleet = await createGroup(db, admin, { name: 'Fleet' });
  return { org, admin, site, station, employees, fleet };
}

const weekdays = { days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' };

describe('getAccessPolicy', () => {
  it('shows public when nothing is set; a station without its own policy shows its site’s', async () => {
    const { admin, site, station, employees } = await aNetwork();
    expect(await getAccessPolicy(db, admin, { siteId: site.id })).toEqual({
      mode: 'public',
      inherited: false,
      grants: [],
    });
    expect(await getAccessPolicy(db, admin, { stationId: station.id })).toEqual({
      mode: 'public',
      inherited: true,
      grants: [],
    });

    await setAccessPolicy(
      db,
      admin,
      { siteId: site.id },
      {
        mode: 'restricted',
        grants: [{ groupId: employees.id, windows: [weekdays], maxPowerW: 7400 }],
      },
    );
    const grants = [{ groupId: employees.id, groupName: 'Employees', windows: [weekdays], maxPowerW: 7400 }];
    expect(await getAccessPolicy(db, admin, { siteId: site.id })).toEqual({
      mode: 'restricted',
      inherited: false,
      grants,
    });
    expect(await getAccessPolicy(db, admin, { stationId: station.id })).toEqual({
      mode: 'restricted',
      inherited: true,
      grants,
    });
  });

  it('is refused to technicians and limited to a manager’s sites', async () => {
    const { org, site, station } = await aNetwork();
    const otherSite = await aSite(db, org.id);
    const otherStation = await aStation(db, org.id, otherSite.id);
    const unplaced = await aStation(db, org.id, null);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    const technician = await aUser(db, org.id, { role: 'technician', siteIds: [site.id] });

    await expect(getAccessPolicy(db, manager, { siteId: site.id })).resolves.toBeTruthy();
    await expect(getAccessPolicy(db, manager, { stationId: station.id })).resolves.toBeTruthy();
    await expectError(getAccessPolicy(db, manager, { siteId: otherSite.id }), 'forbidden');
    await expectError(getAccessPolicy(db, manager, { stationId: otherStation.id }), 'not_found');
    await expectError(getAccessPolicy(db, manager, { stationId: unplaced.id }), 'not_found');
    await expectError(getAccessPolicy(db, technician, { siteId: site.id }), 'forbidden');
  });

  it('does not find sites and stations of another organisation', async () => {
    const { admin } = await aNetwork();
    const foreign = await aNetwork();
    await expectError(getAccessPolicy(db, admin, { siteId: foreign.site.id }), 'not_found');
    await expectError(getAccessPolicy(db, admin, { stationId: foreign.station.id }), 'not_found');
    await expectError(getAccessPolicy(db, admin, { siteId: 'not-a-uuid' }), 'not_found');
  });
});

describe('setAccessPolicy', () => {
  it('replaces the grants of the policy in place and audits before and after', async () => {
    const { admin, site, employees, fleet } = await aNetwork();
    await setAccessPolicy(
      db,
      admin,
      { siteId: site.id },
      {
        mode: 'restricted',
        grants: [{ groupId: employees.id }, { groupId: fleet.id, maxPowerW: 3700 }],
      },
    );
    const [policy] = await db.select().from(accessPolicies).where(eq(accessPolicies.siteId, site.id));
    await setAccessPolicy(
      db,
      admin,
      { siteId: site.id },
      {
        mode: 'restricted',
        grants: [{ groupId: fleet.id, windows: [{ days: [6, 0], start: '22:00', end: '06:00' }] }],
      },
    );

    const policies = await db.select().from(accessPolicies).where(eq(accessPolicies.siteId, site.id));
    expect(policies.map((p) => p.id)).toEqual([policy?.id]);
    const grants = await db.select().from(accessGrants).where(eq(accessGrants.policyId, policy!.id));
    expect(grants).toEqual([
      expect.objectContaining({
        groupId: fleet.id,
        windows: [{ days: [6, 0], start: '22:00', end: '06:00' }],
        maxPowerW: null,
      }),
    ]);

    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, site.id)).orderBy(auditLog.id);
    expect(audit.map((a) => [a.action, a.targetType])).toEqual([
      ['access-policy.set', 'site'],
      ['access-policy.set', 'site'],
    ]);
    expect(audit[0]?.details).toMatchObject({ from: null, to: { mode: 'restricted' } });
    expect(audit[1]?.details).toMatchObject({
      from: {
        mode: 'restricted',
        grants: [{ groupId: employees.id }, { groupId: fleet.id, maxPowerW: 3700 }],
      },
      to: { mode: 'restricted', grants: [{ groupId: fleet.id }] },
    });

    // Back to public drops the grants.
    await setAccessPolicy(db, admin, { siteId: site.id }, { mode: 'public' });
    expect(await db.select().from(accessGrants).where(eq(accessGrants.policyId, policy!.id))).toEqual([]);
    expect(await getAccessPolicy(db, admin, { siteId: site.id })).toEqual({
      mode: 'public',
      inherited: false,
      grants: [],
    });
  });

  it('rejects bad windows, grants on a public policy and a group listed twice, and keeps the old policy', async () => {
    const { admin, site, employees } = await aNetwork();
    const before = { mode: 'restricted' as const, grants: [{ groupId: employees.id, windows: [weekdays] }] };
    await setAccessPolicy(db, admin, { siteId: site.id }, before);
    const bad: Parameters<typeof setAccessPolicy>[3][] = [
      {
        mode: 'restricted',
        grants: [{ groupId: employees.id, windows: [{ days: [], start: '07:00', end: '19:00' }] }],
      },
      {
        mode: 'restricted',
        grants: [{ groupId: employees.id, windows: [{ days: [7], start: '07:00', end: '19:00' }] }],
      },
      {
        mode: 'restricted',
        grants: [{ groupId: employees.id, windows: [{ days: [1], start: '7:00', end: '19:00' }] }],
      },
      {
        mode: 'restricted',
        grants: [{ groupId: employees.id, windows: [{ days: [1], start: '09:00', end: '09:00' }] }],
      },
      { mode: 'restricted', grants: [{ groupId: employees.id, maxPowerW: 0 }] },
      { mode: 'restricted', grants: [{ groupId: employees.id }, { groupId: employees.id }] },
      { mode: 'public', grants: [{ groupId: employees.id }] },
    ];
    for (const input of bad) {
      const error = await setAccessPolicy(db, admin, { siteId: site.id }, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(z.ZodError);
      expect((error as z.ZodError).issues[0]?.path[0]).toBe('grants');
    }
    expect((await getAccessPolicy(db, admin, { siteId: site.id })).grants).toMatchObject([
      { groupId: employees.id, windows: [weekdays] },
    ]);
  });

  it('refuses groups of another organisation, and changes nothing', async () => {
    const { admin, site } = await aNetwork();
    const foreign = await aNetwork();
    const error = await expectError(
      setAccessPolicy(
        db,
        admin,
        { siteId: site.id },
        {
          mode: 'restricted',
          grants: [{ groupId: foreign.employees.id }],
        },
      ),
      'not_found',
    );
    expect(error.fieldErrors).toEqual({ grants: 'Choose groups of your organisation' });
    expect(await db.select().from(accessPolicies).where(eq(accessPolicies.siteId, site.id))).toEqual([]);
    await expectError(
      setAccessPolicy(db, admin, { stationId: foreign.station.id }, { mode: 'public' }),
      'not_found',
    );
  });

  it('lets a manager set the policies of their sites only, and refuses technicians', async () => {
    const { org, site, station, employees } = await aNetwork();
    const otherSite = await aSite(db, org.id);
    const otherStation = await aStation(db, org.id, otherSite.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    const technician = await aUser(db, org.id, { role: 'technician', siteIds: [site.id] });
    const restricted = { mode: 'restricted' as const, grants: [{ groupId: employees.id }] };

    await setAccessPolicy(db, manager, { siteId: site.id }, restricted);
    await setAccessPolicy(db, manager, { stationId: station.id }, { mode: 'public' });
    await expectError(setAccessPolicy(db, manager, { siteId: otherSite.id }, restricted), 'forbidden');
    await expectError(setAccessPolicy(db, manager, { stationId: otherStation.id }, restricted), 'not_found');
    await expectError(clearStationPolicy(db, manager, otherStation.id), 'not_found');
    await expectError(setAccessPolicy(db, technician, { siteId: site.id }, restricted), 'forbidden');
    await expectError(clearStationPolicy(db, technician, station.id), 'forbidden');
    expect(await db.select().from(accessPolicies).where(eq(accessPolicies.siteId, otherSite.id))).toEqual([]);
  });

  it('is what stations are asked against: a token outside the group is refused', async () => {
    const { org, admin, site, station, employees } = await aNetwork();
    const member = await createDriver(db, admin, { name: 'Member' });
    await setGroupMembers(db, admin, employees.id, [member.id]);
    await addToken(db, admin, { idToken: 'MEMBER-1', driverId: member.id });
    await addToken(db, admin, { idToken: 'OUTSIDER-1' });
    await setAccessPolicy(
      db,
      admin,
      { siteId: site.id },
      {
        mode: 'restricted',
        grants: [{ groupId: employees.id, maxPowerW: 7400 }],
      },
    );
    const link = {
      stationId: station.id,
      organisationId: org.id,
      siteId: site.id,
      identity: station.identity,
      registrationStatus: 'accepted' as const,
    };
    const now = new Date('2026-11-18T18:00:00Z');
    expect(await decideAccess(db, link, { idToken: 'member-1', source: 'Authorize' }, now)).toMatchObject({
      status: 'Accepted',
      groupId: employees.id,
      maxPowerW: 7400,
    });
    expect(await decideAccess(db, link, { idToken: 'OUTSIDER-1', source: 'Authorize' }, now)).toMatchObject({
      status: 'NotAtThisLocation',
    });
  });
});

describe('clearStationPolicy', () => {
  it('makes the station follow its site again, and audits it', async () => {
    const { admin, site, station, employees } = await aNetwork();
    await setAccessPolicy(
      db,
      admin,
      { siteId: site.id },
      { mode: 'restricted', grants: [{ groupId: employees.id }] },
    );
    await setAccessPolicy(db, admin, { stationId: station.id }, { mode: 'public' });
    expect(await getAccessPolicy(db, admin, { stationId: station.id })).toEqual({
      mode: 'public',
      inherited: false,
      grants: [],
    });

    await clearStationPolicy(db, admin, station.id);
    expect(await getAccessPolicy(db, admin, { stationId: station.id })).toMatchObject({
      mode: 'restricted',
      inherited: true,
      grants: [{ groupId: employees.id }],
    });
    // Clearing again is a no-op.
    await clearStationPolicy(db, admin, station.id);
    const audit = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, station.id))
      .orderBy(auditLog.id);
    expect(audit.map((a) => [a.action, a.targetType])).toEqual([
      ['access-policy.set', 'station'],
      ['access-policy.clear', 'station'],
    ]);
    expect(audit[1]?.details).toMatchObject({ from: { mode: 'public' } });
  });
});
