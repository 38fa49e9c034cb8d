import { and, asc, count, eq, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/lib/db';
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
import type { CardPaymentProvider, ChargeRequest, ChargeResult } from '@/lib/payments/provider';
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
 * A card attempt is on record ('pending') before the provider is asked, and a sweep settles what the
 * path after each session never reached (settleOverduePayments).
 */

/** After a CDR commits: settle it from the balance (account, prepaid) or charge the card. Never throws. */
export async function settleChargeDetailRecord(
  db: Db,
  cdr: ChargeDetailRecord,
  now = new Date(),
): Promise<void> {
  try {
    if (cdr.paymentStatus === 'unpaid' && cdr.driverId && cdr.paymentMethod === 'card') {
      await carryOut(db, await claimCardCharge(db, cdr.id, 'first', now), now);
      return;
    }
    if (cdr.paymentStatus === 'unpaid' && cdr.driverId) {
      const driverId = cdr.driverId;
      const settled = await db.transaction(async (tx) => {
        const paid = await settleFromBalance(tx, driverId, now);
        if (!paid.includes(cdr.id) && cdr.paymentMethod === 'prepaid')
          await tx
            .update(chargeDetailRecords)
            .set({ paymentStatus: 'failed', paymentError: 'Prepaid balance too low: top up the account' })
            // Still unpaid: a payment that settled it in the meantime stays.
            .where(and(eq(chargeDetailRecords.id, cdr.id), eq(chargeDetailRecords.paymentStatus, 'unpaid')));
        return paid;
      });
      await publishCdrs(db, [cdr.id, ...settled.filter((id) => id !== cdr.id)]);
      return;
    }
    publishCdr(cdr);
  } catch (error) {
    getLogger().error({ err: error, cdrId: cdr.id }, 'settling a CDR failed; it stays unpaid');
  }
}

/** How long the normal path has to settle a new CDR before {@link settleOverduePayments} takes it over. */
export const settleGraceMs = 2 * 60_000;

/**
 * A card attempt still pending after this was cut off: ChargeOps stopped (or lost the database) while
 * waiting for the provider. A live charge waits at most twice the provider's timeout (Stripe's SDK:
 * 80 s, one retry), so ten minutes is well past any charge still in flight.
 */
export const interruptedAttemptMs = 10 * 60_000;

// An interrupted attempt is sent again under its own idempotency key, which providers keep for at
// least a day (Stripe: 24 hours). Older than this, the provider may have forgotten the key and a
// resend could take the money a second time, so a person has to look first.
const resendWithinMs = 23 * 3_600_000;

// Kept in the error column of a pending attempt that was sent a second time: it marks the attempt
// as resent once, so a second interruption goes to a person instead of a third try.
const resentNote = 'Sent again after ChargeOps stopped while waiting for the answer';

const unknownOutcome =
  'ChargeOps stopped before the card provider answered and cannot safely ask again: look the payment up at the provider (metadata cdr_id) before retrying';

/** A card charge that holds a pending attempt, ready to go to the provider. */
interface CardCharge {
  cdr: ChargeDetailRecord;
  attemptId: number;
  provider: CardPaymentProvider;
  request: ChargeRequest;
  cardLabel: string | null;
}

/** What a claim decided: send a charge, or a record that was closed without one, or nothing to do. */
type Claim =
  | { kind: 'send'; charge: CardCharge }
  | { kind: 'closed'; cdr: ChargeDetailRecord }
  | { kind: 'in-flight' }
  | { kind: 'not-chargeable' };

async function creditedOn(tx: Tx, cdrId: string): Promise<number> {
  const [credited] = await tx
    .select({ sum: sql<string>`coalesce(sum(${creditNotes.amount}), 0)` })
    .from(creditNotes)
    .where(eq(creditNotes.cdrId, cdrId));
  return Number(credited?.sum ?? 0);
}

async function descriptionOf(tx: Tx, cdr: ChargeDetailRecord): Promise<string> {
  const [station] = await tx
    .select({ identity: chargingStations.identity })
    .from(chargingStations)
    .where(eq(chargingStations.id, cdr.stationId));
  return `Charging session ${station?.identity ?? ''} ${cdr.startedAt.toISOString().slice(0, 10)} (CDR ${cdr.number})`;
}

/**
 * Starts a card attempt for a CDR, or decides there is none to start. `first` is the attempt made
 * after the session (the normal path and the sweep): only for an unpaid record with no attempt.
 * `retry` is an operator's: also for a record whose last payment failed. The attempt row is written
 * as `pending` before any money moves, and the CDR's row lock makes check and insert one step, so
 * two callers at the same moment never both charge. `audit` runs in the same transaction when an
 * attempt is made.
 */
async function claimCardCharge(
  db: Db,
  cdrId: string,
  mode: 'first' | 'retry',
  now: Date,
  audit?: (tx: Tx) => Promise<void>,
): Promise<Claim> {
  return db.transaction(async (tx): Promise<Claim> => {
    const [cdr] = await tx
      .select()
      .from(chargeDetailRecords)
      .where(eq(chargeDetailRecords.id, cdrId))
      .for('update');
    if (!cdr?.driverId || cdr.paymentMethod !== 'card') return { kind: 'not-chargeable' };
    const attempts = await tx
      .select({ status: paymentAttempts.status })
      .from(paymentAttempts)
      .where(eq(paymentAttempts.cdrId, cdr.id));
    if (attempts.some((a) => a.status === 'pending')) return { kind: 'in-flight' };
    const neverTried = cdr.paymentStatus === 'unpaid' && attempts.length === 0;
    if (!neverTried && !(mode === 'retry' && cdr.paymentStatus === 'failed'))
      return { kind: 'not-chargeable' };
    await audit?.(tx);
    // What is still owed: a credit note issued before the charge lowers it.
    const amount = cdr.total - (await creditedOn(tx, cdr.id));
    if (amount <= 0) {
      // Credited in full before any charge: nothing is owed, which counts as paid.
      const [paid] = await tx
        .update(chargeDetailRecords)
        .set({ paymentStatus: 'paid', paymentError: null, paidAt: now })
        .where(eq(chargeDetailRecords.id, cdr.id))
        .returning();
      return { kind: 'closed', cdr: paid ?? cdr };
    }
    const [account] = await tx
      .select()
      .from(billingAccounts)
      .where(eq(billingAccounts.driverId, cdr.driverId));
    const provider = getCardPaymentProvider();
    const customerRef = account?.providerCustomerRef;
    const paymentMethodRef = account?.providerPaymentMethodRef;
    if (!provider || !customerRef || !paymentMethodRef) {
      const reason = !provider
        ? 'Card payments are not configured (STRIPE_SECRET_KEY)'
        : 'The driver has no saved card';
      await tx.insert(paymentAttempts).values({
        cdrId: cdr.id,
        provider: provider?.name ?? 'none',
        amount,
        currency: cdr.currency,
        status: 'failed',
        error: reason,
        createdAt: now,
      });
      const [failed] = await tx
        .update(chargeDetailRecords)
        .set({ paymentStatus: 'failed', paymentReference: null, paymentError: reason, paidAt: null })
        .where(eq(chargeDetailRecords.id, cdr.id))
        .returning();
      return { kind: 'closed', cdr: failed ?? cdr };
    }
    const [attempt] = await tx
      .insert(paymentAttempts)
      .values({
        cdrId: cdr.id,
        provider: provider.name,
        amount,
        currency: cdr.currency,
        status: 'pending',
        createdAt: now,
      })
      .returning({ id: paymentAttempts.id });
    if (!attempt) throw new Error('insert returned no row');
    return {
      kind: 'send',
      charge: {
        cdr,
        attemptId: attempt.id,
        provider,
        cardLabel: account.cardLabel,
        request: {
          cdrId: cdr.id,
          // The n-th attempt of a record: with its id, the idempotency key.
          attempt: attempts.length + 1,
          amount,
          currency: cdr.currency,
          description: await descriptionOf(tx, cdr),
          customerRef,
          paymentMethodRef,
        },
      },
    };
  });
}

/** Sends a claimed charge and records the answer on its attempt, the ledger and the CDR. */
async function sendCardCharge(db: Db, charge: CardCharge, now: Date): Promise<void> {
  const { cdr, attemptId, request } = charge;
  let result: ChargeResult;
  try {
    result = await charge.provider.charge(request);
  } catch (error) {
    // A provider throws only for a request it refuses to send (a bug, not a decline).
    getLogger().error({ err: error, cdrId: cdr.id }, 'the card provider refused to send a charge');
    result = {
      status: 'failed',
      reference: null,
      reason: `The charge could not be sent: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const status = result.status === 'succeeded' ? 'paid' : 'failed';
  const recorded = await db.transaction(async (tx) => {
    // Only a pending attempt takes an answer, so one answer is booked however many arrive.
    const [attempt] = await tx
      .update(paymentAttempts)
      .set({
        status: result.status,
        reference: result.reference,
        error: result.status === 'failed' ? result.reason : null,
      })
      .where(and(eq(paymentAttempts.id, attemptId), eq(paymentAttempts.status, 'pending')))
      .returning({ id: paymentAttempts.id });
    if (!attempt) return false;
    if (result.status === 'succeeded' && cdr.driverId) {
      await tx.insert(ledgerEntries).values({
        organisationId: cdr.organisationId,
        driverId: cdr.driverId,
        kind: 'payment',
        amount: -request.amount,
        currency: request.currency,
        cdrId: cdr.id,
        description: `Card payment${charge.cardLabel ? ` (${charge.cardLabel})` : ''}`,
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
    return true;
  });
  if (recorded) publishCdr({ ...cdr, paymentStatus: status });
}

/** Runs what a claim decided; the CDR's new state is announced either way. */
async function carryOut(db: Db, claim: Claim, now: Date): Promise<void> {
  if (claim.kind === 'send') await sendCardCharge(db, claim.charge, now);
  else if (claim.kind === 'closed') publishCdr(claim.cdr);
}

/**
 * Finishes a card attempt that was cut off while pending: sends it again under the same idempotency
 * key (the provider answers with the first outcome if the first request reached it, and charges now
 * if it did not), once, and only while the provider still knows the key; otherwise closes it as
 * failed for a person to check. Returns whether it acted.
 */
async function resumeInterruptedAttempt(db: Db, attemptId: number, now: Date): Promise<boolean> {
  const claim = await db.transaction(async (tx): Promise<Claim | null> => {
    const [attempt] = await tx
      .select()
      .from(paymentAttempts)
      .where(eq(paymentAttempts.id, attemptId))
      .for('update');
    if (attempt?.status !== 'pending' || now.getTime() - attempt.createdAt.getTime() < interruptedAttemptMs)
      return null;
    const [cdr] = await tx
      .select()
      .from(chargeDetailRecords)
      .where(eq(chargeDetailRecords.id, attempt.cdrId))
      .for('update');
    if (!cdr) return null;
    const [account] = cdr.driverId
      ? await tx.select().from(billingAccounts).where(eq(billingAccounts.driverId, cdr.driverId))
      : [];
    const provider = getCardPaymentProvider();
    const customerRef = account?.providerCustomerRef;
    const paymentMethodRef = account?.providerPaymentMethodRef;
    if (
      !provider ||
      !customerRef ||
      !paymentMethodRef ||
      provider.name !== attempt.provider ||
      attempt.error !== null ||
      now.getTime() - attempt.createdAt.getTime() >= resendWithinMs ||
      cdr.paymentStatus === 'paid'
    ) {
      await tx
        .update(paymentAttempts)
        .set({ status: 'failed', error: unknownOutcome })
        .where(eq(paymentAttempts.id, attempt.id));
      const [failed] = await tx
        .update(chargeDetailRecords)
        .set({ paymentStatus: 'failed', paymentError: unknownOutcome, paidAt: null })
        .where(and(eq(chargeDetailRecords.id, cdr.id), ne(chargeDetailRecords.paymentStatus, 'paid')))
        .returning();
      return { kind: 'closed', cdr: failed ?? cdr };
    }
    // Its number among the record's attempts rebuilds the key the first request was sent with.
    const [position] = await tx
      .select({ n: count() })
      .from(paymentAttempts)
      .where(and(eq(paymentAttempts.cdrId, cdr.id), lte(paymentAttempts.id, attempt.id)));
    // The new created_at holds it for another interval, so a second sweeper leaves it alone.
    await tx
      .update(paymentAttempts)
      .set({ createdAt: now, error: resentNote })
      .where(eq(paymentAttempts.id, attempt.id));
    return {
      kind: 'send',
      charge: {
        cdr,
        attemptId: attempt.id,
        provider,
        cardLabel: account.cardLabel,
        request: {
          cdrId: cdr.id,
          attempt: position?.n ?? 1,
          amount: attempt.amount,
          currency: attempt.currency,
          description: await descriptionOf(tx, cdr),
          customerRef,
          paymentMethodRef,
        },
      },
    };
  });
  if (!claim) return false;
  await carryOut(db, claim, now);
  return true;
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

/**
 * An operator charges the card again after a failed payment (a new attempt, so the provider does
 * not replay the decline), or charges a card record that has no attempt on file at all.
 */
export async function retryCardPayment(
  db: Db,
  actor: SessionUser,
  cdrId: string,
  now = new Date(),
): Promise<void> {
  assertCan(actor, 'billing:manage');
  const cdr = await loadCdr(db, actor, cdrId);
  const claim = await claimCardCharge(db, cdr.id, 'retry', now, (tx) =>
    recordAudit(tx, actorOf(actor), { action: 'cdr.retry-payment', targetType: 'cdr', targetId: cdr.id }),
  );
  if (claim.kind === 'in-flight')
    throw conflict('A card payment of this record is under way: wait for its answer');
  if (claim.kind === 'not-chargeable')
    throw conflict('Only a card payment that failed, or was never attempted, can be retried');
  await carryOut(db, claim, now);
}

/**
 * The safety net under {@link settleChargeDetailRecord}, run every minute and at start-up: settles
 * the card and prepaid records it never reached (the process stopped, or failed before recording an
 * attempt) once they are older than {@link settleGraceMs}, and finishes card attempts cut off while
 * waiting for the provider. Each record is claimed under its row lock, so running it on several
 * instances, or beside the normal path, never charges a record twice. Stops between records when
 * `signal` aborts.
 */
export async function settleOverduePayments(
  db: Db,
  now = new Date(),
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<{ overdue: number; resumed: number }> {
  const limit = options.limit ?? 50;
  const c = chargeDetailRecords;
  // Account records are left out: unpaid is their normal state until the driver pays, and the next
  // payment settles them. A partial index (cdrs_unsettled_idx) serves the search.
  const overdue = await db
    .select()
    .from(c)
    .where(
      and(
        eq(c.paymentStatus, 'unpaid'),
        isNotNull(c.driverId),
        inArray(c.paymentMethod, ['card', 'prepaid']),
        lte(c.createdAt, new Date(now.getTime() - settleGraceMs)),
        sql`not exists (select 1 from ${paymentAttempts} where ${paymentAttempts.cdrId} = ${c.id})`,
      ),
    )
    .orderBy(asc(c.createdAt))
    .limit(limit);
  let settled = 0;
  for (const cdr of overdue) {
    if (options.signal?.aborted) break;
    await settleChargeDetailRecord(db, cdr, now);
    settled += 1;
  }
  const interrupted = await db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(
      and(
        eq(paymentAttempts.status, 'pending'),
        lte(paymentAttempts.createdAt, new Date(now.getTime() - interruptedAttemptMs)),
      ),
    )
    .orderBy(asc(paymentAttempts.id))
    .limit(limit);
  let resumed = 0;
  for (const attempt of interrupted) {
    if (options.signal?.aborted) break;
    try {
      if (await resumeInterruptedAttempt(db, attempt.id, now)) resumed += 1;
    } catch (error) {
      getLogger().error(
        { err: error, attemptId: attempt.id },
        'could not finish an interrupted card attempt',
      );
    }
  }
  return { overdue: settled, resumed };
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
