import type { Metadata } from 'next';
import { SitesPanel, type SiteRow } from '@/components/settings/sites-panel';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { listSites } from '@/lib/services/sites';

export const metadata: Metadata = { title: 'Sites' };

export default async function SitesSettingsPage() {
  const user = await requirePermission('sites:manage');
  const sites = await listSites(getDb(), user);
  const rows: SiteRow[] = sites.map((s) => ({
    id: s.id,
    name: s.name,
    address: s.address,
    latitude: s.latitude,
    longitude: s.longitude,
    timezone: s.timezone,
    gridCapacityW: s.gridCapacityW,
    stationCount: s.stationCount,
  }));
  return <SitesPanel sites={rows} tileUrl={getEnv().MAP_TILE_URL} />;
}
