import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PowerChart } from '@/components/stations/power-chart';
import { toPowerPoints } from '@/lib/domain/metering/points';
import { StationAdmin } from '@/components/stations/station-admin';
import { connectorTypeLabel, formatInZone, formatPowerW } from '@/components/stations/format';
import { SessionsTable } from '@/components/stations/sessions-table';
import { stateTone } from '@/components/stations/state';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import type { Transaction } from '@/lib/db/schema';
import { roleCan } from '@/lib/domain/access/roles';
import { stationStateLabels } from '@/lib/domain/stations/status';
import { AppError } from '@/lib/errors';
import { listSites } from '@/lib/services/sites';
import {
  getStation,
  listMessageLog,
  listSessionSamples,
  listStationEvents,
  listStationSessions,
  listStatusHistory,
  type StationDetail,
} from '@/lib/services/stations';

export const metadata: Metadata = { title: 'Station' };

function Card({
  title,
  children,
  actions,
}: {
  title: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <section aria-label={title} className="rounded-xl border border-slate-200 bg-white shadow-xs">
      <div className="flex items-center justify-between border-b border-slate-100 px-5 py-3">
        <h2 className="font-semibold text-slate-900">{title}</h2>
        {actions}
      </div>
      <div className="p-5">{children}</div>
    </section>
  );
}

async function loadStation(user: Parameters<typeof getStation>[1], id: string): Promise<StationDetail> {
  try {
    return await getStation(getDb(), user, id);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  }
}

export default async function StationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const user = await requirePermission('stations:view');
  const { id } = await params;
  const { before } = await searchParams;
  const station = await loadStation(user, id);
  const db = getDb();
  const beforeId = before && /^\d+$/.test(before) ? Number(before) : undefined;
  const [sessions, history, events, log, sites] = await Promise.all([
    listStationSessions(db, user, id, 10),
    listStatusHistory(db, user, id, 20),
    listStationEvents(db, user, id, 20),
    listMessageLog(db, user, id, { before: beforeId, limit: 50 }),
    listSites(db, user),
  ]);
  const active = sessions.filter((s) => s.status === 'active');
  const charts = await Promise.all(
    active.map(async (session: Transaction) => ({
      session,
      points: toPowerPoints(await listSessionSamples(db, user, id, session.id), session.meterStartWh),
    })),
  );
  const zone = station.siteTimezone ?? 'UTC';
  const canManage = roleCan(user.role, 'stations:manage');

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/stations" className="hover:underline">
              Stations
            </Link>
            {station.siteName ? ` · ${station.siteName}` : ' · not placed on a site'}
          </p>
          <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight text-slate-900">
            {station.identity}
            <span data-testid="station-state" data-state={station.state}>
              <Badge tone={stateTone[station.state]}>{stationStateLabels[station.state]}</Badge>
            </span>
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            {[station.vendor, station.model].filter(Boolean).join(' ') || 'Vendor and model not reported yet'}
            {station.ocppVersion ? ` · OCPP ${station.ocppVersion}` : ''}
          </p>
        </div>
      </div>

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
              <table className="w-full text-sm">
                <thead className="text-left text-xs text-slate-500">
                  <tr>
                    <th className="pb-2 font-medium">EVSE</th>
                    <th className="pb-2 font-medium">Type</th>
                    <th className="pb-2 font-medium">Max power</th>
                    <th className="pb-2 font-medium">Status</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {station.connectors.map((c) => (
                    <tr key={`${c.evseId}-${c.connectorId}`} data-testid="connector-row">
                      <td className="py-2">
                        #{c.evseId}
                        {c.connectorId > 1 ? `/${c.connectorId}` : ''}
                      </td>
                      <td className="py-2">{connectorTypeLabel(c.connectorType)}</td>
                      <td className="py-2">{formatPowerW(c.maxPowerW)}</td>
                      <td className="py-2">{c.status}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
      </div>

      <Card title={active.length > 1 ? 'Current sessions' : 'Current session'}>
        {charts.length === 0 ? (
          <p className="text-sm text-slate-600">No session in progress.</p>
        ) : (
          <div className="space-y-6">
            {charts.map(({ session, points }) => {
              const last = points.at(-1);
              return (
                <div key={session.id} data-testid="current-session">
                  <p className="mb-2 text-sm text-slate-700">
                    EVSE #{session.evseId} · token {session.idToken ?? '—'} · since{' '}
                    {formatInZone(session.startedAt, zone)} ·{' '}
                    <strong>{last?.kw != null ? `${last.kw.toFixed(1)} kW` : '— kW'}</strong> ·{' '}
                    {last?.kwh != null ? `${last.kwh.toFixed(2)} kWh delivered` : 'energy not reported yet'}
                  </p>
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

      <Card title="Recent sessions">
        {sessions.length === 0 ? (
          <p className="text-sm text-slate-600">No sessions yet.</p>
        ) : (
          <SessionsTable sessions={sessions} timeZone={zone} />
        )}
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Status history">
          {history.length === 0 ? (
            <p className="text-sm text-slate-600">No status reports yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {history.map((h) => (
                <li key={h.id} className="flex flex-wrap justify-between gap-2 py-1.5">
                  <span>
                    {h.evseId === 0 ? 'Station' : `EVSE #${h.evseId}`}: <strong>{h.status}</strong>
                    {h.errorCode ? <span className="text-rose-700"> · {h.errorCode}</span> : null}
                    {h.vendorErrorCode ? (
                      <span className="text-slate-500"> ({h.vendorErrorCode})</span>
                    ) : null}
                  </span>
                  <span className="text-slate-500">{formatInZone(h.chargerTime ?? h.receivedAt, zone)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Events">
          {events.length === 0 ? (
            <p className="text-sm text-slate-600">No firmware, diagnostics, security or device events yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {events.map((e) => (
                <li key={e.id} className="flex flex-wrap justify-between gap-2 py-1.5">
                  <span>
                    {e.kind.replace(/Notification$/, '')}: <strong>{e.summary}</strong>
                  </span>
                  <span className="text-slate-500">{formatInZone(e.chargerTime ?? e.receivedAt, zone)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card title="OCPP message log">
        {log.messages.length === 0 ? (
          <p className="text-sm text-slate-600">{beforeId ? 'No older messages.' : 'No messages yet.'}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-sm">
              <thead className="text-left text-xs text-slate-500">
                <tr>
                  <th className="pb-2 font-medium">Time</th>
                  <th className="pb-2 font-medium">Direction</th>
                  <th className="pb-2 font-medium">Message</th>
                  <th className="pb-2 font-medium">Payload</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {log.messages.map((m) => (
                  <tr key={m.id} data-testid="message-row">
                    <td className="py-1.5 pr-3 whitespace-nowrap text-slate-600">
                      {formatInZone(m.at, zone)}
                    </td>
                    <td className="py-1.5 pr-3">{m.direction === 'in' ? 'from charger' : 'to charger'}</td>
                    <td className="py-1.5 pr-3 whitespace-nowrap">
                      {m.action ?? 'unparseable'}{' '}
                      <span className="text-xs text-slate-500">
                        {m.messageType === 2
                          ? 'CALL'
                          : m.messageType === 3
                            ? 'RESULT'
                            : m.messageType === 4
                              ? 'ERROR'
                              : ''}
                      </span>
                    </td>
                    <td className="py-1.5">
                      <details>
                        <summary className="cursor-pointer font-mono text-xs text-slate-500">
                          {JSON.stringify(m.payload).slice(0, 60)}
                        </summary>
                        <pre className="mt-1 max-w-xl overflow-x-auto rounded bg-slate-50 p-2 text-xs">
                          {JSON.stringify(m.payload, null, 2)}
                        </pre>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="mt-3 flex gap-2">
          {beforeId ? (
            <Link href={`/stations/${station.id}`} className={buttonClass('secondary')}>
              Newest
            </Link>
          ) : null}
          {log.nextBefore ? (
            <Link
              href={`/stations/${station.id}?before=${log.nextBefore}`}
              className={buttonClass('secondary')}
            >
              Older messages
            </Link>
          ) : null}
        </div>
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
    </div>
  );
}
