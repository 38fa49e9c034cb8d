import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  chargeDetailRecords,
  driverGroups,
  drivers,
  ledgerEntries,
  paymentAttempts,
  tariffAssignments,
  tariffs,
  tariffVersions,
  transactions,
  type ChargeDetailRecord,
  type ChargingStation,
} from '@/lib/db/schema';
import { recordChargeDetailRecord } from './billing';
import { cdrCsvHeader, cdrsCsv, getCdr, listCdrs } from './cdrs';
import { issueCreditNote } from './payments';
import {
  aChargeDetailRecord,
  aDriverToken,
  anOrganisation,
  aSessionEntry,
  aSite,
  aStation,
  aTwoSiteNetwork,
  aUser,
  expectError,
} from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

/** The message of an error and of every cause under it (drivers wrap the database's message). */
function messagesOf(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) parts.push(e.message);
  return parts.join(' / ');
}

let serial = 0;
const at = (iso: string) => new Date(iso);

/** Test builder: a session and its CDR at a station (10 kWh at €0.35 + 20 % tax unless overridden). */
async function aCdr(
  station: ChargingStation,
  overrides: Partial<typeof chargeDetailRecords.$inferInsert> = {},
): Promise<ChargeDetailRecord> {
  const cdr = await aChargeDetailRecord(db, station, overrides);
  await ledgerOf(cdr);
  return cdr;
}

/** The driver's ledger entries a CDR makes, as billing and payments write them: the session, and its payment. */
async function ledgerOf(cdr: ChargeDetailRecord) {
  if (!cdr.driverId || cdr.total <= 0) return;
  await aSessionEntry(db, cdr);
  if (cdr.paymentStatus === 'paid')
    await db.insert(ledgerEntries).values({
      organisationId: cdr.organisationId,
      driverId: cdr.driverId,
      currency: cdr.currency,
      cdrId: cdr.id,
      createdAt: cdr.endedAt,
      kind: 'payment',
      amount: -cdr.total,
      description: 'Card payment',
      reference: cdr.paymentReference,
    });
}

/** Two sites with a station each, a driver in a group, an admin, a manager per site and a technician. */
async function aNetwork() {
  const n = await aTwoSiteNetwork(db);
  const [group] = await db
    .insert(driverGroups)
    .values({ organisationId: n.org.id, name: 'Staff' })
    .returning();
  const [tariff] = await db
    .insert(tariffs)
    .values({ organisationId: n.org.id, name: 'Standard' })
    .returning();
  return { ...n, group: group!, tariff: tariff! };
}

describe('listCdrs', () => {
  it('shows managers the CDRs of their sites only, admins all; technicians are refused', async () => {
    const n = await aNetwork();
    const a = await aCdr(n.inParis);
    const b = await aCdr(n.inLyon);
    const unplaced = await aCdr(await aStation(db, n.org.id, null));
    const other = await anOrganisation(db);
    await aCdr(await aStation(db, other.id, (await aSite(db, other.id)).id));

    const ids = async (actor: typeof n.admin) => (await listCdrs(db, actor)).rows.map((r) => r.id).sort();
    expect(await ids(n.admin)).toEqual([a.id, b.id, unplaced.id].sort());
    expect(await ids(n.parisManager)).toEqual([a.id]);
    expect(await ids(n.lyonManager)).toEqual([b.id]);
    // A filter on someone else's site finds nothing rather than leaking it.
    expect((await listCdrs(db, n.lyonManager, { siteId: n.paris.id })).rows).toEqual([]);
    expect((await listCdrs(db, n.lyonManager, { siteId: n.paris.id })).totals).toEqual({
      count: 0,
      energyWh: 0,
      byCurrency: [],
    });
    const nobody = await aUser(db, n.org.id, { role: 'manager', siteIds: [] });
    expect((await listCdrs(db, nobody)).rows).toEqual([]);
    await expectError(listCdrs(db, n.technician), 'forbidden');
  });

  it('filters, totals every matching CDR per currency and pages with a cursor', async () => {
    const n = await aNetwork();
    const otherDriver = (await aDriverToken(db, n.org.id, `TOK${serial++}`)).driver;
    const c1 = await aCdr(n.inParis, {
      endedAt: at('2026-03-01T10:00:00Z'),
      driverId: n.driver.id,
      groupId: n.group.id,
      tariffId: n.tariff.id,
      idToken: 'AA01',
      energyWh: 12_345,
      net: 1000,
      tax: 200,
    });
    const c2 = await aCdr(n.inParis, {
      endedAt: at('2026-03-02T10:00:00Z'),
      driverId: n.driver.id,
      energyWh: 5_000,
      net: 500,
      tax: 100,
      paymentStatus: 'paid',
    });
    const c3 = await aCdr(n.inLyon, {
      endedAt: at('2026-03-03T10:00:00Z'),
      driverId: otherDriver.id,
      groupId: n.group.id,
      energyWh: 7_000,
      net: 300,
      tax: 60,
      paymentStatus: 'failed',
      paymentError: 'Card declined',
    });
    const c4 = await aCdr(n.inLyon, {
      endedAt: at('2026-03-04T10:00:00Z'),
      currency: 'USD',
      energyWh: 1_000,
      net: 100,
      tax: 20,
    });
    const free = await aCdr(n.inParis, {
      endedAt: at('2026-03-05T10:00:00Z'),
      energyWh: 0,
      net: 0,
      tax: 0,
      lines: [],
      paymentStatus: 'free',
    });
    await issueCreditNote(db, n.admin, c1.id, { amount: '2.50', reason: 'Slow charging' });
    await issueCreditNote(db, n.admin, c1.id, { amount: '0.50', reason: 'Goodwill' });
    await issueCreditNote(db, n.admin, c3.id, { amount: '1', reason: 'Card fee' });

    const all = await listCdrs(db, n.admin);
    expect(all.rows.map((r) => r.number)).toEqual([free, c4, c3, c2, c1].map((c) => c.number));
    expect(all.totals).toEqual({
      count: 5,
      energyWh: 25_345,
      byCurrency: [
        { currency: 'EUR', count: 4, net: 1800, tax: 360, total: 2160, credited: 400 },
        { currency: 'USD', count: 1, net: 100, tax: 20, total: 120, credited: 0 },
      ],
    });
    const first = all.rows.at(-1)!;
    expect(first).toMatchObject({
      id: c1.id,
      stationIdentity: n.inParis.identity,
      siteName: 'Paris Odéon',
      evseId: 1,
      driverName: n.driver.name,
      idToken: 'AA01',
      groupName: 'Staff',
      tariffName: 'Standard',
      energyWh: 12_345,
      total: 1200,
      currency: 'EUR',
      paymentStatus: 'unpaid',
      paymentError: null,
      creditedAmount: 300,
      transactionId: c1.transactionId,
    });
    expect(all.rows.find((r) => r.id === c3.id)).toMatchObject({
      paymentStatus: 'failed',
      paymentError: 'Card declined',
      creditedAmount: 100,
    });

    const numbers = async (filters: Parameters<typeof listCdrs>[2]) =>
      (await listCdrs(db, n.admin, filters)).rows.map((r) => r.number);
    expect(await numbers({ siteId: n.lyon.id })).toEqual([c4.number, c3.number]);
    expect(await numbers({ stationId: n.inParis.id })).toEqual([free.number, c2.number, c1.number]);
    expect(await numbers({ groupId: n.group.id })).toEqual([c3.number, c1.number]);
    expect(await numbers({ driverId: n.driver.id })).toEqual([c2.number, c1.number]);
    expect(await numbers({ paymentStatus: 'failed' })).toEqual([c3.number]);
    expect(await numbers({ tariffId: n.tariff.id })).toEqual([c1.number]);
    // `from` includes, `to` excludes, both on the end time.
    expect(await numbers({ from: '2026-03-02T10:00:00Z', to: at('2026-03-04T10:00:00Z') })).toEqual([
      c3.number,
      c2.number,
    ]);
    // Blank values from a form or a query string mean "any".
    expect(await numbers({ siteId: '', paymentStatus: '', from: '' })).toHaveLength(5);

    // Totals are over all matching CDRs, whatever the page.
    const page1 = await listCdrs(db, n.admin, { siteId: n.paris.id, limit: 2 });
    expect(page1.rows.map((r) => r.id)).toEqual([free.id, c2.id]);
    expect(page1.totals).toEqual({
      count: 3,
      energyWh: 17_345,
      byCurrency: [{ currency: 'EUR', count: 3, net: 1500, tax: 300, total: 1800, credited: 300 }],
    });
    expect(page1.nextBefore).toBe(c2.id);
    expect(page1.newer).toBe(0);
    const page2 = await listCdrs(db, n.admin, { siteId: n.paris.id, limit: '2', before: page1.nextBefore });
    expect(page2.rows.map((r) => r.id)).toEqual([c1.id]);
    expect(page2.nextBefore).toBeNull();
    expect(page2.totals.count).toBe(3);
    // The page knows where it starts among all matching records: the 3rd of 3.
    expect(page2.newer).toBe(2);
    // A limit above 500 is capped, not refused.
    expect((await listCdrs(db, n.admin, { limit: 10_000 })).rows).toHaveLength(5);

    const bad = await expectError(
      listCdrs(db, n.admin, { siteId: 'nope', paymentStatus: 'lost', from: 'someday', limit: 0 }),
      'validation',
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['from', 'limit', 'paymentStatus', 'siteId']);
  });

  it('pages through CDRs that ended at the same instant without skipping or repeating one', async () => {
    const n = await aNetwork();
    const same = at('2026-04-01T08:00:00Z');
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await aCdr(n.inParis, { endedAt: same }));
    const seen: string[] = [];
    const starts: number[] = [];
    let before: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listCdrs>> = await listCdrs(db, n.admin, { limit: 2, before });
      starts.push(page.newer);
      seen.push(...page.rows.map((r) => r.id));
      before = page.nextBefore;
    } while (before);
    expect(seen).toEqual(made.map((c) => c.id).reverse());
    // Each page counts the records before it exactly, though all of them end at the same instant.
    expect(starts).toEqual([0, 2, 4]);
  });
});

describe('getCdr', () => {
  it('returns a priced CDR with its lines, credit notes, payment attempts, site zone and session', async () => {
    const n = await aNetwork();
    const [tariff] = await db
      .insert(tariffs)
      .values({ organisationId: n.org.id, name: 'Standard AC' })
      .returning();
    const [version] = await db
      .insert(tariffVersions)
      .values({
        tariffId: tariff!.id,
        validFrom: at('2026-01-01T00:00:00Z'),
        currency: 'EUR',
        taxRateBp: 2000,
        energyPerKwh: 3500,
        sessionFee: 50,
      })
      .returning();
    await db.insert(tariffAssignments).values({ organisationId: n.org.id, tariffId: tariff!.id });
    const { driver } = await aDriverToken(db, n.org.id, 'CAFE01');
    const [session] = await db
      .insert(transactions)
      .values({
        organisationId: n.org.id,
        stationId: n.inParis.id,
        chargerTransactionId: 'TX-1',
        ocppVersion: '2.0.1',
        evseId: 2,
        idToken: 'CAFE01',
        status: 'completed',
        startedAt: at('2026-03-05T13:05:00Z'),
        stoppedAt: at('2026-03-05T13:52:00Z'),
        meterStartWh: 1000,
        meterStopWh: 13_345,
      })
      .returning();
    const cdr = await db.transaction((tx) =>
      recordChargeDetailRecord(
        tx,
        {
          stationId: n.inParis.id,
          organisationId: n.org.id,
          siteId: n.paris.id,
          identity: n.inParis.identity,
          registrationStatus: 'accepted',
        },
        session!,
        at('2026-03-05T13:52:01Z'),
      ),
    );
    await issueCreditNote(
      db,
      n.admin,
      cdr!.id,
      { amount: '1.00', reason: 'Meter check' },
      at('2026-03-06T09:00:00Z'),
    );
    await db.insert(paymentAttempts).values({
      cdrId: cdr!.id,
      provider: 'stripe',
      amount: 578,
      currency: 'EUR',
      status: 'failed',
      error: 'Card declined',
      createdAt: at('2026-03-05T13:53:00Z'),
    });

    const detail = await getCdr(db, n.parisManager, cdr!.id);
    expect(detail.cdr).toMatchObject({
      tariffVersionId: version!.id,
      tariffName: 'Standard AC',
      driverId: driver.id,
      energyWh: 12_345,
      chargingSeconds: 2820,
      lines: [
        { kind: 'energy', band: null, quantity: 12_345, rate: 3500, amount: 432 },
        { kind: 'session', band: null, quantity: 1, rate: null, amount: 50 },
      ],
      net: 482,
      tax: 96,
      total: 578,
      paymentStatus: 'unpaid',
    });
    expect(detail.transactionId).toBe(session!.id);
    expect(detail.station).toEqual({ id: n.inParis.id, identity: n.inParis.identity });
    expect(detail.site).toEqual({ id: n.paris.id, name: 'Paris Odéon' });
    expect(detail.timeZone).toBe('Europe/Paris');
    expect(detail.driver).toEqual({ id: driver.id, name: driver.name, email: null, company: null });
    expect(detail.group).toBeNull();
    expect(detail.invoice).toBeNull();
    expect(detail.creditNotes).toHaveLength(1);
    expect(detail.creditNotes[0]).toMatchObject({
      number: 1,
      documentNumber: 'CN-000001',
      amount: 100,
      reason: 'Meter check',
    });
    expect(detail.creditedAmount).toBe(100);
    expect(detail.paymentAttempts).toMatchObject([
      { provider: 'stripe', status: 'failed', error: 'Card declined' },
    ]);

    await expectError(getCdr(db, n.lyonManager, cdr!.id), 'not_found');
    await expectError(getCdr(db, n.technician, cdr!.id), 'forbidden');
    await expectError(getCdr(db, n.admin, 'not-a-uuid'), 'not_found');
    const stranger = await aUser(db, (await anOrganisation(db)).id);
    await expectError(getCdr(db, stranger, cdr!.id), 'not_found');
  });
});

describe('cdrsCsv', () => {
  it('exports every matching CDR, oldest first, with exact units and amounts', async () => {
    const n = await aNetwork();
    await db.update(drivers).set({ name: 'Camille, "Cam" Martin' }).where(eq(drivers.id, n.driver.id));
    const c1 = await aCdr(n.inParis, {
      startedAt: at('2026-03-05T13:05:00Z'),
      endedAt: at('2026-03-05T13:52:00Z'),
      driverId: n.driver.id,
      idToken: 'CAFE01',
      evseId: 2,
      tariffName: 'Standard AC',
      tariffReason: 'Organisation default',
      energyWh: 12_345,
      chargingSeconds: 2820,
      idleSeconds: 90,
      net: 482,
      tax: 96,
      paymentStatus: 'paid',
      paymentReference: 'pi_3Oq',
    });
    const c2 = await aCdr(n.inLyon, {
      startedAt: at('2026-03-06T08:00:00Z'),
      endedAt: at('2026-03-06T09:00:00Z'),
      currency: 'JPY',
      energyWh: 7,
      chargingSeconds: 3600,
      idleSeconds: 0,
      net: 1200,
      tax: 120,
    });
    await issueCreditNote(db, n.admin, c1.id, { amount: '0.78', reason: 'Goodwill' });
    await aCdr(n.inParis, { endedAt: at('2026-03-07T09:00:00Z') });

    const rows = await cdrsCsv(db, n.admin, { to: '2026-03-07T00:00:00Z', limit: 1 });
    expect(rows).toEqual([
      [...cdrCsvHeader],
      [
        String(c1.number),
        n.inParis.identity,
        '2',
        'Paris Odéon',
        'Camille, "Cam" Martin',
        'CAFE01',
        'Standard AC',
        'Organisation default',
        '2026-03-05T13:05:00.000Z',
        '2026-03-05T13:52:00.000Z',
        '12.345',
        '47.00',
        '1.50',
        '4.82',
        '0.96',
        '5.78',
        'EUR',
        'paid',
        'pi_3Oq',
        '0.78',
      ],
      [
        String(c2.number),
        n.inLyon.identity,
        '1',
        'Lyon Part-Dieu',
        '',
        '',
        'Standard',
        'Organisation default',
        '2026-03-06T08:00:00.000Z',
        '2026-03-06T09:00:00.000Z',
        '0.007',
        '60.00',
        '0.00',
        '1200',
        '120',
        '1320',
        'JPY',
        'unpaid',
        '',
        '0',
      ],
    ]);
    expect(await cdrsCsv(db, n.lyonManager, { to: '2026-03-07T00:00:00Z' })).toHaveLength(2);
    await expectError(cdrsCsv(db, n.technician), 'forbidden');
  });
});

describe('charge_detail_records immutability', () => {
  it('refuses a change of a priced column or a delete, and lets the payment state move', async () => {
    const n = await aNetwork();
    const cdr = await aCdr(n.inParis);

    const changed = await db
      .update(chargeDetailRecords)
      .set({ total: 1 })
      .where(eq(chargeDetailRecords.id, cdr.id))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(messagesOf(changed)).toContain('charge detail records are immutable');
    const deleted = await db
      .delete(chargeDetailRecords)
      .where(eq(chargeDetailRecords.id, cdr.id))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(messagesOf(deleted)).toContain('charge detail records are never deleted');

    await db
      .update(chargeDetailRecords)
      .set({ paymentStatus: 'paid', paymentReference: 'bank-42', paidAt: at('2026-03-06T00:00:00Z') })
      .where(eq(chargeDetailRecords.id, cdr.id));
    const [row] = await db.select().from(chargeDetailRecords).where(eq(chargeDetailRecords.id, cdr.id));
    expect(row).toMatchObject({ total: cdr.total, paymentStatus: 'paid', paymentReference: 'bank-42' });
  });
});
