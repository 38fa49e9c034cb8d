import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { TimeWindow } from '@/lib/domain/access/authorization';
import { organisations } from './organisations';
import { sites } from './sites';
import { chargingStations } from './stations';
import { transactions } from './transactions';

/** A person who charges: an employee, a fleet driver, a visitor with a card. */
export const drivers = pgTable(
  'drivers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    company: text('company'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves the drivers list of an organisation, by name.
  (t) => [index('drivers_organisation_name_idx').on(t.organisationId, t.name)],
);

export const idTokenKinds = ['rfid', 'app', 'key_fob'] as const;
export type IdTokenKind = (typeof idTokenKinds)[number];
export const idTokenKind = pgEnum('id_token_kind', idTokenKinds);

export const idTokenStatuses = ['active', 'blocked', 'expired'] as const;
export type IdTokenStatus = (typeof idTokenStatuses)[number];
export const idTokenStatus = pgEnum('id_token_status', idTokenStatuses);

/** Something a driver identifies with at a charger: an RFID card UID, an app token, a key fob. */
export const idTokens = pgTable(
  'id_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** At most one driver; null while the card is in a drawer. */
    driverId: uuid('driver_id').references(() => drivers.id, { onDelete: 'set null' }),
    /** As chargers send it (1.6 idTag, 2.0.1 idToken.idToken); matched case-insensitively. */
    idToken: text('id_token').notNull(),
    kind: idTokenKind('kind').notNull().default('rfid'),
    /** 2.0.1 IdTokenEnumType (ISO14443, ISO15693, KeyCode, Central, eMAID, Local, MacAddress ...). */
    ocppType: text('ocpp_type').notNull().default('ISO14443'),
    status: idTokenStatus('status').notNull().default('active'),
    blockedReason: text('blocked_reason'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** 1.6 parentIdTag: chargers treat tokens with the same parent as one group (e.g. stop each other's sessions). */
    parentIdTag: text('parent_id_tag'),
    label: text('label'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One token per value in an organisation; serves every authorisation lookup by value.
    uniqueIndex('id_tokens_organisation_value_idx').on(t.organisationId, sql`upper(${t.idToken})`),
    // Serves a driver's tokens.
    index('id_tokens_driver_idx').on(t.driverId),
  ],
);

/** A named set of drivers ("Fleet A", "Employees", "Visitors") that access rules refer to. */
export const driverGroups = pgTable(
  'driver_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    /** Load management: 1 (low) .. 5 (high); a session takes its driver's highest. Weight of its share and order of pausing. */
    loadPriority: integer('load_priority').notNull().default(3),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Names are unique in an organisation; also serves the groups list.
  (t) => [unique('driver_groups_organisation_name_unique').on(t.organisationId, t.name)],
);

/** Membership: a driver can be in several groups. */
export const driverGroupMembers = pgTable(
  'driver_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => driverGroups.id, { onDelete: 'cascade' }),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => drivers.id, { onDelete: 'cascade' }),
  },
  (t) => [
    // The key serves a group's members.
    primaryKey({ name: 'driver_group_members_pk', columns: [t.groupId, t.driverId] }),
    // Serves a driver's groups (every authorisation).
    index('driver_group_members_driver_idx').on(t.driverId),
  ],
);

export const accessModes = ['public', 'restricted'] as const;
export type AccessMode = (typeof accessModes)[number];
export const accessMode = pgEnum('access_mode', accessModes);

/** Who may charge at a site or at one station (a station's policy wins over its site's). */
export const accessPolicies = pgTable(
  'access_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id').references(() => chargingStations.id, { onDelete: 'cascade' }),
    mode: accessMode('mode').notNull().default('public'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('access_policies_one_target', sql`(${t.siteId} is null) <> (${t.stationId} is null)`),
    // One policy per site and per station; these serve the lookups at authorisation.
    uniqueIndex('access_policies_site_idx').on(t.siteId),
    uniqueIndex('access_policies_station_idx').on(t.stationId),
  ],
);

/** A group allowed by a restricted policy, optionally only in weekly time windows and with a power cap. */
export const accessGrants = pgTable(
  'access_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => accessPolicies.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => driverGroups.id, { onDelete: 'cascade' }),
    /** In the site's time zone; empty = at any time. */
    windows: jsonb('windows').$type<TimeWindow[]>().notNull().default([]),
    /** Per-group power cap for load management, in W; null = none. */
    maxPowerW: integer('max_power_w'),
  },
  // One grant per group and policy; also serves the grants of a policy.
  (t) => [unique('access_grants_policy_group_unique').on(t.policyId, t.groupId)],
);

/** Every authorisation decision: token, station, when, what was decided and why. */
export const authorizationAttempts = pgTable(
  'authorization_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** The token as presented. */
    idToken: text('id_token').notNull(),
    tokenId: uuid('token_id').references(() => idTokens.id, { onDelete: 'set null' }),
    driverId: uuid('driver_id').references(() => drivers.id, { onDelete: 'set null' }),
    /** Where the question came from: Authorize, StartTransaction, TransactionEvent, RemoteStart. */
    source: text('source').notNull(),
    /** Accepted, Blocked, Expired, Invalid, NotAtThisLocation, NotAtThisTime. */
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    groupId: uuid('group_id').references(() => driverGroups.id, { onDelete: 'set null' }),
    transactionId: uuid('transaction_id').references(() => transactions.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Serves the authorisation log of an organisation, newest first.
    index('authorization_attempts_organisation_at_idx').on(t.organisationId, t.at),
    // Serves the attempts at one station.
    index('authorization_attempts_station_at_idx').on(t.stationId, t.at),
    // Serves "why was this token refused?": the attempts of one token.
    index('authorization_attempts_token_idx').on(t.organisationId, t.idToken, t.at),
    // Serves a session's own attempts (its start, its stop, a remote start that led to it).
    index('authorization_attempts_transaction_idx')
      .on(t.transactionId)
      .where(sql`${t.transactionId} is not null`),
  ],
);

export type Driver = typeof drivers.$inferSelect;
export type IdToken = typeof idTokens.$inferSelect;
export type DriverGroup = typeof driverGroups.$inferSelect;
export type AccessPolicyRow = typeof accessPolicies.$inferSelect;
export type AccessGrant = typeof accessGrants.$inferSelect;
export type AuthorizationAttempt = typeof authorizationAttempts.$inferSelect;
