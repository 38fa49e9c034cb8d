import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { chargeDetailRecords, driverGroups, type ChargingStation } from '@/lib/db/schema';
import { issueCreditNote } from './payments';
import { revenueSeries, type RevenueBucket } from './revenue';
import { aChargeDetailRecord, anOrganisation, aSite, aStation, aUser, expectError } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

const at = (iso: string) => new Date(iso);

/** Test builder: a session's CDR with a total (tax-free, to keep the sums plain) and its energy. */
async function aCdr(
  station: ChargingStation,
  endedAt: string,
  total: number,
  energyWh: number,
  overrides: Partial<typeof chargeDetailRecords.$inferInsert> = {},
) {
  return aChargeDetailRecord(db, station, {
    endedAt: at(endedAt),
    energyWh,
    chargingSeconds: 3600,
    idleSeconds: 0,
    currency: 'USD',
    lines: total > 0 ? [{ kind: 'energy', band: null, quantity: energyWh, rate: 1000, amount: total }] : [],
    net: total,
    tax: 0,
    taxRateBp: 0,
    paymentStatus: total > 0 ? 'unpaid' : 'free',
    ...overrides,
  });
}

/**
 * Two Chicago-area sites. Local (CST, UTC-6 until 8 March 02:00, then CDT, UTC-5) times:
 * Loop: 5 Mar 23:30 $12.00 (Staff), 5 Mar 09:00 free, 6 Mar 00:30 $6.00, $2.00 credited on 8 Mar 23:30;
 * Evanston: 5 Mar 09:00 $3.60 (Staff), 5 Mar 10:00 €1.00; 28 Feb 23:30 $50.00 (before the period).
 */
async function aNetwork() {
  const org = await anOrganisation(db);
  const loop = await aSite(db, org.id, { name: 'Chicago Loop', timezone: 'America/Chicago' });
  const evanston = await aSite(db, org.id, { name: 'Evanston', timezone: 'America/Chicago' });
  const [staff] = await db.insert(driverGroups).values({ organisationId: org.id, name: 'Staff' }).returning();
  const inLoop = await aStation(db, org.id, loop.id);
  const inEvanston = await aStation(db, org.id, evanston.id);
  const admin = await aUser(db, org.id);
  const lateNight = await aCdr(inLoop, '2026-03-06T05:30:00Z', 1200, 10_000, { groupId: staff!.id });
  await aCdr(inLoop, '2026-03-05T15:00:00Z', 0, 0);
  await aCdr(inLoop, '2026-03-06T06:30:00Z', 600, 5_000);
  await aCdr(inEvanston, '2026-03-05T15:00:00Z', 360, 3_000, { groupId: staff!.id });
  await aCdr(inEvanston, '2026-03-05T16:00:00Z', 100, 1_000, { currency: 'EUR' });
  await aCdr(inEvanston, '2026-03-01T05:30:00Z', 5000, 40_000);
  await issueCreditNote(
    db,
    admin,
    lateNight.id,
    { amount: '2.00', reason: 'Slow' },
    at('2026-03-09T04:30:00Z'),
  );
  return {
    org,
    loop,
    evanston,
    staff: staff!,
    admin,
    evanstonManager: await aUser(db, org.id, { role: 'manager', siteIds: [evanston.id] }),
    technician: await aUser(db, org.id, { role: 'technician', siteIds: [loop.id] }),
  };
}

const march = { from: '2026-03-01', to: '2026-03-10', timeZone: 'America/Chicago' };
const row = (
  bucket: string,
  key: string,
  label: string,
  currency: string,
  revenue: number,
  energyWh: number,
  sessions: number,
): RevenueBucket => ({ bucket, key, label, currency, revenue, energyWh, sessions });

describe('revenueSeries', () => {
  it('buckets by the local day a session ended in, less credit notes issued that day', async () => {
    const n = await aNetwork();
    expect(await revenueSeries(db, n.admin, { ...march, granularity: 'day', by: 'total' })).toEqual([
      // 23:30 on 5 March in Chicago is 6 March in UTC: it counts on the 5th.
      row('2026-03-05', 'all', 'All', 'EUR', 100, 1_000, 1),
      row('2026-03-05', 'all', 'All', 'USD', 1560, 13_000, 3),
      row('2026-03-06', 'all', 'All', 'USD', 600, 5_000, 1),
      row('2026-03-08', 'all', 'All', 'USD', -200, 0, 0),
    ]);
    // The same sessions in UTC days.
    expect(
      await revenueSeries(db, n.admin, { ...march, timeZone: 'UTC', granularity: 'day', by: 'total' }),
    ).toEqual([
      row('2026-03-01', 'all', 'All', 'USD', 5000, 40_000, 1),
      row('2026-03-05', 'all', 'All', 'EUR', 100, 1_000, 1),
      row('2026-03-05', 'all', 'All', 'USD', 360, 3_000, 2),
      row('2026-03-06', 'all', 'All', 'USD', 1800, 15_000, 2),
      row('2026-03-09', 'all', 'All', 'USD', -200, 0, 0),
    ]);
  });

  it('splits by site and by driver group, and groups ISO weeks from Monday and months from the 1st', async () => {
    const n = await aNetwork();
    expect(await revenueSeries(db, n.admin, { ...march, granularity: 'day', by: 'site' })).toEqual([
      row('2026-03-05', n.loop.id, 'Chicago Loop', 'USD', 1200, 10_000, 2),
      row('2026-03-05', n.evanston.id, 'Evanston', 'EUR', 100, 1_000, 1),
      row('2026-03-05', n.evanston.id, 'Evanston', 'USD', 360, 3_000, 1),
      row('2026-03-06', n.loop.id, 'Chicago Loop', 'USD', 600, 5_000, 1),
      row('2026-03-08', n.loop.id, 'Chicago Loop', 'USD', -200, 0, 0),
    ]);
    // Thursday 5, Friday 6 and Sunday 8 March are in the week of Monday 2 March.
    expect(await revenueSeries(db, n.admin, { ...march, granularity: 'week', by: 'group' })).toEqual([
      row('2026-03-02', 'none', 'No group', 'EUR', 100, 1_000, 1),
      row('2026-03-02', 'none', 'No group', 'USD', 600, 5_000, 2),
      row('2026-03-02', n.staff.id, 'Staff', 'USD', 1360, 13_000, 2),
    ]);
    // 23:30 on 28 February in Chicago is 1 March in UTC: February there.
    expect(
      await revenueSeries(db, n.admin, { ...march, from: '2026-02-01', granularity: 'month', by: 'total' }),
    ).toEqual([
      row('2026-02-01', 'all', 'All', 'USD', 5000, 40_000, 1),
      row('2026-03-01', 'all', 'All', 'EUR', 100, 1_000, 1),
      row('2026-03-01', 'all', 'All', 'USD', 1960, 18_000, 4),
    ]);
  });

  it("shows managers their sites' revenue only, refuses technicians and bad settings", async () => {
    const n = await aNetwork();
    expect(
      await revenueSeries(db, n.evanstonManager, { ...march, granularity: 'month', by: 'site' }),
    ).toEqual([
      row('2026-03-01', n.evanston.id, 'Evanston', 'EUR', 100, 1_000, 1),
      row('2026-03-01', n.evanston.id, 'Evanston', 'USD', 360, 3_000, 1),
    ]);
    const elsewhere = await aUser(db, n.org.id, {
      role: 'manager',
      siteIds: [(await aSite(db, n.org.id)).id],
    });
    expect(await revenueSeries(db, elsewhere, { ...march, granularity: 'day', by: 'total' })).toEqual([]);
    const stranger = await aUser(db, (await anOrganisation(db)).id);
    expect(await revenueSeries(db, stranger, { ...march, granularity: 'day', by: 'total' })).toEqual([]);
    await expectError(
      revenueSeries(db, n.technician, { ...march, granularity: 'day', by: 'total' }),
      'forbidden',
    );
    const bad = await expectError(
      revenueSeries(db, n.admin, {
        from: '2026-03-01',
        to: '2026-03-10',
        timeZone: 'Nowhere/Land',
        granularity: 'hour',
        by: 'site',
      }),
      'validation',
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['granularity', 'timeZone']);
  });
});
