import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
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
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { CostLine } from '@/lib/domain/pricing/engine';
import type { TimeBand } from '@/lib/domain/pricing/tariff';
import { driverGroups, drivers } from './drivers';
import { organisations } from './organisations';
import { sites } from './sites';
import { chargingStations } from './stations';
import { transactions } from './transactions';
import { users } from './users';

/** The seller printed on an invoice or credit note, kept as it was when the document was issued. */
export interface DocumentSeller {
  name: string;
  address: string | null;
  taxId: string | null;
}

/** A named price list ("Standard", "Employees", "DC fast"); its prices live in versions. */
export const tariffs = pgTable(
  'tariffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Names are unique in an organisation; also serves the tariffs list by name.
  (t) => [unique('tariffs_organisation_name_unique').on(t.organisationId, t.name)],
);

/**
 * The prices of a tariff from a date on. Never updated: an edit is a new version, so a session is
 * priced with the version in force when it started. Rates are ten-thousandths of the major unit
 * (per kWh, per minute); fixed amounts are minor units.
 */
export const tariffVersions = pgTable(
  'tariff_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tariffId: uuid('tariff_id')
      .notNull()
      .references(() => tariffs.id, { onDelete: 'cascade' }),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    currency: text('currency').notNull(),
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    pricesIncludeTax: boolean('prices_include_tax').notNull().default(false),
    energyPerKwh: integer('energy_per_kwh'),
    timePerMinute: integer('time_per_minute'),
    idlePerMinute: integer('idle_per_minute'),
    idleGraceMinutes: integer('idle_grace_minutes').notNull().default(0),
    sessionFee: integer('session_fee').notNull().default(0),
    minPrice: integer('min_price'),
    maxPrice: integer('max_price'),
    bands: jsonb('bands').$type<TimeBand[]>().notNull().default([]),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // One version per start time; serves "the versions of a tariff" in order.
  (t) => [unique('tariff_versions_tariff_valid_from_unique').on(t.tariffId, t.validFrom)],
);

/**
 * Where a tariff applies: the organisation (all null), a site, a station, an EVSE of a station, each
 * optionally for one driver group. The most specific matching assignment wins
 * (lib/domain/pricing/assignment.ts).
 */
export const tariffAssignments = pgTable(
  'tariff_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    tariffId: uuid('tariff_id')
      .notNull()
      .references(() => tariffs.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id').references(() => chargingStations.id, { onDelete: 'cascade' }),
    evseId: integer('evse_id'),
    groupId: uuid('group_id').references(() => driverGroups.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One tariff per place and group; also serves loading an organisation's assignments.
    uniqueIndex('tariff_assignments_scope_idx').on(
      t.organisationId,
      sql`coalesce(${t.siteId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`coalesce(${t.stationId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`coalesce(${t.evseId}, 0)`,
      sql`coalesce(${t.groupId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
    ),
  ],
);

export const paymentMethods = ['account', 'prepaid', 'card'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
export const paymentMethod = pgEnum('payment_method', paymentMethods);

/** How a driver pays: on account (invoiced), from a prepaid balance, or by a saved card. */
export const billingAccounts = pgTable('billing_accounts', {
  driverId: uuid('driver_id')
    .primaryKey()
    .references(() => drivers.id, { onDelete: 'cascade' }),
  method: paymentMethod('method').notNull().default('account'),
  currency: text('currency').notNull(),
  /** Card provider references (Stripe customer and payment method ids) and a label for people. */
  providerCustomerRef: text('provider_customer_ref'),
  providerPaymentMethodRef: text('provider_payment_method_ref'),
  cardLabel: text('card_label'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const cdrPaymentStatuses = ['unpaid', 'paid', 'failed', 'free'] as const;
export type CdrPaymentStatus = (typeof cdrPaymentStatuses)[number];
export const cdrPaymentStatus = pgEnum('cdr_payment_status', cdrPaymentStatuses);

/**
 * A charge detail record: the priced result of one session, made when it ends. The priced columns
 * never change (a trigger refuses it, migration 0009); corrections are credit notes. Only the
 * payment columns and the invoice link move.
 */
export const chargeDetailRecords = pgTable(
  'charge_detail_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Sequential per organisation (document_counters 'cdr'). */
    number: integer('number').notNull(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'restrict' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'restrict' }),
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'set null' }),
    evseId: integer('evse_id').notNull(),
    driverId: uuid('driver_id').references(() => drivers.id, { onDelete: 'set null' }),
    /** The group whose tariff applied, if any. */
    groupId: uuid('group_id').references(() => driverGroups.id, { onDelete: 'set null' }),
    idToken: text('id_token'),
    tariffId: uuid('tariff_id').references(() => tariffs.id, { onDelete: 'set null' }),
    tariffVersionId: uuid('tariff_version_id').references(() => tariffVersions.id, { onDelete: 'restrict' }),
    tariffName: text('tariff_name').notNull(),
    tariffReason: text('tariff_reason').notNull(),
    currency: text('currency').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    energyWh: bigint('energy_wh', { mode: 'number' }).notNull(),
    chargingSeconds: integer('charging_seconds').notNull(),
    idleSeconds: integer('idle_seconds').notNull(),
    lines: jsonb('lines').$type<CostLine[]>().notNull(),
    net: bigint('net', { mode: 'number' }).notNull(),
    tax: bigint('tax', { mode: 'number' }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    taxRateBp: integer('tax_rate_bp').notNull(),
    pricesIncludeTax: boolean('prices_include_tax').notNull(),
    paymentStatus: cdrPaymentStatus('payment_status').notNull().default('unpaid'),
    paymentMethod: paymentMethod('payment_method'),
    paymentReference: text('payment_reference'),
    paymentError: text('payment_error'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    invoiceId: uuid('invoice_id').references((): AnyPgColumn => invoices.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One CDR per session: a resent stop cannot bill twice.
    unique('cdrs_transaction_unique').on(t.transactionId),
    unique('cdrs_organisation_number_unique').on(t.organisationId, t.number),
    // Serves the CDR list and the revenue charts of an organisation by time.
    index('cdrs_organisation_ended_idx').on(t.organisationId, t.endedAt),
    // Serves a driver's statement.
    index('cdrs_driver_ended_idx').on(t.driverId, t.endedAt),
    // Serves the payment sweep: card and prepaid records not settled yet, a handful among many
    // (account records stay unpaid until the driver pays, and are not swept).
    index('cdrs_unsettled_idx')
      .on(t.createdAt)
      .where(sql`${t.paymentStatus} = 'unpaid' and ${t.paymentMethod} in ('card', 'prepaid')`),
  ],
);

/** A correction of a CDR: money given back, with the reason. The CDR itself never changes. */
export const creditNotes = pgTable(
  'credit_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    cdrId: uuid('cdr_id')
      .notNull()
      .references(() => chargeDetailRecords.id, { onDelete: 'restrict' }),
    /** Positive: the amount credited, in the CDR's currency (gross). */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason').notNull(),
    /** The seller as printed when the note was issued. */
    seller: jsonb('seller').$type<DocumentSeller>().notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('credit_notes_organisation_number_unique').on(t.organisationId, t.number),
    // Serves the credit notes of a CDR.
    index('credit_notes_cdr_idx').on(t.cdrId),
  ],
);

/** An invoice to a driver for their CDRs of a period; numbered without gaps per organisation. */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    /**
     * The number and seller as printed when the invoice was issued ("INV-000042"): a later change
     * of the prefix or the company's details does not rewrite issued invoices.
     */
    documentNumber: text('document_number').notNull(),
    seller: jsonb('seller').$type<DocumentSeller>().notNull(),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => drivers.id, { onDelete: 'restrict' }),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    net: bigint('net', { mode: 'number' }).notNull(),
    tax: bigint('tax', { mode: 'number' }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    issuedBy: uuid('issued_by').references(() => users.id, { onDelete: 'set null' }),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('invoices_organisation_number_unique').on(t.organisationId, t.number),
    // Serves a driver's invoices.
    index('invoices_driver_idx').on(t.driverId, t.issuedAt),
  ],
);

/** Gapless sequences per organisation and document kind (cdr, invoice, credit-note). */
export const documentCounters = pgTable(
  'document_counters',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    last: integer('last').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'document_counters_pk', columns: [t.organisationId, t.kind] })],
);

export const ledgerEntryKinds = ['session', 'payment', 'top-up', 'credit-note', 'adjustment'] as const;
export type LedgerEntryKind = (typeof ledgerEntryKinds)[number];
export const ledgerEntryKind = pgEnum('ledger_entry_kind', ledgerEntryKinds);

/**
 * A driver's account: every amount that changes what they owe. Positive = the driver owes more (a
 * session), negative = less (a payment, a prepaid top-up, a credit note). The balance is the sum.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    driverId: uuid('driver_id')
      .notNull()
      .references(() => drivers.id, { onDelete: 'cascade' }),
    kind: ledgerEntryKind('kind').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    cdrId: uuid('cdr_id').references(() => chargeDetailRecords.id, { onDelete: 'restrict' }),
    description: text('description').notNull(),
    reference: text('reference'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves a driver's statement and balance.
  (t) => [index('ledger_entries_driver_created_idx').on(t.driverId, t.createdAt)],
);

/** Every attempt to take a card payment, kept whether it worked or not. */
export const paymentAttempts = pgTable(
  'payment_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    cdrId: uuid('cdr_id')
      .notNull()
      .references(() => chargeDetailRecords.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    reference: text('reference'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Serves the attempts of a CDR.
    index('payment_attempts_cdr_idx').on(t.cdrId),
    // Serves the sweep's search for attempts cut off before their answer.
    index('payment_attempts_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/** Seller details printed on invoices, per organisation. */
export const billingSettings = pgTable('billing_settings', {
  organisationId: uuid('organisation_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  legalName: text('legal_name').notNull(),
  address: text('address'),
  taxId: text('tax_id'),
  invoicePrefix: text('invoice_prefix').notNull().default('INV'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Tariff = typeof tariffs.$inferSelect;
export type TariffVersionRow = typeof tariffVersions.$inferSelect;
export type TariffAssignmentRow = typeof tariffAssignments.$inferSelect;
export type ChargeDetailRecord = typeof chargeDetailRecords.$inferSelect;
export type CreditNote = typeof creditNotes.$inferSelect;
export type Invoice = typeof invoices.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type BillingAccount = typeof billingAccounts.$inferSelect;
