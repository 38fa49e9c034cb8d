import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  auditLog,
  billingAccounts,
  chargeDetailRecords,
  drivers,
  type ChargeDetailRecord,
  type ChargingStation,
} from '@/lib/db/schema';
import {
  creditNoteDocument,
  describeLine,
  getBillingSettings,
  invoiceDocument,
  issueInvoice,
  listInvoices,
  renderCreditNotePdf,
  renderInvoicePdf,
  saveBillingSettings,
} from './invoices';
import { issueCreditNote } from './payments';
import {
  aChargeDetailRecord,
  aDriverToken,
  anOrganisation,
  aSessionEntry,
  aTwoSiteNetwork,
  aUser,
  expectError,
} from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

let serial = 0;
const at = (iso: string) => new Date(iso);

/** Test builder: a session and its CDR at a station (10 kWh at €0.35 + 20 % tax unless overridden), with its ledger entries. */
async function aCdr(
  station: ChargingStation,
  overrides: Partial<typeof chargeDetailRecords.$inferInsert> = {},
): Promise<ChargeDetailRecord> {
  const cdr = await aChargeDetailRecord(db, station, {
    idleSeconds: 0,
    paymentMethod: overrides.driverId ? 'account' : null,
    ...overrides,
  });
  if (cdr.driverId && cdr.total > 0) await aSessionEntry(db, cdr);
  return cdr;
}

async function aNetwork() {
  return aTwoSiteNetwork(db, { organisationName: `Volta ${serial++}` });
}

const invoiceIdOf = async (cdrId: string) =>
  (await db.select().from(chargeDetailRecords).where(eq(chargeDetailRecords.id, cdrId)))[0]?.invoiceId;

/** The text of an uncompressed PDF, read back from its hex-encoded TJ strings (as lib/documents tests do). */
function pdfText(pdf: Buffer): string {
  const runs = pdf.toString('latin1').matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?[\d.]*\s*)*)\]\s*TJ/g);
  return [...runs]
    .map(([, array]) =>
      [...array!.matchAll(/<([0-9a-fA-F]*)>/g)]
        .map(([, hex]) => Buffer.from(hex!, 'hex').toString('latin1'))
        .join(''),
    )
    .join('\n');
}

describe('issueInvoice', () => {
  it("invoices the driver's priced, uninvoiced CDRs that ended in the period (UTC days, both included)", async () => {
    const n = await aNetwork();
    const other = (await aDriverToken(db, n.org.id, `TOK${serial++}`)).driver;
    const before = await aCdr(n.inParis, { driverId: n.driver.id, endedAt: at('2026-02-28T23:59:59Z') });
    const firstSecond = await aCdr(n.inParis, { driverId: n.driver.id, endedAt: at('2026-03-01T00:00:00Z') });
    const lastSecond = await aCdr(n.inLyon, {
      driverId: n.driver.id,
      endedAt: at('2026-03-31T23:59:59Z'),
      net: 1000,
      tax: 200,
      paymentStatus: 'paid',
    });
    const after = await aCdr(n.inParis, { driverId: n.driver.id, endedAt: at('2026-04-01T00:00:00Z') });
    const free = await aCdr(n.inParis, {
      driverId: n.driver.id,
      endedAt: at('2026-03-10T00:00:00Z'),
      net: 0,
      tax: 0,
      lines: [],
      paymentStatus: 'free',
    });
    const someoneElse = await aCdr(n.inParis, { driverId: other.id, endedAt: at('2026-03-10T00:00:00Z') });

    const invoice = await issueInvoice(
      db,
      n.admin,
      n.driver.id,
      { from: '2026-03-01', to: '2026-03-31' },
      at('2026-04-01T06:00:00Z'),
    );
    expect(invoice).toMatchObject({
      number: 1,
      documentNumber: 'INV-000001',
      organisationId: n.org.id,
      driverId: n.driver.id,
      driverName: n.driver.name,
      periodFrom: '2026-03-01',
      periodTo: '2026-03-31',
      currency: 'EUR',
      net: 1350,
      tax: 270,
      total: 1620,
      issuedBy: n.admin.id,
      issuedAt: at('2026-04-01T06:00:00Z'),
      cdrCount: 2,
      paymentStatus: 'unpaid',
    });
    expect(await invoiceIdOf(firstSecond.id)).toBe(invoice.id);
    expect(await invoiceIdOf(lastSecond.id)).toBe(invoice.id);
    for (const cdr of [before, after, free, someoneElse]) expect(await invoiceIdOf(cdr.id)).toBeNull();
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'invoice.issue'), eq(auditLog.targetId, invoice.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: n.admin.id,
      details: { number: 1, total: 1620, cdrs: [firstSecond.number, lastSecond.number] },
    });

    // The same CDRs are never invoiced twice: a second invoice of the period has nothing left.
    const again = await expectError(
      issueInvoice(db, n.admin, n.driver.id, { from: '2026-03-01', to: '2026-03-31' }),
      'validation',
    );
    expect(again.fieldErrors?.from).toMatch(/not invoiced already/);
    const wider = await issueInvoice(db, n.admin, n.driver.id, { from: '2026-02-01', to: '2026-04-30' });
    expect(wider).toMatchObject({ number: 2, cdrCount: 2, total: 840 });
    expect(await invoiceIdOf(before.id)).toBe(wider.id);
    expect(await invoiceIdOf(firstSecond.id)).toBe(invoice.id);

    expect((await listInvoices(db, n.admin, { driverId: n.driver.id })).map((i) => i.documentNumber)).toEqual(
      ['INV-000002', 'INV-000001'],
    );
    expect(await listInvoices(db, n.admin, { driverId: other.id })).toEqual([]);
  });

  it('numbers invoices 1, 2, 3 in each organisation, without a gap after a refusal or a race', async () => {
    const a = await aNetwork();
    const b = await aNetwork();
    const march = { from: '2026-03-01', to: '2026-03-31' };
    const drivers3 = [
      a.driver,
      ...(await Promise.all(
        [1, 2].map(async () => (await aDriverToken(db, a.org.id, `TOK${serial++}`)).driver),
      )),
    ];
    for (const d of drivers3) await aCdr(a.inParis, { driverId: d.id });
    await aCdr(b.inParis, { driverId: b.driver.id });

    expect((await issueInvoice(db, a.admin, drivers3[0]!.id, march)).number).toBe(1);
    // A refused invoice takes no number.
    await expectError(issueInvoice(db, a.admin, drivers3[0]!.id, march), 'validation');
    // Two at once take the next two numbers.
    const both = await Promise.all(drivers3.slice(1).map((d) => issueInvoice(db, a.admin, d.id, march)));
    expect(both.map((i) => i.number).sort()).toEqual([2, 3]);
    // The other organisation counts on its own.
    expect((await issueInvoice(db, b.admin, b.driver.id, march)).number).toBe(1);
    expect((await listInvoices(db, a.admin)).map((i) => i.number)).toEqual([3, 2, 1]);
    expect((await listInvoices(db, b.admin)).map((i) => i.number)).toEqual([1]);
  });

  it('keeps the number and seller it was issued with when the billing settings change later', async () => {
    const n = await aNetwork();
    await aCdr(n.inParis, { driverId: n.driver.id });
    const issued = await issueInvoice(db, n.admin, n.driver.id, { from: '2026-03-01', to: '2026-03-31' });
    expect(issued.documentNumber).toBe('INV-000001');
    await saveBillingSettings(db, n.admin, { legalName: 'Renamed SAS', invoicePrefix: 'NEW' });
    const printed = await invoiceDocument(db, n.admin, issued.id);
    expect(printed).toMatchObject({
      number: 'INV-000001',
      seller: { name: n.org.name, address: null, taxId: null },
    });
    expect((await listInvoices(db, n.admin)).map((i) => i.documentNumber)).toEqual(['INV-000001']);
  });

  it('lets only one of two simultaneous invoices of the same CDRs have them', async () => {
    const n = await aNetwork();
    const cdr = await aCdr(n.inParis, { driverId: n.driver.id });
    const march = { from: '2026-03-01', to: '2026-03-31' };
    const results = await Promise.allSettled([
      issueInvoice(db, n.admin, n.driver.id, march),
      issueInvoice(db, n.admin, n.driver.id, march),
    ]);
    const issued = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(issued).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ kind: 'validation' });
    expect(await invoiceIdOf(cdr.id)).toBe((issued[0] as PromiseFulfilledResult<{ id: string }>).value.id);
    expect((await listInvoices(db, n.admin)).map((i) => i.number)).toEqual([1]);
  });

  it('refuses a bad period, mixed currencies or tax rates, a driver of another organisation, and technicians', async () => {
    const n = await aNetwork();
    const bad = await expectError(
      issueInvoice(db, n.admin, n.driver.id, { from: '2026-02-30', to: '' }),
      'validation',
    );
    expect(bad.fieldErrors).toEqual({ from: 'Not a calendar date', to: 'Enter a date as YYYY-MM-DD' });
    const backwards = await expectError(
      issueInvoice(db, n.admin, n.driver.id, { from: '2026-03-31', to: '2026-03-01' }),
      'validation',
    );
    expect(backwards.fieldErrors).toEqual({ to: 'The last day is before the first' });

    await aCdr(n.inParis, { driverId: n.driver.id, endedAt: at('2026-03-02T10:00:00Z') });
    await aCdr(n.inParis, { driverId: n.driver.id, endedAt: at('2026-03-03T10:00:00Z'), currency: 'USD' });
    const mixed = await expectError(
      issueInvoice(db, n.admin, n.driver.id, { from: '2026-03-01', to: '2026-03-31' }),
      'validation',
    );
    expect(mixed.fieldErrors?.from).toMatch(/EUR, USD/);
    // One currency per invoice: the days before the USD session are fine.
    expect(
      (await issueInvoice(db, n.admin, n.driver.id, { from: '2026-03-01', to: '2026-03-02' })).number,
    ).toBe(1);

    await aCdr(n.inParis, { driverId: n.driver.id, endedAt: at('2026-04-02T10:00:00Z') });
    await aCdr(n.inParis, {
      driverId: n.driver.id,
      endedAt: at('2026-04-03T10:00:00Z'),
      taxRateBp: 1000,
      tax: 35,
    });
    const rates = await expectError(
      issueInvoice(db, n.admin, n.driver.id, { from: '2026-04-01', to: '2026-04-30' }),
      'validation',
    );
    expect(rates.fieldErrors?.from).toMatch(/tax rate changed/);

    const stranger = await aUser(db, (await anOrganisation(db)).id);
    await expectError(
      issueInvoice(db, stranger, n.driver.id, { from: '2026-03-01', to: '2026-03-31' }),
      'not_found',
    );
    await expectError(
      issueInvoice(db, n.admin, 'nope', { from: '2026-03-01', to: '2026-03-31' }),
      'not_found',
    );
    await expectError(
      issueInvoice(db, n.technician, n.driver.id, { from: '2026-03-01', to: '2026-03-31' }),
      'forbidden',
    );
    await expectError(listInvoices(db, n.technician), 'forbidden');
  });

  it("keeps a manager's invoices to their sites", async () => {
    const n = await aNetwork();
    const inParis = await aCdr(n.inParis, { driverId: n.driver.id });
    const inLyon = await aCdr(n.inLyon, { driverId: n.driver.id });
    const march = { from: '2026-03-01', to: '2026-03-31' };

    const lyons = await issueInvoice(db, n.lyonManager, n.driver.id, march);
    expect(lyons).toMatchObject({ cdrCount: 1, total: inLyon.total });
    expect(await invoiceIdOf(inParis.id)).toBeNull();
    await expectError(issueInvoice(db, n.lyonManager, n.driver.id, march), 'validation');
    const paris = await issueInvoice(db, n.admin, n.driver.id, march);

    expect((await listInvoices(db, n.lyonManager)).map((i) => i.id)).toEqual([lyons.id]);
    expect((await listInvoices(db, n.parisManager)).map((i) => i.id)).toEqual([paris.id]);
    expect((await listInvoices(db, n.admin)).map((i) => i.id)).toEqual([paris.id, lyons.id]);
    await expectError(renderInvoicePdf(db, n.lyonManager, paris.id), 'not_found');
    await expectError(invoiceDocument(db, n.parisManager, lyons.id), 'not_found');
    await expectError(invoiceDocument(db, n.technician, paris.id), 'forbidden');
  });
});

describe('invoice documents', () => {
  it('prints the seller, the buyer, each session with its lines in words, totals and payment', async () => {
    const n = await aNetwork();
    await saveBillingSettings(db, n.admin, {
      legalName: 'Volta Recharge SAS',
      address: '12 rue de Rivoli\n75004 Paris',
      taxId: 'FR 40 123456789',
      invoicePrefix: 'vr-2026',
    });
    await db
      .update(drivers)
      .set({ name: 'Camille Martin', email: 'camille@example.com', company: 'Atelier Martin' })
      .where(eq(drivers.id, n.driver.id));
    await db.insert(billingAccounts).values({
      driverId: n.driver.id,
      method: 'card',
      currency: 'EUR',
      cardLabel: 'Visa •••• 4242',
    });
    const first = await aCdr(n.inParis, {
      driverId: n.driver.id,
      evseId: 2,
      startedAt: at('2026-03-05T13:05:00Z'),
      endedAt: at('2026-03-05T13:52:00Z'),
      energyWh: 14_345,
      tariffName: 'Standard AC',
      lines: [
        { kind: 'energy', band: 'Peak', quantity: 12_345, rate: 3500, amount: 432 },
        { kind: 'energy', band: null, quantity: 2000, rate: 2500, amount: 50 },
        { kind: 'time', band: null, quantity: 2100, rate: 200, amount: 70 },
        { kind: 'idle', band: null, quantity: 2130, rate: 1000, amount: 355 },
        { kind: 'session', band: null, quantity: 1, rate: null, amount: 50 },
        { kind: 'maximum', band: null, quantity: 1, rate: null, amount: -57 },
      ],
      net: 900,
      tax: 180,
      paymentMethod: 'card',
      paymentStatus: 'paid',
      paymentReference: 'pi_1',
      paidAt: at('2026-03-05T13:53:00Z'),
    });
    const second = await aCdr(n.inLyon, {
      driverId: n.driver.id,
      endedAt: at('2026-03-20T18:00:00Z'),
      paymentMethod: 'card',
      paymentStatus: 'paid',
      paymentReference: 'pi_2',
      paidAt: at('2026-03-20T18:01:00Z'),
    });
    const invoice = await issueInvoice(
      db,
      n.admin,
      n.driver.id,
      { from: '2026-03-01', to: '2026-03-31' },
      at('2026-04-01T06:00:00Z'),
    );
    expect(invoice.documentNumber).toBe('VR-2026-000001');

    const document = await invoiceDocument(db, n.admin, invoice.id);
    expect(document).toEqual({
      kind: 'invoice',
      number: 'VR-2026-000001',
      issuedAt: at('2026-04-01T06:00:00Z'),
      timeZone: 'Europe/Paris',
      currency: 'EUR',
      seller: {
        name: 'Volta Recharge SAS',
        address: '12 rue de Rivoli\n75004 Paris',
        taxId: 'FR 40 123456789',
      },
      buyer: { name: 'Camille Martin', email: 'camille@example.com', company: 'Atelier Martin' },
      corrects: null,
      sessions: [
        {
          cdrNumber: `CDR-${String(first.number).padStart(6, '0')}`,
          stationIdentity: n.inParis.identity,
          siteName: 'Paris Odéon',
          evseId: 2,
          startedAt: at('2026-03-05T13:05:00Z'),
          endedAt: at('2026-03-05T13:52:00Z'),
          energyWh: 14_345,
          tariffName: 'Standard AC',
          lines: [
            { description: 'Energy (Peak)', quantity: '12.345 kWh', unitPrice: '€0.35 / kWh', amount: 432 },
            { description: 'Energy', quantity: '2.000 kWh', unitPrice: '€0.25 / kWh', amount: 50 },
            { description: 'Charging time', quantity: '35 min', unitPrice: '€0.02 / min', amount: 70 },
            { description: 'Idle time', quantity: '35.5 min', unitPrice: '€0.10 / min', amount: 355 },
            { description: 'Session fee', quantity: '1', unitPrice: '€0.50', amount: 50 },
            { description: 'Maximum price adjustment', quantity: '', unitPrice: null, amount: -57 },
          ],
          total: 900,
        },
        {
          cdrNumber: `CDR-${String(second.number).padStart(6, '0')}`,
          stationIdentity: n.inLyon.identity,
          siteName: 'Lyon Part-Dieu',
          evseId: 1,
          startedAt: at('2026-03-20T17:00:00Z'),
          endedAt: at('2026-03-20T18:00:00Z'),
          energyWh: 10_000,
          tariffName: 'Standard',
          lines: [{ description: 'Energy', quantity: '10.000 kWh', unitPrice: '€0.35 / kWh', amount: 350 }],
          total: 350,
        },
      ],
      net: 1250,
      tax: 250,
      total: 1500,
      taxRateBp: 2000,
      pricesIncludeTax: false,
      // Two card payments: paid, by the card, when the last went through (no single reference).
      payment: {
        status: 'paid',
        method: 'Visa •••• 4242',
        reference: null,
        paidAt: at('2026-03-20T18:01:00Z'),
      },
    });

    const { fileName, pdf } = await renderInvoicePdf(db, n.admin, invoice.id, {
      compress: false,
    });
    expect(fileName).toBe('invoice-VR-2026-000001.pdf');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('VR-2026-000001');
    expect(text).toContain('Volta Recharge SAS');
    expect(text).toContain('Paid on 2026-03-20 19:01 CET by Visa');
  });

  it('prints a credit note that corrects the invoice, or the CDR when it was never invoiced', async () => {
    const n = await aNetwork();
    const invoiced = await aCdr(n.inParis, { driverId: n.driver.id, net: 1000, tax: 200 });
    const loose = await aCdr(n.inParis, { idToken: 'CAFE01', net: 480, tax: 96 });
    const invoice = await issueInvoice(db, n.admin, n.driver.id, { from: '2026-03-01', to: '2026-03-31' });
    const partial = await issueCreditNote(db, n.admin, invoiced.id, {
      amount: '3.00',
      reason: 'Slow charging',
    });
    const full = await issueCreditNote(db, n.admin, loose.id, { amount: '5.76', reason: 'Meter fault' });
    const ids = await db.query.creditNotes.findMany({ orderBy: (c, { asc }) => [asc(c.number)] });
    const idOf = (number: number) =>
      ids.find((c) => c.organisationId === n.org.id && c.number === number)!.id;

    const partialDoc = await creditNoteDocument(db, n.parisManager, idOf(partial));
    expect(partialDoc).toMatchObject({
      kind: 'credit-note',
      number: 'CN-000001',
      seller: { name: n.org.name, address: null, taxId: null },
      buyer: { name: n.driver.name },
      corrects: { number: invoice.documentNumber, reason: 'Slow charging' },
      // €3.00 gross at 20 %: €0.50 tax, €2.50 net; the line is in the tariff's basis (net).
      net: 250,
      tax: 50,
      total: 300,
      taxRateBp: 2000,
      pricesIncludeTax: false,
      payment: { status: 'account', method: null, reference: null, paidAt: null },
    });
    expect(partialDoc.sessions).toHaveLength(1);
    expect(partialDoc.sessions[0]).toMatchObject({
      lines: [
        {
          description: `Partial credit of CDR-${String(invoiced.number).padStart(6, '0')}`,
          quantity: '',
          unitPrice: null,
          amount: 250,
        },
      ],
      total: 250,
    });

    const fullDoc = await creditNoteDocument(db, n.admin, idOf(full));
    expect(fullDoc).toMatchObject({
      number: 'CN-000002',
      buyer: { name: 'Token CAFE01', email: null, company: null },
      corrects: {
        number: `CDR-${String(loose.number).padStart(6, '0')}`,
        reason: 'Meter fault',
        record: 'charge record',
      },
      net: 480,
      tax: 96,
      total: 576,
      payment: { status: 'unpaid' },
    });
    expect(fullDoc.sessions[0]!.lines).toEqual([
      { description: 'Energy', quantity: '10.000 kWh', unitPrice: '€0.35 / kWh', amount: 480 },
    ]);
    const { fileName, pdf } = await renderCreditNotePdf(db, n.admin, idOf(full));
    expect(fileName).toBe('credit-note-CN-000002.pdf');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await expectError(creditNoteDocument(db, n.lyonManager, idOf(partial)), 'not_found');
    await expectError(creditNoteDocument(db, n.technician, idOf(partial)), 'forbidden');
    await expectError(renderCreditNotePdf(db, n.admin, 'nope'), 'not_found');
  });

  it('describes minimum lines and rates finer than the currency', () => {
    expect(
      describeLine({ kind: 'minimum', band: null, quantity: 1, rate: null, amount: 120 }, 'USD'),
    ).toEqual({
      description: 'Minimum price adjustment',
      quantity: '',
      unitPrice: null,
      amount: 120,
    });
    expect(
      describeLine({ kind: 'energy', band: 'Off-peak', quantity: 999, rate: 3650, amount: 36 }, 'USD'),
    ).toEqual({
      description: 'Energy (Off-peak)',
      quantity: '0.999 kWh',
      unitPrice: '$0.365 / kWh',
      amount: 36,
    });
    expect(
      describeLine({ kind: 'idle', band: null, quantity: 2105, rate: 1000, amount: 351 }, 'USD').quantity,
    ).toBe('35.08 min');
  });
});

describe('billing settings', () => {
  it('defaults to the organisation name and INV, and only administrators change them', async () => {
    const n = await aNetwork();
    expect(await getBillingSettings(db, n.parisManager)).toEqual({
      legalName: n.org.name,
      address: null,
      taxId: null,
      invoicePrefix: 'INV',
      saved: false,
    });
    await expectError(saveBillingSettings(db, n.parisManager, { legalName: 'X' }), 'forbidden');
    await expectError(getBillingSettings(db, n.technician), 'forbidden');
    const bad = await expectError(
      saveBillingSettings(db, n.admin, { legalName: ' ', invoicePrefix: 'INV 2026!' }),
      'validation',
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['invoicePrefix', 'legalName']);

    expect(
      await saveBillingSettings(db, n.admin, {
        legalName: ' Volta SAS ',
        address: '',
        taxId: '',
        invoicePrefix: '',
      }),
    ).toEqual({
      legalName: 'Volta SAS',
      address: null,
      taxId: null,
      invoicePrefix: 'INV',
      saved: true,
    });
    await saveBillingSettings(db, n.admin, { legalName: 'Volta SAS', taxId: 'FR 40', invoicePrefix: 'VS' });
    expect(await getBillingSettings(db, n.parisManager)).toMatchObject({
      taxId: 'FR 40',
      invoicePrefix: 'VS',
      saved: true,
    });
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'billing.settings'), eq(auditLog.organisationId, n.org.id)));
    expect(audit).toHaveLength(2);
  });
});
