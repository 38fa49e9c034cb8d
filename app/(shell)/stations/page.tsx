import type { Metadata } from 'next';
import Link from 'next/link';
import { AddStation } from '@/components/stations/add-station';
import { BulkSelection, SiteCheckbox, StationCheckbox } from '@/components/stations/bulk-commands';
import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { roleCan } from '@/lib/domain/access/roles';
import { stationStateLabels, type StationState } from '@/lib/domain/stations/status';
import { listSites } from '@/lib/services/sites';
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

const stateOptions = Object.keys(stationStateLabels) as StationState[];

export default async function StationsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; state?: string; site?: string }>;
}) {
  const user = await requirePermission('stations:view');
  const filters = await searchParams;
  const db = getDb();
  const [all, sites] = await Promise.all([listStations(db, user), listSites(db, user)]);
  const q = filters.q?.trim().toLowerCase() ?? '';
  const stations = all.filter(
    (s) =>
      (!q || [s.identity, s.vendor, s.model, s.siteName].some((v) => v?.toLowerCase().includes(q))) &&
      (!filters.state || s.state === filters.state) &&
      (!filters.site || s.siteId === filters.site),
  );
  const filtered = stations.length !== all.length;
  const bySite = new Map<string, StationSummary[]>();
  for (const station of stations) {
    const key = station.siteName ?? 'Not placed on a site';
    bySite.set(key, [...(bySite.get(key) ?? []), station]);
  }
  const canCommand = roleCan(user.role, 'stations:command');
  const page = (
    <>
      <PageHeader
        title="Stations"
        description={`${all.length} station${all.length === 1 ? '' : 's'} in ${user.role === 'admin' ? 'your organisation' : 'your sites'}. Status comes from the chargers over OCPP.`}
        actions={
          roleCan(user.role, 'stations:manage') ? (
            <AddStation sites={sites.map((s) => ({ id: s.id, name: s.name }))} />
          ) : null
        }
      />
      <form method="get" className="mb-6 flex flex-wrap items-end gap-3" role="search">
        <div className="w-full sm:w-64">
          <TextField
            label="Search stations"
            name="q"
            defaultValue={filters.q ?? ''}
            placeholder="Identity, vendor, site"
          />
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-44">
          <SelectField label="State" name="state" defaultValue={filters.state ?? ''}>
            <option value="">All states</option>
            {stateOptions.map((state) => (
              <option key={state} value={state}>
                {stationStateLabels[state]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-56">
          <SelectField label="Site" name="site" defaultValue={filters.site ?? ''}>
            <option value="">All sites</option>
            {sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.name}
              </option>
            ))}
          </SelectField>
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered ? (
          <Link href="/stations" className="py-2 text-sm font-medium text-slate-600 hover:text-slate-900">
            Clear
          </Link>
        ) : null}
      </form>
      {stations.length === 0 ? (
        filtered ? (
          <EmptyState title="No station matches these filters" />
        ) : (
          <EmptyState title="No stations yet">
            Stations appear here once they are added, or register themselves when auto-registration is on.
          </EmptyState>
        )
      ) : (
        <div className="space-y-8">
          {[...bySite.entries()].map(([siteName, list]) => (
            <section key={siteName} aria-label={siteName}>
              <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
                <h2 className="text-sm font-semibold tracking-wide text-slate-500 uppercase">{siteName}</h2>
                {canCommand ? <SiteCheckbox ids={list.map((s) => s.id)} label={siteName} /> : null}
              </div>
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
                          {canCommand ? (
                            <span className="mr-2.5 inline-flex align-middle">
                              <StationCheckbox id={station.id} label={station.identity} />
                            </span>
                          ) : null}
                          <Link
                            href={`/stations/${station.id}`}
                            className="hover:text-brand-700 hover:underline"
                          >
                            {station.identity}
                          </Link>
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
  return canCommand ? <BulkSelection>{page}</BulkSelection> : page;
}
