/** Measurands the simulated meter can report (a subset of both versions' MeasurandEnumType). */
export const measurands = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Power.Offered',
  'Current.Import',
  'Current.Offered',
  'Voltage',
  'SoC',
] as const;

export type Measurand = (typeof measurands)[number];

export function isMeasurand(value: string): value is Measurand {
  return (measurands as readonly string[]).includes(value);
}

/** One reading of a connector's meter. */
export interface Reading {
  energyWh: number;
  powerW: number;
  offeredW: number;
  voltageV: number;
  currentA: number;
  offeredA: number;
  /** Only while an EV is connected. */
  soc?: number;
}

/** A version-neutral sampled value; the version's message builder formats it. */
export interface Sample {
  measurand: Measurand;
  value: number;
  unit: 'Wh' | 'W' | 'A' | 'V' | 'Percent';
  phase?: 'L1' | 'L1-N';
  location?: 'EV';
}

/** The EV side of a session: what the meter model needs. */
export interface ChargingEv {
  energyWh: number;
  soc: number;
  powerW: number;
  lastReadAt: number;
}

/** Usable battery energy per percent of SoC (a 60 kWh battery). */
const whPerPercent = 600;

/**
 * Advances a charging EV to `now`: energy at the last power, then a new power that tapers above
 * 80 % SoC, with a little noise like a real charger.
 */
export function advance(ev: ChargingEv, now: number, maxPowerW: number, random: () => number): void {
  const hours = Math.max(0, now - ev.lastReadAt) / 3_600_000;
  const energy = ev.powerW * hours;
  ev.energyWh += energy;
  ev.soc = Math.min(100, ev.soc + energy / whPerPercent);
  ev.lastReadAt = now;
  const taper = ev.soc > 80 ? (100 - ev.soc) / 20 : 1;
  ev.powerW = ev.soc >= 100 ? 0 : maxPowerW * taper * (0.9 + random() * 0.1);
}

/** A reading of a connector (or the station's main meter): SoC only while an EV is connected. */
export function read(
  energyWh: number,
  powerW: number,
  soc: number | undefined,
  maxPowerW: number,
  random: () => number,
): Reading {
  const voltageV = 228 + random() * 6;
  // Up to 22 kW is three-phase AC (current per phase); above, one figure for the DC output.
  const phases = maxPowerW > 22_000 ? 1 : 3;
  return {
    energyWh,
    powerW,
    offeredW: maxPowerW,
    voltageV,
    currentA: powerW / voltageV / phases,
    offeredA: maxPowerW / 230 / phases,
    soc,
  };
}

/** The samples for the configured measurands, in the configured order; SoC only with an EV. */
export function samplesOf(reading: Reading, selected: readonly Measurand[]): Sample[] {
  const samples: Sample[] = [];
  for (const measurand of selected) {
    switch (measurand) {
      case 'Energy.Active.Import.Register':
        samples.push({ measurand, value: Math.round(reading.energyWh), unit: 'Wh' });
        break;
      case 'Power.Active.Import':
        samples.push({ measurand, value: Math.round(reading.powerW), unit: 'W' });
        break;
      case 'Power.Offered':
        samples.push({ measurand, value: Math.round(reading.offeredW), unit: 'W' });
        break;
      case 'Current.Import':
        samples.push({ measurand, value: round1(reading.currentA), unit: 'A', phase: 'L1' });
        break;
      case 'Current.Offered':
        samples.push({ measurand, value: round1(reading.offeredA), unit: 'A', phase: 'L1' });
        break;
      case 'Voltage':
        samples.push({ measurand, value: round1(reading.voltageV), unit: 'V', phase: 'L1-N' });
        break;
      case 'SoC':
        if (reading.soc !== undefined)
          samples.push({ measurand, value: Math.round(reading.soc), unit: 'Percent', location: 'EV' });
        break;
    }
  }
  return samples;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
