import { and, asc, count, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import {
  billingSettings,
  cdrPaymentStatuses,
  chargeDetailRecords,
  chargingStations,
  creditNotes,
  driverGroups,
  drivers,
  invoices,
  paymentAttempts,
  sites,
  type CdrPaymentStatus,
  type ChargeDetailRecord,
  type CreditNote,
  type PaymentMethod,
} from '@/lib/db/schema';
import { canAccessStation, siteScope, type Principal } from '@/lib/domain/access/roles';
import { toMajorString } from '@/lib/domain/pricing/money';
import { documentNumber } from '@/lib/domain/pricing/display';
import { notFound } from '@/lib/errors';
import { optionalField, parseInput } from '@/lib/validation/fields';
import { isUuid } from '@/lib/validation/ids';
import { assertCan } from './authorize';
import type { SessionUser } from './users';

/**
 * Charge detail records as operators read them: the filtered list with its totals, one record with
 * everything that happened to it, and the CSV export. A manager sees the CDRs of their sites (the
 * site the session happened at, kept on the CDR even if the station moves later); admins see all.
 */

/**
 * The condition that limits a query on charge_detail_records to the caller's sites: nothing for
 * admins, no rows for someone without sites, and never a CDR without a site for a manager.
 */
export function cdrSiteScope(actor: Principal): SQL | undefined {
  const scope = siteScope(actor);
  if (scope === 'all') return undefined;
  if (scope.length === 0) return sql`false`;
  return inArray(chargeDetailRecords.siteId, [...scope]);
}

const id = optionalField(z.uuid('Not a valid id'));
const instant = optionalField(z.coerce.date('Enter a date and time'));

export const cdrFilters = z.object({
  /** CDRs that ended at or after `from` and before `to`. */
  from: instant,
  to: instant,
  siteId: id,
  stationId: id,
  groupId: id,
  driverId: id,
  tariffId: id,
  paymentStatus: optionalField(z.enum(cdrPaymentStatuses, 'Choose a payment status')),
  limit: optionalField(z.coerce.number().int('Enter a whole number').min(1, 'At least 1')).transform((v) =>
    Math.min(v ?? 100, 500),
  ),
  /** Cursor: the id of the last CDR of the previous page. */
  before: id,
});
export type CdrFilters = z.output<typeof cdrFilters>;

/** Filters as a form, a query string or a caller sends them; blank values mean "any". */
export interface CdrFilterInput {
  from?: Date | string | null;
  to?: Date | string | null;
  siteId?: string | null;
  stationId?: string | null;
  groupId?: string | null;
  driverId?: string | null;
  tariffId?: string | null;
  paymentStatus?: CdrPaymentStatus | string | null;
  limit?: number | string | null;
  before?: string | null;
}

function parseFilters(raw: CdrFilterInput): CdrFilters {
  return parseInput(cdrFilters, raw, 'Check the filters');
}

/** One row of the CDR list. */
export interface CdrRow {
  id: string;
  number: number;
  transactionId: string;
  stationId: string;
  stationIdentity: string;
  siteId: string | null;
  siteName: string | null;
  /** The site's zone, for showing times (null for a station without a site). */
  siteTimezone: string | null;
  evseId: number;
  driverId: string | null;
  driverName: string | null;
  idToken: string | null;
  groupId: string | null;
  groupName: string | null;
  tariffId: string | null;
  tariffName: string;
  tariffReason: string;
  startedAt: Date;
  endedAt: Date;
  energyWh: number;
  chargingSeconds: number;
  idleSeconds: number;
  net: number;
  tax: number;
  total: number;
  currency: string;
  paymentStatus: CdrPaymentStatus;
  paymentMethod: PaymentMethod | null;
  paymentReference: string | null;
  paymentError: string | null;
  /** Sum of the credit notes of the CDR, in its currency. */
  creditedAmount: number;
  invoiceId: string | null;
}

/** Totals over every CDR matching the filters (not just the page); money per currency. */
export interface CdrTotals {
  count: number;
  energyWh: number;
  byCurrency: {
    currency: string;
    count: number;
    net: number;
    tax: number;
    total: number;
    credited: number;
  }[];
}

const c = chargeDetailRecords;

/** Credit notes summed per CDR, to join onto CDR queries. */
function creditedPerCdr(db: DbOrTx) {
  return db
    .select({
      cdrId: creditNotes.cdrId,
      amount: sql<string>`sum(${creditNotes.amount})`.as('credited_amount'),
    })
    .from(creditNotes)
    .groupBy(creditNotes.cdrId)
    .as('credited');
}

function matching(actor: Principal, f: CdrFilters): SQL | undefined {
  return and(
    eq(c.organisationId, actor.organisationId),
    cdrSiteScope(actor),
    f.from ? gte(c.endedAt, f.from) : undefined,
    f.to ? lt(c.endedAt, f.to) : undefined,
    f.siteId ? eq(c.siteId, f.siteId) : undefined,
    f.stationId ? eq(c.stationId, f.stationId) : undefined,
    f.groupId ? eq(c.groupId, f.groupId) : undefined,
    f.driverId ? eq(c.driverId, f.driverId) : undefined,
    f.tariffId ? eq(c.tariffId, f.tariffId) : undefined,
    f.paymentStatus ? eq(c.paymentStatus, f.paymentStatus) : undefined,
  );
}

/** The (ended_at, number) of the cursor's CDR, for row comparisons: exact, whatever the timestamp's precision. */
function cursorOf(actor: Principal, before: string): SQL {
  return sql`(select p.ended_at, p.number from charge_detail_records p
               where p.id = ${before} and p.organisation_id = ${actor.organisationId})`;
}

/** One page of matching CDRs, newest end first (ties by number); `before` continues after that CDR. */
async function pageOf(
  db: Db,
  actor: Principal,
  f: CdrFilters,
  before: string | undefined,
  limit: number,
): Promise<CdrRow[]> {
  const credited = creditedPerCdr(db);
  const rows = await db
    .select({
      cdr: c,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
      siteTimezone: sites.timezone,
      driverName: drivers.name,
      groupName: driverGroups.name,
      credited: credited.amount,
    })
    .from(c)
    .innerJoin(chargingStations, eq(chargingStations.id, c.stationId))
    .leftJoin(sites, eq(sites.id, c.siteId))
    .leftJoin(drivers, eq(drivers.id, c.driverId))
    .leftJoin(driverGroups, eq(driverGroups.id, c.groupId))
    .leftJoin(credited, eq(credited.cdrId, c.id))
    .where(
      and(
        matching(actor, f),
        before ? sql`(${c.endedAt}, ${c.number}) < ${cursorOf(actor, before)}` : undefined,
      ),
    )
    .orderBy(desc(c.endedAt), desc(c.number))
    .limit(limit);
  return rows.map(({ cdr, ...r }) => ({
    id: cdr.id,
    number: cdr.number,
    transactionId: cdr.transactionId,
    stationId: cdr.stationId,
    stationIdentity: r.stationIdentity,
    siteId: cdr.siteId,
    siteName: r.siteName,
    siteTimezone: r.siteTimezone,
    evseId: cdr.evseId,
    driverId: cdr.driverId,
    driverName: r.driverName,
    idToken: cdr.idToken,
    groupId: cdr.groupId,
    groupName: r.groupName,
    tariffId: cdr.tariffId,
    tariffName: cdr.tariffName,
    tariffReason: cdr.tariffReason,
    startedAt: cdr.startedAt,
    endedAt: cdr.endedAt,
    energyWh: cdr.energyWh,
    chargingSeconds: cdr.chargingSeconds,
    idleSeconds: cdr.idleSeconds,
    net: cdr.net,
    tax: cdr.tax,
    total: cdr.total,
    currency: cdr.currency,
    paymentStatus: cdr.paymentStatus,
    paymentMethod: cdr.paymentMethod,
    paymentReference: cdr.paymentReference,
    paymentError: cdr.paymentError,
    creditedAmount: Number(r.credited ?? 0),
    invoiceId: cdr.invoiceId,
  }));
}

/**
 * The CDRs the caller may see that match the filters, newest first (`limit` a page, 100 by default,
 * at most 500), with totals over all of them, the cursor of the next page, and `newer`: how many
 * matching CDRs the pages before this one held (0 on the first), so a page can say "201–400 of 950".
 */
export async function listCdrs(
  db: Db,
  actor: SessionUser,
  filters: CdrFilterInput = {},
): Promise<{ rows: CdrRow[]; totals: CdrTotals; nextBefore: string | null; newer: number }> {
  assertCan(actor, 'billing:view');
  const f = parseFilters(filters);
  const credited = creditedPerCdr(db);
  const [rows, sums, newer] = await Promise.all([
    pageOf(db, actor, f, f.before, f.limit + 1),
    db
      .select({
        currency: c.currency,
        count: count(),
        energyWh: sql<string>`coalesce(sum(${c.energyWh}), 0)`,
        net: sql<string>`coalesce(sum(${c.net}), 0)`,
        tax: sql<string>`coalesce(sum(${c.tax}), 0)`,
        total: sql<string>`coalesce(sum(${c.total}), 0)`,
        credited: sql<string>`coalesce(sum(${credited.amount}), 0)`,
      })
      .from(c)
      .leftJoin(credited, eq(credited.cdrId, c.id))
      .where(matching(actor, f))
      .groupBy(c.currency)
      .orderBy(asc(c.currency)),
    // The cursor is the last CDR of the previous page, so it counts among the newer ones.
    f.before
      ? db
          .select({ n: count() })
          .from(c)
          .where(and(matching(actor, f), sql`(${c.endedAt}, ${c.number}) >= ${cursorOf(actor, f.before)}`))
          .then(([row]) => Number(row?.n ?? 0))
      : 0,
  ]);
  const page = rows.slice(0, f.limit);
  const byCurrency = sums.map((s) => ({
    currency: s.currency,
    count: Number(s.count),
    net: Number(s.net),
    tax: Number(s.tax),
    total: Number(s.total),
    credited: Number(s.credited),
  }));
  return {
    rows: page,
    totals: {
      count: byCurrency.reduce((n, s) => n + s.count, 0),
      energyWh: sums.reduce((n, s) => n + Number(s.energyWh), 0),
      byCurrency,
    },
    nextBefore: rows.length > f.limit ? (page.at(-1)?.id ?? null) : null,
    newer,
  };
}

/** A CDR with everything that happened to it. */
export interface CdrDetail {
  cdr: ChargeDetailRecord;
  /** The session it bills, for linking /sessions/[transactionId]. */
  transactionId: string;
  station: { id: string; identity: string };
  site: { id: string; name: string } | null;
  /** The site's zone (UTC without a site): times are shown in it. */
  timeZone: string;
  driver: { id: string; name: string; email: string | null; company: string | null } | null;
  group: { id: string; name: string } | null;
  invoice: { id: string; number: string } | null;
  creditNotes: (CreditNote & { documentNumber: string })[];
  creditedAmount: number;
  paymentAttempts: (typeof paymentAttempts.$inferSelect)[];
}

/** One CDR the caller may see (not found otherwise), with its lines, credit notes and payment attempts. */
export async function getCdr(db: Db, actor: SessionUser, id: string): Promise<CdrDetail> {
  assertCan(actor, 'billing:view');
  if (!isUuid(id)) throw notFound('Charge detail record');
  const [row] = await db
    .select({
      cdr: c,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
      siteTimezone: sites.timezone,
      driver: { id: drivers.id, name: drivers.name, email: drivers.email, company: drivers.company },
      groupName: driverGroups.name,
      invoiceNumber: invoices.number,
      invoicePrefix: billingSettings.invoicePrefix,
    })
    .from(c)
    .innerJoin(chargingStations, eq(chargingStations.id, c.stationId))
    .leftJoin(sites, eq(sites.id, c.siteId))
    .leftJoin(drivers, eq(drivers.id, c.driverId))
    .leftJoin(driverGroups, eq(driverGroups.id, c.groupId))
    .leftJoin(invoices, eq(invoices.id, c.invoiceId))
    .leftJoin(billingSettings, eq(billingSettings.organisationId, c.organisationId))
    .where(and(eq(c.id, id), eq(c.organisationId, actor.organisationId)));
  if (!row || !canAccessStation(actor, { siteId: row.cdr.siteId })) throw notFound('Charge detail record');
  const { cdr } = row;
  const [notes, attempts] = await Promise.all([
    db.select().from(creditNotes).where(eq(creditNotes.cdrId, cdr.id)).orderBy(asc(creditNotes.number)),
    db
      .select()
      .from(paymentAttempts)
      .where(eq(paymentAttempts.cdrId, cdr.id))
      .orderBy(asc(paymentAttempts.id)),
  ]);
  return {
    cdr,
    transactionId: cdr.transactionId,
    station: { id: cdr.stationId, identity: row.stationIdentity },
    site: cdr.siteId && row.siteName !== null ? { id: cdr.siteId, name: row.siteName } : null,
    timeZone: row.siteTimezone ?? 'UTC',
    driver: row.driver?.id ? row.driver : null,
    group: cdr.groupId && row.groupName !== null ? { id: cdr.groupId, name: row.groupName } : null,
    invoice:
      cdr.invoiceId && row.invoiceNumber !== null
        ? { id: cdr.invoiceId, number: documentNumber(row.invoicePrefix ?? 'INV', row.invoiceNumber) }
        : null,
    creditNotes: notes.map((n) => ({ ...n, documentNumber: documentNumber('CN', n.number) })),
    creditedAmount: notes.reduce((sum, n) => sum + n.amount, 0),
    paymentAttempts: attempts,
  };
}

export const cdrCsvHeader = [
  'CDR',
  'Station',
  'EVSE',
  'Site',
  'Driver',
  'Token',
  'Tariff',
  'Tariff reason',
  'Start (UTC)',
  'End (UTC)',
  'Energy (kWh)',
  'Charging (min)',
  'Idle (min)',
  'Net',
  'Tax',
  'Total',
  'Currency',
  'Payment status',
  'Payment reference',
  'Credited',
] as const;

/** Integer Wh as kWh with three decimals, exactly ("12.345"). */
function kwh(wh: number): string {
  const sign = wh < 0 ? '-' : '';
  const abs = Math.abs(wh);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

const minutes = (seconds: number) => (seconds / 60).toFixed(2);

// Exports page through the list so a long period never holds one huge result twice.
const CSV_PAGE = 1000;

/**
 * Every CDR matching the filters (`limit` and `before` are ignored) as CSV rows, header first, oldest
 * first: times ISO 8601 UTC, energy in kWh, amounts in major units with the currency's digits.
 */
export async function cdrsCsv(db: Db, actor: SessionUser, filters: CdrFilterInput = {}): Promise<string[][]> {
  assertCan(actor, 'billing:view');
  const f = parseFilters(filters);
  const all: CdrRow[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await pageOf(db, actor, f, before, CSV_PAGE);
    all.push(...page);
    if (page.length < CSV_PAGE) break;
    before = page.at(-1)!.id;
  }
  all.reverse();
  return [
    [...cdrCsvHeader],
    ...all.map((r) => [
      String(r.number),
      r.stationIdentity,
      String(r.evseId),
      r.siteName ?? '',
      r.driverName ?? '',
      r.idToken ?? '',
      r.tariffName,
      r.tariffReason,
      r.startedAt.toISOString(),
      r.endedAt.toISOString(),
      kwh(r.energyWh),
      minutes(r.chargingSeconds),
      minutes(r.idleSeconds),
      toMajorString(r.net, r.currency),
      toMajorString(r.tax, r.currency),
      toMajorString(r.total, r.currency),
      r.currency,
      r.paymentStatus,
      r.paymentReference ?? '',
      toMajorString(r.creditedAmount, r.currency),
    ]),
  ];
}
