'use client';

import { useState } from 'react';
import type { PaymentMethod } from '@/lib/db/schema';
import { formatMoney } from '@/lib/domain/pricing/money';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CardLabel } from '@/components/ui/card-label';
import { CardTableHead } from '@/components/ui/card-table';
import { BillingAccountDialog, methodLabels, type BillingAccountView } from './billing-account-dialog';
import { formatPeriod, InvoiceDialog } from './invoice-dialog';
import { paymentLabels, paymentTones } from './payment-status';
import { PaymentDialog } from './payment-dialog';
import { StatementDownload } from './statement-download';

/** One of the driver's invoices, as the card lists it. */
export interface DriverInvoice {
  id: string;
  documentNumber: string;
  periodFrom: string;
  periodTo: string;
  total: number;
  currency: string;
  cdrCount: number;
  paymentStatus: 'paid' | 'unpaid' | 'failed';
  issuedAt: Date;
}

/** A message after a change, with a link to the document it made. */
interface Notice {
  text: string;
  href?: string;
}

/** "Owes $12.50", "$4.00 credit", "Nothing owed": positive balances are what the driver owes. */
function Balance({
  amount,
  currency,
  method,
}: {
  amount: number;
  currency: string;
  method: PaymentMethod | null;
}) {
  if (amount === 0) return <span className="text-slate-700">Nothing owed</span>;
  if (amount > 0)
    return (
      <span className="font-semibold text-amber-800">
        Owes <span className="tabular-nums">{formatMoney(amount, currency)}</span>
      </span>
    );
  return (
    <span className="font-semibold text-emerald-700">
      <span className="tabular-nums">{formatMoney(-amount, currency)}</span>{' '}
      {method === 'prepaid' ? 'prepaid credit' : 'credit'}
    </span>
  );
}

function Term({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-sm text-slate-800">{children}</dd>
    </div>
  );
}

/**
 * The Billing card of a driver's page: how they pay, what they owe now, their invoices and their
 * statement; with `canManage`, the dialogs that change how they pay, record money and invoice.
 */
export function DriverBilling({
  driver,
  account,
  balance,
  balanceError,
  invoices,
  canManage,
  defaultPeriod,
  zones,
  defaultZone,
}: {
  driver: { id: string; name: string };
  /** Null: no billing account yet (sessions are billed on account, in the tariff's currency). */
  account: BillingAccountView | null;
  /** The balance now, in the account's currency; null when it could not be shown (`balanceError` says why). */
  balance: { amount: number; currency: string } | null;
  balanceError: string | null;
  invoices: DriverInvoice[];
  canManage: boolean;
  /** The period the invoice and statement forms preset: the previous calendar month. */
  defaultPeriod: { from: string; to: string };
  zones: { zone: string; label: string }[];
  defaultZone: string;
}) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const done = (text: string, href?: string) => setNotice({ text, href });
  const method = account?.method ?? null;
  const currency = account?.currency ?? balance?.currency ?? 'USD';
  return (
    <Card title="Billing">
      <div className="space-y-6">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
          <Term label="Pays">
            {account ? methodLabels[account.method].label : 'On account'}
            {account?.method === 'card' ? (
              <span className="block text-slate-500">{account.cardLabel || 'Saved card'}</span>
            ) : null}
            {account ? null : <span className="block text-slate-500">No billing account set up</span>}
          </Term>
          <Term label="Currency">
            {account?.currency ?? <span className="text-slate-500">Not set: each tariff’s</span>}
          </Term>
          <div className="col-span-2 sm:col-span-1">
            <Term label="Balance now">
              {balance ? (
                <Balance amount={balance.amount} currency={balance.currency} method={method} />
              ) : (
                <span className="text-slate-500">Not available</span>
              )}
            </Term>
          </div>
        </dl>

        {balanceError ? <Alert tone="error">{balanceError}</Alert> : null}

        {canManage ? (
          <div className="flex flex-wrap gap-2">
            <BillingAccountDialog
              driver={driver}
              account={account}
              fallbackCurrency={currency}
              onDone={done}
            />
            <PaymentDialog
              driver={driver}
              method={method}
              currency={account?.currency ?? null}
              fallbackCurrency={currency}
              onDone={done}
            />
            <InvoiceDialog driver={driver} defaultPeriod={defaultPeriod} onDone={done} />
          </div>
        ) : null}

        {notice ? (
          <Alert tone="success" onDismiss={() => setNotice(null)}>
            {notice.text}
            {notice.href ? (
              <>
                {' '}
                <a href={notice.href} className="font-medium underline underline-offset-2">
                  Download the PDF
                </a>
              </>
            ) : null}
          </Alert>
        ) : null}

        <section aria-labelledby={`invoices-${driver.id}`} className="space-y-3">
          <h3 id={`invoices-${driver.id}`} className="text-sm font-semibold text-slate-900">
            Invoices
          </h3>
          {invoices.length === 0 ? (
            <p className="text-sm text-slate-600">
              No invoice yet{canManage ? ': Issue invoice gathers their priced sessions of a period.' : '.'}
            </p>
          ) : (
            <InvoiceTable invoices={invoices} timeZone={defaultZone} />
          )}
        </section>

        <section aria-labelledby={`statement-${driver.id}`} className="space-y-3">
          <h3 id={`statement-${driver.id}`} className="text-sm font-semibold text-slate-900">
            Statement
          </h3>
          {balanceError ? (
            <p className="text-sm text-slate-600">Not available: see above.</p>
          ) : (
            <>
              <p className="text-sm text-slate-600">
                Everything on their account over a period, with the balance before and after, as a PDF.
              </p>
              <StatementDownload
                driverId={driver.id}
                defaultPeriod={defaultPeriod}
                zones={zones}
                defaultZone={defaultZone}
              />
            </>
          )}
        </section>
      </div>
    </Card>
  );
}

function InvoiceTable({ invoices, timeZone }: { invoices: DriverInvoice[]; timeZone: string }) {
  const issued = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone });
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200">
      <table className="block w-full text-sm md:table">
        <CardTableHead
          columns={[
            { label: 'Invoice' },
            { label: 'Period' },
            { label: 'Sessions', align: 'right' },
            { label: 'Total', align: 'right' },
            { label: 'Payment' },
            { label: 'Issued' },
          ]}
        />
        <tbody className="block divide-y divide-slate-200 md:table-row-group">
          {invoices.map((invoice) => (
            <tr
              key={invoice.id}
              data-testid="invoice-row"
              className="block space-y-1.5 p-3 md:table-row md:space-y-0 md:p-0"
            >
              <td className="block md:table-cell md:px-4 md:py-2.5">
                <a
                  href={`/api/billing/invoices/${invoice.id}`}
                  className="text-brand-700 font-medium hover:underline"
                >
                  {invoice.documentNumber} <span className="text-xs font-normal">(PDF)</span>
                </a>
              </td>
              <td className="flex gap-2 md:table-cell md:px-4 md:py-2.5 md:whitespace-nowrap">
                <CardLabel>Period</CardLabel>
                <span className="text-slate-700">{formatPeriod(invoice.periodFrom, invoice.periodTo)}</span>
              </td>
              <td className="flex gap-2 md:table-cell md:px-4 md:py-2.5 md:text-right">
                <CardLabel>Sessions</CardLabel>
                <span className="text-slate-700 tabular-nums">{invoice.cdrCount}</span>
              </td>
              <td className="flex gap-2 md:table-cell md:px-4 md:py-2.5 md:text-right md:whitespace-nowrap">
                <CardLabel>Total</CardLabel>
                <span className="font-medium text-slate-900 tabular-nums">
                  {formatMoney(invoice.total, invoice.currency)}
                </span>
              </td>
              <td className="flex gap-2 md:table-cell md:px-4 md:py-2.5">
                <CardLabel>Payment</CardLabel>
                <Badge tone={paymentTones[invoice.paymentStatus] ?? 'slate'}>
                  {paymentLabels[invoice.paymentStatus] ?? invoice.paymentStatus}
                </Badge>
              </td>
              <td className="flex gap-2 md:table-cell md:px-4 md:py-2.5 md:whitespace-nowrap">
                <CardLabel>Issued</CardLabel>
                <span className="text-slate-700">{issued.format(invoice.issuedAt)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
