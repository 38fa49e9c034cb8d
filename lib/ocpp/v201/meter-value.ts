import { toSampledValue, type MeterSample } from '@/lib/domain/metering/samples';

/** OCPP 2.0.1 MeterValueType and SampledValueType: numbers with a unit and a power-of-ten multiplier. */
export interface MeterValue201 {
  timestamp: string;
  sampledValue: {
    value: number;
    context?: string;
    measurand?: string;
    phase?: string;
    location?: string;
    unitOfMeasure?: { unit?: string; multiplier?: number };
  }[];
}

/** Converts 2.0.1 meter values to samples, with the spec's defaults (Wh, multiplier 0, Sample.Periodic). */
export function samplesFrom201(meterValues: MeterValue201[] | undefined): MeterSample[] {
  return (meterValues ?? []).map((mv) => ({
    sampledAt: new Date(mv.timestamp),
    values: mv.sampledValue.map((sv) =>
      toSampledValue({
        ...sv,
        value: sv.value * 10 ** (sv.unitOfMeasure?.multiplier ?? 0),
        unit: sv.unitOfMeasure?.unit,
      }),
    ),
  }));
}
