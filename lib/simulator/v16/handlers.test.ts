import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DisplayChanged } from '../display';
import type { LocalListItem } from '../local-list';
import type { SimulatedStation, SimulatedStationOptions } from '../station';
import { aStation, bootStation, FakeCsms, startUploadServer } from '../testing';

// The simulator against a strict fake CSMS speaking OCPP 1.6J: every frame both ways is validated
// against the official schemas, so a malformed answer or follow-up fails the test.
let csms: FakeCsms;
let station: SimulatedStation;
let errors: unknown[];

beforeEach(async () => {
  csms = await FakeCsms.start('ocpp1.6');
  ({ station, errors } = aStation(csms));
  await bootStation(csms, station);
});

afterEach(async () => {
  await station.stop();
  await csms.close();
  expect(errors).toEqual([]);
});

const status = (connectorId: number, value: string) => (p: { connectorId: number; status: string }) =>
  p.connectorId === connectorId && p.status === value;

/**
 * Replaces the station of beforeEach by one built with `options` (`prepare` runs before it
 * connects) and waits for its BootNotification. Returns where its messages start in csms.received.
 */
async function replaceStation(
  options: Partial<SimulatedStationOptions>,
  prepare?: (station: SimulatedStation) => void,
): Promise<number> {
  await station.stop();
  expect(errors).toEqual([]);
  const from = csms.received.length;
  ({ station, errors } = aStation(csms, options));
  prepare?.(station);
  await station.start();
  await csms.next('BootNotification', () => true, from);
  return from;
}

/** Remote-starts a session and waits until it charges; returns its transactionId. */
async function startSession(idTag = 'TAG-1', connectorId?: number): Promise<number> {
  const from = csms.received.length;
  expect(await csms.call('RemoteStartTransaction', { idTag, ...(connectorId && { connectorId }) })).toEqual({
    status: 'Accepted',
  });
  const start = await csms.next('StartTransaction', (p) => p.idTag === idTag, from);
  await csms.next('StatusNotification', status(start.connectorId, 'Charging'), from);
  return csms.answerTo(start).transactionId as number;
}

describe('RemoteStartTransaction', () => {
  it('starts a session on the requested connector: Preparing, StartTransaction, Charging, meter values', async () => {
    const from = csms.received.length;
    await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '1' });
    expect(await csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-1' })).toEqual({
      status: 'Accepted',
    });
    const start = await csms.next('StartTransaction', () => true, from);
    expect(csms.answeredBefore('RemoteStartTransaction', 'StartTransaction')).toBe(true);
    expect(start).toMatchObject({ connectorId: 2, idTag: 'TAG-1' });
    await csms.next('StatusNotification', status(2, 'Charging'), from);
    expect(start.reservationId).toBeUndefined();
    const preparing = csms.indexOf('StatusNotification', status(2, 'Preparing'));
    const charging = csms.indexOf('StatusNotification', status(2, 'Charging'));
    expect(preparing).toBeGreaterThanOrEqual(from);
    expect(preparing).toBeLessThan(csms.indexOf('StartTransaction'));
    expect(charging).toBeGreaterThan(csms.indexOf('StartTransaction'));
    // Not authorized first: AuthorizeRemoteTxRequests is false.
    expect(csms.sent('Authorize')).toEqual([]);
    const meter = await csms.next('MeterValues');
    expect(meter).toMatchObject({ connectorId: 2, transactionId: 100 });
    expect(
      meter.meterValue[0].sampledValue.map((s: { measurand: string; phase?: string }) =>
        [s.measurand, s.phase].filter(Boolean).join(' '),
      ),
    ).toEqual([
      'Energy.Active.Import.Register',
      'Power.Active.Import',
      'Current.Import L1',
      'Current.Import L2',
      'Current.Import L3',
      'Voltage L1-N',
      'SoC',
    ]);
  });

  it('picks the first free connector when none is given, and refuses when all are busy', async () => {
    await startSession('TAG-1', 1);
    const from = csms.received.length;
    expect(await csms.call('RemoteStartTransaction', { idTag: 'TAG-2' })).toEqual({ status: 'Accepted' });
    expect(await csms.next('StartTransaction', () => true, from)).toMatchObject({ connectorId: 2 });
    expect(await csms.call('RemoteStartTransaction', { idTag: 'TAG-3' })).toEqual({ status: 'Rejected' });
    expect(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-3' })).toEqual({
      status: 'Rejected',
    });
  });

  it('refuses an unknown or inoperative connector', async () => {
    expect(await csms.call('RemoteStartTransaction', { connectorId: 5, idTag: 'TAG-1' })).toEqual({
      status: 'Rejected',
    });
    await csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    expect(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-1' })).toEqual({
      status: 'Rejected',
    });
  });

  it('authorizes first when AuthorizeRemoteTxRequests is true, and ends a refused start DeAuthorized', async () => {
    await csms.call('ChangeConfiguration', { key: 'AuthorizeRemoteTxRequests', value: 'true' });
    csms.invalidTokens.add('BAD');
    expect(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'BAD' })).toEqual({
      status: 'Accepted',
    });
    await csms.next('Authorize', (p) => p.idTag === 'BAD');
    await csms.next('StatusNotification', status(1, 'Available'), csms.indexOf('Authorize'));
    expect(csms.sent('StartTransaction')).toEqual([]);

    // Authorized by Authorize but refused by StartTransaction (e.g. ConcurrentTx): stopped at once.
    await csms.call('ChangeConfiguration', { key: 'AuthorizeRemoteTxRequests', value: 'false' });
    await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'BAD' });
    expect(await csms.next('StopTransaction')).toMatchObject({ transactionId: 100, reason: 'DeAuthorized' });
  });
});

describe('RemoteStopTransaction', () => {
  it('stops a running transaction with reason Remote; an unknown one is Rejected', async () => {
    const transactionId = await startSession('TAG-1', 1);
    expect(await csms.call('RemoteStopTransaction', { transactionId: 999 })).toEqual({ status: 'Rejected' });
    const from = csms.received.length;
    expect(await csms.call('RemoteStopTransaction', { transactionId })).toEqual({ status: 'Accepted' });
    const stop = await csms.next('StopTransaction', () => true, from);
    expect(stop).toMatchObject({ transactionId, idTag: 'TAG-1', reason: 'Remote' });
    expect(stop.meterStop).toBeGreaterThanOrEqual(csms.sent('StartTransaction')[0].meterStart);
    // StopTxnSampledData: the energy register at the end.
    expect(stop.transactionData[0].sampledValue).toEqual([
      expect.objectContaining({ measurand: 'Energy.Active.Import.Register', context: 'Transaction.End' }),
    ]);
    await csms.next('StatusNotification', status(1, 'Finishing'), from);
    await csms.next(
      'StatusNotification',
      status(1, 'Available'),
      csms.indexOf('StatusNotification', status(1, 'Finishing')),
    );
    expect(station.completedSessions).toBe(1);
    expect(await csms.call('RemoteStopTransaction', { transactionId })).toEqual({ status: 'Rejected' });
  });
});

describe('Reset', () => {
  it.each(['Soft', 'Hard'] as const)('%s: ends sessions, reconnects and boots again', async (type) => {
    const transactionId = await startSession('TAG-1', 1);
    const from = csms.received.length;
    expect(await csms.call('Reset', { type })).toEqual({ status: 'Accepted' });
    expect(await csms.next('StopTransaction', () => true, from)).toMatchObject({
      transactionId,
      reason: `${type}Reset`,
    });
    await csms.waitForConnections(2);
    await csms.next('BootNotification', () => true, csms.indexOf('StopTransaction'));
    await csms.next(
      'StatusNotification',
      status(1, 'Available'),
      csms.indexOf('BootNotification', () => true) + 1,
    );
    // The rebooted station answers commands again.
    expect(await csms.call('ClearCache', {})).toEqual({ status: 'Accepted' });
  });
});

describe('faults', () => {
  it('a fault that clears on reboot is gone after a reset; a stuck one is reported again', async () => {
    await station.setFaulted(1, true, { clearsOnReboot: true });
    await station.setFaulted(2, true);
    const from = csms.received.length;
    expect(await csms.call('Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
    await csms.waitForConnections(2);
    await csms.next('BootNotification', () => true, from);
    const boot = csms.received.findIndex((r, i) => i >= from && r.action === 'BootNotification');
    await csms.next('StatusNotification', status(1, 'Available'), boot + 1);
    await csms.next('StatusNotification', status(2, 'Faulted'), boot + 1);
    expect(station.connectorStatus(1)).toBe('Available');
    expect(station.connectorStatus(2)).toBe('Faulted');
  });
});

describe('UnlockConnector', () => {
  it('stops the session on the connector first (UnlockCommand), then unlocks', async () => {
    const transactionId = await startSession('TAG-1', 2);
    const answer = await csms.call('UnlockConnector', { connectorId: 2 });
    // The StopTransaction arrived before the answer.
    expect(csms.sent('StopTransaction')).toEqual([
      expect.objectContaining({ transactionId, reason: 'UnlockCommand' }),
    ]);
    expect(answer).toEqual({ status: 'Unlocked' });
    expect(await csms.call('UnlockConnector', { connectorId: 1 })).toEqual({ status: 'Unlocked' });
    expect(await csms.call('UnlockConnector', { connectorId: 3 })).toEqual({ status: 'NotSupported' });
  });
});

describe('ChangeAvailability', () => {
  it('makes a connector Unavailable and Available again', async () => {
    let from = csms.received.length;
    expect(await csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' })).toEqual({
      status: 'Accepted',
    });
    await csms.next('StatusNotification', status(1, 'Unavailable'), from);
    from = csms.received.length;
    expect(await csms.call('ChangeAvailability', { connectorId: 1, type: 'Operative' })).toEqual({
      status: 'Accepted',
    });
    await csms.next('StatusNotification', status(1, 'Available'), from);
    expect(await csms.call('ChangeAvailability', { connectorId: 3, type: 'Operative' })).toEqual({
      status: 'Rejected',
    });
  });

  it('schedules Inoperative on a charging connector until its session ends', async () => {
    const transactionId = await startSession('TAG-1', 1);
    expect(await csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' })).toEqual({
      status: 'Scheduled',
    });
    const from = csms.received.length;
    await csms.call('RemoteStopTransaction', { transactionId });
    await csms.next('StatusNotification', status(1, 'Unavailable'), from);
    expect(csms.indexOf('StatusNotification', status(1, 'Unavailable'))).toBeGreaterThan(
      csms.indexOf('StopTransaction'),
    );
  });

  it('connectorId 0 changes the whole charge point', async () => {
    const from = csms.received.length;
    expect(await csms.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' })).toEqual({
      status: 'Accepted',
    });
    await csms.next('StatusNotification', status(0, 'Unavailable'), from);
    await csms.next('StatusNotification', status(1, 'Unavailable'), from);
    await csms.next('StatusNotification', status(2, 'Unavailable'), from);
    expect(await csms.call('RemoteStartTransaction', { idTag: 'TAG-1' })).toEqual({ status: 'Rejected' });
  });
});

describe('GetConfiguration and ChangeConfiguration', () => {
  it('lists the keys, or the asked ones with the unknown ones apart', async () => {
    const all = await csms.call('GetConfiguration', {});
    expect(all.configurationKey).toContainEqual({ key: 'HeartbeatInterval', readonly: false, value: '3600' });
    expect(all.configurationKey).toContainEqual({ key: 'NumberOfConnectors', readonly: true, value: '2' });
    expect(all.unknownKey).toBeUndefined();
    expect(await csms.call('GetConfiguration', { key: ['MeterValueSampleInterval', 'NoSuchKey'] })).toEqual({
      configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '3600' }],
      unknownKey: ['NoSuchKey'],
    });
  });

  it('answers Accepted, Rejected, NotSupported and RebootRequired as fits the key and value', async () => {
    const change = (key: string, value: string) => csms.call('ChangeConfiguration', { key, value });
    expect(await change('NumberOfConnectors', '4')).toEqual({ status: 'Rejected' });
    expect(await change('NoSuchKey', '1')).toEqual({ status: 'NotSupported' });
    expect(await change('HeartbeatInterval', 'often')).toEqual({ status: 'Rejected' });
    expect(await change('MeterValuesSampledData', 'Energy.Active.Import.Register,Bogus')).toEqual({
      status: 'Rejected',
    });
    expect(await change('WebSocketPingInterval', '60')).toEqual({ status: 'RebootRequired' });
    expect(await change('ConnectionTimeOut', '90')).toEqual({ status: 'Accepted' });
    expect((await csms.call('GetConfiguration', { key: ['ConnectionTimeOut'] })).configurationKey).toEqual([
      { key: 'ConnectionTimeOut', readonly: false, value: '90' },
    ]);
  });

  it('HeartbeatInterval restarts the heartbeat', async () => {
    expect(csms.sent('Heartbeat')).toEqual([]);
    expect(await csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '1' })).toEqual({
      status: 'Accepted',
    });
    await csms.next('Heartbeat');
  });

  it('MeterValueSampleInterval and MeterValuesSampledData change the meter values of a running session', async () => {
    await csms.call('ChangeConfiguration', {
      key: 'MeterValuesSampledData',
      value: 'Energy.Active.Import.Register,SoC',
    });
    await startSession('TAG-1', 1);
    expect(await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '1' })).toEqual({
      status: 'Accepted',
    });
    const meter = await csms.next('MeterValues');
    expect(meter.meterValue[0].sampledValue).toEqual([
      expect.objectContaining({
        measurand: 'Energy.Active.Import.Register',
        unit: 'Wh',
        context: 'Sample.Periodic',
      }),
      expect.objectContaining({ measurand: 'SoC', unit: 'Percent', location: 'EV' }),
    ]);
  });
});

describe('TriggerMessage', () => {
  it.each([
    ['BootNotification', 'BootNotification'],
    ['Heartbeat', 'Heartbeat'],
    ['DiagnosticsStatusNotification', 'DiagnosticsStatusNotification'],
    ['FirmwareStatusNotification', 'FirmwareStatusNotification'],
  ])('%s is sent after the answer', async (requestedMessage, action) => {
    const from = csms.received.length;
    expect(await csms.call('TriggerMessage', { requestedMessage })).toEqual({ status: 'Accepted' });
    await csms.next(action, () => true, from);
    expect(csms.answeredBefore('TriggerMessage', action)).toBe(true);
  });

  it('reports Idle diagnostics and firmware status when nothing is in progress', async () => {
    await csms.call('TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' });
    expect(await csms.next('DiagnosticsStatusNotification')).toEqual({ status: 'Idle' });
    await csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    expect(await csms.next('FirmwareStatusNotification')).toEqual({ status: 'Idle' });
  });

  it('StatusNotification and MeterValues respect the connectorId', async () => {
    await startSession('TAG-1', 2);
    let from = csms.received.length;
    expect(
      await csms.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 2 }),
    ).toEqual({
      status: 'Accepted',
    });
    await csms.next('StatusNotification', status(2, 'Charging'), from);
    expect(csms.received.slice(from).filter((r) => r.action === 'StatusNotification')).toHaveLength(1);

    from = csms.received.length;
    await csms.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 2 });
    const meter = await csms.next('MeterValues', () => true, from);
    expect(meter).toMatchObject({ connectorId: 2, transactionId: 100 });
    expect(meter.meterValue[0].sampledValue[0].context).toBe('Trigger');

    from = csms.received.length;
    await csms.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 });
    const idle = await csms.next('MeterValues', () => true, from);
    expect(idle.connectorId).toBe(1);
    expect(idle.transactionId).toBeUndefined();
  });

  it('refuses an unknown connector', async () => {
    expect(
      await csms.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 7 }),
    ).toEqual({
      status: 'Rejected',
    });
  });
});

describe('ClearCache and DataTransfer', () => {
  it('clears the cache', async () => {
    expect(await csms.call('ClearCache', {})).toEqual({ status: 'Accepted' });
  });

  it('echoes data for its own vendor id and refuses others', async () => {
    expect(await csms.call('DataTransfer', { vendorId: 'ChargeOps', data: 'ping' })).toEqual({
      status: 'Accepted',
      data: 'ping',
    });
    expect(await csms.call('DataTransfer', { vendorId: 'ChargeOps', messageId: 'Nope' })).toEqual({
      status: 'UnknownMessageId',
    });
    expect(await csms.call('DataTransfer', { vendorId: 'Acme' })).toEqual({ status: 'UnknownVendorId' });
  });
});

describe('cost and price display (OCA California pricing DataTransfers)', () => {
  const costMessage = (messageId: string, data: unknown) =>
    csms.call('DataTransfer', {
      vendorId: 'org.openchargealliance.costmsg',
      messageId,
      ...(data !== undefined && { data: typeof data === 'string' ? data : JSON.stringify(data) }),
    });
  const blank = { priceText: null, runningCost: null, finalCost: null };
  const runningCost = (transactionId: number, cost: number) => ({
    transactionId,
    timestamp: '2025-03-01T10:15:00Z',
    meterValue: 12_345,
    cost,
    state: 'Charging',
    chargingPrice: { kWhPrice: 0.3, hourPrice: 0, flatFee: 0.5 },
    idlePrice: { graceMinutes: 30, hourPrice: 3 },
  });
  let changes: DisplayChanged[];
  beforeEach(() => {
    changes = [];
    station.events.on('display:changed', (change) => changes.push(change));
  });

  it('has CustomDisplayCostAndPrice, true and read-only', async () => {
    expect(await csms.call('GetConfiguration', { key: ['CustomDisplayCostAndPrice'] })).toEqual({
      configurationKey: [{ key: 'CustomDisplayCostAndPrice', readonly: true, value: 'true' }],
    });
    expect(
      await csms.call('ChangeConfiguration', { key: 'CustomDisplayCostAndPrice', value: 'false' }),
    ).toEqual({ status: 'Rejected' });
  });

  it('SetUserPrice for a driver not there yet is held, then shown on the connector the token is presented on', async () => {
    expect(await costMessage('SetUserPrice', { idToken: 'TAG-1', priceText: '0.30/kWh' })).toEqual({
      status: 'Accepted',
    });
    expect(station.display(0)).toEqual({ ...blank, priceText: '0.30/kWh' });
    expect(station.display(1)).toEqual(blank);
    await startSession('TAG-1', 1);
    expect(station.display(1)).toEqual({ ...blank, priceText: '0.30/kWh' });
    expect(station.display(0)).toEqual(blank);
    // While the session runs, a new price goes to its connector.
    expect(await costMessage('SetUserPrice', { idToken: 'TAG-1', priceText: '0.25/kWh' })).toEqual({
      status: 'Accepted',
    });
    expect(station.display(1).priceText).toBe('0.25/kWh');
    expect(station.display(2)).toEqual(blank);
    expect(changes).toEqual([
      { identity: 'SIM-TEST-1', evseId: 0, ...blank, priceText: '0.30/kWh', changed: ['priceText'] },
      { identity: 'SIM-TEST-1', evseId: 0, ...blank, changed: ['priceText'] },
      { identity: 'SIM-TEST-1', evseId: 1, ...blank, priceText: '0.30/kWh', changed: ['priceText'] },
      { identity: 'SIM-TEST-1', evseId: 1, ...blank, priceText: '0.25/kWh', changed: ['priceText'] },
    ]);
  });

  it('RunningCost shows on the connector of the running session; an unknown transaction is Rejected', async () => {
    const transactionId = await startSession('TAG-1', 2);
    expect(await costMessage('RunningCost', runningCost(transactionId, 3.42))).toEqual({
      status: 'Accepted',
    });
    expect(station.display(2)).toEqual({ ...blank, runningCost: 3.42 });
    expect(changes.at(-1)).toEqual({
      identity: 'SIM-TEST-1',
      evseId: 2,
      ...blank,
      runningCost: 3.42,
      changed: ['runningCost'],
    });
    // The same figure again changes nothing on the screen.
    await costMessage('RunningCost', runningCost(transactionId, 3.42));
    expect(changes.filter((c) => c.changed.includes('runningCost'))).toHaveLength(1);
    expect(await costMessage('RunningCost', runningCost(999, 1))).toEqual({ status: 'Rejected' });
    expect(station.display(1)).toEqual(blank);
  });

  it('FinalCost after StopTransaction shows the final cost and its price text; a new driver clears them', async () => {
    const transactionId = await startSession('TAG-1', 1);
    await costMessage('RunningCost', runningCost(transactionId, 3.1));
    const from = csms.received.length;
    await csms.call('RemoteStopTransaction', { transactionId });
    await csms.next('StopTransaction', () => true, from);
    expect(
      await costMessage('FinalCost', { transactionId, cost: 3.42, priceText: '3.42 for 11.4 kWh' }),
    ).toEqual({ status: 'Accepted' });
    expect(station.display(1)).toEqual({ priceText: '3.42 for 11.4 kWh', runningCost: 3.1, finalCost: 3.42 });
    expect(await costMessage('FinalCost', { transactionId: 999, cost: 1 })).toEqual({ status: 'Rejected' });

    await csms.next('StatusNotification', status(1, 'Available'), from);
    await startSession('TAG-2', 1);
    expect(station.display(1)).toEqual(blank);
  });

  it('Rejected for data that is no JSON or lacks a field; UnknownMessageId for other messages', async () => {
    const transactionId = await startSession('TAG-1', 1);
    for (const [messageId, data] of [
      ['SetUserPrice', 'not json'],
      ['SetUserPrice', undefined],
      ['SetUserPrice', { idToken: 'TAG-1' }],
      ['SetUserPrice', '"0.30/kWh"'],
      ['RunningCost', { ...runningCost(transactionId, 1), cost: undefined }],
      ['RunningCost', { ...runningCost(transactionId, 1), state: 'Parked' }],
      ['RunningCost', { ...runningCost(transactionId, 1), timestamp: 'yesterday' }],
      ['RunningCost', { ...runningCost(transactionId, 1), chargingPrice: { kWhPrice: 'cheap' } }],
      ['FinalCost', { transactionId: String(transactionId), cost: 1 }],
      ['FinalCost', { transactionId }],
    ] as const)
      expect(await costMessage(messageId, data), `${messageId} ${JSON.stringify(data)}`).toEqual({
        status: 'Rejected',
      });
    expect(await costMessage('DefaultPrice', { priceText: 'free' })).toEqual({ status: 'UnknownMessageId' });
    expect(
      await csms.call('DataTransfer', { vendorId: 'org.openchargealliance.costmsg', data: '{}' }),
    ).toEqual({ status: 'UnknownMessageId' });
    expect(station.display(1)).toEqual(blank);
    expect(changes).toEqual([]);
  });

  const defaultPrice = (priceText: string) =>
    JSON.stringify({
      priceText,
      priceTextOffline: `${priceText} (offline)`,
      chargingPrice: { kWhPrice: 0.45, hourPrice: 0, flatFee: 0 },
    });

  it('DefaultPrice shows on idle connectors; a driver price and a session go first; it returns once the screen clears', async () => {
    await replaceStation({ finalCostShownSeconds: 0.2 });
    station.events.on('display:changed', (change) => changes.push(change));
    const value = defaultPrice('$0.45/kWh');
    expect(await csms.call('ChangeConfiguration', { key: 'DefaultPrice', value })).toEqual({
      status: 'Accepted',
    });
    expect(await csms.call('GetConfiguration', { key: ['DefaultPrice'] })).toEqual({
      configurationKey: [{ key: 'DefaultPrice', readonly: false, value }],
    });
    expect(station.display(1)).toEqual({ ...blank, priceText: '$0.45/kWh' });
    expect(station.display(2)).toEqual({ ...blank, priceText: '$0.45/kWh' });
    expect(changes.map(({ evseId, priceText }) => [evseId, priceText])).toEqual([
      [1, '$0.45/kWh'],
      [2, '$0.45/kWh'],
    ]);

    // The identified driver sees their own price; a session without one shows no default.
    await costMessage('SetUserPrice', { idToken: 'TAG-1', priceText: '$0.30/kWh' });
    const transactionId = await startSession('TAG-1', 1);
    expect(station.display(1)).toEqual({ ...blank, priceText: '$0.30/kWh' });
    await startSession('TAG-2', 2);
    expect(station.display(2)).toEqual(blank);

    await costMessage('RunningCost', runningCost(transactionId, 3.1));
    const from = csms.received.length;
    await csms.call('RemoteStopTransaction', { transactionId });
    await csms.next('StopTransaction', () => true, from);
    await costMessage('FinalCost', { transactionId, cost: 3.42, priceText: '3.42 in total' });
    expect(station.display(1)).toEqual({ priceText: '3.42 in total', runningCost: 3.1, finalCost: 3.42 });
    await vi.waitFor(() => expect(station.display(1)).toEqual({ ...blank, priceText: '$0.45/kWh' }));
    // Too late once the screen has moved on.
    expect(await costMessage('FinalCost', { transactionId, cost: 3.42 })).toEqual({ status: 'Rejected' });
  });

  it('DefaultPrice takes only the OCA JSON shape; an empty priceText shows nothing', async () => {
    for (const value of [
      '$0.45/kWh',
      '{}',
      JSON.stringify({ priceText: '$0.45/kWh' }),
      JSON.stringify({ priceText: 45, chargingPrice: {} }),
      JSON.stringify({ priceText: '$0.45/kWh', chargingPrice: { kWhPrice: -1 } }),
      JSON.stringify({ priceText: '$0.45/kWh', priceTextOffline: 1, chargingPrice: {} }),
    ])
      expect(await csms.call('ChangeConfiguration', { key: 'DefaultPrice', value }), value).toEqual({
        status: 'Rejected',
      });
    expect(changes).toEqual([]);
    await csms.call('ChangeConfiguration', { key: 'DefaultPrice', value: defaultPrice('$0.45/kWh') });
    expect(station.display(1).priceText).toBe('$0.45/kWh');
    expect(
      await csms.call('ChangeConfiguration', {
        key: 'DefaultPrice',
        value: JSON.stringify({ priceText: '', chargingPrice: { kWhPrice: 0, hourPrice: 0, flatFee: 0 } }),
      }),
    ).toEqual({ status: 'Accepted' });
    expect(station.display(1)).toEqual(blank);
  });

  it('a station without a cost display reads false and does not know the vendor id', async () => {
    await replaceStation({ displayCostAndPrice: false });
    expect(
      await csms.call('GetConfiguration', { key: ['CustomDisplayCostAndPrice', 'DefaultPrice'] }),
    ).toEqual({
      configurationKey: [{ key: 'CustomDisplayCostAndPrice', readonly: true, value: 'false' }],
      unknownKey: ['DefaultPrice'],
    });
    expect(
      await csms.call('ChangeConfiguration', { key: 'DefaultPrice', value: defaultPrice('$0.45/kWh') }),
    ).toEqual({ status: 'NotSupported' });
    expect(await costMessage('SetUserPrice', { idToken: 'TAG-1', priceText: '0.30/kWh' })).toEqual({
      status: 'UnknownVendorId',
    });
    expect(station.display(0)).toEqual(blank);
  });
});

describe('UpdateFirmware', () => {
  it('downloads, installs, reboots and boots with the new firmware version', async () => {
    const retrieveDate = new Date(Date.now() - 1000).toISOString();
    expect(
      await csms.call('UpdateFirmware', {
        location: 'https://firmware.example/sim/sim-2.0.bin',
        retrieveDate,
      }),
    ).toEqual({});
    await csms.waitForConnections(2);
    const boot = await csms.next('BootNotification', (p) => p.firmwareVersion === 'sim-2.0');
    expect(boot.chargePointVendor).toBe('ChargeOps');
    expect(csms.sent('FirmwareStatusNotification').map((p) => p.status)).toEqual([
      'Downloading',
      'Downloaded',
      'Installing',
      'Installed',
    ]);
    expect(csms.indexOf('FirmwareStatusNotification', (p) => p.status === 'Installed')).toBeLessThan(
      csms.indexOf('BootNotification', (p) => p.firmwareVersion === 'sim-2.0'),
    );
  });

  it('waits for running sessions before installing', async () => {
    const transactionId = await startSession('TAG-1', 1);
    await csms.call('UpdateFirmware', {
      location: 'http://fw.example/sim-3.1.bin',
      retrieveDate: new Date().toISOString(),
    });
    await csms.next('FirmwareStatusNotification', (p) => p.status === 'Downloaded');
    expect(await csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-2' })).toEqual({
      status: 'Rejected',
    });
    await csms.call('RemoteStopTransaction', { transactionId });
    await csms.next('BootNotification', (p) => p.firmwareVersion === 'sim-3.1');
    expect(csms.indexOf('FirmwareStatusNotification', (p) => p.status === 'Installing')).toBeGreaterThan(
      csms.indexOf('StopTransaction'),
    );
  });

  it('reports DownloadFailed for a location it cannot download from', async () => {
    await csms.call('UpdateFirmware', {
      location: 'mailto:firmware@example.com',
      retrieveDate: new Date().toISOString(),
    });
    expect(await csms.next('FirmwareStatusNotification')).toEqual({ status: 'DownloadFailed' });
    const from = csms.received.length;
    await csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    expect(await csms.next('FirmwareStatusNotification', () => true, from)).toEqual({ status: 'Idle' });
    expect(csms.connections).toBe(1);
  });
});

describe('GetDiagnostics', () => {
  it('uploads a log of recent activity as multipart/form-data and reports Uploaded', async () => {
    const server = await startUploadServer();
    try {
      const { fileName } = await csms.call('GetDiagnostics', { location: server.url });
      expect(fileName).toMatch(/^SIM-TEST-1-diagnostics-\d{8}T\d{6}Z\.log$/);
      await csms.next('DiagnosticsStatusNotification', (p) => p.status === 'Uploaded');
      expect(csms.sent('DiagnosticsStatusNotification').map((p) => p.status)).toEqual([
        'Uploading',
        'Uploaded',
      ]);
      expect(server.uploads).toHaveLength(1);
      const [upload] = server.uploads;
      expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(upload?.fileName).toBe(fileName);
      expect(upload?.content).toContain('Station SIM-TEST-1 (ChargeOps Simulator), firmware sim-1.0');
      expect(upload?.content).toContain('"BootNotification"');
      expect(upload?.content).toContain('"GetDiagnostics"');
    } finally {
      await server.close();
    }
  });

  it.each([
    ['a server error', 500],
    ['an FTP location', 0],
  ])('reports UploadFailed after %s', async (_case, code) => {
    const server = await startUploadServer(code || 200);
    try {
      const location = code ? server.url : 'ftp://127.0.0.1/diagnostics';
      await csms.call('GetDiagnostics', { location });
      await csms.next('DiagnosticsStatusNotification', (p) => p.status === 'UploadFailed');
      expect(csms.sent('DiagnosticsStatusNotification').map((p) => p.status)).toEqual([
        'Uploading',
        'UploadFailed',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('ReserveNow and CancelReservation', () => {
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

  it('reserves a connector for one idTag, whose session then uses the reservation', async () => {
    let from = csms.received.length;
    expect(
      await csms.call('ReserveNow', {
        connectorId: 1,
        expiryDate: inAnHour(),
        idTag: 'TAG-R',
        reservationId: 7,
      }),
    ).toEqual({ status: 'Accepted' });
    await csms.next('StatusNotification', status(1, 'Reserved'), from);
    expect(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-X' })).toEqual({
      status: 'Rejected',
    });
    // Without a connectorId the holder of the reservation gets its connector.
    from = csms.received.length;
    expect(await csms.call('RemoteStartTransaction', { idTag: 'TAG-R' })).toEqual({ status: 'Accepted' });
    expect(await csms.next('StartTransaction', () => true, from)).toMatchObject({
      connectorId: 1,
      idTag: 'TAG-R',
      reservationId: 7,
    });
    expect(await csms.call('CancelReservation', { reservationId: 7 })).toEqual({ status: 'Rejected' });
  });

  it('answers Occupied, Faulted, Unavailable and Rejected as the connector stands', async () => {
    const reserve = (connectorId: number, reservationId: number) =>
      csms.call('ReserveNow', { connectorId, expiryDate: inAnHour(), idTag: 'TAG-R', reservationId });
    expect(await reserve(0, 1)).toEqual({ status: 'Rejected' });
    expect(await reserve(9, 1)).toEqual({ status: 'Rejected' });
    await startSession('TAG-1', 1);
    expect(await reserve(1, 1)).toEqual({ status: 'Occupied' });
    await station.setFaulted(2, true);
    expect(await reserve(2, 2)).toEqual({ status: 'Faulted' });
    await station.setFaulted(2, false);
    await csms.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
    expect(await reserve(2, 3)).toEqual({ status: 'Unavailable' });
  });

  it('cancels a known reservation (Available again); an unknown one is Rejected', async () => {
    await csms.call('ReserveNow', {
      connectorId: 2,
      expiryDate: inAnHour(),
      idTag: 'TAG-R',
      reservationId: 8,
    });
    await csms.next('StatusNotification', status(2, 'Reserved'));
    const from = csms.received.length;
    expect(await csms.call('CancelReservation', { reservationId: 8 })).toEqual({ status: 'Accepted' });
    await csms.next('StatusNotification', status(2, 'Available'), from);
    expect(await csms.call('CancelReservation', { reservationId: 8 })).toEqual({ status: 'Rejected' });
  });

  it('frees the connector when the reservation expires', async () => {
    const expiryDate = new Date(Date.now() + 300).toISOString();
    await csms.call('ReserveNow', { connectorId: 1, expiryDate, idTag: 'TAG-R', reservationId: 9 });
    await csms.next('StatusNotification', status(1, 'Reserved'));
    await csms.next(
      'StatusNotification',
      status(1, 'Available'),
      csms.indexOf('StatusNotification', status(1, 'Reserved')),
    );
    expect(await csms.call('CancelReservation', { reservationId: 9 })).toEqual({ status: 'Rejected' });
  });
});

describe('GetLocalListVersion and SendLocalList', () => {
  type IdTagInfo = { status: string; expiryDate?: string; parentIdTag?: string };
  const item = (idTag: string, idTagInfo?: IdTagInfo) => ({ idTag, ...(idTagInfo && { idTagInfo }) });
  const sendList = (listVersion: number, updateType: 'Full' | 'Differential', list?: object[]) =>
    csms.call('SendLocalList', {
      listVersion,
      updateType,
      ...(list && { localAuthorizationList: list }),
    });
  const listVersion = async () => (await csms.call('GetLocalListVersion', {})).listVersion as number;
  const stored = () => station.localAuthList?.entries().map((e) => `${e.idToken}:${e.status}`);

  it('answers version 0 without a list, then applies a full list and a differential update', async () => {
    expect(await listVersion()).toBe(0);
    const expiryDate = '2030-01-01T00:00:00.000Z';
    expect(
      await sendList(3, 'Full', [
        item('CARD-A', { status: 'Accepted', expiryDate, parentIdTag: 'FLEET-1' }),
        item('CARD-B', { status: 'Blocked' }),
      ]),
    ).toEqual({ status: 'Accepted' });
    expect(await listVersion()).toBe(3);
    expect(station.localAuthList?.entries()).toEqual([
      { idToken: 'CARD-A', status: 'Accepted', expiresAt: new Date(expiryDate), parentIdTag: 'FLEET-1' },
      { idToken: 'CARD-B', status: 'Blocked' },
    ]);

    // A differential update adds and replaces idTags with idTagInfo and removes those without.
    expect(
      await sendList(4, 'Differential', [
        item('card-b'),
        item('CARD-C', { status: 'Accepted' }),
        item('CARD-A', { status: 'Expired' }),
      ]),
    ).toEqual({ status: 'Accepted' });
    expect(await listVersion()).toBe(4);
    expect(stored()).toEqual(['CARD-A:Expired', 'CARD-C:Accepted']);

    // A full update without a list empties it: version 0 again.
    expect(await sendList(5, 'Full')).toEqual({ status: 'Accepted' });
    expect(await listVersion()).toBe(0);
    expect(stored()).toEqual([]);
  });

  it('VersionMismatch for a differential update that is not newer; Failed for a bad list; nothing changes', async () => {
    await replaceStation({ localAuthListMaxLength: 2, sendLocalListMaxLength: 3 });
    expect(await sendList(7, 'Full', [item('CARD-A', { status: 'Accepted' })])).toEqual({
      status: 'Accepted',
    });
    const accepted = (idTag: string) => item(idTag, { status: 'Accepted' });
    expect(await sendList(7, 'Differential', [accepted('CARD-B')])).toEqual({ status: 'VersionMismatch' });
    expect(await sendList(6, 'Differential', [accepted('CARD-B')])).toEqual({ status: 'VersionMismatch' });
    // More than LocalAuthListMaxLength entries in all, or than SendLocalListMaxLength in one message.
    expect(await sendList(8, 'Differential', [accepted('CARD-B'), accepted('CARD-C')])).toEqual({
      status: 'Failed',
    });
    const removals = ['CARD-B', 'CARD-C', 'CARD-D', 'CARD-E'].map((idTag) => item(idTag));
    expect(await sendList(8, 'Differential', removals)).toEqual({ status: 'Failed' });
    // The same idTag twice, an idTag without idTagInfo in a full list, version 0.
    expect(await sendList(8, 'Full', [accepted('CARD-B'), accepted('card-b')])).toEqual({ status: 'Failed' });
    expect(await sendList(8, 'Full', [accepted('CARD-B'), item('CARD-C')])).toEqual({ status: 'Failed' });
    expect(await sendList(0, 'Full', [accepted('CARD-B')])).toEqual({ status: 'Failed' });
    expect(await listVersion()).toBe(7);
    expect(stored()).toEqual(['CARD-A:Accepted']);
    // Within the limits it fits.
    expect(await sendList(8, 'Differential', [accepted('CARD-B')])).toEqual({ status: 'Accepted' });
    expect(stored()).toEqual(['CARD-A:Accepted', 'CARD-B:Accepted']);
  });

  it('keeps the list across a reboot; a station that lost it reports version 0', async () => {
    await sendList(2, 'Full', [item('CARD-A', { status: 'Accepted' })]);
    const from = csms.received.length;
    expect(await csms.call('Reset', { type: 'Hard' })).toEqual({ status: 'Accepted' });
    await csms.waitForConnections(2);
    await csms.next('BootNotification', () => true, from);
    expect(await listVersion()).toBe(2);
    expect(stored()).toEqual(['CARD-A:Accepted']);
    station.clearLocalAuthList();
    expect(await listVersion()).toBe(0);
    expect(stored()).toEqual([]);
  });

  it('has the §9.2 configuration keys and the feature profile', async () => {
    await replaceStation({ localAuthListMaxLength: 500, sendLocalListMaxLength: 50 });
    const { configurationKey } = await csms.call('GetConfiguration', {
      key: [
        'LocalAuthListEnabled',
        'LocalAuthListMaxLength',
        'SendLocalListMaxLength',
        'SupportedFeatureProfiles',
      ],
    });
    expect(configurationKey).toEqual([
      { key: 'LocalAuthListEnabled', readonly: false, value: 'true' },
      { key: 'LocalAuthListMaxLength', readonly: true, value: '500' },
      { key: 'SendLocalListMaxLength', readonly: true, value: '50' },
      {
        key: 'SupportedFeatureProfiles',
        readonly: true,
        value: 'Core,FirmwareManagement,LocalAuthListManagement,RemoteTrigger,Reservation,SmartCharging',
      },
    ]);
    const change = (key: string, value: string) => csms.call('ChangeConfiguration', { key, value });
    expect(await change('LocalAuthListMaxLength', '10')).toEqual({ status: 'Rejected' });
    expect(await change('LocalAuthListEnabled', 'false')).toEqual({ status: 'Accepted' });
    expect(station.settings.localAuthListEnabled).toBe(false);
    expect(await change('LocalPreAuthorize', 'true')).toEqual({ status: 'Accepted' });
    expect(station.settings.localPreAuthorize).toBe(true);
  });

  it('without the feature: version -1, NotSupported, no keys and no profile', async () => {
    await replaceStation({ localAuthList: false });
    expect(station.localAuthList).toBeUndefined();
    expect(await listVersion()).toBe(-1);
    expect(await sendList(1, 'Full', [item('CARD-A', { status: 'Accepted' })])).toEqual({
      status: 'NotSupported',
    });
    const keys = ['LocalAuthListEnabled', 'LocalAuthListMaxLength', 'SendLocalListMaxLength'];
    expect(await csms.call('GetConfiguration', { key: keys })).toEqual({
      configurationKey: [],
      unknownKey: keys,
    });
    const { configurationKey } = await csms.call('GetConfiguration', { key: ['SupportedFeatureProfiles'] });
    expect(configurationKey[0].value).toBe('Core,FirmwareManagement,RemoteTrigger,Reservation,SmartCharging');
    expect(await csms.call('ChangeConfiguration', { key: 'LocalAuthListEnabled', value: 'true' })).toEqual({
      status: 'NotSupported',
    });
  });
});

describe('the local list when a driver presents a card', () => {
  const past = '2020-01-01T00:00:00.000Z';

  /** A one-connector station starting sessions with `card` by itself, the card in its local list. */
  const presentCard = (
    card: string,
    info: NonNullable<LocalListItem['info']>,
    settings: Partial<SimulatedStation['settings']> = {},
  ) =>
    replaceStation(
      {
        connectors: 1,
        autoSessions: true,
        idTokens: [card],
        idleSeconds: [0.05, 0.05],
        sessionSeconds: [3600, 3600],
      },
      (s) => {
        // Stored before the boot, as if kept in flash: the card comes right after it.
        const items = [{ idToken: card.toUpperCase(), info }];
        expect(s.localAuthList?.apply({ updateType: 'Full', version: 1, items })).toBe('Accepted');
        Object.assign(s.settings, settings);
      },
    );
  const sentSince = (from: number, action: string) =>
    csms.received.slice(from).filter((r) => r.action === action);

  it.each<[string, NonNullable<LocalListItem['info']>]>([
    ['Blocked', { status: 'Blocked' }],
    ['Expired', { status: 'Accepted', expiresAt: past }],
  ])('refuses a card the list holds as %s without asking the CSMS', async (shown, info) => {
    const from = await presentCard('card-9', info);
    await csms.next('StatusNotification', status(1, 'Preparing'), from);
    const preparing = csms.received.findIndex(
      (r, i) => i >= from && r.action === 'StatusNotification' && r.params.status === 'Preparing',
    );
    await csms.next('StatusNotification', status(1, 'Available'), preparing);
    expect(sentSince(from, 'Authorize')).toEqual([]);
    expect(sentSince(from, 'StartTransaction')).toEqual([]);
    expect(station.log.render([])).toContain(`card-9 refused by the local authorization list (${shown})`);
  });

  it('with LocalPreAuthorize starts a card the list accepts without Authorize', async () => {
    const from = await presentCard('CARD-1', { status: 'Accepted' }, { localPreAuthorize: true });
    expect(await csms.next('StartTransaction', () => true, from)).toMatchObject({ idTag: 'CARD-1' });
    expect(sentSince(from, 'Authorize')).toEqual([]);
  });

  it('without LocalPreAuthorize asks the CSMS about a card the list accepts', async () => {
    const from = await presentCard('CARD-1', { status: 'Accepted' });
    await csms.next('Authorize', (p) => p.idTag === 'CARD-1', from);
    await csms.next('StartTransaction', () => true, from);
    expect(csms.indexOf('Authorize', () => true)).toBeLessThan(csms.indexOf('StartTransaction'));
  });

  it('with LocalAuthListEnabled false the list is not consulted', async () => {
    const from = await presentCard('CARD-1', { status: 'Blocked' }, { localAuthListEnabled: false });
    await csms.next('Authorize', (p) => p.idTag === 'CARD-1', from);
    await csms.next('StartTransaction', () => true, from);
  });
});

describe('smart charging (SetChargingProfile, ClearChargingProfile, GetCompositeSchedule)', () => {
  type Profile = Record<string, unknown>;
  /** A Relative TxDefaultProfile of `limit` A, unless told otherwise. */
  const aProfile = (overrides: Profile = {}, limit = 10, chargingRateUnit = 'A'): Profile => ({
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    ...overrides,
  });
  const setProfile = (connectorId: number, csChargingProfiles: Profile) =>
    csms.call('SetChargingProfile', { connectorId, csChargingProfiles });
  type SampledValue = { measurand: string; value: string; phase?: string; context: string };
  const values = (meter: { meterValue: { sampledValue: SampledValue[] }[] }, measurand: string) =>
    meter.meterValue[0]!.sampledValue.filter((s) => s.measurand === measurand).map((s) => Number(s.value));
  /** The next MeterValues of the connector's transaction after `from`. */
  const nextMeterValues = (connectorId: number, from: number) =>
    csms.next('MeterValues', (p) => p.connectorId === connectorId && p.transactionId !== undefined, from);
  beforeEach(async () => {
    await csms.call('ChangeConfiguration', {
      key: 'MeterValuesSampledData',
      value: 'Power.Active.Import,Current.Import,Current.Offered',
    });
  });

  it('a TxProfile caps the session at once: MeterValues right after the answer show the lower power and current', async () => {
    const transactionId = await startSession('TAG-1', 1);
    const from = csms.received.length;
    const txProfile = aProfile({ chargingProfileId: 7, chargingProfilePurpose: 'TxProfile', transactionId });
    expect(await setProfile(1, txProfile)).toEqual({ status: 'Accepted' });
    const meter = await nextMeterValues(1, from);
    expect(csms.answeredBefore('SetChargingProfile', 'MeterValues')).toBe(true);
    expect(meter.transactionId).toBe(transactionId);
    // 10 A on three phases at 230 V; without the profile the EV drew 9.9 to 11 kW.
    expect(values(meter, 'Power.Active.Import')).toEqual([6900]);
    expect(
      meter.meterValue[0].sampledValue.filter((s: SampledValue) => s.measurand === 'Current.Import'),
    ).toEqual(['L1', 'L2', 'L3'].map((phase) => expect.objectContaining({ phase, context: 'Other' })));
    for (const amps of values(meter, 'Current.Import')) expect(amps).toBeLessThanOrEqual(10);
    expect(values(meter, 'Current.Offered')).toEqual([10]);
    expect(station.sessionOn(1)?.powerW).toBe(6900);
    // No status change: the EV still charges.
    expect(csms.received.slice(from).filter((r) => r.action === 'StatusNotification')).toEqual([]);
  });

  it('rejects a TxProfile without a transaction, a ChargePointMaxProfile on a connector, an unknown connector', async () => {
    const txProfile = aProfile({ chargingProfilePurpose: 'TxProfile' });
    expect(await setProfile(1, txProfile)).toEqual({ status: 'Rejected' });
    const transactionId = await startSession('TAG-1', 1);
    expect(await setProfile(2, { ...txProfile, transactionId })).toEqual({ status: 'Rejected' });
    const max = aProfile(
      { chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute' },
      32,
    );
    expect(await setProfile(1, max)).toEqual({ status: 'Rejected' });
    expect(await setProfile(3, aProfile())).toEqual({ status: 'Rejected' });
    expect(station.chargingProfiles.size).toBe(0);
    expect(await setProfile(0, max)).toEqual({ status: 'Accepted' });
    expect(await setProfile(1, { ...txProfile, chargingProfileId: 2, transactionId })).toEqual({
      status: 'Accepted',
    });
  });

  it('ClearChargingProfile lifts the limit (Accepted), and answers Unknown when nothing matches', async () => {
    await startSession('TAG-1', 1);
    let from = csms.received.length;
    expect(await setProfile(1, aProfile({ chargingProfileId: 3 }, 8))).toEqual({ status: 'Accepted' });
    expect(values(await nextMeterValues(1, from), 'Power.Active.Import')).toEqual([5520]);
    expect(await csms.call('ClearChargingProfile', { id: 9 })).toEqual({ status: 'Unknown' });
    expect(await csms.call('ClearChargingProfile', { connectorId: 2 })).toEqual({ status: 'Unknown' });
    from = csms.received.length;
    expect(
      await csms.call('ClearChargingProfile', { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile' }),
    ).toEqual({ status: 'Accepted' });
    const meter = await nextMeterValues(1, from);
    expect(values(meter, 'Power.Active.Import')[0]).toBeGreaterThan(9000);
    expect(values(meter, 'Current.Offered')).toEqual([15.9]);
    expect(station.chargingProfiles.size).toBe(0);
  });

  it('GetCompositeSchedule returns the limit in force, in A or W, for a connector or the charge point', async () => {
    const max = aProfile(
      {
        chargingProfileId: 1,
        chargingProfilePurpose: 'ChargePointMaxProfile',
        chargingProfileKind: 'Absolute',
      },
      32,
    );
    await setProfile(0, max);
    await setProfile(1, aProfile({ chargingProfileId: 2 }, 10));
    const composite = await csms.call('GetCompositeSchedule', { connectorId: 1, duration: 600 });
    expect(composite).toEqual({
      status: 'Accepted',
      connectorId: 1,
      scheduleStart: expect.any(String),
      chargingSchedule: {
        duration: 600,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 10, numberPhases: 3 }],
      },
    });
    expect(Math.abs(Date.parse(composite.scheduleStart) - Date.now())).toBeLessThan(5000);
    const inWatts = await csms.call('GetCompositeSchedule', {
      connectorId: 1,
      duration: 600,
      chargingRateUnit: 'W',
    });
    expect(inWatts.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 6900, numberPhases: 3 },
    ]);
    // The charge point's grid connection: the ChargePointMaxProfile, below the two connectors' 22 kW.
    const station0 = await csms.call('GetCompositeSchedule', { connectorId: 0, duration: 600 });
    expect(station0.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 31.8, numberPhases: 3 },
    ]);
    expect(await csms.call('GetCompositeSchedule', { connectorId: 3, duration: 600 })).toEqual({
      status: 'Rejected',
    });
  });

  it('a limit below 6 A suspends the EV (SuspendedEVSE, no power) until a higher one lets it charge again', async () => {
    const transactionId = await startSession('TAG-1', 1);
    const txProfile = (limit: number) =>
      aProfile({ chargingProfileId: 5, chargingProfilePurpose: 'TxProfile', transactionId }, limit);
    let from = csms.received.length;
    expect(await setProfile(1, txProfile(5))).toEqual({ status: 'Accepted' });
    await csms.next('StatusNotification', status(1, 'SuspendedEVSE'), from);
    let meter = await nextMeterValues(1, from);
    expect(values(meter, 'Power.Active.Import')).toEqual([0]);
    expect(values(meter, 'Current.Import')).toEqual([0, 0, 0]);
    expect(values(meter, 'Current.Offered')).toEqual([5]);
    expect(station.connectorStatus(1)).toBe('SuspendedEVSE');

    from = csms.received.length;
    expect(await setProfile(1, txProfile(16))).toEqual({ status: 'Accepted' });
    await csms.next('StatusNotification', status(1, 'Charging'), from);
    meter = await nextMeterValues(1, from);
    expect(values(meter, 'Power.Active.Import')[0]).toBeGreaterThan(9000);

    // The TxProfile goes with its transaction.
    await csms.call('RemoteStopTransaction', { transactionId });
    await csms.next('StopTransaction', () => true, from);
    expect(station.chargingProfiles.size).toBe(0);
  });

  it('a TxDefaultProfile below 6 A set before the session makes it start suspended', async () => {
    expect(await setProfile(0, aProfile({}, 4))).toEqual({ status: 'Accepted' });
    const from = csms.received.length;
    await csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-1' });
    await csms.next('StartTransaction', () => true, from);
    await csms.next('StatusNotification', status(2, 'SuspendedEVSE'), from);
    expect(
      csms.received
        .slice(from)
        .some((r) => r.action === 'StatusNotification' && r.params.status === 'Charging'),
    ).toBe(false);
    expect(station.sessionOn(2)?.powerW).toBe(0);
  });

  it('the charge point maximum is shared by the sessions: a second one halves the first', async () => {
    const max = aProfile(
      { chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute' },
      20,
    );
    expect(await setProfile(0, max)).toEqual({ status: 'Accepted' });
    await startSession('TAG-1', 1);
    expect(station.sessionOn(1)?.powerW).toBeGreaterThan(9000);
    const from = csms.received.length;
    await startSession('TAG-2', 2);
    expect(values(await nextMeterValues(1, from), 'Power.Active.Import')).toEqual([6900]);
    expect(station.sessionOn(2)?.powerW).toBe(6900);
  });

  it('has the Smart Charging configuration keys, read-only, and the feature profile', async () => {
    const keys = [
      'ChargeProfileMaxStackLevel',
      'ChargingScheduleAllowedChargingRateUnit',
      'ChargingScheduleMaxPeriods',
      'MaxChargingProfilesInstalled',
    ];
    expect((await csms.call('GetConfiguration', { key: keys })).configurationKey).toEqual([
      { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '8' },
      { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current,Power' },
      { key: 'ChargingScheduleMaxPeriods', readonly: true, value: '24' },
      { key: 'MaxChargingProfilesInstalled', readonly: true, value: '20' },
    ]);
    expect(await csms.call('ChangeConfiguration', { key: 'ChargeProfileMaxStackLevel', value: '3' })).toEqual(
      {
        status: 'Rejected',
      },
    );
    expect(await setProfile(1, aProfile({ stackLevel: 9 }))).toEqual({ status: 'Rejected' });
  });
});

describe('other actions', () => {
  it('answers NotSupported for actions the station does not implement (the security extension)', async () => {
    await expect(csms.call('CertificateSigned', { certificateChain: 'PEM' })).rejects.toMatchObject({
      rpcErrorCode: 'NotSupported',
    });
  });
});
