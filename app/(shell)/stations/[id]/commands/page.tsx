import type { Metadata } from 'next';
import { CommandForm } from '@/components/commands/command-form';
import { CommandLog } from '@/components/commands/command-log';
import { formatInZone } from '@/components/stations/format';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { listStationCommands } from '@/lib/commands/log';
import { commandKinds, type CommandKind } from '@/lib/commands/types';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listCurrentReservations } from '@/lib/services/reservations';
import { listStationSessions } from '@/lib/services/stations';
import { loadStation } from '../load-station';

export const metadata: Metadata = { title: 'Station commands' };

/** Every command an operator can send, and the station's full command log (live). */
export default async function StationCommandsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ command?: string }>;
}) {
  const user = await requirePermission('stations:view');
  const { id } = await params;
  const { command } = await searchParams;
  const station = await loadStation(user, id);
  const db = getDb();
  const [commands, sessions, reservations] = await Promise.all([
    listStationCommands(db, user, id, 100),
    listStationSessions(db, user, id, 10),
    listCurrentReservations(db, user, id, new Date()),
  ]);
  const zone = station.siteTimezone ?? 'UTC';
  const canCommand = roleCan(user.role, 'stations:command');
  const initialKind = commandKinds.includes(command as CommandKind) ? (command as CommandKind) : undefined;
  return (
    <div className="space-y-6">
      {canCommand ? (
        <Card title="Send a command">
          <CommandForm
            stationId={station.id}
            ocppVersion={station.ocppVersion}
            evseIds={[...new Set(station.connectors.map((c) => c.evseId))]}
            sessions={sessions
              .filter((s) => s.status === 'active')
              .map((s) => ({
                id: s.id,
                label: `EVSE #${s.evseId} · token ${s.idToken ?? '—'} · since ${formatInZone(s.startedAt, zone)}`,
              }))}
            reservations={reservations.map((r) => ({
              id: r.id,
              label: `${r.evseId === 0 ? 'Any EVSE' : `EVSE #${r.evseId}`} · ${r.idToken} · until ${formatInZone(r.expiresAt, zone)}`,
            }))}
            initialKind={initialKind}
            online={station.online}
          />
        </Card>
      ) : null}
      <Card title="Command log">
        <CommandLog commands={commands} timeZone={zone} />
      </Card>
    </div>
  );
}
