import { doublePrecision, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

/** A place with chargers behind one grid connection. */
export const sites = pgTable(
  'sites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    /** IANA zone name (e.g. America/Chicago): opening hours, time-of-use prices and reports use it. */
    timezone: text('timezone').notNull(),
    /** Grid connection capacity in watts; null while unknown. Load management caps the site at it. */
    gridCapacityW: integer('grid_capacity_w'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves the sites list of an organisation, ordered by name.
  (t) => [index('sites_organisation_name_idx').on(t.organisationId, t.name)],
);

export type Site = typeof sites.$inferSelect;
export type NewSite = typeof sites.$inferInsert;
