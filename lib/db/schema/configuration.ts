import {
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { sites } from './sites';
import { chargingStations } from './stations';

/**
 * A station's configuration as it last reported it: 1.6 configuration keys (component '' and the
 * key as variable) and 2.0.1 device-model variables (GetVariables results and NotifyReport). Empty
 * strings and 0 stand for "none" so the whole address can be the primary key.
 */
export const stationVariables = pgTable(
  'station_variables',
  {
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    component: text('component').notNull().default(''),
    componentInstance: text('component_instance').notNull().default(''),
    evseId: integer('evse_id').notNull().default(0),
    connectorId: integer('connector_id').notNull().default(0),
    variable: text('variable').notNull(),
    variableInstance: text('variable_instance').notNull().default(''),
    /** 2.0.1 attribute type (Actual, Target, MinSet, MaxSet); 'Actual' for 1.6 keys. */
    attributeType: text('attribute_type').notNull().default('Actual'),
    value: text('value'),
    /** 1.6 readonly flag, or 2.0.1 mutability ReadOnly. */
    readonly: boolean('readonly').notNull().default(false),
    /** 2.0.1 mutability (ReadOnly, WriteOnly, ReadWrite). */
    mutability: text('mutability'),
    dataType: text('data_type'),
    unit: text('unit'),
    valuesList: text('values_list'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The primary key serves the configuration of a station and the upsert of one variable.
  (t) => [
    primaryKey({
      name: 'station_variables_pk',
      columns: [
        t.stationId,
        t.component,
        t.componentInstance,
        t.evseId,
        t.connectorId,
        t.variable,
        t.variableInstance,
        t.attributeType,
      ],
    }),
  ],
);

export type StationVariable = typeof stationVariables.$inferSelect;
export type NewStationVariable = typeof stationVariables.$inferInsert;

/**
 * Configuration ChargeOps applies to stations after they boot: per organisation (siteId null) and
 * overridden per site. Keys are 1.6 configuration keys or 2.0.1 variable keys (Component.Variable).
 */
export const configurationDefaults = pgTable(
  'configuration_defaults',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    /** '1.6' or '2.0.1'. */
    ocppVersion: text('ocpp_version').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One value per key and level; null site (the organisation's default) counts as one value.
    // Also serves the lookup of an organisation's defaults.
    unique('configuration_defaults_key_unique')
      .on(t.organisationId, t.ocppVersion, t.key, t.siteId)
      .nullsNotDistinct(),
    // Serves the defaults of a site (and their removal with it).
    index('configuration_defaults_site_idx').on(t.siteId),
  ],
);

export type ConfigurationDefault = typeof configurationDefaults.$inferSelect;
