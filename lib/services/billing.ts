import { and, asc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db';
import { executeRows } from '@/lib/db/rows';
import {
  billingAccounts,
  chargeDetailRecords,
  chargingStations,
  drivers,
  connectorStatusHistory,
  driverGroupMembers,
  idTokens,
  ledgerEntries,
  meterValues,
  sites,
  tariffVersions,
  transactionEvents,
  transactions,
  type ChargeDetailRecord,
  type PinnedPricing,
  type Transaction,
} from '@/lib/db/schema';
import { energyRegister } from '@/lib/domain/metering/samples';
import {
  priceSession,
  type ChargingState,
  type CostBreakdown,
  type SessionUsage,
} from '@/lib/domain/pricing/engine';
import { chargingStateOf } from '@/lib/domain/pricing/states';
import type { TariffVersion } from '@/lib/domain/pricing/tariff';
import { documentNumber, priceText } from '@/lib/domain/pricing/display';
import type { Principal } from '@/lib/domain/access/roles';
import { notFound } from '@/lib/errors';
import { publish } from '@/lib/realtime/bus';
import { isUuid } from '@/lib/validation/ids';
import { assertCan } from './authorize';
import { resolveTariffAt, toTariffVersion } from './tariffs';
import type { StationLink } from './charger-link';

/**
 * Pricing of sessions: the tariff fixed at the start, the running cost while charging, and the
 * charge detail record (CDR) written in the same database transaction as the session's end, so a
 * stop is acknowledged only once its bill exists (ARCHITECTURE rule 3).
 */

/** The driver and groups behind a token value in an organisation (case-insensitive, as chargers vary). */
async function driverOfToken(
  db: DbOrTx,
  organisationId: string,
  idToken: string | null,
): Promise<{ driverId: string | null; groupIds: string[] }> {
  if (!idToken) return { driverId: null, groupIds: [] };
  const [token] = await db
    .select({ driverId: idTokens.driverId })
    .from(idTokens)
    .where(
      and(eq(idTokens.organisationId, organisationId), sql`upper(${idTokens.idToken}) = upper(${idToken})`),
    );
  if (!token?.driverId) return { driverId: null, groupIds: [] };
  const groups = await db
    .select({ groupId: driverGroupMembers.groupId })
    .from(driverGroupMembers)
    .where(eq(driverGroupMembers.driverId, token.driverId));
  return { driverId: token.driverId, groupIds: groups.map((g) => g.groupId) };
}

/** The tariff for a session starting now at this EVSE with this token (null: none applies). */
export async function choosePricing(
  db: DbOrTx,
  link: StationLink,
  input: { evseId: number | null; idToken: string | null; startedAt: Date },
): Promise<PinnedPricing | null> {
  const { driverId, groupIds } = await driverOfToken(db, link.organisationId, input.idToken);
  const resolved = await resolveTariffAt(
    db,
    link.organisationId,
    { siteId: link.siteId, stationId: link.stationId, evseId: input.evseId, groupIds },
    input.startedAt,
  );
  if (!resolved) return null;
  return {
    tariffId: resolved.version.tariffId,
    tariffVersionId: resolved.version.id,
    tariffName: resolved.version.tariffName,
    reason: resolved.choice.reason,
    groupId: resolved.choice.assignment.groupId,
    driverId,
  };
}

/**
 * Whether a 2.0.1 event should choose the session's tariff: its first event, or the one that first
 * names the driver's token (a session started on plug-in and authorised later gets the driver's
 * group price). Any other event keeps what was chosen, or that nothing applies, without asking again.
 */
export function needsPricing(
  row: Pick<Transaction, 'lastSeqNo' | 'idToken'>,
  idTokenNow: string | null,
): boolean {
  return row.lastSeqNo === null || (row.idToken === null && idTokenNow !== null);
}

async function timeZoneOf(db: DbOrTx, siteId: string | null): Promise<string> {
  if (!siteId) return 'UTC';
  const [site] = await db.select({ timezone: sites.timezone }).from(sites).where(eq(sites.id, siteId));
  return site?.timezone ?? 'UTC';
}

/** What the session did, from its stored samples and state reports, up to `endedAt`. */
async function usageOf(db: DbOrTx, transaction: Transaction, endedAt: Date): Promise<SessionUsage> {
  const startedAt = transaction.startedAt ?? endedAt;
  const readings = await db
    .select({ at: meterValues.sampledAt, wh: meterValues.value })
    .from(meterValues)
    .where(
      and(
        eq(meterValues.transactionId, transaction.id),
        eq(meterValues.measurand, energyRegister),
        eq(meterValues.phase, ''),
        inArray(meterValues.location, ['', 'Outlet']),
        inArray(meterValues.unit, ['Wh', '']),
      ),
    )
    .orderBy(asc(meterValues.sampledAt));
  let states: SessionUsage['states'];
  if (transaction.ocppVersion === '1.6') {
    // 1.6: the connector's status reports (connector N is EVSE N), the last one before the start included.
    const at = sql`coalesce(${connectorStatusHistory.chargerTime}, ${connectorStatusHistory.receivedAt})`;
    const rows = await executeRows<{ at: Date | string; status: string }>(
      db,
      sql`(select ${at} as at, ${connectorStatusHistory.status} as status from ${connectorStatusHistory}
            where ${connectorStatusHistory.stationId} = ${transaction.stationId}
              and ${connectorStatusHistory.connectorId} = ${transaction.evseId}
              and ${at} <= ${startedAt.toISOString()}::timestamptz
            order by ${at} desc limit 1)
          union all
          (select ${at}, ${connectorStatusHistory.status} from ${connectorStatusHistory}
            where ${connectorStatusHistory.stationId} = ${transaction.stationId}
              and ${connectorStatusHistory.connectorId} = ${transaction.evseId}
              and ${at} > ${startedAt.toISOString()}::timestamptz
              and ${at} <= ${endedAt.toISOString()}::timestamptz)`,
    );
    states = rows
      .map((r) => ({ at: new Date(r.at), state: chargingStateOf(r.status) }))
      .map((s) => (s.at < startedAt ? { ...s, at: startedAt } : s))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
  } else {
    const rows = await db
      .select({ at: transactionEvents.chargerTime, state: transactionEvents.chargingState })
      .from(transactionEvents)
      .where(
        and(eq(transactionEvents.transactionId, transaction.id), isNotNull(transactionEvents.chargingState)),
      )
      .orderBy(asc(transactionEvents.chargerTime), asc(transactionEvents.seqNo));
    states = rows.map((r) => ({ at: r.at, state: chargingStateOf(r.state ?? '') }));
  }
  return {
    startedAt,
    endedAt,
    meterStartWh: transaction.meterStartWh,
    meterStopWh: transaction.status === 'completed' ? transaction.meterStopWh : null,
    readings: readings.map((r) => ({ at: r.at, wh: r.wh })),
    states,
  };
}

async function versionOf(db: DbOrTx, pricing: PinnedPricing) {
  const [row] = await db.select().from(tariffVersions).where(eq(tariffVersions.id, pricing.tariffVersionId));
  return row ? toTariffVersion(row, pricing.tariffName) : null;
}

/** A session priced with its pinned tariff: the version, the site's zone and the cost up to now (or its end). */
export interface PricedSession {
  version: TariffVersion;
  timeZone: string;
  cost: CostBreakdown;
  /** The state the session is in at its end (or now): charging, idle or paused. */
  state: ChargingState;
}

/** Prices a session with the tariff fixed at its start, up to its end (or now while it runs); null without a tariff. */
export async function priceTransaction(
  db: DbOrTx,
  transaction: Transaction,
  siteId: string | null,
  now: Date,
): Promise<PricedSession | null> {
  if (!transaction.pricing) return null;
  const version = await versionOf(db, transaction.pricing);
  if (!version) return null;
  const end = transaction.status === 'completed' ? (transaction.stoppedAt ?? now) : now;
  const timeZone = await timeZoneOf(db, siteId);
  const usage = await usageOf(db, transaction, end);
  return {
    version,
    timeZone,
    cost: priceSession(version, usage, timeZone),
    state: usage.states.at(-1)?.state ?? 'charging',
  };
}

/** The cost so far of a session in progress (or the final cost of an ended one), or null without a tariff. */
export async function costOf(
  db: DbOrTx,
  transaction: Transaction,
  siteId: string | null,
  now: Date,
): Promise<CostBreakdown | null> {
  return (await priceTransaction(db, transaction, siteId, now))?.cost ?? null;
}

/** The next number of a document kind for an organisation, without gaps (the row stays locked until commit). */
export async function nextDocumentNumber(tx: DbOrTx, organisationId: string, kind: string): Promise<number> {
  const [row] = await executeRows<{ last: number }>(
    tx,
    sql`insert into document_counters (organisation_id, kind, last) values (${organisationId}, ${kind}, 1)
        on conflict (organisation_id, kind) do update set last = document_counters.last + 1
        returning last`,
  );
  if (!row) throw new Error('no document number');
  return Number(row.last);
}

/**
 * Writes the CDR of a session that just ended, inside the caller's transaction, with the driver's
 * ledger entry; returns null when the session has one already (a resent stop). A session without a
 * tariff gets a CDR too (total 0, "No tariff applies"), so every session ends with a record.
 */
export async function recordChargeDetailRecord(
  tx: DbOrTx,
  link: StationLink,
  transaction: Transaction,
  now: Date,
): Promise<ChargeDetailRecord | null> {
  const [existing] = await tx
    .select({ id: chargeDetailRecords.id })
    .from(chargeDetailRecords)
    .where(eq(chargeDetailRecords.transactionId, transaction.id));
  if (existing) return null;
  const endedAt = transaction.stoppedAt ?? now;
  const startedAt = transaction.startedAt ?? endedAt;
  let pricing = transaction.pricing;
  if (!pricing) {
    pricing = await choosePricing(tx, link, {
      evseId: transaction.evseId,
      idToken: transaction.idToken,
      startedAt,
    });
    if (pricing) await tx.update(transactions).set({ pricing }).where(eq(transactions.id, transaction.id));
  }
  const priced = await priceTransaction(tx, { ...transaction, pricing }, link.siteId, now);
  const version = priced?.version ?? null;
  const cost = priced?.cost ?? null;
  const driver = pricing?.driverId
    ? { driverId: pricing.driverId }
    : await driverOfToken(tx, link.organisationId, transaction.idToken);
  const total = cost?.total ?? 0;
  const [account] = driver.driverId
    ? await tx.select().from(billingAccounts).where(eq(billingAccounts.driverId, driver.driverId))
    : [];
  const method = driver.driverId ? (account?.method ?? 'account') : null;
  const number = await nextDocumentNumber(tx, link.organisationId, 'cdr');
  const [cdr] = await tx
    .insert(chargeDetailRecords)
    .values({
      organisationId: link.organisationId,
      number,
      transactionId: transaction.id,
      stationId: link.stationId,
      siteId: link.siteId,
      evseId: transaction.evseId,
      driverId: driver.driverId,
      groupId: pricing?.groupId ?? null,
      idToken: transaction.idToken,
      tariffId: pricing?.tariffId ?? null,
      tariffVersionId: pricing?.tariffVersionId ?? null,
      tariffName: pricing?.tariffName ?? 'No tariff',
      tariffReason: pricing?.reason ?? 'No tariff applies at this station',
      currency: cost?.currency ?? version?.currency ?? 'USD',
      startedAt,
      endedAt,
      energyWh: cost?.energyWh ?? transaction.energyWh ?? 0,
      chargingSeconds: cost?.chargingSeconds ?? Math.round((endedAt.getTime() - startedAt.getTime()) / 1000),
      idleSeconds: cost?.idleSeconds ?? 0,
      lines: cost?.lines ?? [],
      net: cost?.net ?? 0,
      tax: cost?.tax ?? 0,
      total,
      taxRateBp: cost?.taxRateBp ?? 0,
      pricesIncludeTax: cost?.pricesIncludeTax ?? false,
      paymentStatus: total === 0 ? 'free' : 'unpaid',
      paymentMethod: method,
      paymentError: total > 0 && !driver.driverId ? 'The token belongs to no driver: nobody to bill' : null,
      createdAt: now,
    })
    .returning();
  if (!cdr) throw new Error('insert returned no row');
  if (total > 0 && driver.driverId) {
    await tx.insert(ledgerEntries).values({
      organisationId: link.organisationId,
      driverId: driver.driverId,
      kind: 'session',
      amount: total,
      currency: cdr.currency,
      cdrId: cdr.id,
      description: `Charging at ${link.identity} EVSE ${transaction.evseId}`,
      reference: documentNumber('CDR', cdr.number),
      createdAt: now,
    });
  }
  return cdr;
}

/** Unsettled CDRs of a driver that a balance may cover, oldest first (card charges still pending excluded). */
export async function settleFromBalance(tx: DbOrTx, driverId: string, now: Date): Promise<string[]> {
  // One balance per currency: a dollar paid never settles a euro record.
  const balances = await tx
    .select({
      currency: ledgerEntries.currency,
      balance: sql<string>`coalesce(sum(${ledgerEntries.amount}), 0)`,
    })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.driverId, driverId))
    .groupBy(ledgerEntries.currency);
  const open = await tx
    .select({
      id: chargeDetailRecords.id,
      total: chargeDetailRecords.total,
      currency: chargeDetailRecords.currency,
      status: chargeDetailRecords.paymentStatus,
      method: chargeDetailRecords.paymentMethod,
      credited: sql<string>`coalesce((select sum(amount) from credit_notes where cdr_id = ${chargeDetailRecords.id}), 0)`,
    })
    .from(chargeDetailRecords)
    .where(
      and(
        eq(chargeDetailRecords.driverId, driverId),
        inArray(chargeDetailRecords.paymentStatus, ['unpaid', 'failed']),
        lte(chargeDetailRecords.createdAt, now),
      ),
    )
    .orderBy(asc(chargeDetailRecords.endedAt), asc(chargeDetailRecords.number));
  const owed = (c: (typeof open)[number]) => Math.max(0, c.total - Number(c.credited));
  const paid: string[] = [];
  for (const currency of new Set(open.map((c) => c.currency))) {
    const inCurrency = open.filter((c) => c.currency === currency);
    const pendingCard = inCurrency.filter((c) => c.method === 'card' && c.status === 'unpaid');
    const candidates = inCurrency.filter((c) => !(c.method === 'card' && c.status === 'unpaid'));
    const ledger = Number(balances.find((b) => b.currency === currency)?.balance ?? 0);
    const balance = ledger - pendingCard.reduce((sum, c) => sum + owed(c), 0);
    let covered = candidates.reduce((sum, c) => sum + owed(c), 0) - Math.max(0, balance);
    for (const c of candidates) {
      if (owed(c) > covered) break;
      covered -= owed(c);
      paid.push(c.id);
    }
  }
  if (paid.length > 0)
    await tx
      .update(chargeDetailRecords)
      .set({ paymentStatus: 'paid', paidAt: now, paymentError: null })
      .where(inArray(chargeDetailRecords.id, paid));
  return paid;
}

/** The price a driver would pay at this EVSE now, in words, or null when no tariff applies. */
export async function priceTextFor(
  db: DbOrTx,
  link: StationLink,
  input: { evseId: number | null; idToken: string | null },
  now: Date,
): Promise<string | null> {
  const pricing = await choosePricing(db, link, { ...input, startedAt: now });
  if (!pricing) return null;
  const version = await versionOf(db, pricing);
  if (!version) return null;
  return priceText(version, await timeZoneOf(db, link.siteId), now);
}

/** What a session costs, as its page shows it: the CDR once written, else the running cost. */
export type SessionCost =
  | { kind: 'final'; cdr: ChargeDetailRecord }
  | { kind: 'running'; cost: CostBreakdown; tariffName: string; reason: string; priceText: string }
  | { kind: 'none' };

/** The cost of a session the caller may already see (scope checked by the session's own query). */
export async function sessionCost(
  db: DbOrTx,
  actor: Principal,
  transactionId: string,
  now: Date,
): Promise<SessionCost> {
  assertCan(actor, 'billing:view');
  const [cdr] = await db
    .select()
    .from(chargeDetailRecords)
    .where(eq(chargeDetailRecords.transactionId, transactionId));
  if (cdr) return { kind: 'final', cdr };
  const [transaction] = await db.select().from(transactions).where(eq(transactions.id, transactionId));
  if (!transaction?.pricing || transaction.organisationId !== actor.organisationId) return { kind: 'none' };
  const [station] = await db
    .select({ siteId: chargingStations.siteId })
    .from(chargingStations)
    .where(eq(chargingStations.id, transaction.stationId));
  const priced = await priceTransaction(db, transaction, station?.siteId ?? null, now);
  if (!priced) return { kind: 'none' };
  return {
    kind: 'running',
    cost: priced.cost,
    tariffName: transaction.pricing.tariffName,
    reason: transaction.pricing.reason,
    priceText: priceText(priced.version, priced.timeZone, transaction.startedAt ?? now),
  };
}

/** Tells live views a CDR was written, paid, failed to be paid, invoiced or credited. */
export function publishCdr(
  cdr: Pick<
    ChargeDetailRecord,
    'id' | 'organisationId' | 'siteId' | 'stationId' | 'transactionId' | 'paymentStatus'
  >,
) {
  publish({
    type: 'cdr:updated',
    organisationId: cdr.organisationId,
    siteId: cdr.siteId,
    stationId: cdr.stationId,
    cdrId: cdr.id,
    transactionId: cdr.transactionId,
    paymentStatus: cdr.paymentStatus,
  });
}

/** A driver of the caller's organisation with how they pay (method and currency null without an account). */
export async function driverWithAccount(db: DbOrTx, actor: Principal, driverId: string) {
  if (!isUuid(driverId)) throw notFound('Driver');
  const [driver] = await db
    .select({
      id: drivers.id,
      name: drivers.name,
      email: drivers.email,
      company: drivers.company,
      method: billingAccounts.method,
      currency: billingAccounts.currency,
      cardLabel: billingAccounts.cardLabel,
      customerRef: billingAccounts.providerCustomerRef,
      paymentMethodRef: billingAccounts.providerPaymentMethodRef,
    })
    .from(drivers)
    .leftJoin(billingAccounts, eq(billingAccounts.driverId, drivers.id))
    .where(and(eq(drivers.id, driverId), eq(drivers.organisationId, actor.organisationId)));
  if (!driver) throw notFound('Driver');
  return driver;
}
