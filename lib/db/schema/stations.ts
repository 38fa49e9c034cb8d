import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { sites } from './sites';

export const registrationStatuses = ['pending', 'accepted', 'rejected'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];
export const registrationStatus = pgEnum('registration_status', registrationStatuses);

/** A charging station (charge point): one OCPP connection, identified by the last path segment of its URL. */
export const chargingStations = pgTable(
  'charging_stations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Null while a newly seen station waits for an operator to place it. */
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'set null' }),
    /** The OCPP identity (chargeBoxIdentity / station id). */
    identity: text('identity').notNull(),
    vendor: text('vendor'),
    model: text('model'),
    serialNumber: text('serial_number'),
    firmwareVersion: text('firmware_version'),
    /** Negotiated subprotocol version ('1.6' or '2.0.1'); text so a new version needs no migration. */
    ocppVersion: text('ocpp_version'),
    /** argon2id hash of the security-profile-1/2 Basic auth password; null until one is set. */
    passwordHash: text('password_hash'),
    registrationStatus: registrationStatus('registration_status').notNull().default('pending'),
    /** Whether the station's WebSocket is open now (maintained by the OCPP endpoint). */
    online: boolean('online').notNull().default(false),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** Last BootNotification, as received. */
    lastBootAt: timestamp('last_boot_at', { withTimezone: true }),
    /** Last firmware update status the station reported (FirmwareStatusNotification), and when. */
    firmwareStatus: text('firmware_status'),
    firmwareStatusAt: timestamp('firmware_status_at', { withTimezone: true }),
    /**
     * OCPP 1.6 only: send prices and running costs as DataTransfer messages in the OCA California
     * pricing convention (vendorId org.openchargealliance.costmsg). Off unless the charger supports it.
     */
    californiaPricing: boolean('california_pricing').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Serves the OCPP handshake lookup by identity; identities are unique across the installation
    // because the URL carries no tenant.
    uniqueIndex('charging_stations_identity_idx').on(t.identity),
    // Serves the stations list of a site.
    index('charging_stations_site_idx').on(t.siteId),
    // Serves the stations list of an organisation.
    index('charging_stations_organisation_idx').on(t.organisationId),
  ],
);

/** An EVSE (2.0.1 term): one independently usable charging port. A 1.6 connector N maps to EVSE N. */
export const evses = pgTable(
  'evses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** The OCPP evseId, 1-based. */
    evseId: integer('evse_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The unique constraint serves lookups of an EVSE by station and OCPP id.
  (t) => [unique('evses_station_evse_unique').on(t.stationId, t.evseId)],
);

/** A physical plug on an EVSE. */
export const connectors = pgTable(
  'connectors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    evseId: uuid('evse_id')
      .notNull()
      .references(() => evses.id, { onDelete: 'cascade' }),
    /** The OCPP connectorId within its EVSE, 1-based. */
    connectorId: integer('connector_id').notNull(),
    /** E.g. cType2, cCCS1, cCCS2, cCHAdeMO, cNACS (2.0.1 ConnectorEnumType values); text, validated in code. */
    connectorType: text('connector_type'),
    maxPowerW: integer('max_power_w'),
    /** Last reported OCPP status (Available, Occupied, Charging, Faulted, Unavailable ...); Unknown until reported. */
    status: text('status').notNull().default('Unknown'),
    errorCode: text('error_code'),
    /** Vendor-specific error code and free text from the last status report, if any. */
    vendorErrorCode: text('vendor_error_code'),
    statusInfo: text('status_info'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The unique constraint serves lookups of a connector by EVSE and OCPP id.
  (t) => [unique('connectors_evse_connector_unique').on(t.evseId, t.connectorId)],
);

export type ChargingStation = typeof chargingStations.$inferSelect;
export type NewChargingStation = typeof chargingStations.$inferInsert;
export type Evse = typeof evses.$inferSelect;
export type NewEvse = typeof evses.$inferInsert;
export type Connector = typeof connectors.$inferSelect;
export type NewConnector = typeof connectors.$inferInsert;

/** Every status report of a connector (or of the whole station, connectorId 0 in 1.6), as sent. */
export const connectorStatusHistory = pgTable(
  'connector_status_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** 0 when the report concerns the whole station (1.6 connectorId 0). */
    evseId: integer('evse_id').notNull(),
    connectorId: integer('connector_id').notNull(),
    status: text('status').notNull(),
    errorCode: text('error_code'),
    vendorErrorCode: text('vendor_error_code'),
    info: text('info'),
    /** The charger's own timestamp (may lag when it reports queued messages after being offline). */
    chargerTime: timestamp('charger_time', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves the status history of a station, newest first.
  (t) => [index('connector_status_history_station_idx').on(t.stationId, t.receivedAt)],
);

/** Raw OCPP-J frames per station, both directions, kept for OCPP_MESSAGE_LOG_DAYS. */
export const ocppMessages = pgTable(
  'ocpp_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** 'in' (charger to us) or 'out'. */
    direction: text('direction').notNull(),
    /** 2 CALL, 3 CALLRESULT, 4 CALLERROR; null when the frame could not be parsed. */
    messageType: integer('message_type'),
    messageId: text('message_id'),
    /** The action of a CALL, or of the CALL a result answers when known. */
    action: text('action'),
    /** The parsed frame, or { raw } with the text of an unparseable one. */
    payload: jsonb('payload').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves the message log of a station, newest first, and the retention purge by time.
  (t) => [
    index('ocpp_messages_station_at_idx').on(t.stationId, t.at),
    index('ocpp_messages_at_idx').on(t.at),
  ],
);

export type ConnectorStatusChange = typeof connectorStatusHistory.$inferSelect;
export type OcppMessage = typeof ocppMessages.$inferSelect;
