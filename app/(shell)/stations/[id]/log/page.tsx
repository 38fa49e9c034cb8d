import type { Metadata } from 'next';
import Link from 'next/link';
import { formatInZone } from '@/components/stations/format';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listMessageLog, listStationEvents, listStatusHistory } from '@/lib/services/stations';
import { loadStation } from '../load-station';

export const metadata: Metadata = { title: 'Station log' };

/** What the station reported (status history, events) and every OCPP frame, newest first. */
export default async function StationLogPage({
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
  const [history, events, log] = await Promise.all([
    listStatusHistory(db, user, id, 20),
    listStationEvents(db, user, id, 20),
    listMessageLog(db, user, id, { before: beforeId, limit: 50 }),
  ]);
  const zone = station.siteTimezone ?? 'UTC';
  return (
    <div className="space-y-6">
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
            <Link href={`/stations/${station.id}/log`} className={buttonClass('secondary')}>
              Newest
            </Link>
          ) : null}
          {log.nextBefore ? (
            <Link
              href={`/stations/${station.id}/log?before=${log.nextBefore}`}
              className={buttonClass('secondary')}
            >
              Older messages
            </Link>
          ) : null}
        </div>
      </Card>
    </div>
  );
}
