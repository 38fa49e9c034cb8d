import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  chargingStations,
  connectors,
  connectorStatusHistory,
  evses,
  ocppMessages,
  sites,
  stationEvents,
  transactions,
  type RegistrationStatus,
} from '@/lib/db/schema';
import { notFound } from '@/lib/errors';
import { siteScope } from '@/lib/domain/access/roles';
import { stationState, type StationState } from '@/lib/domain/stations/status';
import { assertCan } from './authorize';
import { chartSamples } from './sessions';
import type { SessionUser } from './users';
import { isUuid } from '@/lib/validation/ids';

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
export async function listStations(
  db: Db,
  actor: SessionUser,
  filter: { stationId?: string } = {},
): Promise<StationSummary[]> {
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
        filter.stationId ? eq(chargingStations.id, filter.stationId) : undefined,
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

/** Everything the station page shows about one station the user may see. */
export interface StationDetail extends StationSummary {
  organisationId: string;
  serialNumber: string | null;
  lastBootAt: Date | null;
  hasPassword: boolean;
  /** The last firmware update status the station reported, and when. */
  firmwareStatus: string | null;
  firmwareStatusAt: Date | null;
  /** OCPP 1.6: prices and costs go to the charger as California pricing DataTransfer messages. */
  californiaPricing: boolean;
  createdAt: Date;
}

/** Loads one station, checking organisation and site scope (admins also see unplaced stations). */
export async function getStation(db: Db, actor: SessionUser, id: string): Promise<StationDetail> {
  assertCan(actor, 'stations:view');
  if (!isUuid(id)) throw notFound('Station');
  // listStations applies the organisation and site scope: a station outside it is "not found".
  const [summary] = await listStations(db, actor, { stationId: id });
  if (!summary) throw notFound('Station');
  const [row] = await db.select().from(chargingStations).where(eq(chargingStations.id, id));
  if (!row) throw notFound('Station');
  return {
    ...summary,
    organisationId: row.organisationId,
    serialNumber: row.serialNumber,
    lastBootAt: row.lastBootAt,
    hasPassword: row.passwordHash !== null,
    firmwareStatus: row.firmwareStatus,
    firmwareStatusAt: row.firmwareStatusAt,
    californiaPricing: row.californiaPricing,
    createdAt: row.createdAt,
  };
}

/** The station's sessions, newest first. */
export async function listStationSessions(db: Db, actor: SessionUser, stationId: string, limit = 10) {
  await getStation(db, actor, stationId);
  return db
    .select()
    .from(transactions)
    .where(eq(transactions.stationId, stationId))
    .orderBy(desc(sql`coalesce(${transactions.startedAt}, ${transactions.createdAt})`))
    .limit(limit);
}

/** Power and energy samples of one session, oldest first, for the charts. */
export async function listSessionSamples(
  db: Db,
  actor: SessionUser,
  stationId: string,
  transactionId: string,
) {
  await getStation(db, actor, stationId);
  // Only a session of this station: the station check above covers the user's scope.
  const [session] = await db
    .select({ id: transactions.id })
    .from(transactions)
    .where(and(eq(transactions.id, transactionId), eq(transactions.stationId, stationId)));
  return session ? chartSamples(db, session.id) : [];
}

/** The station's recent status reports, newest first. */
export async function listStatusHistory(db: Db, actor: SessionUser, stationId: string, limit = 20) {
  await getStation(db, actor, stationId);
  return db
    .select()
    .from(connectorStatusHistory)
    .where(eq(connectorStatusHistory.stationId, stationId))
    .orderBy(desc(connectorStatusHistory.id))
    .limit(limit);
}

/** The station's notifications (firmware, security, device events), newest first. */
export async function listStationEvents(db: Db, actor: SessionUser, stationId: string, limit = 20) {
  await getStation(db, actor, stationId);
  return db
    .select()
    .from(stationEvents)
    .where(eq(stationEvents.stationId, stationId))
    .orderBy(desc(stationEvents.id))
    .limit(limit);
}

/** One page of the raw OCPP message log, newest first; `before` is the id of the last row seen. */
export async function listMessageLog(
  db: Db,
  actor: SessionUser,
  stationId: string,
  options: { before?: number; limit?: number } = {},
) {
  await getStation(db, actor, stationId);
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const rows = await db
    .select()
    .from(ocppMessages)
    .where(
      and(
        eq(ocppMessages.stationId, stationId),
        options.before === undefined ? undefined : lt(ocppMessages.id, options.before),
      ),
    )
    .orderBy(desc(ocppMessages.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { messages: page, nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
