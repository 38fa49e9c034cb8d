import {
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { workOrders } from './maintenance';
import { organisations } from './organisations';
import { users } from './users';

/**
 * Spare parts: a catalogue, the places stock is kept (warehouses and technicians' vans), how much of
 * each part each place holds, and every movement of stock with its reason.
 */

/** A part that can be fitted to a charger. */
export const parts = pgTable(
  'parts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Charger models the part fits ("ABB Terra 184", "Wallbox Commander 2"); empty = any. */
    compatibleModels: jsonb('compatible_models').$type<string[]>().notNull().default([]),
    /** Cost of one unit in minor units of `currency` (NEVI annual maintenance cost report). */
    unitCostMinor: integer('unit_cost_minor'),
    currency: text('currency').notNull().default('USD'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // One part per SKU in an organisation; serves lookups by SKU and the catalogue by SKU.
  (t) => [uniqueIndex('parts_organisation_sku_idx').on(t.organisationId, t.sku)],
);

export const stockLocationKinds = ['warehouse', 'van'] as const;
export type StockLocationKind = (typeof stockLocationKinds)[number];
export const stockLocationKind = pgEnum('stock_location_kind', stockLocationKinds);

/** A place stock is kept: a warehouse, or a technician's van. */
export const stockLocations = pgTable(
  'stock_locations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: stockLocationKind('kind').notNull(),
    name: text('name').notNull(),
    /** The technician whose van this is. */
    technicianId: uuid('technician_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Serves the locations list of an organisation by name.
    index('stock_locations_organisation_idx').on(t.organisationId, t.name),
    // One van per technician; serves "my van".
    uniqueIndex('stock_locations_technician_idx').on(t.technicianId),
  ],
);

/** How many of a part a location holds, and the level below which it is restocked. */
export const stockLevels = pgTable(
  'stock_levels',
  {
    locationId: uuid('location_id')
      .notNull()
      .references(() => stockLocations.id, { onDelete: 'cascade' }),
    partId: uuid('part_id')
      .notNull()
      .references(() => parts.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull().default(0),
    minimum: integer('minimum').notNull().default(0),
  },
  // The primary key serves a location's stock; the index serves "where is this part".
  (t) => [primaryKey({ columns: [t.locationId, t.partId] }), index('stock_levels_part_idx').on(t.partId)],
);

export const stockMovementKinds = ['received', 'transferred', 'used', 'adjusted'] as const;
export type StockMovementKind = (typeof stockMovementKinds)[number];
export const stockMovementKind = pgEnum('stock_movement_kind', stockMovementKinds);

/**
 * One change of stock: received into a location, transferred between two, used on a work order
 * (taken out of a van), or adjusted after a count. Quantities are positive; the locations say the
 * direction.
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    partId: uuid('part_id')
      .notNull()
      .references(() => parts.id, { onDelete: 'cascade' }),
    kind: stockMovementKind('kind').notNull(),
    fromLocationId: uuid('from_location_id').references(() => stockLocations.id, { onDelete: 'set null' }),
    toLocationId: uuid('to_location_id').references(() => stockLocations.id, { onDelete: 'set null' }),
    /** Units moved; for an adjustment, the signed change. */
    quantity: integer('quantity').notNull(),
    workOrderId: uuid('work_order_id').references(() => workOrders.id, { onDelete: 'set null' }),
    note: text('note'),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves the movements history of an organisation and of a part, newest first.
  (t) => [
    index('stock_movements_organisation_idx').on(t.organisationId, t.at),
    index('stock_movements_part_idx').on(t.partId, t.at),
  ],
);

/**
 * A part a technician records on a work order, from the stock of their van. Stock goes down when
 * the order is resolved (consumedAt), not when it is picked, so a mistake costs nothing to undo.
 */
export const workOrderParts = pgTable(
  'work_order_parts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    partId: uuid('part_id')
      .notNull()
      .references(() => parts.id, { onDelete: 'restrict' }),
    locationId: uuid('location_id')
      .notNull()
      .references(() => stockLocations.id, { onDelete: 'restrict' }),
    quantity: integer('quantity').notNull(),
    recordedById: uuid('recorded_by_id').references(() => users.id, { onDelete: 'set null' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  // Serves the parts of a work order.
  (t) => [index('work_order_parts_order_idx').on(t.workOrderId)],
);

export type Part = typeof parts.$inferSelect;
export type StockLocation = typeof stockLocations.$inferSelect;
export type StockLevel = typeof stockLevels.$inferSelect;
export type StockMovement = typeof stockMovements.$inferSelect;
export type WorkOrderPart = typeof workOrderParts.$inferSelect;
