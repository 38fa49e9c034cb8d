import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import {
  billingAccounts,
  chargeDetailRecords,
  chargingStations,
  creditNotes,
  ledgerEntries,
  paymentAttempts,
  type ChargeDetailRecord,
} from '@/lib/db/schema';
import { canAccessStation } from '@/lib/domain/access/roles';
import { formatMoney, isCurrency, parseAmount } from '@/lib/domain/pricing/money';
import { conflict, invalid, notFound } from '@/lib/errors';
import { getLogger } from '@/lib/logger';
import { getCardPaymentProvider } from '@/lib/payments/registry';
import { optionalField, parseInput, text } from '@/lib/validation/fields';
import { isUuid } from '@/lib/validation/ids';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { driverWithAccount, nextDocumentNumber, publishCdr, settleFromBalance } from './billing';
import { sellerOf, settingsOf } from './invoices';
import { actorOf, type SessionUser } from './users';
import { documentNumber } from '@/lib/domain/pricing/display';

/**
 * Money in: card charges for CDRs (through the configured provider), prepaid top-ups, payments
 * recorded by hand for account customers, and credit notes. A failed card payment leaves the CDR
 * 'failed' with the reason, visible in the CDR list until someone retries or records a payment.
 */

/** After a CDR commits: settle it from the balance (account, prepaid) or charge the card. Never throws. */
export async function settleChargeDetailRecord(
  db: Db,
  cdr: ChargeDetailRecord,
  now = new Date(),
): Promise<void> {
  try {
    if (cdr.paymentStatus === 'unpaid' && cdr.driverId && cdr.paymentMethod === 'card') {
      await chargeCard(db, cdr, now);
      return;
    }
    if (cdr.paymentStatus === 'unpaid' && cdr.driverId) {
      const driverId = cdr.driverId;
      const paid = await db.transaction(async (tx) => {
        const settled = await settleFromBalance(tx, driverId, now);
        if (!settled.includes(cdr.id) && cdr.paymentMethod === 'prepaid')
          await tx
            .update(chargeDetailRecords)
            .set({ paymentStatus: 'failed', paymentError: 'Prepaid balance too low: top up the account' })
            .where(eq(chargeDetailRecords.id, cdr.id));
        return settled.includes(cdr.id);
      });
      publishCdr({
        ...cdr,
        paymentStatus: paid ? 'paid' : cdr.paymentMethod === 'prepaid' ? 'failed' : 'unpaid',
      });
      return;
    }
    publishCdr(cdr);
  } catch (error) {
    getLogger().error({ err: error, cdrId: cdr.id }, 'settling a CDR failed; it stays unpaid');
  }
}

/** One card charge for a CDR; the attempt is kept whatever the outcome. */
async function chargeCard(db: Db, cdr: ChargeDetailRecord, now: Date): Promise<void> {
  const driverId = cdr.driverId;
  if (!driverId) return;
  const [account] = await db.select().from(billingAccounts).where(eq(billingAccounts.driverId, driverId));
  const [attempts] = await db
    .select({ n: count() })
    .from(paymentAttempts)
    .where(eq(paymentAttempts.cdrId, cdr.id));
  const attempt = (attempts?.n ?? 0) + 1;
  // What is still owed: a credit note issued before a retry lowers the charge.
  const [credited] = await db
    .select({ sum: sql<string>`coalesce(sum(${creditNotes.amount}), 0)` })
    .from(creditNotes)
    .where(eq(creditNotes.cdrId, cdr.id));
  const amount = cdr.total - Number(credited?.sum ?? 0);
  if (amount <= 0) return;
  const provider = getCardPaymentProvider();
  const [station] = await db
    .select({ identity: chargingStations.identity })
    .from(chargingStations)
    .where(eq(chargingStations.id, cdr.stationId));
  const result = !provider
    ? {
        status: 'failed' as const,
        reference: null,
        reason: 'Card payments are not configured (STRIPE_SECRET_KEY)',
      }
    : !account?.providerCustomerRef || !account.providerPaymentMethodRef
      ? { status: 'failed' as const, reference: null, reason: 'The driver has no saved card' }
      : await provider.charge({
          cdrId: cdr.id,
          attempt,
          amount,
          currency: cdr.currency,
          description: `Charging session ${station?.identity ?? ''} ${cdr.startedAt.toISOString().slice(0, 10)} (CDR ${cdr.number})`,
          customerRef: account.providerCustomerRef,
          paymentMethodRef: account.providerPaymentMethodRef,
        });
  const status = result.status === 'succeeded' ? 'paid' : 'failed';
  await db.transaction(async (tx) => {
    await tx.insert(paymentAttempts).values({
      cdrId: cdr.id,
      provider: provider?.name ?? 'none',
      amount,
      currency: cdr.currency,
      status: result.status,
      reference: result.reference,
      error: result.status === 'failed' ? result.reason : null,
      createdAt: now,
    });
    if (result.status === 'succeeded') {
      await tx.insert(ledgerEntries).values({
        organisationId: cdr.organisationId,
        driverId,
        kind: 'payment',
        amount: -amount,
        currency: cdr.currency,
        cdrId: cdr.id,
        description: `Card payment${account?.cardLabel ? ` (${account.cardLabel})` : ''}`,
        reference: result.reference,
        createdAt: now,
      });
    }
    await tx
      .update(chargeDetailRecords)
      .set({
        paymentStatus: status,
        paymentReference: result.reference,
        paymentError: result.status === 'failed' ? result.reason : null,
        paidAt: result.status === 'succeeded' ? now : null,
      })
      .where(eq(chargeDetailRecords.id, cdr.id));
  });
  publishCdr({ ...cdr, paymentStatus: status });
}

async function loadCdr(db: Db, actor: SessionUser, id: string): Promise<ChargeDetailRecord> {
  if (!isUuid(id)) throw notFound('Charge detail record');
  const [cdr] = await db
    .select()
    .from(chargeDetailRecords)
    .where(and(eq(chargeDetailRecords.id, id), eq(chargeDetailRecords.organisationId, actor.organisationId)));
  if (!cdr || !canAccessStation(actor, { siteId: cdr.siteId })) throw notFound('Charge detail record');
  return cdr;
}

/** An operator retries a failed card payment (a new attempt, so the provider does not replay the decline). */
export async function retryCardPayment(
  db: Db,
  actor: SessionUser,
  cdrId: string,
  now = new Date(),
): Promise<void> {
  assertCan(actor, 'billing:manage');
  const cdr = await loadCdr(db, actor, cdrId);
  if (cdr.paymentMethod !== 'card' || cdr.paymentStatus !== 'failed')
    throw conflict('Only a failed card payment can be retried');
  await recordAudit(db, actorOf(actor), { action: 'cdr.retry-payment', targetType: 'cdr', targetId: cdr.id });
  await chargeCard(db, cdr, now);
}

const amountForm = z.object({
  amount: text(20, 'Enter an amount'),
  reason: optionalField(text(300)).transform((v) => v ?? null),
  reference: optionalField(text(120)).transform((v) => v ?? null),
});

function amountIn(value: string, currency: string): number {
  const amount = parseAmount(value, currency);
  if (amount === null || amount <= 0)
    throw invalid('Enter a positive amount', { amount: `Enter a positive amount in ${currency}` });
  return amount;
}

/**
 * A credit note for a CDR: gives back part or all of what it cost, with a reason. The CDR never
 * changes; the driver's balance goes down by the amount.
 */
export async function issueCreditNote(
  db: Db,
  actor: SessionUser,
  cdrId: string,
  raw: unknown,
  now = new Date(),
): Promise<number> {
  assertCan(actor, 'billing:manage');
  const cdr = await loadCdr(db, actor, cdrId);
  const parsed = parseInput(amountForm, raw);
  if (!parsed.reason) throw invalid('Say why', { reason: 'Say why the record is corrected' });
  const amount = amountIn(parsed.amount, cdr.currency);
  const reason = parsed.reason;
  let settled: string[] = [];
  const number = await db.transaction(async (tx) => {
    // Serialises credit notes of one CDR so two at once cannot credit more than it cost.
    await tx.execute(sql`select id from charge_detail_records where id = ${cdr.id} for update`);
    const [credited] = await tx
      .select({ sum: sql<string>`coalesce(sum(${creditNotes.amount}), 0)` })
      .from(creditNotes)
      .where(eq(creditNotes.cdrId, cdr.id));
    const left = cdr.total - Number(credited?.sum ?? 0);
    if (amount > left)
      throw invalid('More than is left to credit', {
        amount: `At most ${formatMoney(left, cdr.currency)}`,
      });
    const n = await nextDocumentNumber(tx, cdr.organisationId, 'credit-note');
    const seller = sellerOf(await settingsOf(tx, cdr.organisationId));
    const [note] = await tx
      .insert(creditNotes)
      .values({
        organisationId: cdr.organisationId,
        number: n,
        cdrId: cdr.id,
        amount,
        currency: cdr.currency,
        reason,
        seller,
        createdBy: actor.id,
        createdAt: now,
      })
      .returning({ id: creditNotes.id });
    if (cdr.driverId) {
      await tx.insert(ledgerEntries).values({
        organisationId: cdr.organisationId,
        driverId: cdr.driverId,
        kind: 'credit-note',
        amount: -amount,
        currency: cdr.currency,
        cdrId: cdr.id,
        description: `Credit note for ${documentNumber('CDR', cdr.number)}: ${reason}`,
        reference: documentNumber('CN', n),
        createdBy: actor.id,
        createdAt: now,
      });
      settled = await settleFromBalance(tx, cdr.driverId, now);
    }
    await recordAudit(tx, actorOf(actor), {
      action: 'cdr.credit-note',
      targetType: 'cdr',
      targetId: cdr.id,
      details: { number: n, amount, currency: cdr.currency, reason, creditNoteId: note?.id },
    });
    return n;
  });
  await publishCdrs(db, [cdr.id, ...settled]);
  return number;
}

/**
 * Money received from a driver: a prepaid top-up or a payment on account (bank transfer, cash).
 * Unpaid CDRs it covers are marked paid, oldest first.
 */
export async function recordDriverPayment(
  db: Db,
  actor: SessionUser,
  driverId: string,
  raw: unknown,
  now = new Date(),
): Promise<void> {
  assertCan(actor, 'billing:manage');
  const driver = await driverWithAccount(db, actor, driverId);
  const parsed = parseInput(amountForm.extend({ currency: optionalField(z.string()) }), raw);
  const currency = (driver.currency ?? parsed.currency ?? 'USD').toUpperCase();
  if (!isCurrency(currency)) throw invalid('Unknown currency', { currency: 'Enter an ISO currency code' });
  const amount = amountIn(parsed.amount, currency);
  const kind = driver.method === 'prepaid' ? 'top-up' : 'payment';
  const settled = await db.transaction(async (tx) => {
    await tx.insert(ledgerEntries).values({
      organisationId: actor.organisationId,
      driverId: driver.id,
      kind,
      amount: -amount,
      currency,
      description: kind === 'top-up' ? 'Prepaid top-up' : 'Payment received',
      reference: parsed.reference,
      createdBy: actor.id,
      createdAt: now,
    });
    const paid = await settleFromBalance(tx, driver.id, now);
    await recordAudit(tx, actorOf(actor), {
      action: kind === 'top-up' ? 'driver.top-up' : 'driver.payment',
      targetType: 'driver',
      targetId: driver.id,
      details: { amount, currency, reference: parsed.reference, cdrsPaid: paid.length },
    });
    return paid;
  });
  // Each record the payment settled is announced as paid (lists and session pages refresh).
  await publishCdrs(db, settled);
}

/** Announces CDRs with their payment status as committed. */
async function publishCdrs(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db.select().from(chargeDetailRecords).where(inArray(chargeDetailRecords.id, ids));
  for (const row of rows) publishCdr(row);
}

const accountForm = z.object({
  method: z.enum(['account', 'prepaid', 'card'], 'Choose how the driver pays'),
  currency: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .refine(isCurrency, 'Enter an ISO currency code, e.g. USD'),
  customerRef: optionalField(text(120)).transform((v) => v ?? null),
  paymentMethodRef: optionalField(text(120)).transform((v) => v ?? null),
  cardLabel: optionalField(text(60)).transform((v) => v ?? null),
});

/** How a driver pays: on account, prepaid, or by a saved card (the provider's customer and payment method ids). */
export async function setBillingAccount(
  db: Db,
  actor: SessionUser,
  driverId: string,
  raw: unknown,
): Promise<void> {
  assertCan(actor, 'billing:manage');
  const driver = await driverWithAccount(db, actor, driverId);
  const v = parseInput(accountForm, raw);
  if (v.method === 'card' && (!v.customerRef || !v.paymentMethodRef))
    throw invalid('A card needs the provider ids', {
      customerRef: v.customerRef ? '' : 'Enter the customer id (cus_...)',
      paymentMethodRef: v.paymentMethodRef ? '' : 'Enter the payment method id (pm_...)',
    });
  await db.transaction(async (tx) => {
    await tx
      .insert(billingAccounts)
      .values({
        driverId: driver.id,
        method: v.method,
        currency: v.currency,
        providerCustomerRef: v.customerRef,
        providerPaymentMethodRef: v.paymentMethodRef,
        cardLabel: v.cardLabel,
      })
      .onConflictDoUpdate({
        target: billingAccounts.driverId,
        set: {
          method: v.method,
          currency: v.currency,
          providerCustomerRef: v.customerRef,
          providerPaymentMethodRef: v.paymentMethodRef,
          cardLabel: v.cardLabel,
          updatedAt: new Date(),
        },
      });
    await recordAudit(tx, actorOf(actor), {
      action: 'driver.billing-account',
      targetType: 'driver',
      targetId: driver.id,
      details: { method: v.method, currency: v.currency, cardLabel: v.cardLabel },
    });
  });
}
