import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { chargingStations } from './stations';

/**
 * Where a station's local authorisation list stands: `in_sync` (it holds what the rules want),
 * `pending` (a change waits to be sent: the station is offline or the update is under way),
 * `failed` (the last update failed; retried with a growing delay) or `unsupported` (the station has
 * no local list).
 */
export const localListStates = ['in_sync', 'pending', 'failed', 'unsupported'] as const;
export type LocalListState = (typeof localListStates)[number];
export const localListState = pgEnum('local_list_state', localListStates);

/** One row per station: the sync state of its local authorisation list (1.6 and 2.0.1 SendLocalList). */
export const stationLocalLists = pgTable(
  'station_local_lists',
  {
    stationId: uuid('station_id')
      .primaryKey()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    state: localListState('state').notNull().default('pending'),
    /** The list version the station holds, as far as ChargeOps knows; null = not known. */
    chargerVersion: integer('charger_version'),
    /** The last version number ChargeOps sent (each update gets the next one). */
    lastSentVersion: integer('last_sent_version').notNull().default(0),
    /**
     * Bumped whenever something the list depends on changes (tokens, groups, rules, a boot);
     * the list is stale while it is above syncedRevision.
     */
    wantedRevision: integer('wanted_revision').notNull().default(1),
    syncedRevision: integer('synced_revision').notNull().default(0),
    /** A differential update cannot be trusted: the next update sends the whole list. */
    needsFull: boolean('needs_full').notNull().default(true),
    /** Ask the station for its version before the next update (after a boot or a lost answer). */
    verifyVersion: boolean('verify_version').notNull().default(true),
    /** Tokens that belong on the list but could not go on it, with the reason. */
    leftOut: jsonb('left_out').$type<{ idToken: string; reason: string }[]>().notNull().default([]),
    lastError: text('last_error'),
    /** Failed updates in a row, for the retry delay. */
    failures: integer('failures').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** When the list changes by itself (a time window edge, a token's expiry). */
    reviewAt: timestamp('review_at', { withTimezone: true }),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves marking an organisation's lists stale and the lists overview.
  (t) => [index('station_local_lists_organisation_idx').on(t.organisationId)],
);

/** The entries a station holds in its local list, as it confirmed them (its last accepted updates). */
export const stationLocalListEntries = pgTable(
  'station_local_list_entries',
  {
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** As sent; chargers compare case-insensitively. */
    idToken: text('id_token').notNull(),
    /** 2.0.1 IdTokenEnumType. */
    type: text('type').notNull(),
    /** Accepted, Blocked or Expired. */
    status: text('status').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    parentIdTag: text('parent_id_tag'),
  },
  // The key serves reading a station's list and replacing entries one by one.
  (t) => [primaryKey({ name: 'station_local_list_entries_pk', columns: [t.stationId, t.idToken] })],
);

export type StationLocalList = typeof stationLocalLists.$inferSelect;
export type StationLocalListEntry = typeof stationLocalListEntries.$inferSelect;
