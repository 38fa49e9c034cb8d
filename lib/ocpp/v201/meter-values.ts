import { recordMeterValues } from '@/lib/services/charging-sessions';
import type { Handler } from '../context';
import { samplesFrom201, type MeterValue201 } from './meter-value';

/** OCPP 2.0.1 MeterValues (J01): values outside a transaction (transaction values come in TransactionEvent). */
export const meterValues: Handler<
  { evseId: number; meterValue: MeterValue201[] },
  Record<string, never>
> = async (ctx, req) => {
  await recordMeterValues(
    ctx.db,
    ctx.station,
    { evseId: req.evseId, chargerTransactionId: null, samples: samplesFrom201(req.meterValue) },
    ctx.now(),
  );
  return {};
};
