import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  accessGrants,
  accessPolicies,
  authorizationAttempts,
  chargingStations,
  driverGroupMembers,
  driverGroups,
  drivers,
  idTokens,
} from '@/lib/db/schema';
import { decideAccess } from './access';
import type { StationLink } from './charger-link';
import { aSite, anOrganisation } from './testing';

// The access decision against a real database: tokens, groups, site and station policies, and the
// attempt log. (The decision table itself is tested in lib/domain/access/authorization.test.ts.)
const t = setupTestDatabase();
let organisationId: string;
let otherOrganisationId: string;
let siteId: string;
let employees: string;
let n = 0;

beforeAll(async () => {
  organisationId = (await anOrganisation(t.db)).id;
  otherOrganisationId = (await anOrganisation(t.db)).id;
  siteId = (await aSite(t.db, organisationId, { timezone: 'America/Chicago' })).id;
  const [group] = await t.db.insert(driverGroups).values({ organisationId, name: 'Employees' }).returning();
  employees = group!.id;
});

async function aStation(): Promise<StationLink> {
  const [row] = await t.db
    .insert(chargingStations)
    .values({ organisationId, siteId, identity: `ACC-${Date.now()}-${n++}`, registrationStatus: 'accepted' })
    .returning();
  return {
    stationId: row!.id,
    organisationId,
    siteId,
    identity: row!.identity,
    registrationStatus: 'accepted',
  };
}

async function aToken(
  value: string,
  options: { employee?: boolean; org?: string; status?: 'active' | 'blocked'; reason?: string } = {},
) {
  const org = options.org ?? organisationId;
  const [driver] = await t.db
    .insert(drivers)
    .values({ organisationId: org, name: `Driver ${value}` })
    .returning();
  if (options.employee)
    await t.db.insert(driverGroupMembers).values({ groupId: employees, driverId: driver!.id });
  const [token] = await t.db
    .insert(idTokens)
    .values({
      organisationId: org,
      driverId: driver!.id,
      idToken: value,
      status: options.status ?? 'active',
      blockedReason: options.reason ?? null,
    })
    .returning();
  return token!;
}

async function restrict(target: { siteId: string } | { stationId: string }, windows = [] as object[]) {
  const [policy] = await t.db
    .insert(accessPolicies)
    .values({ organisationId, ...target, mode: 'restricted' })
    .onConflictDoNothing()
    .returning();
  if (policy)
    await t.db
      .insert(accessGrants)
      .values({ policyId: policy.id, groupId: employees, windows: windows as never, maxPowerW: 7400 });
}

// Wednesday 2026-11-18 12:00 and Saturday 2026-11-21 12:00 in Chicago (UTC-6).
const wednesdayNoon = new Date('2026-11-18T18:00:00Z');
const saturdayNoon = new Date('2026-11-21T18:00:00Z');

describe('decideAccess', () => {
  it('knows tokens case-insensitively, accepts them on a public station and logs the attempt', async () => {
    const station = await aStation();
    const token = await aToken('04A1B2C3D4');
    const answer = await decideAccess(
      t.db,
      station,
      { idToken: '04a1b2c3d4', source: 'Authorize' },
      wednesdayNoon,
    );
    expect(answer).toMatchObject({ status: 'Accepted', token: { id: token.id, driverId: token.driverId } });
    const [attempt] = await t.db
      .select()
      .from(authorizationAttempts)
      .where(eq(authorizationAttempts.stationId, station.stationId));
    expect(attempt).toMatchObject({
      idToken: '04a1b2c3d4',
      tokenId: token.id,
      driverId: token.driverId,
      source: 'Authorize',
      status: 'Accepted',
      at: wednesdayNoon,
    });
    expect(attempt?.reason).toBeTruthy();
  });

  it('refuses unknown tokens, and tokens of another organisation, as Invalid', async () => {
    const station = await aStation();
    await aToken('FOREIGN-1', { org: otherOrganisationId });
    for (const idToken of ['NEVER-SEEN', 'FOREIGN-1']) {
      const answer = await decideAccess(
        t.db,
        station,
        { idToken, source: 'StartTransaction' },
        wednesdayNoon,
      );
      expect(answer).toMatchObject({ status: 'Invalid', token: null });
    }
  });

  it('refuses a blocked token with its reason', async () => {
    const station = await aStation();
    await aToken('LOST-1', { status: 'blocked', reason: 'lost card' });
    const answer = await decideAccess(
      t.db,
      station,
      { idToken: 'LOST-1', source: 'Authorize' },
      wednesdayNoon,
    );
    expect(answer.status).toBe('Blocked');
    expect(answer.reason).toContain('lost card');
  });

  it('refuses every card of a group whose group tag (a master card) is blocked, and answers the tag', async () => {
    const station = await aStation();
    const master = await aToken('FLEET-M', { status: 'blocked', reason: 'contract ended' });
    const card = await aToken('FLEET-M-1');
    await t.db.update(idTokens).set({ parentIdTag: 'fleet-m' }).where(eq(idTokens.id, card.id));
    const refused = await decideAccess(
      t.db,
      station,
      { idToken: 'FLEET-M-1', source: 'Authorize' },
      wednesdayNoon,
    );
    expect(refused).toMatchObject({
      status: 'Blocked',
      reason: 'Blocked through its group tag FLEET-M: contract ended',
      token: { parentIdTag: 'fleet-m' },
    });
    await t.db.update(idTokens).set({ status: 'active' }).where(eq(idTokens.id, master.id));
    const accepted = await decideAccess(
      t.db,
      station,
      { idToken: 'FLEET-M-1', source: 'Authorize' },
      wednesdayNoon,
    );
    expect(accepted.status).toBe('Accepted');
  });

  describe('on a site restricted to Employees on weekdays 07:00-19:00', () => {
    let siteStation: StationLink;
    beforeAll(async () => {
      siteStation = await aStation();
      await restrict({ siteId }, [{ days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' }]);
    });

    it('accepts an employee in the window (site time), with the group and its power cap', async () => {
      await aToken('EMP-1', { employee: true });
      const answer = await decideAccess(
        t.db,
        siteStation,
        { idToken: 'EMP-1', source: 'Authorize' },
        wednesdayNoon,
      );
      expect(answer).toMatchObject({ status: 'Accepted', groupId: employees, maxPowerW: 7400 });
    });

    it('refuses an employee outside the window as NotAtThisTime', async () => {
      await aToken('EMP-2', { employee: true });
      const answer = await decideAccess(
        t.db,
        siteStation,
        { idToken: 'EMP-2', source: 'Authorize' },
        saturdayNoon,
      );
      expect(answer.status).toBe('NotAtThisTime');
      expect(answer.reason).toContain('Employees');
    });

    it('refuses a driver in no allowed group as NotAtThisLocation', async () => {
      await aToken('VISITOR-1');
      const answer = await decideAccess(
        t.db,
        siteStation,
        { idToken: 'VISITOR-1', source: 'Authorize' },
        wednesdayNoon,
      );
      expect(answer.status).toBe('NotAtThisLocation');
    });

    it("lets a station's own public policy win over its site's", async () => {
      const open = await aStation();
      await t.db.insert(accessPolicies).values({ organisationId, stationId: open.stationId, mode: 'public' });
      await aToken('VISITOR-2');
      const answer = await decideAccess(
        t.db,
        open,
        { idToken: 'VISITOR-2', source: 'Authorize' },
        saturdayNoon,
      );
      expect(answer.status).toBe('Accepted');
    });
  });
});
