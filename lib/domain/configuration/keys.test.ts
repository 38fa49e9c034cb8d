import { describe, expect, it } from 'vitest';
import { formatVariableKey, parseVariableKey, isDeviceModelKey } from './keys';

describe('variable keys', () => {
  it.each([
    [
      'HeartbeatInterval',
      {
        component: '',
        componentInstance: '',
        evseId: 0,
        connectorId: 0,
        variable: 'HeartbeatInterval',
        variableInstance: '',
      },
    ],
    [
      'OCPPCommCtrlr.HeartbeatInterval',
      {
        component: 'OCPPCommCtrlr',
        componentInstance: '',
        evseId: 0,
        connectorId: 0,
        variable: 'HeartbeatInterval',
        variableInstance: '',
      },
    ],
    [
      'EVSE@2.Power',
      {
        component: 'EVSE',
        componentInstance: '',
        evseId: 2,
        connectorId: 0,
        variable: 'Power',
        variableInstance: '',
      },
    ],
    [
      'Connector@1/2.ConnectorType',
      {
        component: 'Connector',
        componentInstance: '',
        evseId: 1,
        connectorId: 2,
        variable: 'ConnectorType',
        variableInstance: '',
      },
    ],
    [
      'TxCtrlr:main.StopTxOnEVSideDisconnect:x',
      {
        component: 'TxCtrlr',
        componentInstance: 'main',
        evseId: 0,
        connectorId: 0,
        variable: 'StopTxOnEVSideDisconnect',
        variableInstance: 'x',
      },
    ],
  ])('reads and writes %s', (key, address) => {
    expect(parseVariableKey(key)).toEqual(address);
    expect(formatVariableKey(address)).toBe(key);
  });

  it.each(['', 'a b', 'A.B.C', '.Var', 'Comp@x.Var', 'x'.repeat(201)])('refuses %j', (key) => {
    expect(parseVariableKey(key)).toBeNull();
  });

  it('tells device-model keys from 1.6 keys', () => {
    expect(isDeviceModelKey('SampledDataCtrlr.TxUpdatedInterval')).toBe(true);
    expect(isDeviceModelKey('MeterValueSampleInterval')).toBe(false);
  });
});
