import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  billingAccounts,
  chargeDetailRecords,
  chargingStations,
  ledgerEntries,
  paymentAttempts,
} from '@/lib/db/schema';
import { setCardPaymentProvider } from '@/lib/payments/registry';
import { createStripeProvider } from '@/lib/payments/stripe';
import { startStripeStandIn, type StripeStandIn } from '@/lib/payments/stripe-stand-in';
import {
  interruptedAttemptMs,
  issueCreditNote,
  recordDriverPayment,
  retryCardPayment,
  settleChargeDetailRecord,
  settleGraceMs,
  settleOverduePayments,
} from './payments';
import {
  aChargeDetailRecord,
  aDriverToken,
  anOrganisation,
  aSessionEntry,
  aSite,
  aStation,
  aUser,
} from './testing';

// Money in after a session: balances settle records oldest first, credit notes never exceed what a
// record cost, and a declined card leaves the record failed with the reason until a retry succeeds
// (against the local Stripe stand-in: the internet is not reachable here).
const t = setupTestDatabase();
let standIn: StripeStandIn;
let n = 0;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  setCardPaymentProvider(
    createStripeProvider({ secretKey: 'sk_test_payments0000', apiBase: standIn.url, timeoutMs: 2000 }),
  );
});
afterAll(async () => {
  setCardPaymentProvider(null);
  await standIn.close();
});

async function aBilledSession(
  organisationId: string,
  siteId: string,
  driverId: string,
  total: number,
  method: 'account' | 'card' | 'prepaid',
  createdAt?: Date,
) {
  n += 1;
  const station = await aStation(t.db, organisationId, siteId, 'PAY');
  const cdr = await aChargeDetailRecord(t.db, station, {
    driverId,
    endedAt: new Date(Date.UTC(2026, 10, 1, 10, n)),
    currency: 'USD',
    lines: [],
    net: total,
    tax: 0,
    taxRateBp: 0,
    paymentMethod: method,
    ...(createdAt ? { createdAt } : {}),
  });
  await aSessionEntry(t.db, cdr);
  return cdr;
}

/** A driver who pays by a saved card (one of Stripe's test payment methods). */
async function aCardDriver(organisationId: string, paymentMethodRef = 'pm_card_visa') {
  const { driver } = await aDriverToken(t.db, organisationId, `SWEEP-${++n}`);
  await t.db.insert(billingAccounts).values({
    driverId: driver.id,
    method: 'card',
    currency: 'USD',
    providerCustomerRef: 'cus_sweep',
    providerPaymentMethodRef: paymentMethodRef,
  });
  return driver;
}

/** The charges the stand-in received for a CDR, resent ones included. */
const chargesFor = (cdrId: string) =>
  standIn.requests.filter((r) => r.method === 'POST' && r.body['metadata[cdr_id]'] === cdrId);

const attemptsOf = (cdrId: string) =>
  t.db.select().from(paymentAttempts).where(eq(paymentAttempts.cdrId, cdrId)).orderBy(paymentAttempts.id);

const cardPaymentsOf = (cdrId: string) =>
  t.db
    .select({ amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.cdrId, cdrId), eq(ledgerEntries.kind, 'payment')));

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

const identityOf = async (stationId: string) =>
  (
    await t.db
      .select({ identity: chargingStations.identity })
      .from(chargingStations)
      .where(eq(chargingStations.id, stationId))
  )[0]?.identity;

const statusOf = async (id: string) =>
  (await t.db.select().from(chargeDetailRecords).where(eq(chargeDetailRecords.id, id)))[0];

describe('payments', () => {
  it('settles account records oldest first as payments cover them', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const admin = await aUser(t.db, org.id);
    const { driver } = await aDriverToken(t.db, org.id, `ACC-${n}`);
    const first = await aBilledSession(org.id, site.id, driver.id, 500, 'account');
    const second = await aBilledSession(org.id, site.id, driver.id, 300, 'account');
    await recordDriverPayment(t.db, admin, driver.id, { amount: '6.00', reference: 'bank transfer' });
    expect((await statusOf(first.id))?.paymentStatus).toBe('paid');
    expect((await statusOf(second.id))?.paymentStatus).toBe('unpaid');
    await recordDriverPayment(t.db, admin, driver.id, { amount: '2.00' });
    expect((await statusOf(second.id))?.paymentStatus).toBe('paid');
  });

  it('settles a record only from payments in its own currency', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const admin = await aUser(t.db, org.id);
    const { driver } = await aDriverToken(t.db, org.id, `CUR-${n}`);
    const dollars = await aBilledSession(org.id, site.id, driver.id, 500, 'account');
    await recordDriverPayment(t.db, admin, driver.id, { amount: '5.00', currency: 'EUR' });
    expect((await statusOf(dollars.id))?.paymentStatus).toBe('unpaid');
    // A euro record is covered by the euros already paid.
    const euros = await aChargeDetailRecord(t.db, await aStation(t.db, org.id, site.id, 'EUR'), {
      driverId: driver.id,
      paymentMethod: 'account',
    });
    await aSessionEntry(t.db, euros);
    await recordDriverPayment(t.db, admin, driver.id, { amount: '0.01', currency: 'EUR' });
    expect((await statusOf(euros.id))?.paymentStatus).toBe('paid');
    expect((await statusOf(dollars.id))?.paymentStatus).toBe('unpaid');
  });

  it('credits at most what a record cost, and refuses a technician', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const admin = await aUser(t.db, org.id);
    const technician = await aUser(t.db, org.id, { role: 'technician' });
    const { driver } = await aDriverToken(t.db, org.id, `CN-${n}`);
    const cdr = await aBilledSession(org.id, site.id, driver.id, 500, 'account');
    await expect(
      issueCreditNote(t.db, technician, cdr.id, { amount: '1.00', reason: 'x' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(issueCreditNote(t.db, admin, cdr.id, { amount: '1.00' })).rejects.toMatchObject({
      fieldErrors: { reason: expect.any(String) },
    });
    expect(await issueCreditNote(t.db, admin, cdr.id, { amount: '3.00', reason: 'Charger slow' })).toBe(1);
    await expect(
      issueCreditNote(t.db, admin, cdr.id, { amount: '2.01', reason: 'More' }),
    ).rejects.toMatchObject({ kind: 'validation', fieldErrors: { amount: 'At most $2.00' } });
    expect(await issueCreditNote(t.db, admin, cdr.id, { amount: '2.00', reason: 'Rest' })).toBe(2);
    // Fully credited: nothing is owed, so the record counts as paid.
    expect((await statusOf(cdr.id))?.paymentStatus).toBe('paid');
  });

  it('leaves a declined card payment failed with the reason, and a retry with a good card pays it', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const admin = await aUser(t.db, org.id);
    const { driver } = await aDriverToken(t.db, org.id, `CARD-${n}`);
    await t.db.insert(billingAccounts).values({
      driverId: driver.id,
      method: 'card',
      currency: 'USD',
      providerCustomerRef: 'cus_test',
      providerPaymentMethodRef: 'pm_card_chargeDeclined',
    });
    const cdr = await aBilledSession(org.id, site.id, driver.id, 1234, 'card');
    await settleChargeDetailRecord(t.db, cdr);
    const failed = await statusOf(cdr.id);
    expect(failed).toMatchObject({
      paymentStatus: 'failed',
      paymentError: expect.stringMatching(/declined/i),
    });

    await t.db
      .update(billingAccounts)
      .set({ providerPaymentMethodRef: 'pm_card_visa' })
      .where(eq(billingAccounts.driverId, driver.id));
    // $2.34 credited before the retry: the card is charged what is still owed.
    await issueCreditNote(t.db, admin, cdr.id, { amount: '2.34', reason: 'Slow charger' });
    await retryCardPayment(t.db, admin, cdr.id);
    expect(await statusOf(cdr.id)).toMatchObject({
      paymentStatus: 'paid',
      paymentReference: expect.stringMatching(/^pi_/),
    });
    const attempts = await t.db.select().from(paymentAttempts).where(eq(paymentAttempts.cdrId, cdr.id));
    expect(attempts.map((a) => [a.status, a.amount])).toEqual([
      ['failed', 1234],
      ['succeeded', 1000],
    ]);
  });
});

// The settlement after a session runs after its CDR commits and nothing retries it, so a crash (or an
// error before the attempt is saved) used to leave a card record unpaid for good.
describe('settleOverduePayments', () => {
  it('charges a card record the path after the session never reached, once, and leaves new ones to that path', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const driver = await aCardDriver(org.id);
    const now = new Date();
    // Both CDRs were written and nothing settled them: the process stopped right after the commit.
    const stranded = await aBilledSession(org.id, site.id, driver.id, 1500, 'card', ago(now, 5 * 60_000));
    const recent = await aBilledSession(org.id, site.id, driver.id, 700, 'card', ago(now, settleGraceMs / 4));

    expect(await settleOverduePayments(t.db, now)).toMatchObject({ overdue: 1 });
    expect(await statusOf(stranded.id)).toMatchObject({
      paymentStatus: 'paid',
      paymentReference: expect.stringMatching(/^pi_/),
      paymentError: null,
    });
    expect((await attemptsOf(stranded.id)).map((a) => [a.status, a.amount])).toEqual([['succeeded', 1500]]);
    expect(await cardPaymentsOf(stranded.id)).toEqual([{ amount: -1500 }]);
    expect(chargesFor(stranded.id).map((r) => r.idempotencyKey)).toEqual([`cdr-${stranded.id}-1`]);
    // Inside the grace the normal path may still be at work: the sweep leaves the record alone.
    expect((await statusOf(recent.id))?.paymentStatus).toBe('unpaid');
    expect(await attemptsOf(recent.id)).toEqual([]);
    expect(chargesFor(recent.id)).toEqual([]);

    // A second round finds nothing to do for the record it charged.
    await settleOverduePayments(t.db, new Date(now.getTime() + 1000));
    expect(chargesFor(stranded.id)).toHaveLength(1);
    expect(await attemptsOf(stranded.id)).toHaveLength(1);
    expect(await cardPaymentsOf(stranded.id)).toHaveLength(1);
  });

  it('charges once when the normal path and the sweep take the same record at the same moment', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const driver = await aCardDriver(org.id);
    const now = new Date();
    const cdr = await aBilledSession(org.id, site.id, driver.id, 900, 'card', ago(now, settleGraceMs * 2));
    // The sweep settles each record it picked exactly as the normal path does; both at once, plus
    // a whole round of the sweep.
    await Promise.all([
      settleChargeDetailRecord(t.db, cdr, now),
      settleChargeDetailRecord(t.db, cdr, now),
      settleOverduePayments(t.db, now),
    ]);
    expect(chargesFor(cdr.id)).toHaveLength(1);
    expect((await attemptsOf(cdr.id)).map((a) => a.status)).toEqual(['succeeded']);
    expect(await cardPaymentsOf(cdr.id)).toEqual([{ amount: -900 }]);
    expect((await statusOf(cdr.id))?.paymentStatus).toBe('paid');
  });

  it('settles a stranded prepaid record from the balance, or fails it when the balance is short', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const admin = await aUser(t.db, org.id);
    const { driver } = await aDriverToken(t.db, org.id, `PRE-${++n}`);
    await t.db.insert(billingAccounts).values({ driverId: driver.id, method: 'prepaid', currency: 'USD' });
    await recordDriverPayment(t.db, admin, driver.id, { amount: '10.00' });
    const now = new Date();
    const covered = await aBilledSession(org.id, site.id, driver.id, 800, 'prepaid', ago(now, 10 * 60_000));
    const short = await aBilledSession(org.id, site.id, driver.id, 500, 'prepaid', ago(now, 5 * 60_000));
    await settleOverduePayments(t.db, now);
    expect((await statusOf(covered.id))?.paymentStatus).toBe('paid');
    expect(await statusOf(short.id)).toMatchObject({
      paymentStatus: 'failed',
      paymentError: expect.stringMatching(/top up/),
    });
  });

  it('sends a charge cut off by a stop again under its first key, so the provider replays it', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const driver = await aCardDriver(org.id);
    const now = new Date();
    const cdr = await aBilledSession(org.id, site.id, driver.id, 2000, 'card', ago(now, 60 * 60_000));
    // The first try: its attempt was saved and the provider took the money, then the process died
    // before the answer was recorded.
    const started = ago(now, interruptedAttemptMs + 60_000);
    await t.db.insert(paymentAttempts).values({
      cdrId: cdr.id,
      provider: 'stripe',
      amount: 2000,
      currency: 'USD',
      status: 'pending',
      createdAt: started,
    });
    const admin = await aUser(t.db, org.id);
    await settleChargeDetailRecord(t.db, cdr, now);
    expect(chargesFor(cdr.id)).toEqual([]);
    await expect(retryCardPayment(t.db, admin, cdr.id, now)).rejects.toMatchObject({ kind: 'conflict' });
    const lost = await createStripeProvider({
      secretKey: 'sk_test_payments0000',
      apiBase: standIn.url,
    }).charge({
      cdrId: cdr.id,
      attempt: 1,
      amount: 2000,
      currency: 'USD',
      // What billing sends for this record: a resend must carry the same parameters.
      description: `Charging session ${await identityOf(cdr.stationId)} ${cdr.startedAt.toISOString().slice(0, 10)} (CDR ${cdr.number})`,
      customerRef: 'cus_sweep',
      paymentMethodRef: 'pm_card_visa',
    });
    expect(lost.status).toBe('succeeded');

    // A round inside the interruption window leaves it: the charge might still be in flight.
    expect(await settleOverduePayments(t.db, ago(now, 2 * 60_000))).toMatchObject({ resumed: 0 });
    expect(await settleOverduePayments(t.db, now)).toMatchObject({ resumed: 1 });
    expect(chargesFor(cdr.id).map((r) => r.idempotencyKey)).toEqual([`cdr-${cdr.id}-1`, `cdr-${cdr.id}-1`]);
    expect(await statusOf(cdr.id)).toMatchObject({ paymentStatus: 'paid', paymentReference: lost.reference });
    expect((await attemptsOf(cdr.id)).map((a) => [a.status, a.reference])).toEqual([
      ['succeeded', lost.reference],
    ]);
    expect(await cardPaymentsOf(cdr.id)).toEqual([{ amount: -2000 }]);
    await settleOverduePayments(t.db, new Date(now.getTime() + interruptedAttemptMs * 2));
    expect(chargesFor(cdr.id)).toHaveLength(2);
  });

  it('hands an attempt cut off longer ago than the provider keeps keys to a person, without charging', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const driver = await aCardDriver(org.id);
    const now = new Date();
    const cdr = await aBilledSession(org.id, site.id, driver.id, 600, 'card', ago(now, 30 * 3_600_000));
    await t.db.insert(paymentAttempts).values({
      cdrId: cdr.id,
      provider: 'stripe',
      amount: 600,
      currency: 'USD',
      status: 'pending',
      createdAt: ago(now, 25 * 3_600_000),
    });
    await settleOverduePayments(t.db, now);
    expect(chargesFor(cdr.id)).toEqual([]);
    expect(await statusOf(cdr.id)).toMatchObject({
      paymentStatus: 'failed',
      paymentError: expect.stringMatching(/look the payment up/),
    });
    expect((await attemptsOf(cdr.id)).map((a) => a.status)).toEqual(['failed']);
  });
});

describe('retryCardPayment', () => {
  it('charges a card record that has no attempt on file, and refuses one already paid', async () => {
    const org = await anOrganisation(t.db);
    const site = await aSite(t.db, org.id);
    const admin = await aUser(t.db, org.id);
    const technician = await aUser(t.db, org.id, { role: 'technician' });
    const driver = await aCardDriver(org.id);
    const cdr = await aBilledSession(org.id, site.id, driver.id, 450, 'card');
    await expect(retryCardPayment(t.db, technician, cdr.id)).rejects.toMatchObject({ kind: 'forbidden' });
    await retryCardPayment(t.db, admin, cdr.id);
    expect(await statusOf(cdr.id)).toMatchObject({ paymentStatus: 'paid' });
    expect(chargesFor(cdr.id).map((r) => r.idempotencyKey)).toEqual([`cdr-${cdr.id}-1`]);
    await expect(retryCardPayment(t.db, admin, cdr.id)).rejects.toMatchObject({ kind: 'conflict' });
    expect(chargesFor(cdr.id)).toHaveLength(1);
  });
});
