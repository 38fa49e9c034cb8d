import { describe, expect, it } from 'vitest';
import { connectorTypeLabel, formatInZone, formatPowerW } from './format';

describe('formatPowerW', () => {
  it.each([
    [null, '—'],
    [11_500, '11.5 kW'],
    [22_000, '22 kW'],
    [180_000, '180 kW'],
    [1_500_000, '1,500 kW'],
  ])('%s W -> %s', (watts, text) => expect(formatPowerW(watts)).toBe(text));
});

describe('formatInZone', () => {
  it('shows the time in the site zone', () => {
    const text = formatInZone(new Date('2026-07-01T15:30:00Z'), 'America/Chicago');
    expect(text).toContain('10:30');
    expect(text).toMatch(/CDT/);
  });
  it('says Never for a station that never connected', () => {
    expect(formatInZone(null, 'UTC')).toBe('Never');
  });
});

describe('connectorTypeLabel', () => {
  it('names known types and passes unknown ones through', () => {
    expect(connectorTypeLabel('cType1')).toBe('J1772');
    expect(connectorTypeLabel('sType3')).toBe('sType3');
    expect(connectorTypeLabel(null)).toBe('Unknown type');
  });
});
