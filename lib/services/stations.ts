import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { chargingStations, connectors, evses, sites, type RegistrationStatus } from '@/lib/db/schema';
import { siteScope } from '@/lib/domain/access/roles';
import { stationState, type StationState } from '@/lib/domain/stations/status';
import { assertCan } from './authorize';
import type { SessionUser } from './users';

/** A row of the stations list. */
export interface StationSummary {
  id: string;
  identity: string;
  siteId: string | null;
  siteName: string | null;
  siteTimezone: string | null;
  /** The site's coordinates (stations are placed at their site). */
  latitude: number | null;
  longitude: number | null;
  state: StationState;
  vendor: string | null;
  model: string | null;
  firmwareVersion: string | null;
  ocppVersion: string | null;
  registrationStatus: RegistrationStatus;
  online: boolean;
  lastSeenAt: Date | null;
  connectors: {
    evseId: number;
    connectorId: number;
    connectorType: string | null;
    maxPowerW: number | null;
    status: string;
  }[];
}

/** Stations the user may see (their sites; admins also see stations not yet placed on a site). */
export async function listStations(db: Db, actor: SessionUser): Promise<StationSummary[]> {
  assertCan(actor, 'stations:view');
  const scope = siteScope(actor);
  if (scope !== 'all' && scope.length === 0) return [];
  const rows = await db
    .select({
      station: chargingStations,
      siteName: sites.name,
      siteTimezone: sites.timezone,
      latitude: sites.latitude,
      longitude: sites.longitude,
    })
    .from(chargingStations)
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(
      and(
        eq(chargingStations.organisationId, actor.organisationId),
        scope === 'all' ? undefined : inArray(chargingStations.siteId, [...scope]),
      ),
    )
    .orderBy(asc(sites.name), asc(chargingStations.identity));
  const stationIds = rows.map((r) => r.station.id);
  const plugs =
    stationIds.length === 0
      ? []
      : await db
          .select({
            stationId: evses.stationId,
            evseId: evses.evseId,
            connectorId: connectors.connectorId,
            connectorType: connectors.connectorType,
            maxPowerW: connectors.maxPowerW,
            status: connectors.status,
          })
          .from(connectors)
          .innerJoin(evses, eq(evses.id, connectors.evseId))
          .where(inArray(evses.stationId, stationIds))
          .orderBy(asc(evses.evseId), asc(connectors.connectorId));
  const byStation = new Map<string, StationSummary['connectors']>();
  for (const { stationId, ...plug } of plugs) {
    const list = byStation.get(stationId) ?? [];
    list.push(plug);
    byStation.set(stationId, list);
  }
  return rows.map(({ station, siteName, siteTimezone, latitude, longitude }) => ({
    id: station.id,
    identity: station.identity,
    siteId: station.siteId,
    siteName,
    siteTimezone,
    latitude,
    longitude,
    state: stationState({
      online: station.online,
      registrationStatus: station.registrationStatus,
      connectorStatuses: (byStation.get(station.id) ?? []).map((c) => c.status),
    }),
    vendor: station.vendor,
    model: station.model,
    firmwareVersion: station.firmwareVersion,
    ocppVersion: station.ocppVersion,
    registrationStatus: station.registrationStatus,
    online: station.online,
    lastSeenAt: station.lastSeenAt,
    connectors: byStation.get(station.id) ?? [],
  }));
}
