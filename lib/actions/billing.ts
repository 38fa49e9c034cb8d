'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { formatMoney } from '@/lib/domain/pricing/money';
import { documentNumber } from '@/lib/domain/pricing/display';
import { issueInvoice } from '@/lib/services/invoices';
import {
  issueCreditNote,
  recordDriverPayment,
  retryCardPayment,
  setBillingAccount,
} from '@/lib/services/payments';
import { defineFormAction } from './define-action';

/*
 * The billing forms are parsed by the services (amounts need the driver's or the record's currency
 * to be read), so each schema checks only the id the action acts on and passes the rest through.
 */
const forDriver = z.looseObject({ driverId: z.uuid('Unknown driver') });
const forCdr = z.looseObject({ cdrId: z.uuid('Unknown charge record') });

/**
 * A payment, an invoice or a credit note changes charge records (paid, invoiced, credited) and a
 * driver's balance: the CDR list, every CDR page and the driver's page show it.
 */
function revalidateBilling(driverId: string | null): void {
  // A route pattern names the route group too: it matches the pages' file paths.
  revalidatePath('/(shell)/billing/cdrs', 'layout');
  if (driverId) revalidatePath(`/drivers/${driverId}`);
  // A CDR action does not learn whose record it was: every driver page may show it.
  else revalidatePath('/(shell)/drivers/[id]', 'page');
}

const sessions = (n: number) => (n === 1 ? '1 session' : `${n} sessions`);

export const setBillingAccountAction = defineFormAction({
  name: 'setBillingAccount',
  permission: 'billing:manage',
  schema: forDriver,
  run: async (user, { driverId, ...input }) => {
    await setBillingAccount(getDb(), user, driverId, input);
    revalidateBilling(driverId);
    return { data: null, message: 'Saved: sessions that end from now on are paid this way' };
  },
});

export const recordDriverPaymentAction = defineFormAction({
  name: 'recordDriverPayment',
  permission: 'billing:manage',
  schema: forDriver,
  run: async (user, { driverId, ...input }) => {
    await recordDriverPayment(getDb(), user, driverId, input);
    revalidateBilling(driverId);
    return { data: null, message: 'Recorded: the unpaid charge records it covers are now paid' };
  },
});

export const issueInvoiceAction = defineFormAction({
  name: 'issueInvoice',
  permission: 'billing:manage',
  schema: forDriver,
  run: async (user, { driverId, ...input }) => {
    const invoice = await issueInvoice(getDb(), user, driverId, input);
    revalidateBilling(driverId);
    return {
      data: { id: invoice.id, documentNumber: invoice.documentNumber },
      message: `Invoice ${invoice.documentNumber} issued: ${sessions(invoice.cdrCount)}, ${formatMoney(invoice.total, invoice.currency)}`,
    };
  },
});

export const issueCreditNoteAction = defineFormAction({
  name: 'issueCreditNote',
  permission: 'billing:manage',
  schema: forCdr,
  run: async (user, { cdrId, ...input }) => {
    const number = await issueCreditNote(getDb(), user, cdrId, input);
    revalidateBilling(null);
    return { data: { number }, message: `Credit note ${documentNumber('CN', number)} issued` };
  },
});

export const retryCardPaymentAction = defineFormAction({
  name: 'retryCardPayment',
  permission: 'billing:manage',
  schema: z.object({ cdrId: z.uuid('Unknown charge record') }),
  run: async (user, { cdrId }) => {
    await retryCardPayment(getDb(), user, cdrId);
    revalidateBilling(null);
    // The attempt is recorded whatever the card said; the page shows the outcome.
    return { data: null, message: 'Card charge sent: the outcome is under Payments and corrections' };
  },
});
