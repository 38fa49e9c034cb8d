import { and, asc, eq, gt, inArray, lte } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import { chargingStations, reservations, type Reservation, type ReservationStatus } from '@/lib/db/schema';
import { publish } from '@/lib/realtime/bus';
import type { StationLink } from './charger-link';
import { getStation } from './stations';
import type { SessionUser } from './users';

/** Reservations (1.6 ReserveNow/CancelReservation, 2.0.1 H01-H04) as ChargeOps tracks them. */

/** Settles the reservation a ReserveNow command created, once the charger answered. */
export async function settleReservation(
  tx: DbOrTx,
  commandId: string,
  status: Extract<ReservationStatus, 'active' | 'rejected'>,
  now: Date,
): Promise<void> {
  await tx
    .update(reservations)
    .set({ status, endedAt: status === 'rejected' ? now : null })
    .where(and(eq(reservations.commandId, commandId), eq(reservations.status, 'requested')));
}

/** Reservations holding a connector now (active and not past their expiry), for the station page. */
export async function listCurrentReservations(
  db: Db,
  actor: SessionUser,
  stationId: string,
  now: Date,
): Promise<Reservation[]> {
  await getStation(db, actor, stationId);
  return db
    .select()
    .from(reservations)
    .where(
      and(
        eq(reservations.stationId, stationId),
        inArray(reservations.status, ['requested', 'active']),
        gt(reservations.expiresAt, now),
      ),
    )
    .orderBy(asc(reservations.expiresAt));
}

/** What a charger reports about one of its reservations: used by a session, expired, or removed. */
export async function endReservation(
  db: DbOrTx,
  link: StationLink,
  ocppReservationId: number,
  status: Extract<ReservationStatus, 'used' | 'expired' | 'cancelled'>,
  now: Date,
): Promise<void> {
  const ended = await db
    .update(reservations)
    .set({ status, endedAt: now })
    .where(
      and(
        eq(reservations.stationId, link.stationId),
        eq(reservations.ocppReservationId, ocppReservationId),
        inArray(reservations.status, ['requested', 'active']),
      ),
    )
    .returning({ id: reservations.id });
  if (ended.length > 0)
    publish({
      type: 'station:changed',
      organisationId: link.organisationId,
      siteId: link.siteId,
      stationId: link.stationId,
    });
}

/**
 * Ends reservations whose time has passed. OCPP 1.6 chargers drop them silently (§5.13) and a 2.0.1
 * ReservationStatusUpdate may never come from an offline station; the record should not say
 * "active" forever. Returns how many ended.
 */
export async function expireReservations(db: Db, now: Date): Promise<number> {
  const ended = await db
    .update(reservations)
    .set({ status: 'expired', endedAt: now })
    .where(and(inArray(reservations.status, ['requested', 'active']), lte(reservations.expiresAt, now)))
    .returning({ organisationId: reservations.organisationId, stationId: reservations.stationId });
  if (ended.length === 0) return 0;
  const stations = await db
    .select({
      id: chargingStations.id,
      siteId: chargingStations.siteId,
      organisationId: chargingStations.organisationId,
    })
    .from(chargingStations)
    .where(inArray(chargingStations.id, [...new Set(ended.map((r) => r.stationId))]));
  for (const s of stations)
    publish({ type: 'station:changed', organisationId: s.organisationId, siteId: s.siteId, stationId: s.id });
  return ended.length;
}
