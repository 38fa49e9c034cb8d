import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { transactions, type ChargingStation } from '@/lib/db/schema';
import { decideAccess } from './access';
import { listAuthorizationAttempts } from './authorization-log';
import { addToken, blockToken, createDriver } from './drivers';
import { anOrganisation, aSite, aStation, aUser } from './testing';
import type { SessionUser } from './users';

const testDb = setupTestDatabase();
let db: Db;

let minute = 0;
/** A token presented at a station; attempts get increasing times. */
async function present(station: ChargingStation, idToken: string) {
  const at = new Date(Date.UTC(2026, 10, 18, 12, minute++));
  await decideAccess(
    db,
    {
      stationId: station.id,
      organisationId: station.organisationId,
      siteId: station.siteId,
      identity: station.identity,
      registrationStatus: 'accepted',
    },
    { idToken, source: 'Authorize' },
    at,
  );
}

let admin: SessionUser;
let manager: SessionUser;
let technician: SessionUser;
let north: ChargingStation;
let south: ChargingStation;
let unplaced: ChargingStation;
let northSiteId: string;

beforeAll(async () => {
  db = testDb.db;
  const org = await anOrganisation(db);
  admin = await aUser(db, org.id);
  const [northSite, southSite] = [
    await aSite(db, org.id, { timezone: 'America/Denver' }),
    await aSite(db, org.id),
  ];
  northSiteId = northSite.id;
  manager = await aUser(db, org.id, { role: 'manager', siteIds: [northSite.id] });
  technician = await aUser(db, org.id, { role: 'technician', siteIds: [northSite.id] });
  north = await aStation(db, org.id, northSite.id);
  south = await aStation(db, org.id, southSite.id);
  unplaced = await aStation(db, org.id, null);

  const driver = await createDriver(db, admin, { name: 'Katherine Johnson' });
  await addToken(db, admin, { idToken: 'KJ-0001', driverId: driver.id });
  const lost = await addToken(db, admin, { idToken: 'LOST-01' });
  await blockToken(db, admin, lost.id, { reason: 'card lost' });

  // Another organisation's attempts never show.
  const other = await anOrganisation(db);
  await present(await aStation(db, other.id, (await aSite(db, other.id)).id), 'KJ-0001');

  await present(north, 'kj-0001'); // Accepted
  await present(south, 'KJ-0001'); // Accepted
  await present(north, 'LOST-01'); // Blocked
  await present(unplaced, 'UNKNOWN'); // Invalid
  await present(north, 'UNKNOWN'); // Invalid
});

describe('listAuthorizationAttempts', () => {
  it('shows an admin every attempt of the organisation, newest first, with station and driver', async () => {
    const { attempts, nextBefore } = await listAuthorizationAttempts(db, admin);
    expect(attempts.map((a) => [a.stationIdentity, a.idToken, a.status])).toEqual([
      [north.identity, 'UNKNOWN', 'Invalid'],
      [unplaced.identity, 'UNKNOWN', 'Invalid'],
      [north.identity, 'LOST-01', 'Blocked'],
      [south.identity, 'KJ-0001', 'Accepted'],
      [north.identity, 'kj-0001', 'Accepted'],
    ]);
    expect(attempts[4]).toMatchObject({
      driverName: 'Katherine Johnson',
      siteId: northSiteId,
      source: 'Authorize',
    });
    expect(attempts[2]?.reason).toContain('card lost');
    expect(attempts[1]).toMatchObject({ siteId: null, siteTimezone: null, driverName: null });
    // Times show in the site's zone.
    expect(attempts[0]?.siteTimezone).toBe('America/Denver');
    expect(nextBefore).toBeNull();
  });

  it('pages by id', async () => {
    const first = await listAuthorizationAttempts(db, admin, { limit: 2 });
    expect(first.attempts).toHaveLength(2);
    expect(first.nextBefore).toBe(first.attempts[1]?.id);
    const second = await listAuthorizationAttempts(db, admin, {
      limit: 2,
      before: first.nextBefore ?? undefined,
    });
    const third = await listAuthorizationAttempts(db, admin, {
      limit: 2,
      before: second.nextBefore ?? undefined,
    });
    expect([...first.attempts, ...second.attempts, ...third.attempts].map((a) => a.id)).toEqual(
      (await listAuthorizationAttempts(db, admin)).attempts.map((a) => a.id),
    );
    expect(third.nextBefore).toBeNull();
  });

  it('filters by station, by token in any case and by status', async () => {
    const byStation = await listAuthorizationAttempts(db, admin, { stationId: north.id });
    expect(byStation.attempts.map((a) => a.idToken)).toEqual(['UNKNOWN', 'LOST-01', 'kj-0001']);
    const byToken = await listAuthorizationAttempts(db, admin, { idToken: ' Kj-0001 ' });
    expect(byToken.attempts.map((a) => a.stationIdentity)).toEqual([south.identity, north.identity]);
    const byStatus = await listAuthorizationAttempts(db, admin, { status: 'Invalid', stationId: north.id });
    expect(byStatus.attempts).toHaveLength(1);
    expect((await listAuthorizationAttempts(db, admin, { stationId: 'not-a-uuid' })).attempts).toEqual([]);
  });

  it('filters by time: at or after from, before to', async () => {
    const { attempts } = await listAuthorizationAttempts(db, admin, {
      from: new Date(Date.UTC(2026, 10, 18, 12, 2)),
      to: new Date(Date.UTC(2026, 10, 18, 12, 4)),
    });
    expect(attempts.map((a) => [a.stationIdentity, a.idToken])).toEqual([
      [north.identity, 'LOST-01'],
      [south.identity, 'KJ-0001'],
    ]);
  });

  it('finds the attempts of one session: why its token was refused', async () => {
    const [session] = await db
      .insert(transactions)
      .values({
        organisationId: south.organisationId,
        stationId: south.id,
        chargerTransactionId: 'LOG-1',
        ocppVersion: '1.6',
        evseId: 1,
        status: 'completed',
        startedAt: new Date(Date.UTC(2026, 10, 18, 13)),
      })
      .returning();
    await decideAccess(
      db,
      {
        stationId: south.id,
        organisationId: south.organisationId,
        siteId: south.siteId,
        identity: south.identity,
        registrationStatus: 'accepted',
      },
      { idToken: 'LOST-01', source: 'StartTransaction', transactionId: session!.id },
      new Date(Date.UTC(2026, 10, 18, 13)),
    );
    const { attempts } = await listAuthorizationAttempts(db, admin, { transactionId: session!.id });
    expect(attempts.map((a) => [a.idToken, a.status, a.source])).toEqual([
      ['LOST-01', 'Blocked', 'StartTransaction'],
    ]);
    expect(attempts[0]?.reason).toContain('card lost');
    expect((await listAuthorizationAttempts(db, manager, { transactionId: session!.id })).attempts).toEqual(
      [],
    );
    expect((await listAuthorizationAttempts(db, admin, { transactionId: 'LOG-1' })).attempts).toEqual([]);
  });

  it('shows a manager the attempts at the stations of their sites only', async () => {
    const { attempts } = await listAuthorizationAttempts(db, manager);
    expect(new Set(attempts.map((a) => a.stationId))).toEqual(new Set([north.id]));
    expect(attempts).toHaveLength(3);
    expect((await listAuthorizationAttempts(db, manager, { stationId: south.id })).attempts).toEqual([]);
    const nowhere = await aUser(db, admin.organisationId, { role: 'manager', siteIds: [] });
    expect(await listAuthorizationAttempts(db, nowhere)).toEqual({ attempts: [], nextBefore: null });
  });

  it('is refused to technicians', async () => {
    await expect(listAuthorizationAttempts(db, technician)).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
