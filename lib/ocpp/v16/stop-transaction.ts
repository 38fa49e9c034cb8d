import { authorizeToken } from '@/lib/services/authorization';
import { stopTransaction as stop } from '@/lib/services/charging-sessions';
import type { Handler } from '../context';
import { idTagInfoOf } from './id-tag-info';
import { samplesFrom16, type MeterValue16 } from './meter-value';

/** OCPP 1.6 StopTransaction.req (§6.49). */
export interface StopTransactionRequest {
  idTag?: string;
  meterStop: number;
  timestamp: string;
  transactionId: number;
  reason?: string;
  transactionData?: MeterValue16[];
}

/** Answered after commit; a stop for an unknown transaction is accepted and recorded (flagged). */
export const stopTransaction: Handler<StopTransactionRequest, { idTagInfo?: { status: string } }> = async (
  ctx,
  req,
) => {
  await stop(
    ctx.db,
    ctx.station,
    {
      chargerTransactionId: String(req.transactionId),
      idToken: req.idTag ?? null,
      stoppedAt: new Date(req.timestamp),
      meterStopWh: req.meterStop,
      reason: req.reason ?? null,
      samples: samplesFrom16(req.transactionData),
    },
    ctx.now(),
  );
  if (!req.idTag) return {};
  const decision = await authorizeToken(
    ctx.db,
    ctx.station,
    { idToken: req.idTag, type: null },
    { source: 'StopTransaction', now: ctx.now() },
  );
  return { idTagInfo: idTagInfoOf(decision) };
};
