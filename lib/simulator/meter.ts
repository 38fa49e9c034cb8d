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
  /** Per phase drawn on (AC), or the DC output current. */
  currentA: number;
  offeredA: number;
  /** AC: the phases the EV draws on, each reported apart (Current.Import L1..L3); undefined for DC. */
  phases?: number;
  /** Only while an EV is connected. */
  soc?: number;
}

/** What feeds one EVSE: the simulator's nominal supply, from its rated power. */
export interface Supply {
  voltageV: number;
  /** 3 for three-phase AC; 1 for DC, whose current is one figure. */
  phases: number;
  ac: boolean;
}

/** A current limit on an EVSE (from charging profiles): amperes per phase, on that many phases. */
export interface CurrentLimit {
  amps: number;
  phases: number;
}

/** Nominal line-to-neutral voltage: limits in W convert to A with it. */
export const nominalVoltageV = 230;

/** Up to 22 kW is three-phase AC (current per phase); above, one figure for the DC output. */
export function supplyOf(maxPowerW: number): Supply {
  const ac = maxPowerW <= 22_000;
  return { voltageV: nominalVoltageV, phases: ac ? 3 : 1, ac };
}

/** A version-neutral sampled value; the version's message builder formats it. */
export interface Sample {
  measurand: Measurand;
  value: number;
  unit: 'Wh' | 'W' | 'A' | 'V' | 'Percent';
  phase?: 'L1' | 'L2' | 'L3' | 'L1-N';
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
 * 80 % SoC, with a little noise like a real charger, and never above `capW` (what the charging
 * profiles in force let the EVSE offer; 0 pauses the EV).
 */
export function advance(
  ev: ChargingEv,
  now: number,
  maxPowerW: number,
  random: () => number,
  capW = Infinity,
): void {
  const hours = Math.max(0, now - ev.lastReadAt) / 3_600_000;
  const energy = ev.powerW * hours;
  ev.energyWh += energy;
  ev.soc = Math.min(100, ev.soc + energy / whPerPercent);
  ev.lastReadAt = now;
  const taper = ev.soc > 80 ? (100 - ev.soc) / 20 : 1;
  ev.powerW = ev.soc >= 100 ? 0 : Math.min(maxPowerW * taper * (0.9 + random() * 0.1), Math.max(0, capW));
}

/**
 * A reading of a connector (or the station's main meter): SoC only while an EV is connected.
 * `limit` is the current limit in force, if any: it is what the EVSE offers, and the EV's charger
 * holds its current at it (the power then follows the voltage).
 */
export function read(
  energyWh: number,
  powerW: number,
  soc: number | undefined,
  maxPowerW: number,
  random: () => number,
  limit?: CurrentLimit,
): Reading {
  const voltageV = 228 + random() * 6;
  const supply = supplyOf(maxPowerW);
  const phases = limit && supply.ac ? Math.min(limit.phases, supply.phases) : supply.phases;
  const ratedA = maxPowerW / nominalVoltageV / supply.phases;
  const offeredA = limit ? Math.min(limit.amps, ratedA) : ratedA;
  const currentA = powerW / voltageV / phases;
  return {
    energyWh,
    powerW,
    offeredW: limit ? Math.min(maxPowerW, offeredA * nominalVoltageV * phases) : maxPowerW,
    voltageV,
    currentA: limit ? Math.min(currentA, offeredA) : currentA,
    offeredA,
    ...(supply.ac && { phases }),
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
        // AC: one sample per phase drawn on, so that the CSMS can see the load on each phase.
        for (const phase of phaseNames.slice(0, reading.phases ?? 1))
          samples.push({ measurand, value: round1(reading.currentA), unit: 'A', phase });
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

const phaseNames = ['L1', 'L2', 'L3'] as const;

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
