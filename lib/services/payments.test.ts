import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { setupTestDatabase } from '@/lib/db/testing';
import { billingAccounts, chargeDetailRecords, paymentAttempts } from '@/lib/db/schema';
import { setCardPaymentProvider } from '@/lib/payments/registry';
import { createStripeProvider } from '@/lib/payments/stripe';
import { startStripeStandIn, type StripeStandIn } from '@/lib/payments/stripe-stand-in';
import { issueCreditNote, recordDriverPayment, retryCardPayment, settleChargeDetailRecord } from './payments';
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
  });
  await aSessionEntry(t.db, cdr);
  return cdr;
}

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
