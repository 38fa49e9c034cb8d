import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  billingAccounts,
  chargeDetailRecords,
  ledgerEntries,
  type ChargeDetailRecord,
  type ChargingStation,
} from '@/lib/db/schema';
import { issueCreditNote, recordDriverPayment } from './payments';
import { driverStatement, renderStatementPdf, startOfDayIn } from './statements';
import {
  aChargeDetailRecord,
  anOrganisation,
  aSessionEntry,
  aTwoSiteNetwork,
  aUser,
  expectError,
} from './testing';
import { documentNumber } from '@/lib/domain/pricing/display';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

const at = (iso: string) => new Date(iso);

/** Test builder: a driver's session and its CDR (net + 20 % tax), with the ledger entry billing writes for it. */
async function aCdr(
  station: ChargingStation,
  driverId: string,
  endedAt: Date,
  overrides: Partial<typeof chargeDetailRecords.$inferInsert> = {},
): Promise<ChargeDetailRecord> {
  const net = overrides.net ?? 1000;
  const cdr = await aChargeDetailRecord(db, station, {
    driverId,
    endedAt,
    net,
    chargingSeconds: 3600,
    idleSeconds: 0,
    lines: [{ kind: 'energy', band: null, quantity: 10_000, rate: 10_000, amount: net }],
    paymentMethod: 'account',
    ...overrides,
  });
  await aSessionEntry(db, cdr, { description: `Charging at ${station.identity} EVSE 1`, createdAt: endedAt });
  return cdr;
}

async function aNetwork() {
  const n = await aTwoSiteNetwork(db);
  await db.insert(billingAccounts).values({ driverId: n.driver.id, method: 'account', currency: 'EUR' });
  return n;
}

describe('driverStatement', () => {
  it('opens with everything before the period, lists its entries and closes at opening + entries', async () => {
    const n = await aNetwork();
    // February: a €12.00 session and a €10.00 payment leave €2.00 owed.
    await aCdr(n.inParis, n.driver.id, at('2026-02-20T10:00:00Z'));
    await recordDriverPayment(
      db,
      n.admin,
      n.driver.id,
      { amount: '10.00', reference: 'SEPA-1' },
      at('2026-02-25T09:00:00Z'),
    );
    // March: a €6.00 session (6.5 kWh), €1.00 credited, €5.00 paid, €2.50 adjustment.
    const march = await aCdr(n.inParis, n.driver.id, at('2026-03-05T12:00:00Z'), {
      net: 500,
      energyWh: 6_500,
    });
    await issueCreditNote(
      db,
      n.admin,
      march.id,
      { amount: '1.00', reason: 'Slow charger' },
      at('2026-03-06T08:00:00Z'),
    );
    await recordDriverPayment(
      db,
      n.admin,
      n.driver.id,
      { amount: '5', reference: 'SEPA-2' },
      at('2026-03-10T09:00:00Z'),
    );
    await db.insert(ledgerEntries).values({
      organisationId: n.org.id,
      driverId: n.driver.id,
      kind: 'adjustment',
      amount: 250,
      currency: 'EUR',
      description: 'Parking overstay',
      createdAt: at('2026-03-31T23:59:59Z'),
    });
    // April: after the period, but in the balance now.
    await aCdr(n.inParis, n.driver.id, at('2026-04-01T00:00:00Z'), { net: 250 });

    const statement = await driverStatement(
      db,
      n.parisManager,
      n.driver.id,
      { from: '2026-03-01', to: '2026-03-31' },
      at('2026-04-02T07:00:00Z'),
    );
    expect(statement).toEqual({
      driverId: n.driver.id,
      driver: { name: n.driver.name, email: null, company: null },
      organisation: n.org.name,
      period: { from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') },
      timeZone: 'UTC',
      currency: 'EUR',
      generatedAt: at('2026-04-02T07:00:00Z'),
      openingBalance: 200,
      closingBalance: 450,
      entries: [
        {
          at: at('2026-03-05T12:00:00Z'),
          kind: 'session',
          description: `Charging at ${n.inParis.identity} EVSE 1`,
          reference: documentNumber('CDR', march.number),
          amount: 600,
        },
        {
          at: at('2026-03-06T08:00:00Z'),
          kind: 'credit-note',
          description: `Credit note for ${documentNumber('CDR', march.number)}: Slow charger`,
          reference: 'CN-000001',
          amount: -100,
        },
        {
          at: at('2026-03-10T09:00:00Z'),
          kind: 'payment',
          description: 'Payment received',
          reference: 'SEPA-2',
          amount: -500,
        },
        {
          at: at('2026-03-31T23:59:59Z'),
          kind: 'adjustment',
          description: 'Parking overstay',
          reference: null,
          amount: 250,
        },
      ],
      totals: { sessions: 1, energyWh: 6_500, charged: 600, paid: 500 },
      account: { method: 'account', balance: 750 },
    });
    expect(statement.openingBalance + statement.entries.reduce((s, e) => s + e.amount, 0)).toBe(
      statement.closingBalance,
    );

    // The next period opens where this one closed.
    const april = await driverStatement(db, n.admin, n.driver.id, { from: '2026-04-01', to: '2026-04-30' });
    expect(april).toMatchObject({
      openingBalance: 450,
      closingBalance: 750,
      totals: { sessions: 1, charged: 300 },
    });

    const { fileName, pdf } = await renderStatementPdf(
      db,
      n.admin,
      n.driver.id,
      { from: '2026-03-01', to: '2026-03-31' },
      at('2026-04-02T07:00:00Z'),
    );
    expect(fileName).toBe(`statement-${n.driver.name.replace(/ /g, '-')}-2026-03-01-to-2026-03-31.pdf`);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it("takes the days in the statement's time zone, across a DST change", async () => {
    const n = await aNetwork();
    // 21:00 on 28 February in Chicago: before a March statement there, in it in UTC terms.
    await aCdr(n.inParis, n.driver.id, at('2026-03-01T03:00:00Z'));
    // 23:30 on 31 March in Chicago (CDT): in the March statement there.
    await aCdr(n.inParis, n.driver.id, at('2026-04-01T04:30:00Z'), { net: 500 });

    const chicago = await driverStatement(db, n.admin, n.driver.id, {
      from: '2026-03-01',
      to: '2026-03-31',
      timeZone: 'America/Chicago',
    });
    expect(chicago.period).toEqual({ from: at('2026-03-01T06:00:00Z'), to: at('2026-04-01T05:00:00Z') });
    expect(chicago).toMatchObject({
      timeZone: 'America/Chicago',
      openingBalance: 1200,
      closingBalance: 1800,
    });
    expect(chicago.entries.map((e) => e.amount)).toEqual([600]);

    const utc = await driverStatement(db, n.admin, n.driver.id, { from: '2026-03-01', to: '2026-03-31' });
    expect(utc).toMatchObject({ openingBalance: 0, closingBalance: 1200 });

    expect(startOfDayIn('2026-03-08', 'America/Chicago')).toEqual(at('2026-03-08T06:00:00Z'));
    expect(startOfDayIn('2026-03-09', 'America/Chicago')).toEqual(at('2026-03-09T05:00:00Z'));
    expect(startOfDayIn('2026-10-25', 'Europe/Paris')).toEqual(at('2026-10-24T22:00:00Z'));
    expect(startOfDayIn('2026-10-26', 'Europe/Paris')).toEqual(at('2026-10-25T23:00:00Z'));
  });

  it('is for managers only when the driver charged at no other site, and refused to technicians', async () => {
    const n = await aNetwork();
    const period = { from: '2026-03-01', to: '2026-03-31' };
    await aCdr(n.inParis, n.driver.id, at('2026-03-05T12:00:00Z'));
    expect((await driverStatement(db, n.parisManager, n.driver.id, period)).closingBalance).toBe(1200);
    await expectError(driverStatement(db, n.lyonManager, n.driver.id, period), 'forbidden');
    await aCdr(n.inLyon, n.driver.id, at('2026-03-06T12:00:00Z'));
    await expectError(driverStatement(db, n.parisManager, n.driver.id, period), 'forbidden');
    expect((await driverStatement(db, n.admin, n.driver.id, period)).closingBalance).toBe(2400);

    await expectError(driverStatement(db, n.technician, n.driver.id, period), 'forbidden');
    const stranger = await aUser(db, (await anOrganisation(db)).id);
    await expectError(driverStatement(db, stranger, n.driver.id, period), 'not_found');
    await expectError(driverStatement(db, n.admin, 'nope', period), 'not_found');
    const bad = await expectError(
      driverStatement(db, n.admin, n.driver.id, {
        from: '2026-03-31',
        to: '2026-03-01',
        timeZone: 'Mars/Olympus',
      }),
      'validation',
    );
    expect(bad.fieldErrors).toEqual({
      to: 'The last day is before the first',
      timeZone: 'Unknown time zone',
    });
  });
});
