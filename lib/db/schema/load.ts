import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { PerPhase, ScheduledLimit } from '@/lib/domain/load/types';
import type { AllocationSnapshot } from '@/lib/domain/load/snapshot';
import { organisations } from './organisations';
import { sites } from './sites';
import { chargingStations, evses } from './stations';
import { transactions } from './transactions';
import { users } from './users';

/** Kinds of node in a site's electrical tree; the root is the site's grid connection. */
export const loadNodeKinds = ['site', 'feeder', 'panel', 'circuit'] as const;
export type LoadNodeKind = (typeof loadNodeKinds)[number];

/** Where a site's building (non-EV) consumption comes from. */
export const nonEvSources = ['none', 'api', 'meter'] as const;
export type NonEvSource = (typeof nonEvSources)[number];

/**
 * A node of a site's electrical tree: the grid connection (kind 'site', no parent, one per site)
 * and the feeders, panels and circuits under it, each with its own limit. A site with a root node
 * is load-managed while the root is enabled.
 */
export const loadNodes = pgTable(
  'load_nodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => loadNodes.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<LoadNodeKind>().notNull(),
    name: text('name').notNull(),
    /** Line-to-neutral volts: converts kW limits to amperes. */
    voltage: doublePrecision('voltage').notNull().default(230),
    phases: integer('phases').notNull().default(3),
    /** 'A' (per phase) or 'W' (all phases); null with limitValue = no limit of its own. */
    limitUnit: text('limit_unit').$type<'A' | 'W'>(),
    limitValue: doublePrecision('limit_value'),
    schedule: jsonb('schedule').$type<ScheduledLimit[]>().notNull().default([]),
    safetyMarginPercent: doublePrecision('safety_margin_percent').notNull().default(0),
    /** Root only: load management steers the site's chargers while on. */
    enabled: boolean('enabled').notNull().default(true),
    /** Root only: the building's own consumption, and what to assume when its reading is stale. */
    nonEvSource: text('non_ev_source').$type<NonEvSource>().notNull().default('none'),
    nonEvStationId: uuid('non_ev_station_id').references(() => chargingStations.id, { onDelete: 'set null' }),
    nonEvAmps: jsonb('non_ev_amps').$type<PerPhase>(),
    nonEvWatts: doublePrecision('non_ev_watts'),
    nonEvAt: timestamp('non_ev_at', { withTimezone: true }),
    nonEvStaleSeconds: integer('non_ev_stale_seconds').notNull().default(300),
    fallbackUnit: text('fallback_unit').$type<'A' | 'W'>(),
    fallbackValue: doublePrecision('fallback_value'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('load_nodes_limit_pair', sql`(${t.limitUnit} is null) = (${t.limitValue} is null)`),
    check('load_nodes_root_is_site', sql`(${t.parentId} is null) = (${t.kind} = 'site')`),
    // Serves the tree of a site (every allocation run and the Load page).
    index('load_nodes_site_idx').on(t.siteId),
    // One grid connection per site.
    uniqueIndex('load_nodes_site_root_idx')
      .on(t.siteId)
      .where(sql`${t.parentId} is null`),
  ],
);

/** Where a station hangs in its site's tree (null = straight under the grid connection) and its pinned maximum. */
export const stationLoadSettings = pgTable('station_load_settings', {
  stationId: uuid('station_id')
    .primaryKey()
    .references(() => chargingStations.id, { onDelete: 'cascade' }),
  nodeId: uuid('node_id').references(() => loadNodes.id, { onDelete: 'set null' }),
  /** An operator's cap on the whole station, amperes per phase (ChargingStationMaxProfile). */
  pinnedMaxA: doublePrecision('pinned_max_a'),
  pinnedByUserId: uuid('pinned_by_user_id').references(() => users.id, { onDelete: 'set null' }),
  pinnedAt: timestamp('pinned_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** What an EVSE may draw and how it is wired; defaults (6 A, rated power, three-phase L1-L3) until set. */
export const evseLoadSettings = pgTable(
  'evse_load_settings',
  {
    evseId: uuid('evse_id')
      .primaryKey()
      .references(() => evses.id, { onDelete: 'cascade' }),
    minCurrentA: doublePrecision('min_current_a').notNull().default(6),
    /** Null = the rated power of its connectors. */
    maxCurrentA: doublePrecision('max_current_a'),
    phases: integer('phases').notNull().default(3),
    /** For a single-phase EVSE: the line it is wired to, 0..2 (L1..L3). */
    line: integer('line').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'evse_load_settings_min_max',
      sql`${t.maxCurrentA} is null or ${t.maxCurrentA} >= ${t.minCurrentA}`,
    ),
  ],
);

/** An operator's decision about one running session: paused, or capped below its share. */
export const sessionLoadOverrides = pgTable('session_load_overrides', {
  transactionId: uuid('transaction_id')
    .primaryKey()
    .references(() => transactions.id, { onDelete: 'cascade' }),
  paused: boolean('paused').notNull().default(false),
  capA: doublePrecision('cap_a'),
  setByUserId: uuid('set_by_user_id').references(() => users.id, { onDelete: 'set null' }),
  setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
});

export const setpointStates = ['sending', 'confirmed', 'failed'] as const;
export type SetpointState = (typeof setpointStates)[number];

/**
 * The charging limits ChargeOps keeps on each station, one per EVSE and purpose: what was last sent,
 * whether the station confirmed it, and the retry state when it did not.
 */
export const loadSetpoints = pgTable(
  'load_setpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** 0 for the station maximum. */
    evseId: integer('evse_id').notNull(),
    /** ChargingStationMaxProfile, TxDefaultProfile or TxProfile. */
    purpose: text('purpose').notNull(),
    transactionId: uuid('transaction_id').references(() => transactions.id, { onDelete: 'cascade' }),
    limitA: doublePrecision('limit_a').notNull(),
    state: text('state').$type<SetpointState>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** When a failed one is due again. */
    retryAt: timestamp('retry_at', { withTimezone: true }),
  },
  (t) => [
    // One limit per EVSE and purpose; serves a station's setpoints.
    unique('load_setpoints_station_evse_purpose_unique').on(t.stationId, t.evseId, t.purpose),
    // Serves the retry sweep.
    index('load_setpoints_retry_idx').on(t.retryAt),
  ],
);

/** The last allocation of a site, as the Load page shows it. */
export const loadAllocations = pgTable('load_allocations', {
  siteId: uuid('site_id')
    .primaryKey()
    .references(() => sites.id, { onDelete: 'cascade' }),
  at: timestamp('at', { withTimezone: true }).notNull(),
  snapshot: jsonb('snapshot').$type<AllocationSnapshot>().notNull(),
});

/** Limit, allocated and measured load per node over time (the Load page chart), thinned to one row a node per interval. */
export const loadSamples = pgTable(
  'load_samples',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => loadNodes.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Highest phase, amperes; null where the node has no limit in A. */
    limitA: doublePrecision('limit_a'),
    allocatedA: doublePrecision('allocated_a').notNull(),
    measuredA: doublePrecision('measured_a'),
    limitW: doublePrecision('limit_w'),
    allocatedW: doublePrecision('allocated_w').notNull(),
    measuredW: doublePrecision('measured_w'),
  },
  (t) => [
    // Serves a site's chart over the last hours.
    index('load_samples_site_at_idx').on(t.siteId, t.at),
    // Serves the retention purge.
    index('load_samples_at_idx').on(t.at),
  ],
);

/** A time a node's measured load went above its limit, with how far. */
export const loadOverruns = pgTable(
  'load_overruns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => loadNodes.id, { onDelete: 'cascade' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** Null while it lasts. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** The limit it went over: amperes per phase or watts, as the node is configured. */
    unit: text('unit').$type<'A' | 'W'>().notNull(),
    limit: doublePrecision('limit').notNull(),
    peakMeasured: doublePrecision('peak_measured').notNull(),
  },
  // Serves the warnings of a site, newest first, and the open overrun of a node.
  (t) => [index('load_overruns_site_started_idx').on(t.siteId, t.startedAt)],
);

export type LoadNode = typeof loadNodes.$inferSelect;
export type NewLoadNode = typeof loadNodes.$inferInsert;
export type StationLoadSetting = typeof stationLoadSettings.$inferSelect;
export type EvseLoadSetting = typeof evseLoadSettings.$inferSelect;
export type SessionLoadOverride = typeof sessionLoadOverrides.$inferSelect;
export type LoadSetpoint = typeof loadSetpoints.$inferSelect;
export type LoadSample = typeof loadSamples.$inferSelect;
export type LoadOverrun = typeof loadOverruns.$inferSelect;
