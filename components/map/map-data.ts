import type { StationSummary } from '@/lib/services/stations';
import type { StationMaintenance } from '@/lib/services/work-order-views';
import type { MapStation } from './network-map';

/** The query key of the stations the map shows; live station events invalidate it. */
export const stationsQueryKey = ['stations'] as const;

/**
 * Plain, serialisable map rows from station summaries (for the page and GET /api/stations), with
 * each station's open incidents and work order for people who see maintenance.
 */
export function toMapStations(
  stations: StationSummary[],
  maintenance: Map<string, StationMaintenance> = new Map(),
): MapStation[] {
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
    maintenance: maintenance.get(s.id) ?? null,
  }));
}
