import { describe, expect, it } from 'vitest';
import { isValidTimeZone, siteInput } from './sites';

const valid = {
  name: 'Depot',
  latitude: '41.5',
  longitude: '-87.6',
  timezone: 'America/Chicago',
  gridCapacityKw: '',
};

function errorsOf(input: Record<string, unknown>) {
  const result = siteInput.safeParse(input);
  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
}

describe('siteInput', () => {
  it('parses form strings, with an empty capacity as not set', () => {
    expect(siteInput.parse(valid)).toMatchObject({
      latitude: 41.5,
      longitude: -87.6,
      gridCapacityKw: undefined,
      address: '',
    });
  });

  it('treats empty coordinates as missing, not as 0, 0', () => {
    expect(errorsOf({ ...valid, latitude: '', longitude: ' ' })).toEqual({
      latitude: 'Enter a latitude',
      longitude: 'Enter a longitude',
    });
  });

  it('names out-of-range values, bad zones and non-positive capacity', () => {
    expect(
      errorsOf({ ...valid, latitude: '90.5', longitude: '-181', timezone: 'Nowhere', gridCapacityKw: '0' }),
    ).toEqual({
      latitude: 'Latitude is between -90 and 90',
      longitude: 'Longitude is between -180 and 180',
      timezone: 'Choose a time zone such as America/Chicago',
      gridCapacityKw: 'Capacity must be above 0 kW',
    });
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names and UTC, refuses the rest', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
