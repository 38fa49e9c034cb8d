/**
 * Meter samples in ChargeOps' own units, whatever the charger sent: energy in Wh, power in W.
 * Pure: used by both OCPP adapters and by session energy calculations.
 */
export interface SampledValue {
  measurand: string;
  phase: string;
  location: string;
  context: string;
  value: number;
  unit: string;
}

export interface MeterSample {
  sampledAt: Date;
  values: SampledValue[];
}

export const energyRegister = 'Energy.Active.Import.Register';

/** Converts a value to Wh / W / varh / var from the k- and M- prefixed units chargers use. */
export function normalizeUnit(value: number, unit: string): { value: number; unit: string } {
  const match = /^([kM])(Wh|W|varh|var|VA|VAh)$/.exec(unit);
  if (!match) return { value, unit };
  const factor = match[1] === 'k' ? 1000 : 1_000_000;
  return { value: value * factor, unit: match[2]! };
}

/**
 * A sampled value with the defaults both OCPP versions define for absent fields (measurand
 * Energy.Active.Import.Register, context Sample.Periodic, unit Wh) and the unit normalised.
 */
export function toSampledValue(raw: {
  value: number;
  unit?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  context?: string;
}): SampledValue {
  const { value, unit } = normalizeUnit(raw.value, raw.unit ?? 'Wh');
  return {
    measurand: raw.measurand ?? energyRegister,
    phase: raw.phase ?? '',
    location: raw.location ?? '',
    context: raw.context ?? 'Sample.Periodic',
    value,
    unit,
  };
}

/** The energy register (Wh) in the samples, preferring the given context, then the outlet/no location. */
export function energyRegisterWh(
  samples: MeterSample[],
  pick: 'first' | 'last',
  context?: string,
): number | null {
  const candidates = samples.flatMap((s) =>
    s.values
      .filter((v) => v.measurand === energyRegister && v.phase === '' && (v.unit === 'Wh' || v.unit === ''))
      .map((v) => ({ at: s.sampledAt.getTime(), value: v.value, context: v.context })),
  );
  const preferred = context ? candidates.filter((c) => c.context === context) : [];
  const pool = preferred.length > 0 ? preferred : candidates;
  if (pool.length === 0) return null;
  const sorted = [...pool].sort((a, b) => a.at - b.at);
  const chosen = pick === 'first' ? sorted[0] : sorted[sorted.length - 1];
  return chosen ? Math.round(chosen.value) : null;
}
