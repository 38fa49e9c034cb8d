import type { Metadata } from 'next';
import Link from 'next/link';
import { formatAmps, formatClock, formatKw, zoneName } from '@/components/load/format';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { CardLabel } from '@/components/ui/card-label';
import { CardTableHead } from '@/components/ui/card-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listLoadSites, type LoadSiteSummary } from '@/lib/services/load-views';

export const metadata: Metadata = { title: 'Load' };

function StateBadge({ site }: { site: LoadSiteSummary }) {
  if (!site.managed) return <Badge>Not set up</Badge>;
  return site.enabled ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>;
}

function gridLimit(site: LoadSiteSummary): string {
  if (site.limitW !== null) return formatKw(site.limitW);
  if (site.limitA !== null) return `${formatAmps(site.limitA)} per phase`;
  if (!site.managed) return site.gridCapacityW ? `${formatKw(site.gridCapacityW)} capacity` : '—';
  return site.enabled ? 'No limit' : 'Off';
}

function sessionsText(site: LoadSiteSummary): string {
  if (site.sessions === 0) return 'None';
  const charging = site.sessions - site.paused;
  return site.paused > 0 ? `${charging} charging · ${site.paused} paused` : `${charging} charging`;
}

export default async function LoadSitesPage() {
  const user = await requirePermission('load:view');
  const sites = await listLoadSites(getDb(), user);
  return (
    <>
      <PageHeader
        title="Load"
        description="Keep each site within what its grid connection and circuits can carry: ChargeOps shares the power between the cars charging and tells every charger its limit."
      />
      {sites.length === 0 ? (
        <EmptyState title="No sites yet">
          Load management works per site. Once an administrator adds a site with its stations, it appears
          here.
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="block w-full text-sm md:table">
            <CardTableHead
              columns={[
                { label: 'Site' },
                { label: 'Grid connection' },
                { label: 'Now' },
                { label: 'Sessions' },
                { label: 'Warnings' },
                { label: 'Actions', hidden: true },
              ]}
            />
            <tbody className="block divide-y divide-slate-100 md:table-row-group">
              {sites.map((site) => (
                <tr
                  key={site.id}
                  data-testid="load-site-row"
                  data-site-name={site.name}
                  className="block space-y-1.5 p-4 md:table-row md:p-0"
                >
                  <td className="block md:table-cell md:px-4 md:py-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link
                        href={`/load/${site.id}`}
                        className="font-medium break-words text-slate-900 hover:underline"
                      >
                        {site.name}
                      </Link>
                      <StateBadge site={site} />
                    </div>
                  </td>
                  <td className="flex gap-2 md:table-cell md:px-4 md:py-3">
                    <CardLabel>Limit</CardLabel>
                    <span>{gridLimit(site)}</span>
                  </td>
                  <td className="flex gap-2 md:table-cell md:px-4 md:py-3">
                    <CardLabel>Now</CardLabel>
                    {site.allocatedW !== null ? (
                      <span>
                        {formatKw(site.allocatedW)} allocated · {formatKw(site.measuredW)} measured
                        {site.at ? (
                          <span className="block text-xs text-slate-500">
                            at {formatClock(site.at, site.timezone, true)} {zoneName(site.timezone, site.at)}
                          </span>
                        ) : null}
                      </span>
                    ) : (
                      <span className="text-slate-500">—</span>
                    )}
                  </td>
                  <td className="flex gap-2 md:table-cell md:px-4 md:py-3">
                    <CardLabel>Sessions</CardLabel>
                    <span className="md:whitespace-nowrap">{sessionsText(site)}</span>
                  </td>
                  <td className="flex gap-2 md:table-cell md:px-4 md:py-3">
                    <CardLabel>Warnings</CardLabel>
                    {site.openOverruns > 0 ? (
                      <Badge tone="red">
                        {site.openOverruns === 1 ? '1 overrun' : `${site.openOverruns} overruns`}
                      </Badge>
                    ) : (
                      <span className="text-slate-500">None</span>
                    )}
                  </td>
                  <td className="block pt-1 md:table-cell md:px-4 md:py-3 md:text-right">
                    <Link
                      href={`/load/${site.id}`}
                      className={buttonClass(
                        site.managed ? 'secondary' : 'primary',
                        'px-3 py-1.5 whitespace-nowrap',
                      )}
                      aria-label={`${site.managed ? 'Open' : 'Set up'} ${site.name}`}
                    >
                      {site.managed ? 'Open' : 'Set up'}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
