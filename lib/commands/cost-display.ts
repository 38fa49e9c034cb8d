import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  chargeDetailRecords,
  chargingStations,
  meterValues,
  transactions,
  type Transaction,
} from '@/lib/db/schema';
import { energyRegister } from '@/lib/domain/metering/samples';
import { californiaPrices, toDecimal } from '@/lib/domain/pricing/display';
import { formatMoney } from '@/lib/domain/pricing/money';
import { getLogger } from '@/lib/logger';
import { subscribe } from '@/lib/realtime/bus';
import { priceTextFor, priceTransaction } from '@/lib/services/billing';
import type { StationLink } from '@/lib/services/charger-link';
import { inTurn } from './follow-ups';
import type { CommandDeps } from './send';
import type { Command } from './types';

/**
 * Prices and running costs on the charger's own screen, where the protocol allows:
 * - OCPP 2.0.1: totalCost in every TransactionEventResponse (the handler), and CostUpdated (I02)
 *   from a once-a-minute sweep when the cost moved since the charger was last told (idle and
 *   per-minute prices keep running between TransactionEvents).
 * - OCPP 1.6: the OCA "California pricing" DataTransfer messages (vendorId
 *   org.openchargealliance.costmsg: SetUserPrice after an accepted Authorize, RunningCost while
 *   charging, FinalCost with the CDR), only for stations whose californiaPricing setting is on,
 *   because a charger without that firmware feature answers UnknownVendorId.
 * These are notifications: they go straight through the gateway, not into the command log.
 */

export const californiaVendorId = 'org.openchargealliance.costmsg';

/** The last total (minor units) each session's charger was told, and when. Per process: it holds the connections. */
const told = new Map<string, { total: number; at: number }>();
const minIntervalMs = 10_000;

/**
 * Whether a 1.6 station gets California pricing messages after its session updates, remembered for
 * a minute: session updates arrive with every meter value, the setting changes rarely (and a change
 * announces itself with station:changed). 2.0.1 stations are never due here: the answer to the
 * TransactionEvent behind the update carries the cost already.
 */
const runningCostAfterUpdates = new Map<string, { value: boolean; at: number }>();
const rememberForMs = 60_000;

async function showsRunningCostAfterUpdates(db: Db, stationId: string, now: number): Promise<boolean> {
  const cached = runningCostAfterUpdates.get(stationId);
  if (cached && now - cached.at < rememberForMs) return cached.value;
  const [station] = await db
    .select({
      ocppVersion: chargingStations.ocppVersion,
      californiaPricing: chargingStations.californiaPricing,
    })
    .from(chargingStations)
    .where(eq(chargingStations.id, stationId));
  const value = station?.ocppVersion === '1.6' && station.californiaPricing;
  runningCostAfterUpdates.set(stationId, { value, at: now });
  if (runningCostAfterUpdates.size > 50_000)
    runningCostAfterUpdates.delete(runningCostAfterUpdates.keys().next().value as string);
  return value;
}

/** The TransactionEvent handler gave the charger this total already. */
export function noteCostTold(transactionId: string, total: number, at: Date): void {
  told.set(transactionId, { total, at: at.getTime() });
  if (told.size > 50_000) told.delete(told.keys().next().value as string);
}

async function send(identity: string, command: Command, deps: CommandDeps): Promise<boolean> {
  const outcome = await deps.gateway.send(identity, command, { timeoutMs: deps.timeoutMs });
  return outcome.status === 'accepted';
}

function californiaMessage(messageId: string, data: unknown): Command {
  return { kind: 'data-transfer', vendorId: californiaVendorId, messageId, data: JSON.stringify(data) };
}

/** 1.6 SetUserPrice after an accepted Authorize: the driver sees their price before plugging in. */
export async function showUserPrice(
  db: Db,
  link: StationLink,
  input: { evseId: number | null; idToken: string },
  deps: CommandDeps,
): Promise<void> {
  const [station] = await db
    .select({ californiaPricing: chargingStations.californiaPricing })
    .from(chargingStations)
    .where(eq(chargingStations.id, link.stationId));
  if (!station?.californiaPricing) return;
  const text = await priceTextFor(db, link, input, deps.now());
  if (!text) return;
  await send(
    link.identity,
    californiaMessage('SetUserPrice', { idToken: input.idToken, priceText: text }),
    deps,
  );
}

async function lastRegisterWh(db: Db, transactionId: string): Promise<number | null> {
  const [row] = await db
    .select({ wh: meterValues.value })
    .from(meterValues)
    .where(
      and(
        eq(meterValues.transactionId, transactionId),
        eq(meterValues.measurand, energyRegister),
        eq(meterValues.phase, ''),
      ),
    )
    .orderBy(desc(meterValues.sampledAt))
    .limit(1);
  return row ? Math.round(row.wh) : null;
}

/**
 * Tells the charger a running session's cost when it changed since it was last told (at most every
 * 10 s per session). Returns whether anything was sent.
 */
export async function pushRunningCost(db: Db, transaction: Transaction, deps: CommandDeps): Promise<boolean> {
  if (transaction.status !== 'active' || !transaction.pricing) return false;
  const [station] = await db
    .select({
      identity: chargingStations.identity,
      siteId: chargingStations.siteId,
      ocppVersion: chargingStations.ocppVersion,
      californiaPricing: chargingStations.californiaPricing,
    })
    .from(chargingStations)
    .where(eq(chargingStations.id, transaction.stationId));
  if (!station || !deps.gateway.isConnected(station.identity)) return false;
  const is201 = station.ocppVersion === '2.0.1';
  if (!is201 && !station.californiaPricing) return false;
  const now = deps.now();
  const last = told.get(transaction.id);
  if (last && now.getTime() - last.at < minIntervalMs) return false;
  const priced = await priceTransaction(db, transaction, station.siteId, now);
  if (!priced || (last && last.total === priced.cost.total)) return false;
  const { cost, version } = priced;
  noteCostTold(transaction.id, cost.total, now);
  if (is201) {
    return send(
      station.identity,
      {
        kind: 'cost-updated',
        chargerTransactionId: transaction.chargerTransactionId,
        totalCost: toDecimal(cost.total, cost.currency),
      },
      deps,
    );
  }
  return send(
    station.identity,
    californiaMessage('RunningCost', {
      transactionId: Number(transaction.chargerTransactionId),
      timestamp: now.toISOString(),
      meterValue: (await lastRegisterWh(db, transaction.id)) ?? transaction.meterStartWh ?? 0,
      cost: toDecimal(cost.total, cost.currency),
      // The convention knows two states: anything but charging shows as Idle.
      state: priced.state === 'charging' ? 'Charging' : 'Idle',
      ...californiaPrices(version, priced.timeZone, now),
    }),
    deps,
  );
}

/** 1.6 FinalCost once the CDR exists (2.0.1 chargers got it in the Ended event's response). */
export async function pushFinalCost(db: Db, cdrId: string, deps: CommandDeps): Promise<boolean> {
  const [row] = await db
    .select({
      total: chargeDetailRecords.total,
      currency: chargeDetailRecords.currency,
      number: chargeDetailRecords.number,
      identity: chargingStations.identity,
      ocppVersion: chargingStations.ocppVersion,
      californiaPricing: chargingStations.californiaPricing,
      chargerTransactionId: transactions.chargerTransactionId,
    })
    .from(chargeDetailRecords)
    .innerJoin(chargingStations, eq(chargingStations.id, chargeDetailRecords.stationId))
    .innerJoin(transactions, eq(transactions.id, chargeDetailRecords.transactionId))
    .where(eq(chargeDetailRecords.id, cdrId));
  if (!row || row.ocppVersion !== '1.6' || !row.californiaPricing) return false;
  if (!deps.gateway.isConnected(row.identity)) return false;
  const transactionId = Number(row.chargerTransactionId);
  if (!Number.isInteger(transactionId)) return false;
  const cost = toDecimal(row.total, row.currency);
  return send(
    row.identity,
    californiaMessage('FinalCost', {
      transactionId,
      cost,
      priceText: `Total ${formatMoney(row.total, row.currency)} (record ${row.number})`,
    }),
    deps,
  );
}

/**
 * Keeps chargers' displays current: 1.6 California pricing after session updates and with each
 * CDR, and a once-a-minute sweep (both versions) for costs that grow with time (idle and
 * per-minute prices). Returns a function that stops it.
 */
export function startCostDisplay(db: Db, deps: CommandDeps, options: { sweepMs?: number } = {}): () => void {
  const log = getLogger().child({ job: 'cost-display' });
  const finalSent = new Set<string>();
  const guard = (task: () => Promise<unknown>) =>
    void inTurn(task).catch((error: unknown) => log.warn({ err: error }, 'cost display failed'));
  const unsubscribe = subscribe((event) => {
    if (event.type === 'station:changed') runningCostAfterUpdates.delete(event.stationId);
    if (event.type === 'session:updated' && event.status === 'active') {
      // Most updates need nothing: the charger was just told, or the station is not a 1.6 one with
      // California pricing. Both are known without the database or a place in the queue.
      const now = deps.now().getTime();
      const last = told.get(event.transactionId);
      if (last && now - last.at < minIntervalMs) return;
      const cached = runningCostAfterUpdates.get(event.stationId);
      if (cached && now - cached.at < rememberForMs && !cached.value) return;
      guard(async () => {
        if (!(await showsRunningCostAfterUpdates(db, event.stationId, now))) return;
        const [transaction] = await db
          .select()
          .from(transactions)
          .where(eq(transactions.id, event.transactionId));
        if (transaction) await pushRunningCost(db, transaction, deps);
      });
    }
    if (event.type === 'cdr:updated' && !finalSent.has(event.cdrId)) {
      finalSent.add(event.cdrId);
      if (finalSent.size > 10_000) finalSent.delete(finalSent.values().next().value as string);
      told.delete(event.transactionId);
      guard(() => pushFinalCost(db, event.cdrId, deps));
    }
  });
  const timer = setInterval(() => {
    guard(async () => {
      const active = await db
        .select({ transaction: transactions })
        .from(transactions)
        .innerJoin(chargingStations, eq(chargingStations.id, transactions.stationId))
        .where(
          and(
            eq(transactions.status, 'active'),
            eq(chargingStations.online, true),
            or(eq(chargingStations.ocppVersion, '2.0.1'), eq(chargingStations.californiaPricing, true)),
            inArray(transactions.ocppVersion, ['1.6', '2.0.1']),
          ),
        )
        .limit(1000);
      for (const { transaction } of active) await pushRunningCost(db, transaction, deps);
    });
  }, options.sweepMs ?? 60_000);
  timer.unref();
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
