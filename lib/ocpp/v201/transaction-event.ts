import { authorizeToken, flagRefusedStart } from '@/lib/services/authorization';
import { noteCostTold } from '@/lib/commands/cost-display';
import { toDecimal } from '@/lib/domain/pricing/display';
import { costOf } from '@/lib/services/billing';
import { applyTransactionEvent } from '@/lib/services/charging-sessions';
import { endReservation } from '@/lib/services/reservations';
import type { Handler } from '../context';
import { idTokenInfoOf } from './id-token-info';
import { samplesFrom201, type MeterValue201 } from './meter-value';

/** OCPP 2.0.1 TransactionEventRequest (E01-E15). */
export interface TransactionEventRequest {
  eventType: 'Started' | 'Updated' | 'Ended';
  timestamp: string;
  triggerReason: string;
  seqNo: number;
  offline?: boolean;
  numberOfPhasesUsed?: number;
  cableMaxCurrent?: number;
  reservationId?: number;
  transactionInfo: {
    transactionId: string;
    chargingState?: string;
    timeSpentCharging?: number;
    stoppedReason?: string;
    remoteStartId?: number;
  };
  idToken?: { idToken: string; type: string };
  evse?: { id: number; connectorId?: number };
  meterValue?: MeterValue201[];
}

/** Answered after commit; a resent seqNo of the same transaction is recognised and changes nothing. */
export const transactionEvent: Handler<
  TransactionEventRequest,
  { idTokenInfo?: ReturnType<typeof idTokenInfoOf>; totalCost?: number }
> = async (ctx, req) => {
  const { transaction, duplicate, cdr } = await applyTransactionEvent(
    ctx.db,
    ctx.station,
    {
      chargerTransactionId: req.transactionInfo.transactionId,
      eventType: req.eventType,
      seqNo: req.seqNo,
      timestamp: new Date(req.timestamp),
      triggerReason: req.triggerReason,
      offline: req.offline ?? false,
      evseId: req.evse?.id ?? null,
      connectorId: req.evse?.connectorId ?? null,
      idToken: req.idToken?.idToken ?? null,
      idTokenType: req.idToken?.type ?? null,
      stoppedReason: req.transactionInfo.stoppedReason ?? null,
      chargingState: req.transactionInfo.chargingState ?? null,
      samples: samplesFrom201(req.meterValue),
    },
    ctx.now(),
  );
  // H01.FR.21: the transaction that uses a reservation names it; the reservation is over.
  if (req.reservationId !== undefined)
    await endReservation(ctx.db, ctx.station, req.reservationId, 'used', ctx.now());
  // I01/I02: the cost so far (the final cost on Ended, from the CDR), for the charger's display.
  const cost = cdr ?? (duplicate ? null : await costOf(ctx.db, transaction, ctx.station.siteId, ctx.now()));
  const totalCost = cost ? { totalCost: toDecimal(cost.total, cost.currency) } : {};
  if (cost && !cdr) noteCostTold(transaction.id, cost.total, ctx.now());
  // E06: idTokenInfo is returned when the event carried an idToken.
  if (!req.idToken) return totalCost;
  const decision = await authorizeToken(
    ctx.db,
    ctx.station,
    { idToken: req.idToken.idToken, type: req.idToken.type },
    { source: 'TransactionEvent', transactionId: transaction.id, now: ctx.now() },
  );
  // E05: a transaction that began with a refused token (offline, local authorisation) is kept: energy
  // flowed. It is flagged for review; the charger stops it when told the token is not accepted.
  if (decision.status !== 'Accepted' && !duplicate) await flagRefusedStart(ctx.db, transaction.id, decision);
  return { ...totalCost, idTokenInfo: idTokenInfoOf(decision) };
};
