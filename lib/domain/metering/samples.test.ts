import { describe, expect, it } from 'vitest';
import { energyRegisterWh, normalizeUnit, type MeterSample, type SampledValue } from './samples';

const aValue = (overrides: Partial<SampledValue>): SampledValue => ({
  measurand: 'Energy.Active.Import.Register',
  phase: '',
  location: '',
  context: 'Sample.Periodic',
  value: 0,
  unit: 'Wh',
  ...overrides,
});
const at = (iso: string, ...values: SampledValue[]): MeterSample => ({ sampledAt: new Date(iso), values });

describe('normalizeUnit', () => {
  it.each([
    [1.5, 'kWh', 1500, 'Wh'],
    [11, 'kW', 11000, 'W'],
    [2, 'MWh', 2_000_000, 'Wh'],
    [230, 'V', 230, 'V'],
    [80, 'Percent', 80, 'Percent'],
  ])('%s %s -> %s %s', (value, unit, v, u) => {
    expect(normalizeUnit(value, unit)).toEqual({ value: v, unit: u });
  });
});

describe('energyRegisterWh', () => {
  const samples = [
    at('2026-01-01T10:00:00Z', aValue({ value: 1000, context: 'Transaction.Begin' })),
    at('2026-01-01T10:30:00Z', aValue({ value: 6000 }), aValue({ value: 3000, phase: 'L1' })),
    at('2026-01-01T11:00:00Z', aValue({ value: 9500, context: 'Transaction.End' })),
    at('2026-01-01T10:45:00Z', aValue({ value: 8000 })),
  ];
  it('picks the register of the requested context first', () => {
    expect(energyRegisterWh(samples, 'first', 'Transaction.Begin')).toBe(1000);
    expect(energyRegisterWh(samples, 'last', 'Transaction.End')).toBe(9500);
  });
  it('falls back to the earliest or latest total (no phase) register by time', () => {
    expect(energyRegisterWh(samples.slice(1), 'first', 'Transaction.Begin')).toBe(6000);
    expect(energyRegisterWh(samples.slice(0, 2), 'last')).toBe(6000);
  });
  it('ignores other measurands and returns null without a register', () => {
    expect(
      energyRegisterWh(
        [at('2026-01-01T10:00:00Z', aValue({ measurand: 'Power.Active.Import', unit: 'W', value: 7000 }))],
        'last',
      ),
    ).toBeNull();
  });
});
