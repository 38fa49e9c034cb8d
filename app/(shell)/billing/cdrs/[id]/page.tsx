import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CdrActions } from '@/components/billing/cdr-actions';
import { CostLines } from '@/components/billing/cost-lines';
import { paymentLabels, paymentTones } from '@/components/billing/payment-status';
import { formatInZone } from '@/components/stations/format';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { formatMoney } from '@/lib/domain/pricing/money';
import { AppError } from '@/lib/errors';
import { documentNumber } from '@/lib/domain/pricing/display';
import { getCdr } from '@/lib/services/cdrs';

export const metadata: Metadata = { title: 'Charge record' };

/** One CDR: what was priced and why, how it was paid, and its corrections. */
export default async function CdrPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('billing:view');
  const { id } = await params;
  let detail;
  try {
    detail = await getCdr(getDb(), user, id);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  }
  const { cdr, timeZone } = detail;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/billing/cdrs" className="hover:underline">
              Charge records
            </Link>{' '}
            ·{' '}
            <Link href={`/sessions/${detail.transactionId}`} className="hover:underline">
              Session
            </Link>
          </p>
          <h2 className="mt-1 flex flex-wrap items-center gap-3 text-xl font-semibold">
            {documentNumber('CDR', cdr.number)}
            <Badge tone={paymentTones[cdr.paymentStatus] ?? 'slate'}>
              {paymentLabels[cdr.paymentStatus] ?? cdr.paymentStatus}
            </Badge>
            <span className="text-brand-700 tabular-nums">{formatMoney(cdr.total, cdr.currency)}</span>
          </h2>
        </div>
        {roleCan(user.role, 'billing:manage') ? (
          <CdrActions
            cdrId={cdr.id}
            currency={cdr.currency}
            total={cdr.total}
            creditedAmount={detail.creditedAmount}
            paymentMethod={cdr.paymentMethod}
            paymentStatus={cdr.paymentStatus}
            paymentAttempts={detail.paymentAttempts.length}
          />
        ) : null}
      </div>
      {cdr.paymentError ? (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{cdr.paymentError}</p>
      ) : null}
      <div className="grid gap-5 lg:grid-cols-2">
        <Card title="Priced">
          <p className="mb-3 text-sm text-slate-600">
            Tariff <span className="font-medium text-slate-800">{cdr.tariffName}</span> — {cdr.tariffReason}
          </p>
          <CostLines breakdown={cdr} />
        </Card>
        <Card title="Session">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Station</dt>
            <dd>
              <Link href={`/stations/${detail.station.id}`} className="text-brand-700 hover:underline">
                {detail.station.identity}
              </Link>{' '}
              EVSE {cdr.evseId}
              {detail.site ? ` · ${detail.site.name}` : ''}
            </dd>
            <dt className="text-slate-500">Started</dt>
            <dd>{formatInZone(cdr.startedAt, timeZone)}</dd>
            <dt className="text-slate-500">Ended</dt>
            <dd>{formatInZone(cdr.endedAt, timeZone)}</dd>
            <dt className="text-slate-500">Energy</dt>
            <dd>{(cdr.energyWh / 1000).toFixed(3)} kWh</dd>
            <dt className="text-slate-500">Charging / idle</dt>
            <dd>
              {Math.round(cdr.chargingSeconds / 60)} min / {Math.round(cdr.idleSeconds / 60)} min
            </dd>
            <dt className="text-slate-500">Driver</dt>
            <dd>
              {detail.driver ? (
                <Link href={`/drivers/${detail.driver.id}`} className="text-brand-700 hover:underline">
                  {detail.driver.name}
                </Link>
              ) : (
                'No driver'
              )}
              {cdr.idToken ? <span className="text-slate-500"> · {cdr.idToken}</span> : null}
              {detail.group ? <span className="text-slate-500"> · {detail.group.name}</span> : null}
            </dd>
            <dt className="text-slate-500">Invoice</dt>
            <dd>
              {detail.invoice ? (
                <a
                  href={`/api/billing/invoices/${detail.invoice.id}`}
                  className="text-brand-700 hover:underline"
                >
                  {detail.invoice.number} (PDF)
                </a>
              ) : (
                'Not invoiced yet'
              )}
            </dd>
          </dl>
        </Card>
      </div>
      <Card title="Payments and corrections">
        {detail.paymentAttempts.length === 0 && detail.creditNotes.length === 0 ? (
          <p className="text-sm text-slate-600">
            {cdr.paymentMethod === 'card'
              ? 'No card payment attempted yet: ChargeOps charges the card within a few minutes of the session.'
              : cdr.paymentStatus === 'paid'
                ? 'Settled from the driver’s account balance.'
                : cdr.paymentMethod === 'prepaid'
                  ? 'Waiting for the prepaid balance to cover it.'
                  : cdr.paymentMethod === 'account'
                    ? 'Billed on account: paid when the driver pays.'
                    : 'Nothing to collect.'}
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {detail.paymentAttempts.map((a) => (
              <li key={a.id} className="py-2">
                {formatInZone(a.createdAt, timeZone)} · card payment{' '}
                {a.status === 'pending' ? 'sent, awaiting the provider’s answer' : a.status} ·{' '}
                {formatMoney(a.amount, a.currency)}
                {a.reference ? <span className="text-slate-500"> · {a.reference}</span> : null}
                {a.error ? <span className="block text-red-700">{a.error}</span> : null}
              </li>
            ))}
            {detail.creditNotes.map((n) => (
              <li key={n.id} className="py-2">
                {formatInZone(n.createdAt, timeZone)} · credit note{' '}
                <a href={`/api/billing/credit-notes/${n.id}`} className="text-brand-700 hover:underline">
                  {n.documentNumber}
                </a>{' '}
                · −{formatMoney(n.amount, n.currency)} · {n.reason}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
