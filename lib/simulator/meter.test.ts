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

describe('advance under a cap', () => {
  it('never draws more than the charging profiles allow; a cap of 0 pauses the EV', () => {
    const ev: ChargingEv = { energyWh: 0, soc: 50, powerW: 0, lastReadAt: 0 };
    advance(ev, 0, 11_000, noNoise, 6900);
    expect(ev.powerW).toBe(6900);
    advance(ev, 0, 11_000, noNoise, 0);
    expect(ev.powerW).toBe(0);
    advance(ev, 0, 11_000, noNoise);
    expect(ev.powerW).toBe(11_000);
  });
});

describe('read under a limit', () => {
  const current = (measurand: string) => (samples: { measurand: string; value: number; phase?: string }[]) =>
    samples
      .filter((s) => s.measurand === measurand)
      .map((s) => [s.phase, s.value].filter((x) => x !== undefined).join(' '));

  it('offers the limit, and the EV holds its current at it whatever the voltage', () => {
    // 6900 W at 228 V is 10.09 A per phase: the EV's charger keeps to the 10 A offered.
    const low = samplesOf(
      read(0, 6900, 50, 11_000, () => 0, { amps: 10, phases: 3 }),
      ['Current.Import', 'Current.Offered', 'Power.Offered'],
    );
    expect(current('Current.Import')(low)).toEqual(['L1 10', 'L2 10', 'L3 10']);
    expect(current('Current.Offered')(low)).toEqual(['L1 10']);
    expect(current('Power.Offered')(low)).toEqual(['6900']);
  });

  it('reports only the phases the EV may draw on', () => {
    const onePhase = samplesOf(
      read(0, 2300, 50, 11_000, () => 0.5, { amps: 10, phases: 1 }),
      ['Current.Import'],
    );
    expect(current('Current.Import')(onePhase)).toEqual(['L1 10']);
  });

  it('DC: one current, as before', () => {
    const dc = samplesOf(
      read(0, 46_200, 50, 50_000, () => 0.5),
      ['Current.Import'],
    );
    expect(dc).toEqual([{ measurand: 'Current.Import', value: 200, unit: 'A', phase: 'L1' }]);
  });
});

describe('samplesOf', () => {
  it('reports the chosen measurands in order; SoC only with an EV', () => {
    const charging = read(12_345.6, 11_000, 42.4, 11_000, () => 0.5);
    expect(samplesOf(charging, ['SoC', 'Energy.Active.Import.Register', 'Current.Import'])).toEqual([
      { measurand: 'SoC', value: 42, unit: 'Percent', location: 'EV' },
      { measurand: 'Energy.Active.Import.Register', value: 12_346, unit: 'Wh' },
      // Three-phase AC: the current of each phase.
      { measurand: 'Current.Import', value: 15.9, unit: 'A', phase: 'L1' },
      { measurand: 'Current.Import', value: 15.9, unit: 'A', phase: 'L2' },
      { measurand: 'Current.Import', value: 15.9, unit: 'A', phase: 'L3' },
    ]);
    const idle = read(500, 0, undefined, 11_000, () => 0.5);
    expect(samplesOf(idle, ['SoC', 'Power.Active.Import', 'Power.Offered'])).toEqual([
      { measurand: 'Power.Active.Import', value: 0, unit: 'W' },
      { measurand: 'Power.Offered', value: 11_000, unit: 'W' },
    ]);
  });
});
