import { describe, expect, it } from 'vitest';
import { toPowerPoints } from './points';

const sample = (iso: string, measurand: string, value: number, unit: string) => ({
  sampledAt: new Date(iso),
  measurand,
  value,
  unit,
});

describe('toPowerPoints', () => {
  it('merges power and energy of the same instant, relative to the meter start, in time order', () => {
    expect(
      toPowerPoints(
        [
          sample('2026-01-01T10:10:00Z', 'Energy.Active.Import.Register', 3000, 'Wh'),
          sample('2026-01-01T10:00:00Z', 'Power.Active.Import', 7200, 'W'),
          sample('2026-01-01T10:10:00Z', 'Power.Active.Import', 6900, 'W'),
          sample('2026-01-01T10:10:00Z', 'SoC', 55, 'Percent'),
        ],
        1000,
      ),
    ).toEqual([
      { t: Date.parse('2026-01-01T10:00:00Z'), kw: 7.2, kwh: null },
      { t: Date.parse('2026-01-01T10:10:00Z'), kw: 6.9, kwh: 2 },
    ]);
  });

  it('leaves energy out when the meter start is unknown', () => {
    expect(
      toPowerPoints([sample('2026-01-01T10:00:00Z', 'Energy.Active.Import.Register', 3000, 'Wh')], null),
    ).toEqual([{ t: Date.parse('2026-01-01T10:00:00Z'), kw: null, kwh: null }]);
  });
});
