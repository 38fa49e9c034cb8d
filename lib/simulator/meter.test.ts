import { describe, expect, it } from 'vitest';
import { advance, read, samplesOf, type ChargingEv } from './meter';

const noNoise = () => 1;

describe('advance', () => {
  it('adds the energy of the last power over the elapsed time, and tapers above 80 % SoC', () => {
    const ev: ChargingEv = { energyWh: 1000, soc: 50, powerW: 11_000, lastReadAt: 0 };
    advance(ev, 3_600_000 / 11, 11_000, noNoise);
    expect(ev.energyWh).toBeCloseTo(2000);
    expect(ev.soc).toBeCloseTo(50 + 1000 / 600);
    expect(ev.powerW).toBe(11_000);
    const full: ChargingEv = { energyWh: 0, soc: 90, powerW: 0, lastReadAt: 0 };
    advance(full, 0, 11_000, noNoise);
    expect(full.powerW).toBeCloseTo(5_500);
    const done: ChargingEv = { energyWh: 0, soc: 100, powerW: 0, lastReadAt: 0 };
    advance(done, 0, 11_000, noNoise);
    expect(done.powerW).toBe(0);
  });
});

describe('samplesOf', () => {
  it('reports the chosen measurands in order; SoC only with an EV', () => {
    const charging = read(12_345.6, 11_000, 42.4, 11_000, () => 0.5);
    expect(samplesOf(charging, ['SoC', 'Energy.Active.Import.Register', 'Current.Import'])).toEqual([
      { measurand: 'SoC', value: 42, unit: 'Percent', location: 'EV' },
      { measurand: 'Energy.Active.Import.Register', value: 12_346, unit: 'Wh' },
      { measurand: 'Current.Import', value: 15.9, unit: 'A', phase: 'L1' },
    ]);
    const idle = read(500, 0, undefined, 11_000, () => 0.5);
    expect(samplesOf(idle, ['SoC', 'Power.Active.Import', 'Power.Offered'])).toEqual([
      { measurand: 'Power.Active.Import', value: 0, unit: 'W' },
      { measurand: 'Power.Offered', value: 11_000, unit: 'W' },
    ]);
  });
});
