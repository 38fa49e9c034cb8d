import { energyRegister } from './samples';

/** One point of a session chart: power in kW and energy delivered so far in kWh (null when not sampled). */
export interface PowerPoint {
  /** Epoch ms. */
  t: number;
  kw: number | null;
  kwh: number | null;
}

/** Chart points from a session's stored samples (W and Wh), one per sample time, in time order. */
export function toPowerPoints(
  samples: readonly { sampledAt: Date; measurand: string; value: number; unit: string }[],
  meterStartWh: number | null,
): PowerPoint[] {
  const byTime = new Map<number, PowerPoint>();
  for (const s of samples) {
    const t = s.sampledAt.getTime();
    const point = byTime.get(t) ?? { t, kw: null, kwh: null };
    if (s.measurand === 'Power.Active.Import' && s.unit === 'W') point.kw = s.value / 1000;
    if (s.measurand === energyRegister && s.unit === 'Wh' && meterStartWh !== null) {
      point.kwh = Math.max(0, (s.value - meterStartWh) / 1000);
    }
    byTime.set(t, point);
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}
