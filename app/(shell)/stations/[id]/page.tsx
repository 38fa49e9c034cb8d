import type { Metadata } from 'next';
import Link from 'next/link';
import { CommandForm } from '@/components/commands/command-form';
import { CommandLog } from '@/components/commands/command-log';
import { StopSessionButton } from '@/components/commands/stop-session-button';
import { StationMaintenance } from '@/components/maintenance/station-maintenance';
import { PowerChart } from '@/components/stations/power-chart';
import { StationAdmin } from '@/components/stations/station-admin';
import { CaliforniaPricing } from '@/components/stations/california-pricing';
import { connectorTypeLabel, formatInZone, formatPowerW } from '@/components/stations/format';
import { SessionsTable } from '@/components/stations/sessions-table';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { listStationCommands } from '@/lib/commands/log';
import { getDb } from '@/lib/db';
import type { Transaction } from '@/lib/db/schema';
import { toPowerPoints } from '@/lib/domain/metering/points';
import { roleCan } from '@/lib/domain/access/roles';
import { listIncidents } from '@/lib/services/incidents';
import { listCurrentReservations } from '@/lib/services/reservations';
import { listSites } from '@/lib/services/sites';
import { listSessionSamples, listStationSessions } from '@/lib/services/stations';
import { listWorkOrders } from '@/lib/services/work-order-views';
import { loadStation } from './load-station';

export const metadata: Metadata = { title: 'Station' };

export default async function StationPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('stations:view');
  const { id } = await params;
  const station = await loadStation(user, id);
  const db = getDb();
  const canCommand = roleCan(user.role, 'stations:command');
  const canManage = roleCan(user.role, 'stations:manage');
  const seesMaintenance = roleCan(user.role, 'maintenance:view');
  const [sessions, sites, reservations, commands, incidents, orders] = await Promise.all([
    listStationSessions(db, user, id, 10),
    canManage ? listSites(db, user) : Promise.resolve([]),
    listCurrentReservations(db, user, id, new Date()),
    listStationCommands(db, user, id, 5),
    seesMaintenance ? listIncidents(db, user, { state: 'open', stationId: id }) : Promise.resolve([]),
    seesMaintenance ? listWorkOrders(db, user, { stationId: id }) : Promise.resolve([]),
  ]);
  const active = sessions.filter((s) => s.status === 'active');
  const charts = await Promise.all(
    active.map(async (session: Transaction) => ({
      session,
      points: toPowerPoints(await listSessionSamples(db, user, id, session.id), session.meterStartWh),
    })),
  );
  const zone = station.siteTimezone ?? 'UTC';
  const evseIds = [...new Set(station.connectors.map((c) => c.evseId))];
  const reservationOf = (evseId: number) =>
    reservations.find((r) => r.evseId === evseId) ?? reservations.find((r) => r.evseId === 0);

  return (
    <div className="space-y-6">
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Station">
          <dl className="grid grid-cols-[7.5rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Connection</dt>
            <dd>{station.online ? 'Online' : 'Offline'}</dd>
            <dt className="text-slate-500">Last seen</dt>
            <dd>{formatInZone(station.lastSeenAt, zone)}</dd>
            <dt className="text-slate-500">Last boot</dt>
            <dd>{formatInZone(station.lastBootAt, zone)}</dd>
            <dt className="text-slate-500">Serial number</dt>
            <dd className="break-all">{station.serialNumber ?? '—'}</dd>
            <dt className="text-slate-500">Firmware</dt>
            <dd>{station.firmwareVersion ?? '—'}</dd>
            <dt className="text-slate-500">Registration</dt>
            <dd className="capitalize">{station.registrationStatus}</dd>
          </dl>
        </Card>
        <div className="lg:col-span-2">
          <Card title="Connectors">
            {station.connectors.length === 0 ? (
              <EmptyState title="No connectors reported yet">
                They appear when the station sends its status.
              </EmptyState>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <thead className="text-left text-xs text-slate-500">
                    <tr>
                      <th className="pb-2 font-medium">EVSE</th>
                      <th className="pb-2 font-medium">Type</th>
                      <th className="pb-2 font-medium">Max power</th>
                      <th className="pb-2 font-medium">Status</th>
                      <th className="pb-2 font-medium">Reservation</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {station.connectors.map((c) => {
                      const reservation = reservationOf(c.evseId);
                      return (
                        <tr key={`${c.evseId}-${c.connectorId}`} data-testid="connector-row">
                          <td className="py-2">
                            #{c.evseId}
                            {c.connectorId > 1 ? `/${c.connectorId}` : ''}
                          </td>
                          <td className="py-2">{connectorTypeLabel(c.connectorType)}</td>
                          <td className="py-2">{formatPowerW(c.maxPowerW)}</td>
                          <td className="py-2">{c.status}</td>
                          <td className="py-2 text-slate-700" data-testid="connector-reservation">
                            {reservation
                              ? `${reservation.idToken} until ${formatInZone(reservation.expiresAt, zone)}${reservation.evseId === 0 ? ' (any EVSE)' : ''}${reservation.status === 'requested' ? ' (awaiting station)' : ''}`
                              : '—'}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </div>
      </div>

      {seesMaintenance ? (
        <StationMaintenance
          station={{ id: station.id, identity: station.identity, siteName: station.siteName }}
          incidents={incidents}
          orders={orders}
          canManage={roleCan(user.role, 'maintenance:manage')}
          timeZone={zone}
        />
      ) : null}

      <Card title={active.length > 1 ? 'Current sessions' : 'Current session'}>
        {charts.length === 0 ? (
          <p className="text-sm text-slate-600">No session in progress.</p>
        ) : (
          <div className="space-y-6">
            {charts.map(({ session, points }) => {
              const last = points.at(-1);
              return (
                <div key={session.id} data-testid="current-session">
                  <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                    <p className="text-sm text-slate-700">
                      EVSE #{session.evseId} · token {session.idToken ?? '—'} · since{' '}
                      {formatInZone(session.startedAt, zone)} ·{' '}
                      <strong data-testid="session-power">
                        {last?.kw != null ? `${last.kw.toFixed(1)} kW` : '— kW'}
                      </strong>{' '}
                      ·{' '}
                      {last?.kwh != null ? `${last.kwh.toFixed(2)} kWh delivered` : 'energy not reported yet'}
                    </p>
                    {canCommand ? <StopSessionButton stationId={station.id} sessionId={session.id} /> : null}
                  </div>
                  {points.length > 1 ? (
                    <PowerChart points={points} timeZone={zone} />
                  ) : (
                    <p className="text-sm text-slate-500">The chart starts with the second meter value.</p>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </Card>

      {canCommand ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Start a session">
            <CommandForm
              stationId={station.id}
              ocppVersion={station.ocppVersion}
              evseIds={evseIds}
              sessions={[]}
              reservations={[]}
              kinds={['remote-start']}
              online={station.online}
            />
          </Card>
          <Card
            title="Recent commands"
            actions={
              <Link
                href={`/stations/${station.id}/commands`}
                className="text-brand-700 text-sm hover:underline"
              >
                All commands
              </Link>
            }
          >
            <CommandLog commands={commands} timeZone={zone} compact />
          </Card>
        </div>
      ) : null}

      <Card title="Recent sessions">
        {sessions.length === 0 ? (
          <p className="text-sm text-slate-600">No sessions yet.</p>
        ) : (
          <SessionsTable sessions={sessions} timeZone={zone} />
        )}
      </Card>

      {canManage ? (
        <Card title="Registration">
          <StationAdmin
            stationId={station.id}
            identity={station.identity}
            registrationStatus={station.registrationStatus}
            siteId={station.siteId}
            sites={sites.map((s) => ({ id: s.id, name: s.name }))}
            hasPassword={station.hasPassword}
            canDelete={user.role === 'admin'}
          />
        </Card>
      ) : null}

      {canManage && station.ocppVersion === '1.6' ? (
        <Card title="Prices on the charger's screen">
          <CaliforniaPricing stationId={station.id} enabled={station.californiaPricing} />
        </Card>
      ) : null}
    </div>
  );
}
