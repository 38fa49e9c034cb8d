import { describe, expect, it } from 'vitest';
import {
  configurationDrift,
  keyProblem,
  recommendedDefaults,
  resolveDefaults,
  sameConfigurationValue,
} from './defaults';

describe('configuration defaults', () => {
  it('puts site values over the organisation and keeps the rest', () => {
    expect(
      resolveDefaults(
        [
          { key: 'HeartbeatInterval', value: '300' },
          { key: 'MeterValueSampleInterval', value: '60' },
        ],
        [{ key: 'MeterValueSampleInterval', value: '15' }],
      ),
    ).toEqual([
      { key: 'HeartbeatInterval', value: '300' },
      { key: 'MeterValueSampleInterval', value: '15' },
    ]);
  });

  it('checks keys against the version', () => {
    expect(keyProblem('1.6', 'MeterValueSampleInterval')).toBeNull();
    expect(keyProblem('1.6', 'SampledDataCtrlr.TxUpdatedInterval')).toMatch(/no component/);
    expect(keyProblem('2.0.1', 'HeartbeatInterval')).toMatch(/name a component/);
    expect(keyProblem('2.0.1', 'bad key')).toMatch(/not a configuration key/);
    for (const version of ['1.6', '2.0.1'] as const)
      for (const { key } of recommendedDefaults[version]) expect(keyProblem(version, key)).toBeNull();
  });

  it.each([
    ['60', '060', true],
    ['true', 'True', true],
    ['a,b', ' a , b ', true],
    ['a,b', 'b,a', false],
    ['60', '61', false],
  ])('compares %j and %j', (a, b, same) => {
    expect(sameConfigurationValue(a, b)).toBe(same);
  });

  it('reports drift key by key', () => {
    const rows = configurationDrift(
      [
        { key: 'A', value: '1' },
        { key: 'B', value: '2' },
        { key: 'C', value: '3' },
        { key: 'D', value: '4' },
      ],
      new Map([
        ['A', { value: '1', readonly: false }],
        ['B', { value: '5', readonly: false }],
        ['D', { value: '9', readonly: true }],
      ]),
    );
    expect(rows.map((r) => r.state)).toEqual(['in-sync', 'drift', 'not-reported', 'read-only']);
    expect(rows[1]).toEqual({ key: 'B', wanted: '2', actual: '5', state: 'drift' });
  });
});
