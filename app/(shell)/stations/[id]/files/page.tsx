import type { Metadata } from 'next';
import { CommandForm } from '@/components/commands/command-form';
import { formatInZone } from '@/components/stations/format';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listStationUploads } from '@/lib/services/uploads';
import { loadStation } from '../load-station';

export const metadata: Metadata = { title: 'Station firmware and files' };

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Firmware updates with their progress, and the diagnostics/log files stations uploaded to ChargeOps. */
export default async function StationFilesPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('stations:view');
  const { id } = await params;
  const station = await loadStation(user, id);
  const uploads = await listStationUploads(getDb(), user, id);
  const zone = station.siteTimezone ?? 'UTC';
  const canCommand = roleCan(user.role, 'stations:command');
  const common = {
    stationId: station.id,
    ocppVersion: station.ocppVersion,
    evseIds: [],
    sessions: [],
    reservations: [],
    online: station.online,
  };

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card title="Firmware">
        <dl className="mb-5 grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Installed version</dt>
          <dd data-testid="installed-firmware">{station.firmwareVersion ?? '—'}</dd>
          <dt className="text-slate-500">Last update status</dt>
          <dd data-testid="firmware-status">
            {station.firmwareStatus
              ? `${station.firmwareStatus} (${formatInZone(station.firmwareStatusAt, zone)})`
              : 'No update reported'}
          </dd>
        </dl>
        {canCommand ? <CommandForm {...common} kinds={['update-firmware']} /> : null}
      </Card>
      <Card title="Diagnostics and logs">
        {canCommand ? <CommandForm {...common} kinds={['upload-diagnostics']} /> : null}
        <h3 className="mt-6 mb-2 text-sm font-semibold text-slate-900">Files</h3>
        {uploads.length === 0 ? (
          <p className="text-sm text-slate-600">No files requested yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="uploads">
            {uploads.map((u) => (
              <li
                key={u.id}
                className="flex flex-wrap items-center justify-between gap-2 py-2"
                data-testid="upload-row"
              >
                <span>
                  {u.uploadedAt ? (
                    <a
                      href={`/api/stations/${station.id}/files/${u.id}`}
                      className="text-brand-700 font-medium hover:underline"
                    >
                      {u.fileName}
                    </a>
                  ) : (
                    <span className="text-slate-700">{u.fileName ?? 'Requested file'}</span>
                  )}
                  <span className="block text-xs text-slate-500">
                    Requested {formatInZone(u.createdAt, zone)}
                    {u.requestedBy ? ` by ${u.requestedBy}` : ''}
                  </span>
                </span>
                <span className="text-slate-600">
                  {u.uploadedAt
                    ? `${formatBytes(u.sizeBytes)} · received ${formatInZone(u.uploadedAt, zone)}`
                    : u.expiresAt < new Date()
                      ? 'Never uploaded (link expired)'
                      : 'Waiting for the upload'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
