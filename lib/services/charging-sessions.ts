import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import {
  meterValues,
  stationEvents,
  transactionEvents,
  transactions,
  type Transaction,
} from '@/lib/db/schema';
import { energyRegisterWh, type MeterSample } from '@/lib/domain/metering/samples';
import { publish } from '@/lib/realtime/bus';
import { choosePricing, needsPricing, recordChargeDetailRecord } from './billing';
import type { StationLink } from './charger-link';
import { noteSessionEnded } from './incidents';
import { settleChargeDetailRecord } from './payments';
import type { ChargeDetailRecord } from '@/lib/db/schema';

/**
 * Version-neutral use cases for charging sessions and meter values. Every function here commits
 * before it returns, so an OCPP handler answers only after the record is safe (ARCHITECTURE rule 3),
 * and recognises resends after a reconnect, so they create no duplicates.
 */

/** Stores samples; a resent sample (same station, EVSE, time, measurand, phase, location, context) is skipped. */
async function insertSamples(
  tx: DbOrTx,
  link: StationLink,
  evseId: number,
  transactionId: string | null,
  samples: MeterSample[],
  now: Date,
): Promise<void> {
  const rows = samples.flatMap((sample) =>
    sample.values.map((v) => ({
      stationId: link.stationId,
      transactionId,
      evseId,
      sampledAt: sample.sampledAt,
      measurand: v.measurand,
      phase: v.phase,
      location: v.location,
      context: v.context,
      value: v.value,
      unit: v.unit,
      receivedAt: now,
    })),
  );
  if (rows.length === 0) return;
  await tx.insert(meterValues).values(rows).onConflictDoNothing();
}

function publishSession(link: StationLink, transaction: Pick<Transaction, 'id' | 'status' | 'evseId'>): void {
  publish({
    type: 'session:updated',
    organisationId: link.organisationId,
    siteId: link.siteId,
    stationId: link.stationId,
    transactionId: transaction.id,
    evseId: transaction.evseId,
    status: transaction.status,
  });
}

async function findByChargerId(
  tx: DbOrTx,
  stationId: string,
  chargerTransactionId: string,
): Promise<Transaction | undefined> {
  const [row] = await tx
    .select()
    .from(transactions)
    .where(
      and(eq(transactions.stationId, stationId), eq(transactions.chargerTransactionId, chargerTransactionId)),
    );
  return row;
}

export interface StartInput {
  evseId: number;
  connectorId: number | null;
  idToken: string;
  idTokenType: string | null;
  startedAt: Date;
  meterStartWh: number;
  ocppVersion: string;
}

/**
 * OCPP 1.6 StartTransaction: creates the session and returns the integer transactionId for the
 * charger. The same start resent (same EVSE, token, time and meter) returns the first id again.
 */
export async function startTransaction(
  db: Db,
  link: StationLink,
  input: StartInput,
  now: Date,
): Promise<Transaction> {
  const transaction = await db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(transactions)
      .where(
        and(
          eq(transactions.stationId, link.stationId),
          eq(transactions.evseId, input.evseId),
          eq(transactions.idToken, input.idToken),
          eq(transactions.startedAt, input.startedAt),
          eq(transactions.meterStartWh, input.meterStartWh),
        ),
      );
    if (existing) return existing;
    // The charger gets the integer id in the response, so take it from the sequence first.
    const [next] = await tx
      .select({ id: sql<number>`nextval(pg_get_serial_sequence('transactions', 'local_id'))::int` })
      .from(sql`(select 1) as one`);
    if (!next) throw new Error('no transaction id from the sequence');
    const localId = Number(next.id);
    const [created] = await tx
      .insert(transactions)
      .values({
        localId,
        organisationId: link.organisationId,
        stationId: link.stationId,
        chargerTransactionId: String(localId),
        ocppVersion: input.ocppVersion,
        evseId: input.evseId,
        connectorId: input.connectorId,
        idToken: input.idToken,
        idTokenType: input.idTokenType,
        startedAt: input.startedAt,
        startReceivedAt: now,
        meterStartWh: input.meterStartWh,
        pricing: await choosePricing(tx, link, {
          evseId: input.evseId,
          idToken: input.idToken,
          startedAt: input.startedAt,
        }),
      })
      .returning();
    if (!created) throw new Error('insert returned no row');
    return created;
  });
  publishSession(link, transaction);
  return transaction;
}

export interface StopInput {
  chargerTransactionId: string;
  idToken: string | null;
  stoppedAt: Date;
  meterStopWh: number;
  reason: string | null;
  samples: MeterSample[];
}

/**
 * OCPP 1.6 StopTransaction. A stop for a transaction ChargeOps never saw start is still recorded
 * (energy was delivered) and flagged; a resent stop changes nothing.
 */
export async function stopTransaction(
  db: Db,
  link: StationLink,
  input: StopInput,
  now: Date,
): Promise<Transaction> {
  let alreadyStopped = false;
  let cdr: ChargeDetailRecord | null = null;
  const transaction = await db.transaction(async (tx) => {
    let row = await findByChargerId(tx, link.stationId, input.chargerTransactionId);
    if (!row) {
      const [created] = await tx
        .insert(transactions)
        .values({
          organisationId: link.organisationId,
          stationId: link.stationId,
          chargerTransactionId: input.chargerTransactionId,
          ocppVersion: '1.6',
          evseId: 0,
          idToken: input.idToken,
          flags: ['stop-without-start'],
        })
        .returning();
      if (!created) throw new Error('insert returned no row');
      row = created;
    }
    if (row.status === 'completed') {
      alreadyStopped = true;
      return row;
    }
    await insertSamples(tx, link, row.evseId, row.id, input.samples, now);
    const [updated] = await tx
      .update(transactions)
      .set({
        status: 'completed',
        stoppedAt: input.stoppedAt,
        stopReceivedAt: now,
        meterStopWh: input.meterStopWh,
        energyWh: row.meterStartWh === null ? null : Math.max(0, input.meterStopWh - row.meterStartWh),
        stopReason: input.reason ?? 'Local',
        updatedAt: now,
      })
      .where(eq(transactions.id, row.id))
      .returning();
    // The bill is written with the stop: the charger's answer waits for both.
    cdr = await recordChargeDetailRecord(tx, link, updated ?? row, now);
    return updated ?? row;
  });
  publishSession(link, transaction);
  if (!alreadyStopped) await noteSessionEnded(db, link, transaction, now);
  if (cdr) void settleChargeDetailRecord(db, cdr, now);
  return transaction;
}

/** Meter values outside a start/stop (1.6 MeterValues, 2.0.1 MeterValues): linked to the transaction when known. */
export async function recordMeterValues(
  db: Db,
  link: StationLink,
  input: { evseId: number; chargerTransactionId: string | null; samples: MeterSample[] },
  now: Date,
): Promise<void> {
  // No BEGIN/COMMIT: a read, then one insert statement (atomic on its own).
  const transaction = input.chargerTransactionId
    ? await findByChargerId(db, link.stationId, input.chargerTransactionId)
    : undefined;
  await insertSamples(
    db,
    link,
    transaction?.evseId ?? input.evseId,
    transaction?.id ?? null,
    input.samples,
    now,
  );
  if (transaction) publishSession(link, transaction);
}

export interface TransactionEventInput {
  chargerTransactionId: string;
  eventType: 'Started' | 'Updated' | 'Ended';
  seqNo: number;
  timestamp: Date;
  triggerReason: string;
  offline: boolean;
  evseId: number | null;
  connectorId: number | null;
  idToken: string | null;
  idTokenType: string | null;
  stoppedReason: string | null;
  /** transactionInfo.chargingState, when sent (Charging, EVConnected, SuspendedEV, SuspendedEVSE, Idle). */
  chargingState: string | null;
  samples: MeterSample[];
}

/**
 * OCPP 2.0.1 TransactionEvent (E01-E07, E09-E11): one function for Started, Updated and Ended, as
 * events can arrive out of order after the charger was offline. A resent seqNo is recognised and
 * changes nothing. Returns whether the event was new.
 */
export async function applyTransactionEvent(
  db: Db,
  link: StationLink,
  input: TransactionEventInput,
  now: Date,
): Promise<{ transaction: Transaction; duplicate: boolean; cdr: ChargeDetailRecord | null }> {
  const result = await db.transaction(async (tx) => {
    await tx
      .insert(transactions)
      .values({
        organisationId: link.organisationId,
        stationId: link.stationId,
        chargerTransactionId: input.chargerTransactionId,
        ocppVersion: '2.0.1',
        evseId: input.evseId ?? 0,
        connectorId: input.connectorId,
        // An Updated or Ended seen before its Started (queued offline) starts the record anyway.
        flags: input.eventType === 'Started' ? [] : ['first-event-not-started'],
      })
      .onConflictDoNothing();
    const row = await findByChargerId(tx, link.stationId, input.chargerTransactionId);
    if (!row) throw new Error('transaction upsert found no row');
    const [event] = await tx
      .insert(transactionEvents)
      .values({
        transactionId: row.id,
        seqNo: input.seqNo,
        eventType: input.eventType,
        triggerReason: input.triggerReason,
        chargerTime: input.timestamp,
        chargingState: input.chargingState,
        offline: input.offline,
        receivedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: transactionEvents.id });
    if (!event) return { transaction: row, duplicate: true, cdr: null };

    const evseId = input.evseId ?? row.evseId;
    await insertSamples(tx, link, evseId, row.id, input.samples, now);
    const begin = energyRegisterWh(input.samples, 'first', 'Transaction.Begin');
    const end = energyRegisterWh(input.samples, 'last', 'Transaction.End');
    const changes: Partial<typeof transactions.$inferInsert> = {
      evseId,
      connectorId: input.connectorId ?? row.connectorId,
      idToken: input.idToken ?? row.idToken,
      idTokenType: input.idTokenType ?? row.idTokenType,
      lastSeqNo: Math.max(row.lastSeqNo ?? -1, input.seqNo),
      offline: row.offline || input.offline,
      updatedAt: now,
    };
    // The Started event's time is the start; until it arrives, the first event seen stands in.
    if (input.eventType === 'Started' || row.startedAt === null) {
      changes.startedAt = input.timestamp;
      changes.startReceivedAt = row.startReceivedAt ?? now;
    }
    if (row.meterStartWh === null && begin !== null) changes.meterStartWh = begin;
    if (row.meterStartWh === null && begin === null && input.eventType === 'Started') {
      changes.meterStartWh = energyRegisterWh(input.samples, 'first');
    }
    if (input.eventType === 'Ended') {
      const stop = end ?? energyRegisterWh(input.samples, 'last');
      const start = changes.meterStartWh ?? row.meterStartWh;
      changes.status = 'completed';
      changes.stoppedAt = input.timestamp;
      changes.stopReceivedAt = now;
      changes.stopReason = input.stoppedReason ?? 'Local';
      changes.meterStopWh = stop;
      changes.energyWh =
        stop !== null && start !== null && start !== undefined ? Math.max(0, stop - start) : null;
    }
    // The tariff is fixed at the start, or when the driver's token first becomes known (E02: a
    // session may start on plug-in and be authorised later).
    const idToken = changes.idToken ?? null;
    if (needsPricing(row, idToken)) {
      const pricing = await choosePricing(tx, link, {
        evseId,
        idToken,
        startedAt: changes.startedAt ?? row.startedAt ?? input.timestamp,
      });
      if (pricing) changes.pricing = pricing;
    }
    const [updated] = await tx
      .update(transactions)
      .set(changes)
      .where(eq(transactions.id, row.id))
      .returning();
    const cdr =
      input.eventType === 'Ended' && updated ? await recordChargeDetailRecord(tx, link, updated, now) : null;
    return { transaction: updated ?? row, duplicate: false, cdr };
  });
  if (!result.duplicate) publishSession(link, result.transaction);
  if (!result.duplicate && input.eventType === 'Ended')
    await noteSessionEnded(db, link, result.transaction, now);
  if (result.cdr) void settleChargeDetailRecord(db, result.cdr, now);
  return result;
}

/** Keeps a charger notification as it came (firmware, diagnostics, log upload, security event, ...). */
export async function recordStationEvent(
  db: Db,
  link: StationLink,
  input: { kind: string; summary: string; payload: unknown; chargerTime: Date | null },
  now: Date,
): Promise<void> {
  await db.insert(stationEvents).values({
    stationId: link.stationId,
    kind: input.kind,
    summary: input.summary.slice(0, 500),
    payload: input.payload as object,
    chargerTime: input.chargerTime,
    receivedAt: now,
  });
}
