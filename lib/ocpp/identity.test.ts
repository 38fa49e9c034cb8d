import { describe, expect, it } from 'vitest';
import { identityFromPath, isOcppPath } from './identity';

describe('identityFromPath', () => {
  it.each([
    ['/ocpp/CP-001', 'CP-001'],
    ['/ocpp/CHI%2DDC%2D01', 'CHI-DC-01'],
    ['/ocpp/', null],
    ['/ocpp/a/b', null],
    ['/ocpp/with:colon', null],
    ['/ocpp/with%20space', null],
    ['/ocpp/%E0%A4%A', null],
    [`/ocpp/${'x'.repeat(48)}`, 'x'.repeat(48)],
    [`/ocpp/${'x'.repeat(49)}`, null],
    ['/other/CP-001', null],
  ])('%s -> %s', (path, identity) => {
    expect(identityFromPath(path)).toBe(identity);
  });
});

describe('isOcppPath', () => {
  it('matches the endpoint and nothing that merely starts alike', () => {
    expect(isOcppPath('/ocpp')).toBe(true);
    expect(isOcppPath('/ocpp/x')).toBe(true);
    expect(isOcppPath('/ocppx')).toBe(false);
  });
});
