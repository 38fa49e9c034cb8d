import { recordMeterValues } from '@/lib/services/charging-sessions';
import type { Handler } from '../context';
import { samplesFrom16, type MeterValue16 } from './meter-value';

/** OCPP 1.6 MeterValues.req (§6.35). */
export interface MeterValuesRequest {
  connectorId: number;
  transactionId?: number;
  meterValue: MeterValue16[];
}

export const meterValues: Handler<MeterValuesRequest, Record<string, never>> = async (ctx, req) => {
  await recordMeterValues(
    ctx.db,
    ctx.station,
    {
      evseId: req.connectorId,
      chargerTransactionId: req.transactionId === undefined ? null : String(req.transactionId),
      samples: samplesFrom16(req.meterValue),
    },
    ctx.now(),
  );
  return {};
};
