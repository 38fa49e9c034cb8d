import type { Metadata } from 'next';
import Link from 'next/link';
import { formatInZone } from '@/components/stations/format';
import { Badge } from '@/components/ui/badge';
import { paymentLabels, paymentTones } from '@/components/billing/payment-status';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField, TextField } from '@/components/ui/field';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { formatMoney } from '@/lib/domain/pricing/money';
import { AppError } from '@/lib/errors';
import { documentNumber } from '@/lib/domain/pricing/display';
import { listCdrs } from '@/lib/services/cdrs';
import { listSites } from '@/lib/services/sites';

export const metadata: Metadata = { title: 'Charge records' };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** Every session's bill, filtered by period, site and payment state, with totals and a CSV export. */
export default async function CdrsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission('billing:view');
  const db = getDb();
  const search = await searchParams;
  const filters = {
    from: one(search.from),
    to: one(search.to),
    siteId: one(search.siteId),
    paymentStatus: one(search.paymentStatus),
  };
  const sites = await listSites(db, user);
  let result: Awaited<ReturnType<typeof listCdrs>> | null = null;
  let error: string | null = null;
  try {
    // The form's dates are whole days: "to" includes its day.
    const to = filters.to ? new Date(new Date(filters.to).getTime() + 86_400_000).toISOString() : '';
    result = await listCdrs(db, user, { ...filters, to, limit: 200 });
  } catch (e) {
    if (!(e instanceof AppError) || e.kind !== 'validation') throw e;
    error = Object.values(e.fieldErrors ?? {})[0] ?? e.message;
  }
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== '')).toString();

  return (
    <div className="space-y-5">
      <form
        method="get"
        className="flex flex-wrap items-end gap-3 text-sm"
        aria-label="Filter charge records"
      >
        <div className="w-[calc(50%-0.375rem)] sm:w-40">
          <TextField label="From" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-40">
          <TextField label="To" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="w-full sm:w-56">
          <SelectField label="Site" name="siteId" defaultValue={filters.siteId}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-full sm:w-44">
          <SelectField label="Payment" name="paymentStatus" defaultValue={filters.paymentStatus}>
            <option value="">Any</option>
            {Object.entries(paymentLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
        <Button type="submit" variant="secondary">
          Show
        </Button>
        <a
          href={`/api/billing/cdrs${query ? `?${query}` : ''}`}
          className="text-brand-700 py-2 font-medium hover:underline"
          download
        >
          Export CSV
        </a>
      </form>

      {error ? <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p> : null}

      {result ? (
        <section aria-label="Totals" className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Total label="Records" value={result.totals.count.toLocaleString('en-US')} />
          <Total
            label="Energy"
            value={`${(result.totals.energyWh / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} kWh`}
          />
          {result.totals.byCurrency.map((c) => (
            <Total
              key={c.currency}
              label={`Billed (${c.currency})`}
              value={formatMoney(c.total, c.currency)}
              detail={`tax ${formatMoney(c.tax, c.currency)}${c.credited ? ` · credited ${formatMoney(c.credited, c.currency)}` : ''}`}
            />
          ))}
        </section>
      ) : null}

      <Card title="Charge detail records">
        {!result || result.rows.length === 0 ? (
          <EmptyState title="No charge records">
            Each session gets one when it ends; none match these filters.
          </EmptyState>
        ) : (
          <div className="-mx-5 overflow-x-auto">
            <table className="w-full min-w-[44rem] text-sm">
              <thead className="text-left text-xs text-slate-500">
                <tr>
                  <th className="px-5 py-2 font-medium">Record</th>
                  <th className="px-3 py-2 font-medium">Ended</th>
                  <th className="px-3 py-2 font-medium">Station</th>
                  <th className="px-3 py-2 font-medium">Driver</th>
                  <th className="px-3 py-2 font-medium">Tariff</th>
                  <th className="px-3 py-2 text-right font-medium">Energy</th>
                  <th className="px-3 py-2 text-right font-medium">Total</th>
                  <th className="px-5 py-2 font-medium">Payment</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((r) => (
                  <tr key={r.id} data-testid="cdr-row">
                    <td className="px-5 py-2 whitespace-nowrap">
                      <Link
                        href={`/billing/cdrs/${r.id}`}
                        className="text-brand-700 font-medium hover:underline"
                      >
                        {documentNumber('CDR', r.number)}
                      </Link>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">{formatInZone(r.endedAt, r.siteTimezone)}</td>
                    <td className="px-3 py-2">
                      {r.stationIdentity} <span className="text-slate-500">#{r.evseId}</span>
                    </td>
                    <td className="px-3 py-2">
                      {r.driverName ?? <span className="text-slate-500">{r.idToken ?? '—'}</span>}
                    </td>
                    <td className="px-3 py-2">{r.tariffName}</td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {(r.energyWh / 1000).toFixed(2)} kWh
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatMoney(r.total, r.currency)}</td>
                    <td className="px-5 py-2">
                      <Badge tone={paymentTones[r.paymentStatus] ?? 'slate'}>
                        {paymentLabels[r.paymentStatus] ?? r.paymentStatus}
                      </Badge>
                      {r.paymentError ? (
                        <span className="block text-xs text-red-700">{r.paymentError}</span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

function Total({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
      <p className="text-xs text-slate-500">{label}</p>
      <p className="mt-1 text-lg font-semibold text-slate-900 tabular-nums">{value}</p>
      {detail ? <p className="text-xs text-slate-500">{detail}</p> : null}
    </div>
  );
}
