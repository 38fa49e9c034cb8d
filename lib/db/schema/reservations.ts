import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { stationCommands } from './commands';
import { chargingStations } from './stations';
import { users } from './users';

/**
 * Lifecycle of a reservation: `requested` until the charger answers ReserveNow; then `active`,
 * or `rejected`; an active one ends `used` (a session started with it), `cancelled`, or `expired`.
 */
export const reservationStatuses = [
  'requested',
  'active',
  'rejected',
  'used',
  'cancelled',
  'expired',
] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

/** A connector (or the whole station, EVSE 0) held for one id token until a time. */
export const reservations = pgTable(
  'reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** The reservation id sent to the charger: the ReserveNow command's request id. */
    ocppReservationId: integer('ocpp_reservation_id').notNull().unique(),
    commandId: uuid('command_id').references(() => stationCommands.id, { onDelete: 'set null' }),
    /** 0 = any EVSE of the station (1.6 connectorId 0). */
    evseId: integer('evse_id').notNull(),
    idToken: text('id_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** One of reservationStatuses; text so the charger's vocabulary can grow without a migration. */
    status: text('status').$type<ReservationStatus>().notNull().default('requested'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  // Serves the current reservations of a station.
  (t) => [index('reservations_station_status_idx').on(t.stationId, t.status)],
);

export type Reservation = typeof reservations.$inferSelect;
