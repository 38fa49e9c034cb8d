import { authorizeToken, flagRefusedStart } from '@/lib/services/authorization';
import { startTransaction as start } from '@/lib/services/charging-sessions';
import { endReservation } from '@/lib/services/reservations';
import type { Handler } from '../context';
import { idTagInfoOf } from './id-tag-info';

/** OCPP 1.6 StartTransaction.req (§6.45). */
export interface StartTransactionRequest {
  connectorId: number;
  idTag: string;
  meterStart: number;
  reservationId?: number;
  timestamp: string;
}

export interface StartTransactionResponse {
  idTagInfo: ReturnType<typeof idTagInfoOf>;
  transactionId: number;
}

/** Answered after the session is committed; a resent start gets the same transactionId. */
export const startTransaction: Handler<StartTransactionRequest, StartTransactionResponse> = async (
  ctx,
  req,
) => {
  // The charger may have started already (offline, or local authorisation): the session is recorded
  // whatever the decision, because energy may flow; a refused token stops it at the charger.
  const transaction = await start(
    ctx.db,
    ctx.station,
    {
      evseId: req.connectorId,
      connectorId: 1,
      idToken: req.idTag,
      idTokenType: null,
      startedAt: new Date(req.timestamp),
      meterStartWh: req.meterStart,
      ocppVersion: '1.6',
    },
    ctx.now(),
  );
  const decision = await authorizeToken(
    ctx.db,
    ctx.station,
    { idToken: req.idTag, type: null },
    { source: 'StartTransaction', transactionId: transaction.id, now: ctx.now() },
  );
  if (decision.status !== 'Accepted') await flagRefusedStart(ctx.db, transaction.id, decision);
  // §5.13: a session started on a reservation consumes it.
  if (req.reservationId !== undefined)
    await endReservation(ctx.db, ctx.station, req.reservationId, 'used', ctx.now());
  return { idTagInfo: idTagInfoOf(decision), transactionId: transaction.localId };
};
