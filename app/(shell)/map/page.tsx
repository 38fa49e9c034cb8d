import type { Metadata } from 'next';
import type { MapStation } from '@/components/map/network-map';
import { NetworkMapLoader } from '@/components/map/network-map-loader';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { listStations } from '@/lib/services/stations';

export const metadata: Metadata = { title: 'Map' };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export default async function MapPage() {
  const user = await requirePermission('stations:view');
  const stations = await listStations(getDb(), user);
  // Plain, serialisable props for the browser: live updates re-render this page with fresh ones.
  const rows: MapStation[] = stations.map((s) => ({
    id: s.id,
    identity: s.identity,
    siteId: s.siteId,
    siteName: s.siteName,
    siteTimezone: s.siteTimezone,
    latitude: s.latitude,
    longitude: s.longitude,
    state: s.state,
    vendor: s.vendor,
    model: s.model,
    online: s.online,
    lastSeenAt: s.lastSeenAt?.toISOString() ?? null,
    connectors: s.connectors.map((c) => ({
      evseId: c.evseId,
      connectorId: c.connectorId,
      connectorType: c.connectorType,
      maxPowerW: c.maxPowerW,
      status: c.status,
    })),
  }));
  const siteCount = new Set(stations.flatMap((s) => (s.siteId ? [s.siteId] : []))).size;
  return (
    <>
      <PageHeader
        title="Map"
        description={`${plural(stations.length, 'station')} at ${plural(siteCount, 'site')} in ${user.role === 'admin' ? 'your organisation' : 'your sites'}. Colours show each station's state, live over OCPP.`}
      />
      {stations.length === 0 ? (
        <EmptyState title="No stations yet">
          Stations appear here once they are registered and placed on one of your sites.
        </EmptyState>
      ) : (
        <NetworkMapLoader stations={rows} tileUrl={getEnv().MAP_TILE_URL} />
      )}
    </>
  );
}
