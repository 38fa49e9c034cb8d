import type { Metadata } from 'next';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { connectorTypeLabel, formatInZone, formatPowerW } from '@/components/stations/format';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listStations, type StationSummary } from '@/lib/services/stations';

export const metadata: Metadata = { title: 'Stations' };

const statusTone: Record<string, BadgeTone> = {
  Available: 'green',
  Charging: 'blue',
  Occupied: 'blue',
  Preparing: 'blue',
  Faulted: 'red',
  Unavailable: 'amber',
};

const registrationTone: Record<StationSummary['registrationStatus'], BadgeTone> = {
  accepted: 'green',
  pending: 'amber',
  rejected: 'red',
};

export default async function StationsPage() {
  const user = await requirePermission('stations:view');
  const stations = await listStations(getDb(), user);
  const bySite = new Map<string, StationSummary[]>();
  for (const station of stations) {
    const key = station.siteName ?? 'Not placed on a site';
    bySite.set(key, [...(bySite.get(key) ?? []), station]);
  }
  return (
    <>
      <PageHeader
        title="Stations"
        description={`${stations.length} station${stations.length === 1 ? '' : 's'} in ${user.role === 'admin' ? 'your organisation' : 'your sites'}. Status comes from the chargers over OCPP.`}
      />
      {stations.length === 0 ? (
        <EmptyState title="No stations yet">
          Stations appear here once they are registered and placed on one of your sites.
        </EmptyState>
      ) : (
        <div className="space-y-8">
          {[...bySite.entries()].map(([siteName, list]) => (
            <section key={siteName} aria-label={siteName}>
              <h2 className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase">
                {siteName}
              </h2>
              <div className="rounded-xl border border-slate-200 bg-white shadow-xs">
                {/* A table on wide screens; each row becomes a card on phones. */}
                <table className="block w-full text-sm md:table md:divide-y md:divide-slate-200">
                  <thead className="hidden bg-slate-50 text-left text-xs font-medium text-slate-500 md:table-header-group">
                    <tr>
                      <th scope="col" className="px-4 py-2.5">
                        Station
                      </th>
                      <th scope="col" className="px-4 py-2.5">
                        Vendor / model
                      </th>
                      <th scope="col" className="px-4 py-2.5">
                        Connectors
                      </th>
                      <th scope="col" className="px-4 py-2.5">
                        Connection
                      </th>
                      <th scope="col" className="px-4 py-2.5">
                        Last seen
                      </th>
                    </tr>
                  </thead>
                  <tbody className="block divide-y divide-slate-100 md:table-row-group">
                    {list.map((station) => (
                      <tr
                        key={station.id}
                        data-testid="station-row"
                        className="grid grid-cols-[1fr_auto] gap-x-3 gap-y-1.5 p-4 md:table-row md:p-0"
                      >
                        <td className="font-medium text-slate-900 md:px-4 md:py-3 md:whitespace-nowrap">
                          {station.identity}
                          {station.ocppVersion ? (
                            <span className="ml-2 text-xs text-slate-500">OCPP {station.ocppVersion}</span>
                          ) : null}
                        </td>
                        <td className="col-span-2 row-start-2 text-slate-600 md:px-4 md:py-3 md:whitespace-nowrap md:text-slate-700">
                          {[station.vendor, station.model].filter(Boolean).join(' ') || '—'}
                        </td>
                        <td className="col-span-2 md:px-4 md:py-3">
                          <ul className="flex flex-wrap gap-1.5">
                            {station.connectors.map((c) => (
                              <li
                                key={`${c.evseId}-${c.connectorId}`}
                                title={`EVSE ${c.evseId}, connector ${c.connectorId}`}
                              >
                                <Badge tone={statusTone[c.status] ?? 'slate'}>
                                  <span className="whitespace-nowrap">
                                    #{c.evseId} {connectorTypeLabel(c.connectorType)} ·{' '}
                                    {formatPowerW(c.maxPowerW)} · {c.status}
                                  </span>
                                </Badge>
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td className="col-start-2 row-start-1 text-right md:px-4 md:py-3 md:text-left md:whitespace-nowrap">
                          <Badge tone={station.online ? 'green' : 'slate'}>
                            {station.online ? 'Online' : 'Offline'}
                          </Badge>
                          {station.registrationStatus === 'accepted' ? null : (
                            <span className="ml-1.5">
                              <Badge tone={registrationTone[station.registrationStatus]}>
                                {station.registrationStatus}
                              </Badge>
                            </span>
                          )}
                        </td>
                        <td className="col-span-2 text-xs text-slate-500 md:px-4 md:py-3 md:text-sm md:whitespace-nowrap md:text-slate-600">
                          <span className="md:hidden">Last seen: </span>
                          {formatInZone(station.lastSeenAt, station.siteTimezone)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
