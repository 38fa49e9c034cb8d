import type { Metadata } from 'next';
import Link from 'next/link';
import { formatInZone } from '@/components/stations/format';
import { Badge } from '@/components/ui/badge';
import { paymentLabels, paymentTones } from '@/components/billing/payment-status';
import { Button, buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField, TextField } from '@/components/ui/field';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { formatMoney } from '@/lib/domain/pricing/money';
import { AppError } from '@/lib/errors';
import { documentNumber } from '@/lib/domain/pricing/display';
import { listCdrs } from '@/lib/services/cdrs';
import { listGroups } from '@/lib/services/driver-groups';
import { driverNames } from '@/lib/services/drivers';
import { listSites } from '@/lib/services/sites';
import { listStations } from '@/lib/services/stations';

export const metadata: Metadata = { title: 'Charge records' };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

// Records per page; the totals and the CSV export always cover every matching record.
const pageSize = 200;

/** The form's "to" is a whole day: the list and the export stop at the end of it (UTC). */
function endOfDay(day: string): string {
  const start = Date.parse(day);
  // A date that does not parse is passed on as it is, for the service to refuse next to the field.
  return Number.isFinite(start) ? new Date(start + 86_400_000).toISOString() : day;
}

/**
 * Every session's bill, filtered by period, site, station, driver group, driver and payment state,
 * with totals over all matching records, pages of {@link pageSize} and a CSV export.
 */
export default async function CdrsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission('billing:view');
  const db = getDb();
  const search = await searchParams;
  const filters = {
    from: one(search.from),
    to: one(search.to),
    siteId: one(search.siteId),
    stationId: one(search.stationId),
    groupId: one(search.groupId),
    driverId: one(search.driverId),
    paymentStatus: one(search.paymentStatus),
  };
  const before = one(search.before);
  // The choices come from what the user may see: stations of their sites; groups and drivers belong
  // to the whole organisation.
  const [sites, stations, groups, drivers] = await Promise.all([
    listSites(db, user),
    roleCan(user.role, 'stations:view') ? listStations(db, user) : [],
    roleCan(user.role, 'drivers:view') ? listGroups(db, user) : [],
    roleCan(user.role, 'drivers:view') ? driverNames(db, user, filters.driverId) : [],
  ]);
  const given = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));
  // What the service reads: the filters, with "to" at the end of its day.
  const applied = { ...given, ...(filters.to ? { to: endOfDay(filters.to) } : {}) };
  let result: Awaited<ReturnType<typeof listCdrs>> | null = null;
  let error: string | null = null;
  try {
    result = await listCdrs(db, user, { ...applied, before, limit: pageSize });
  } catch (e) {
    if (!(e instanceof AppError) || e.kind !== 'validation') throw e;
    error = Object.values(e.fieldErrors ?? {})[0] ?? e.message;
  }
  const filtered = Object.keys(given).length > 0;
  const csvQuery = new URLSearchParams(applied).toString();
  const newestHref = `/billing/cdrs${filtered ? `?${new URLSearchParams(given).toString()}` : ''}`;
  const olderHref = result?.nextBefore
    ? `/billing/cdrs?${new URLSearchParams({ ...given, before: result.nextBefore }).toString()}`
    : null;
  // Stations come ordered by site name, so each site's run of them makes one option group.
  const stationsBySite = new Map<string, typeof stations>();
  for (const station of stations) {
    const site = station.siteName ?? 'No site';
    stationsBySite.set(site, [...(stationsBySite.get(site) ?? []), station]);
  }

  return (
    <div className="space-y-5">
      <form
        method="get"
        className="flex flex-wrap items-end gap-3 text-sm"
        aria-label="Filter charge records"
      >
        <div className="w-[calc(50%-0.375rem)] min-w-0 sm:w-40">
          <TextField label="From" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="w-[calc(50%-0.375rem)] min-w-0 sm:w-40">
          <TextField label="To" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="w-full min-w-0 sm:w-56">
          <SelectField label="Site" name="siteId" defaultValue={filters.siteId}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-full min-w-0 sm:w-56">
          <SelectField label="Station" name="stationId" defaultValue={filters.stationId}>
            <option value="">All stations</option>
            {[...stationsBySite].map(([siteName, atSite]) => (
              <optgroup key={siteName} label={siteName}>
                {atSite.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.identity}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
        </div>
        <div className="w-[calc(50%-0.375rem)] min-w-0 sm:w-48">
          <SelectField label="Driver group" name="groupId" defaultValue={filters.groupId}>
            <option value="">Any group</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-[calc(50%-0.375rem)] min-w-0 sm:w-44">
          <SelectField label="Payment" name="paymentStatus" defaultValue={filters.paymentStatus}>
            <option value="">Any</option>
            {Object.entries(paymentLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-full min-w-0 sm:w-56">
          <SelectField label="Driver" name="driverId" defaultValue={filters.driverId}>
            <option value="">All drivers</option>
            {drivers.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </SelectField>
        </div>
        <Button type="submit" variant="secondary">
          Show
        </Button>
        {filtered ? (
          <Link href="/billing/cdrs" className="py-2 font-medium text-slate-600 hover:text-slate-900">
            Clear
          </Link>
        ) : null}
        <a
          href={`/api/billing/cdrs${csvQuery ? `?${csvQuery}` : ''}`}
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
        {result && result.totals.count > 0 ? (
          <p className="mb-3 text-sm text-slate-600" data-testid="cdr-count">
            {coverage(result.rows.length, result.newer, result.totals.count)}
          </p>
        ) : null}
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
        {before || olderHref ? (
          <nav aria-label="Pages of charge records" className="mt-4 flex flex-wrap gap-3">
            {before ? (
              <Link href={newestHref} className={buttonClass('secondary')}>
                Newest records
              </Link>
            ) : null}
            {olderHref ? (
              <Link href={olderHref} className={buttonClass('secondary')}>
                Older records
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}

/** Which of the matching records the page shows, and what the totals and the export cover. */
function coverage(shown: number, newer: number, total: number): string {
  const all = total.toLocaleString('en-US');
  if (shown === 0)
    return total === 0 ? 'No matching records.' : `No more records: all ${all} are on newer pages.`;
  if (shown === total) return `All ${all} matching ${total === 1 ? 'record is' : 'records are'} shown.`;
  const first = (newer + 1).toLocaleString('en-US');
  const last = (newer + shown).toLocaleString('en-US');
  return `Showing records ${first}–${last} of ${all}, newest first. The totals and the CSV export cover all ${all}.`;
}

/** The drivers to offer: the organisation's (by name, as many as the list gives), and the one chosen. */
function Total({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
      <p className="text-xs text-slate-500">{label}</p>
      <p className="mt-1 text-lg font-semibold text-slate-900 tabular-nums">{value}</p>
      {detail ? <p className="text-xs text-slate-500">{detail}</p> : null}
    </div>
  );
}
