import type { StationSummary } from '@/lib/services/stations';
import type { MapStation } from './network-map';

/** The query key of the stations the map shows; live station events invalidate it. */
export const stationsQueryKey = ['stations'] as const;

/** Plain, serialisable map rows from station summaries (for the page and GET /api/stations). */
export function toMapStations(stations: StationSummary[]): MapStation[] {
  return stations.map((s) => ({
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
}
