import type { Metadata } from 'next';
import { LiveNetworkMap } from '@/components/map/live-network-map';
import { toMapStations } from '@/components/map/map-data';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { getEnv } from '@/lib/env';
import { listStations } from '@/lib/services/stations';
import { maintenanceByStation } from '@/lib/services/work-order-views';

export const metadata: Metadata = { title: 'Map' };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export default async function MapPage() {
  const user = await requirePermission('stations:view');
  const db = getDb();
  const [stations, maintenance] = await Promise.all([listStations(db, user), maintenanceByStation(db, user)]);
  const rows = toMapStations(stations, maintenance);
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
        <LiveNetworkMap
          stations={rows}
          tileUrl={getEnv().MAP_TILE_URL}
          showPricing={roleCan(user.role, 'billing:view')}
        />
      )}
    </>
  );
}
