import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisations } from './organisations';
import { chargingStations } from './stations';
import { users } from './users';

/** The tariff a session is priced with, chosen at its start. */
export interface PinnedPricing {
  tariffId: string;
  tariffVersionId: string;
  tariffName: string;
  /** Why this tariff ("Employees at site Chicago Loop"). */
  reason: string;
  groupId: string | null;
  driverId: string | null;
}

/** A charging session as the charger reports it (1.6 Start/StopTransaction, 2.0.1 TransactionEvent). */
export const transactions = pgTable(
  'transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Small integer id: the transactionId ChargeOps gives OCPP 1.6 chargers (int32). */
    localId: serial('local_id').notNull().unique(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** The charger's transaction id (2.0.1 transactionId; for 1.6 the localId as text). */
    chargerTransactionId: text('charger_transaction_id').notNull(),
    ocppVersion: text('ocpp_version').notNull(),
    evseId: integer('evse_id').notNull(),
    connectorId: integer('connector_id'),
    idToken: text('id_token'),
    idTokenType: text('id_token_type'),
    /** 'active' until the charger ends it, then 'completed'. */
    status: text('status').notNull().default('active'),
    /** Charger timestamps (may be far in the past for messages queued while offline). */
    startedAt: timestamp('started_at', { withTimezone: true }),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    startReceivedAt: timestamp('start_received_at', { withTimezone: true }),
    stopReceivedAt: timestamp('stop_received_at', { withTimezone: true }),
    /** Energy register at start and stop, in Wh. */
    meterStartWh: bigint('meter_start_wh', { mode: 'number' }),
    meterStopWh: bigint('meter_stop_wh', { mode: 'number' }),
    /** Delivered energy in Wh once known (stop minus start). */
    energyWh: bigint('energy_wh', { mode: 'number' }),
    stopReason: text('stop_reason'),
    /** 2.0.1: the highest seqNo seen. */
    lastSeqNo: integer('last_seq_no'),
    /** Some message of this transaction was sent while the charger was offline. */
    offline: boolean('offline').notNull().default(false),
    /**
     * The tariff fixed when the session started (NEVI 680.116(a): the price at the start holds for
     * the whole session), or null when no tariff applied. Set once the token is known.
     */
    pricing: jsonb('pricing').$type<PinnedPricing | null>(),
    /** Anomalies kept for review, e.g. a stop for a transaction ChargeOps never saw start. */
    flags: jsonb('flags').$type<string[]>().notNull().default([]),
    /** When someone looked into the flags, who, and what they concluded; null while it awaits review. */
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    reviewNote: text('review_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Serves lookups of a charger's transaction id (every TransactionEvent, Stop and MeterValues)
    // and makes a resent start idempotent.
    unique('transactions_station_charger_tx_unique').on(t.stationId, t.chargerTransactionId),
    // Serves the sessions list of an organisation, newest first.
    index('transactions_organisation_started_idx').on(t.organisationId, t.startedAt),
    // Serves "the current session of this EVSE".
    index('transactions_station_status_idx').on(t.stationId, t.status),
    // Serves "sessions awaiting review", a handful among many.
    index('transactions_awaiting_review_idx')
      .on(t.organisationId, t.localId)
      .where(sql`${t.flags} <> '[]'::jsonb and ${t.reviewedAt} is null`),
  ],
);

/** 2.0.1 TransactionEvent messages, one per seqNo: resends are recognised by the unique key. */
export const transactionEvents = pgTable(
  'transaction_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'cascade' }),
    seqNo: integer('seq_no').notNull(),
    eventType: text('event_type').notNull(),
    triggerReason: text('trigger_reason').notNull(),
    chargerTime: timestamp('charger_time', { withTimezone: true }).notNull(),
    /** transactionInfo.chargingState when the event carried it (Charging, SuspendedEV, ...): the idle periods for pricing. */
    chargingState: text('charging_state'),
    offline: boolean('offline').notNull().default(false),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The unique constraint recognises resends and serves the events of a transaction in order.
  (t) => [unique('transaction_events_tx_seq_unique').on(t.transactionId, t.seqNo)],
);

/** Every sampled value a charger sends, one row per measurand/phase/location sample. */
export const meterValues = pgTable(
  'meter_values',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    transactionId: uuid('transaction_id').references(() => transactions.id, { onDelete: 'set null' }),
    evseId: integer('evse_id').notNull(),
    /** The charger's timestamp of the sample. */
    sampledAt: timestamp('sampled_at', { withTimezone: true }).notNull(),
    /** OCPP measurand, default Energy.Active.Import.Register. */
    measurand: text('measurand').notNull(),
    phase: text('phase').notNull().default(''),
    location: text('location').notNull().default(''),
    context: text('context').notNull().default(''),
    /** Value as sent, in `unit` (after the 2.0.1 multiplier). */
    value: doublePrecision('value').notNull(),
    unit: text('unit').notNull().default(''),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Makes a resent sample idempotent; empty strings (not NULL) keep the key comparable.
    unique('meter_values_sample_unique').on(
      t.stationId,
      t.evseId,
      t.sampledAt,
      t.measurand,
      t.phase,
      t.location,
      t.context,
    ),
    // Serves the power and energy charts of a session.
    index('meter_values_transaction_idx').on(t.transactionId, t.sampledAt),
  ],
);

/** Notifications a charger sends that are kept as they came (firmware, diagnostics, logs, security, events, reports). */
export const stationEvents = pgTable(
  'station_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** The OCPP action, e.g. FirmwareStatusNotification, SecurityEventNotification, NotifyEvent. */
    kind: text('kind').notNull(),
    /** A short summary for lists: the status, event type or component/variable. */
    summary: text('summary').notNull(),
    payload: jsonb('payload').notNull(),
    chargerTime: timestamp('charger_time', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves the event list of a station, newest first.
  (t) => [index('station_events_station_idx').on(t.stationId, t.receivedAt)],
);

export type Transaction = typeof transactions.$inferSelect;
export type MeterValue = typeof meterValues.$inferSelect;
export type StationEvent = typeof stationEvents.$inferSelect;
