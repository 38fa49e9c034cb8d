import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  driverGroups,
  meterValues,
  tariffAssignments,
  tariffs,
  tariffVersions,
  transactions,
  type ChargingStation,
  type PinnedPricing,
} from '@/lib/db/schema';
import { energyRegister } from '@/lib/domain/metering/samples';
import { formatMoney } from '@/lib/domain/pricing/money';
import { stationPricing } from './map-pricing';
import { anOrganisation, aSite, aStation, aUser, expectError } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

// Noon in Chicago; the sessions below started an hour before.
const now = new Date('2026-03-05T18:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
let serial = 0;

/** Test builder: a tariff with one version in force since January, assigned where told. */
async function aTariff(
  organisationId: string,
  name: string,
  prices: Partial<typeof tariffVersions.$inferInsert>,
  where: { siteId?: string; groupId?: string },
): Promise<PinnedPricing> {
  const [tariff] = await db.insert(tariffs).values({ organisationId, name }).returning();
  const [version] = await db
    .insert(tariffVersions)
    .values({ tariffId: tariff!.id, validFrom: new Date('2026-01-01T00:00:00Z'), currency: 'USD', ...prices })
    .returning();
  await db.insert(tariffAssignments).values({ organisationId, tariffId: tariff!.id, ...where });
  return {
    tariffId: tariff!.id,
    tariffVersionId: version!.id,
    tariffName: name,
    reason: 'Site default',
    groupId: null,
    driverId: null,
  };
}

/** Test builder: a 2.0.1 session at an EVSE started an hour ago, its register at `wh` a minute ago. */
async function aSession(
  station: ChargingStation,
  evseId: number,
  pricing: PinnedPricing | null,
  wh: number,
  status: 'active' | 'completed' = 'active',
) {
  const [session] = await db
    .insert(transactions)
    .values({
      organisationId: station.organisationId,
      stationId: station.id,
      chargerTransactionId: `MAP-${serial++}`,
      ocppVersion: '2.0.1',
      evseId,
      connectorId: 1,
      status,
      startedAt: minutesAgo(60),
      stoppedAt: status === 'completed' ? minutesAgo(5) : null,
      meterStartWh: 0,
      pricing,
    })
    .returning();
  await db.insert(meterValues).values({
    stationId: station.id,
    transactionId: session!.id,
    evseId,
    sampledAt: minutesAgo(1),
    measurand: energyRegister,
    value: wh,
    unit: 'Wh',
  });
  return session!;
}

/** A site with a public tariff (and a cheaper one for staff), a site without any, sessions and users. */
async function aPricedNetwork() {
  const org = await anOrganisation(db);
  const loop = await aSite(db, org.id, { name: 'Chicago Loop' });
  const lot = await aSite(db, org.id, { name: 'Staff lot' });
  const [staff] = await db.insert(driverGroups).values({ organisationId: org.id, name: 'Staff' }).returning();
  const standard = await aTariff(
    org.id,
    'Standard',
    { energyPerKwh: 3500, idlePerMinute: 1000, idleGraceMinutes: 15 },
    { siteId: loop.id },
  );
  await aTariff(org.id, 'Staff', { energyPerKwh: 1000 }, { siteId: loop.id, groupId: staff!.id });
  const charging = await aStation(db, org.id, loop.id, 'LOOP');
  const idle = await aStation(db, org.id, loop.id, 'LOOP');
  const unpriced = await aStation(db, org.id, lot.id, 'LOT');
  return {
    org,
    loop,
    standard,
    charging,
    idle,
    unpriced,
    admin: await aUser(db, org.id),
    manager: await aUser(db, org.id, { role: 'manager', siteIds: [loop.id, lot.id] }),
    technician: await aUser(db, org.id, { role: 'technician', siteIds: [loop.id, lot.id] }),
  };
}

describe('stationPricing', () => {
  it("shows a station's price without a group and each active priced session's running cost", async () => {
    const n = await aPricedNetwork();
    // 10 kWh at $0.35 so far on EVSE 2; EVSE 1 charges without a tariff; an ended session is no longer running.
    await aSession(n.charging, 2, n.standard, 10_000);
    await aSession(n.charging, 1, null, 4_000);
    await aSession(n.idle, 1, n.standard, 20_000, 'completed');

    for (const actor of [n.admin, n.manager]) {
      expect(await stationPricing(db, actor, n.charging.id, now)).toEqual({
        priceText: '$0.35/kWh, $0.10/min idle after 15 min',
        sessions: [{ evseId: 2, connectorId: 1, total: 350, currency: 'USD' }],
      });
      expect(await stationPricing(db, actor, n.idle.id, now)).toEqual({
        priceText: '$0.35/kWh, $0.10/min idle after 15 min',
        sessions: [],
      });
      expect(await stationPricing(db, actor, n.unpriced.id, now)).toEqual({ priceText: null, sessions: [] });
    }
    // What the popup shows beside the session: the total with its currency.
    const [session] = (await stationPricing(db, n.admin, n.charging.id, now)).sessions;
    expect(session && formatMoney(session.total, session.currency)).toBe('$3.50');
  });

  it('gives people without billing:view no money figures', async () => {
    const n = await aPricedNetwork();
    await aSession(n.charging, 1, n.standard, 10_000);
    await expectError(stationPricing(db, n.technician, n.charging.id, now), 'forbidden');
  });

  it("never prices another organisation's station, or one outside a manager's sites", async () => {
    const n = await aPricedNetwork();
    const other = await anOrganisation(db);
    const theirs = await aStation(db, other.id, (await aSite(db, other.id)).id);
    await aSession(theirs, 1, n.standard, 10_000);
    await expectError(stationPricing(db, n.admin, theirs.id, now), 'not_found');
    const elsewhere = await aUser(db, n.org.id, {
      role: 'manager',
      siteIds: [(await aSite(db, n.org.id)).id],
    });
    await expectError(stationPricing(db, elsewhere, n.charging.id, now), 'not_found');
  });
});
