import type { Metadata } from 'next';
import Link from 'next/link';
import { formatMinutes } from '@/components/maintenance/badges';
import { formatInZone } from '@/components/stations/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TextField } from '@/components/ui/field';
import { ExclusionDialog } from '@/components/maintenance/exclusion-dialog';
import { requirePermission } from '@/lib/auth/session';
import { outageExclusions } from '@/lib/db/schema/maintenance';
import { roleCan } from '@/lib/domain/access/roles';
import { getDb } from '@/lib/db';
import { incidentKindLabels } from '@/lib/domain/maintenance/incidents';
import { belowNeviMinimum, neviMinimumUptime } from '@/lib/domain/maintenance/nevi';
import { quickPeriods, reportingPeriod, summarisePortUptime } from '@/lib/domain/maintenance/uptime';
import { listOutages, listPorts, outageExclusionLabels } from '@/lib/services/outages';

export const metadata: Metadata = { title: 'Outages' };

/** listOutages returns at most this many rows; beyond it the figures are incomplete. */
const rowLimit = 10_000;

const exclusionReasons = outageExclusions.map((value) => ({ value, label: outageExclusionLabels[value] }));

const periodQuery = (period: { fromDay: string; toDay: string }) =>
  `from=${period.fromDay}&to=${period.toDay}`;

export default async function OutagesPage({
  searchParams,
}: {
  searchParams: Promise<{ from?: string | string[]; to?: string | string[] }>;
}) {
  const user = await requirePermission('maintenance:view');
  const canManage = roleCan(user.role, 'maintenance:manage');
  const asked = await searchParams;
  const now = new Date();
  const period = reportingPeriod(asked, now);
  const db = getDb();
  const [outages, allPorts] = await Promise.all([
    listOutages(db, user, period, now),
    listPorts(db, user, period.to),
  ]);
  const identityOf = new Map([
    ...allPorts.map((p) => [p.stationId, p.stationIdentity] as const),
    ...outages.map((o) => [o.stationId, o.stationIdentity] as const),
  ]);
  const ports = summarisePortUptime(
    outages.map((o) => ({ ...o, excluded: o.excludedReason !== null })),
    period,
    now,
    allPorts,
  ).sort(
    (a, b) =>
      (identityOf.get(a.stationId) ?? '').localeCompare(identityOf.get(b.stationId) ?? '') ||
      a.evseId - b.evseId,
  );
  const current = periodQuery(period);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Period">
          <div className="w-40">
            <TextField label="From" name="from" type="date" defaultValue={period.fromDay} />
          </div>
          <div className="w-40">
            <TextField label="To (included)" name="to" type="date" defaultValue={period.toDay} />
          </div>
          <Button type="submit" variant="secondary">
            Show
          </Button>
        </form>
        <a
          href={`/api/maintenance/outages.csv?${current}`}
          download
          className={buttonClass('secondary')}
          data-testid="outages-csv"
        >
          Download CSV
        </a>
      </div>
      <nav aria-label="Quick periods" className="flex flex-wrap gap-1 text-sm">
        {quickPeriods(now).map(({ label, period: quick }) => {
          const active = periodQuery(quick) === current;
          return (
            <Link
              key={label}
              href={`/maintenance/outages?${periodQuery(quick)}`}
              aria-current={active ? 'page' : undefined}
              className={`rounded-md px-3 py-1.5 font-medium ${
                active ? 'bg-slate-900 text-white' : 'bg-slate-100 text-slate-700 hover:bg-slate-200'
              }`}
            >
              {label}
            </Link>
          );
        })}
      </nav>
      <p className="text-sm text-slate-600">
        Dates are whole days in UTC. Uptime per port counts the past part of the period: (period − outage
        minutes) ÷ period, overlapping outages once, excluded ones (utility interruption, vandalism …) not at
        all.
      </p>
      {period.adjusted ? (
        <Alert tone="info">
          Showing {period.fromDay} to {period.toDay}: a period needs two real dates, at most a year apart.
        </Alert>
      ) : null}
      {outages.length >= rowLimit ? (
        <Alert tone="error">
          This period has more than {rowLimit} outages: only the newest are counted. Choose a shorter period.
        </Alert>
      ) : null}

      {ports.length > 0 ? (
        <Card title="Uptime per port">
          <div className="-mx-5 -mt-5 overflow-x-auto border-b border-slate-100">
            <table className="w-full min-w-[36rem] text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-2.5">Station</th>
                  <th className="px-4 py-2.5">Port</th>
                  <th className="px-4 py-2.5 text-right">Outages</th>
                  <th className="px-4 py-2.5 text-right">Outage time</th>
                  <th className="px-4 py-2.5 text-right">Uptime</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {ports.map((port) => (
                  <tr key={`${port.stationId}-${port.evseId}`} data-testid="port-uptime-row">
                    <td className="px-4 py-3">
                      <Link
                        href={`/stations/${port.stationId}`}
                        className="font-medium text-slate-900 hover:underline"
                      >
                        {identityOf.get(port.stationId)}
                      </Link>
                    </td>
                    <td className="px-4 py-3">EVSE {port.evseId}</td>
                    <td className="px-4 py-3 text-right tabular-nums">
                      {port.outages}
                      {port.excludedOutages > 0 ? (
                        <span className="block text-xs text-slate-500">{port.excludedOutages} excluded</span>
                      ) : null}
                    </td>
                    <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums">
                      {port.outageMinutes.toFixed(2)} min
                      <span className="block text-xs text-slate-500">
                        {formatMinutes(port.outageMinutes)}
                      </span>
                    </td>
                    <td
                      className={`px-4 py-3 text-right font-medium whitespace-nowrap tabular-nums ${
                        belowNeviMinimum(port.uptimePercent) ? 'text-rose-700' : 'text-slate-900'
                      }`}
                    >
                      {port.uptimePercent === null ? '—' : `${port.uptimePercent.toFixed(2)} %`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-3 text-xs text-slate-500">
            Every port of your stations, those without an outage at 100.00 %. Below {neviMinimumUptime} % (the
            NEVI minimum) is shown in red. The NEVI figure over 12 months is under{' '}
            <Link href="/maintenance/nevi" className="font-medium text-slate-700 underline">
              NEVI reports
            </Link>
            .
          </p>
        </Card>
      ) : null}

      {outages.length === 0 ? (
        <EmptyState title="No outages in this period">
          Every port was available 100 % of the time. Outages are recorded by themselves when an incident
          leaves a port unable to charge: a fault, a station offline, repeated failed starts or a rejected
          boot.
        </EmptyState>
      ) : (
        <Card title={`Outages (${outages.length})`}>
          <div className="-mx-5 -mt-5 overflow-x-auto border-b border-slate-100">
            <table className="w-full min-w-[56rem] text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-2.5">Station</th>
                  <th className="px-4 py-2.5">Port</th>
                  <th className="px-4 py-2.5">Start</th>
                  <th className="px-4 py-2.5">End</th>
                  <th className="px-4 py-2.5 text-right">Minutes</th>
                  <th className="px-4 py-2.5">Cause</th>
                  <th className="px-4 py-2.5 whitespace-nowrap">Work order</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {outages.map((outage) => {
                  const zone = outage.siteTimezone;
                  return (
                    <tr key={outage.id} data-testid="outage-row" className="align-top">
                      <td className="px-4 py-3">
                        <Link
                          href={`/stations/${outage.stationId}`}
                          className="font-medium whitespace-nowrap text-slate-900 hover:underline"
                        >
                          {outage.stationIdentity}
                        </Link>
                        <span className="block text-xs text-slate-500">{outage.siteName ?? 'No site'}</span>
                      </td>
                      <td className="px-4 py-3 whitespace-nowrap">EVSE {outage.evseId}</td>
                      <td className="px-4 py-3">{formatInZone(outage.startedAt, zone)}</td>
                      <td className="px-4 py-3">
                        {outage.endedAt ? (
                          formatInZone(outage.endedAt, zone)
                        ) : (
                          <span className="font-medium text-rose-700">Ongoing</span>
                        )}
                      </td>
                      <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums">
                        {outage.minutes.toFixed(2)}
                      </td>
                      <td className="px-4 py-3">
                        <Link
                          href={`/maintenance/incidents/${outage.incidentId}`}
                          className="block max-w-xs font-medium text-slate-900 hover:underline"
                        >
                          {outage.incidentTitle}
                        </Link>
                        <span className="block text-xs text-slate-500">
                          {incidentKindLabels[outage.incidentKind]}
                        </span>
                        {outage.excludedReason ? (
                          <span className="mt-1 block max-w-xs">
                            <Badge>{`Excluded: ${outageExclusionLabels[outage.excludedReason]}`}</Badge>
                            {outage.excludedNotes ? (
                              <span className="mt-0.5 block text-xs text-slate-500">
                                {outage.excludedNotes}
                              </span>
                            ) : null}
                          </span>
                        ) : null}
                        {canManage ? (
                          <span className="mt-1 block">
                            <ExclusionDialog
                              outageId={outage.id}
                              label={`${outage.stationIdentity} EVSE ${outage.evseId}`}
                              reasons={exclusionReasons}
                              current={{ reason: outage.excludedReason, notes: outage.excludedNotes }}
                            />
                          </span>
                        ) : null}
                      </td>
                      <td className="px-4 py-3">
                        {outage.workOrderId ? (
                          <Link
                            href={`/maintenance/work-orders/${outage.workOrderId}`}
                            className="font-medium text-slate-900 hover:underline"
                          >
                            {`WO-${outage.workOrderNumber}`}
                          </Link>
                        ) : (
                          <span className="text-slate-500">None</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="mt-3 text-xs text-slate-500">
            Minutes inside the period; an outage that began before it or still lasts is cut at its edges.
            Times in each site’s time zone.
          </p>
        </Card>
      )}
    </div>
  );
}
