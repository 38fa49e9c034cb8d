import type { Metadata } from 'next';
import Link from 'next/link';
import { formatMinutes } from '@/components/maintenance/badges';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField } from '@/components/ui/field';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import {
  belowNeviMinimum,
  lastCompleteQuarter,
  neviMinimumUptime,
  parseQuarter,
  recentQuarters,
  type UptimeWindow,
} from '@/lib/domain/maintenance/nevi';
import { getEnv } from '@/lib/env';
import { evChartModules, getNeviUptimeReport, type EvChartModule } from '@/lib/services/nevi-reports';

export const metadata: Metadata = { title: 'NEVI reports' };

/** What each EV-ChART file holds, in one line. */
const moduleDescriptions: Record<EvChartModule, string> = {
  sessions:
    'Every session that began in the quarter: start, end, kWh, peak kW, payment method and the error of an unsuccessful one.',
  uptime:
    'Each port’s uptime, outage and excluded minutes over the 12 months to the end of each month of the quarter.',
  outages:
    'Every outage in the quarter per port, its minutes inside the quarter and the reason it is excluded, if it is.',
};

/** The month a window ends with, e.g. "Jul 2026". */
const monthName = (window: UptimeWindow) =>
  new Date(window.end.getTime() - 1).toLocaleString('en-US', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

/**
 * The quarterly US NEVI report (23 CFR 680): uptime per port by 680.116(b) for the three windows of
 * a quarter, and the EV-ChART files to upload.
 */
export default async function NeviReportPage({
  searchParams,
}: {
  searchParams: Promise<{ quarter?: string | string[] }>;
}) {
  const user = await requirePermission('maintenance:view');
  const now = new Date();
  const asked = (await searchParams).quarter;
  const parsed = parseQuarter(asked);
  const quarter = parsed && parsed.from <= now ? parsed : lastCompleteQuarter(now);
  const adjusted = asked !== undefined && asked !== '' && quarter !== parsed;
  const offered = recentQuarters(now);
  if (!offered.some((q) => q.quarter.label === quarter.label)) offered.push({ quarter, complete: true });
  const report = await getNeviUptimeReport(getDb(), user, quarter, now);
  const networkProvider = getEnv().NEVI_NETWORK_PROVIDER;
  const below = report.ports.filter((p) =>
    p.windows.some((w) => belowNeviMinimum(w.uptime.uptimePercent)),
  ).length;

  return (
    <div className="space-y-6">
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Quarter">
        <div className="w-60">
          <SelectField label="Quarter" name="quarter" defaultValue={quarter.label}>
            {offered.map(({ quarter: q, complete }) => (
              <option key={q.label} value={q.label}>
                {complete ? q.label : `${q.label} (in progress)`}
              </option>
            ))}
          </SelectField>
        </div>
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </form>

      <p className="text-sm text-slate-600">
        NEVI uptime per port (23 CFR 680.116(b)) over the 12 months to the end of each month of the quarter:
        (525,600 − (outage minutes − excluded minutes)) ÷ 525,600, the same divisor in leap years. Months end
        at midnight UTC. A port in service for less than the whole 12 months has no uptime yet.
      </p>

      {adjusted ? (
        <Alert tone="info">
          Showing {quarter.label}: ask for a quarter that has begun, written like 2026-Q3.
        </Alert>
      ) : null}
      {report.complete ? null : (
        <Alert tone="info">
          {quarter.label} is still running: outages count up to now, and the rest of the quarter counts as up.
        </Alert>
      )}
      {networkProvider ? null : (
        <Alert tone="error">
          The EV-ChART network provider is not configured, so the files cannot be downloaded. Set{' '}
          <code>NEVI_NETWORK_PROVIDER</code> to your network’s key from EV-ChART’s provider list and restart
          ChargeOps.
        </Alert>
      )}
      {report.overlongIds.length > 0 ? (
        <Alert tone="error">
          EV-ChART takes ids of at most 36 characters; these station identities are longer and their rows will
          be refused: <span className="break-all">{report.overlongIds.join(', ')}</span>.
        </Alert>
      ) : null}

      <Card title={`EV-ChART files for ${quarter.label}`}>
        <ul className="-my-3 divide-y divide-slate-100">
          {(Object.keys(evChartModules) as EvChartModule[]).map((module) => {
            const { number, title } = evChartModules[module];
            const label = `Module ${number}: ${title}`;
            return (
              <li
                key={module}
                className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
              >
                <div>
                  <p className="text-sm font-medium text-slate-900">{label}</p>
                  <p className="text-sm text-slate-600">{moduleDescriptions[module]}</p>
                </div>
                {networkProvider ? (
                  <a
                    href={`/api/maintenance/ev-chart/${module}?quarter=${quarter.label}`}
                    download
                    className={buttonClass('secondary', 'shrink-0')}
                    data-testid={`ev-chart-${module}`}
                  >
                    Download CSV
                  </a>
                ) : (
                  <Button variant="secondary" className="shrink-0" disabled>
                    Download CSV
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
        <p className="mt-3 text-xs text-slate-500">
          {networkProvider ? (
            <>
              Network provider <code className="break-all">{networkProvider}</code>. station_id is the
              station’s OCPP identity, port_id its EVSE number.
            </>
          ) : (
            'station_id is the station’s OCPP identity, port_id its EVSE number.'
          )}{' '}
          Check the excluded-outage reason codes against EV-ChART’s current data input guidance before you
          upload.
        </p>
      </Card>

      {report.ports.length === 0 ? (
        <EmptyState title="No ports to report">
          A port appears here once its station has reported the status of its connectors, before the end of
          the quarter.
        </EmptyState>
      ) : (
        <Card title={`Uptime per port (${report.ports.length})`}>
          <div className="-mx-5 -mt-5 overflow-x-auto border-b border-slate-100">
            <table className="w-full min-w-[40rem] text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-2.5">Station</th>
                  <th className="px-4 py-2.5">Port</th>
                  {report.windows.map((window) => (
                    <th key={window.month} className="px-4 py-2.5 text-right">
                      12 months to {monthName(window)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {report.ports.map((port) => (
                  <tr
                    key={`${port.stationId}-${port.evseId}`}
                    data-testid="nevi-port-row"
                    className="align-top"
                  >
                    <td className="px-4 py-3">
                      <Link
                        href={`/stations/${port.stationId}`}
                        className="font-medium text-slate-900 hover:underline"
                      >
                        {port.stationIdentity}
                      </Link>
                      <span className="block text-xs text-slate-500">{port.siteName ?? 'No site'}</span>
                    </td>
                    <td className="px-4 py-3 whitespace-nowrap">EVSE {port.evseId}</td>
                    {port.windows.map(({ window, uptime }) => {
                      const low = belowNeviMinimum(uptime.uptimePercent);
                      return (
                        <td
                          key={window.month}
                          className={`px-4 py-3 text-right whitespace-nowrap tabular-nums ${low ? 'bg-rose-50' : ''}`}
                        >
                          <span className={`font-medium ${low ? 'text-rose-700' : 'text-slate-900'}`}>
                            {uptime.uptimePercent === null ? '—' : `${uptime.uptimePercent.toFixed(2)} %`}
                          </span>
                          {low ? (
                            <span className="ml-1">
                              <Badge tone="red">{`Below ${neviMinimumUptime} %`}</Badge>
                            </span>
                          ) : null}
                          <span className="block text-xs text-slate-500">
                            Outage {uptime.outageMinutes.toFixed(2)} min
                            {uptime.outageMinutes >= 60 ? ` (${formatMinutes(uptime.outageMinutes)})` : ''}
                          </span>
                          <span className="block text-xs text-slate-500">
                            Excluded {uptime.excludedMinutes.toFixed(2)} min
                          </span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-3 text-xs text-slate-500">
            {below > 0
              ? `${below} ${below === 1 ? 'port is' : 'ports are'} below the NEVI minimum of ${neviMinimumUptime} % in at least one window (in red). `
              : `Every port with an uptime meets the NEVI minimum of ${neviMinimumUptime} %. `}
            — : in service for less than the 12 months (first status report after the window began).
            Exclusions are set on the{' '}
            <Link href="/maintenance/outages" className="font-medium text-slate-700 underline">
              Outages
            </Link>{' '}
            page.
          </p>
        </Card>
      )}
    </div>
  );
}
