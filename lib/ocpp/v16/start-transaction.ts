import { authorizeToken } from '@/lib/services/authorization';
import { startTransaction as start } from '@/lib/services/charging-sessions';
import { endReservation } from '@/lib/services/reservations';
import type { Handler } from '../context';

/** OCPP 1.6 StartTransaction.req (§6.45). */
export interface StartTransactionRequest {
  connectorId: number;
  idTag: string;
  meterStart: number;
  reservationId?: number;
  timestamp: string;
}

export interface StartTransactionResponse {
  idTagInfo: { status: string };
  transactionId: number;
}

/** Answered after the session is committed; a resent start gets the same transactionId. */
export const startTransaction: Handler<StartTransactionRequest, StartTransactionResponse> = async (
  ctx,
  req,
) => {
  const decision = await authorizeToken(ctx.db, ctx.station, { idToken: req.idTag, type: null });
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
  // §5.13: a session started on a reservation consumes it.
  if (req.reservationId !== undefined)
    await endReservation(ctx.db, ctx.station, req.reservationId, 'used', ctx.now());
  return { idTagInfo: { status: decision.status }, transactionId: transaction.localId };
};
