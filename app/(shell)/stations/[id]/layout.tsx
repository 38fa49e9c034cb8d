import Link from 'next/link';
import { StationTabs } from '@/components/stations/station-tabs';
import { stateTone } from '@/components/stations/state';
import { Badge } from '@/components/ui/badge';
import { requirePermission } from '@/lib/auth/session';
import { stationStateLabels } from '@/lib/domain/stations/status';
import { loadStation } from './load-station';

/** Header and tabs shared by a station's pages. */
export default async function StationLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ id: string }>;
}) {
  const user = await requirePermission('stations:view');
  const { id } = await params;
  const station = await loadStation(user, id);
  return (
    <div className="mx-auto max-w-6xl space-y-6">
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
      <div>
        <StationTabs stationId={station.id} />
        {children}
      </div>
    </div>
  );
}
