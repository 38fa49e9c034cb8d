import { toSampledValue, type MeterSample } from '@/lib/domain/metering/samples';

/** OCPP 1.6 MeterValue (§7.45) and SampledValue (§7.48): values are strings, units spelled out. */
export interface MeterValue16 {
  timestamp: string;
  sampledValue: {
    value: string;
    context?: string;
    format?: 'Raw' | 'SignedData';
    measurand?: string;
    phase?: string;
    location?: string;
    unit?: string;
  }[];
}

/** Converts 1.6 meter values to samples, with the spec's defaults; signed (non-numeric) data is skipped. */
export function samplesFrom16(meterValues: MeterValue16[] | undefined): MeterSample[] {
  return (meterValues ?? []).map((mv) => ({
    sampledAt: new Date(mv.timestamp),
    values: mv.sampledValue.flatMap((sv) => {
      const raw = Number(sv.value);
      if (sv.format === 'SignedData' || !Number.isFinite(raw)) return [];
      return [toSampledValue({ ...sv, value: raw })];
    }),
  }));
}
