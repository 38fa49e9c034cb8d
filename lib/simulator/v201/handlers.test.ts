import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DisplayChanged } from '../display';
import type { LocalListItem } from '../local-list';
import type { SimulatedStation, SimulatedStationOptions } from '../station';
import { aStation, bootStation, FakeCsms, startUploadServer } from '../testing';

// The simulator against a strict fake CSMS speaking OCPP 2.0.1: every frame both ways is validated
// against the official schemas, so a malformed answer or follow-up fails the test.
let csms: FakeCsms;
let station: SimulatedStation;
let errors: unknown[];

beforeEach(async () => {
  csms = await FakeCsms.start('ocpp2.0.1');
  ({ station, errors } = aStation(csms));
  await bootStation(csms, station);
});

afterEach(async () => {
  await station.stop();
  await csms.close();
  expect(errors).toEqual([]);
});

type StatusParams = { evseId: number; connectorStatus: string };
const status = (evseId: number, value: string) => (p: StatusParams) =>
  p.evseId === evseId && p.connectorStatus === value;
const token = (idToken: string) => ({ idToken, type: 'ISO14443' });
const started = (p: { eventType: string }) => p.eventType === 'Started';
const ended = (p: { eventType: string }) => p.eventType === 'Ended';

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

/** Remote-starts a session and waits until its EVSE is Occupied; returns its transactionId. */
async function startSession(idToken = 'TOKEN-1', evseId?: number, remoteStartId = 1): Promise<string> {
  const from = csms.received.length;
  const answer = await csms.call('RequestStartTransaction', {
    idToken: token(idToken),
    remoteStartId,
    ...(evseId && { evseId }),
  });
  expect(answer).toEqual({ status: 'Accepted' });
  const event = await csms.next('TransactionEvent', (p) => started(p) && p.idToken.idToken === idToken, from);
  await csms.next('StatusNotification', status(event.evse.id, 'Occupied'), from);
  return event.transactionInfo.transactionId as string;
}

const variable = (component: object, name: string, extra: object = {}) => ({
  component,
  variable: { name },
  ...extra,
});

describe('RequestStartTransaction', () => {
  it('starts a transaction: TransactionEvent Started (RemoteStart) and StatusNotification Occupied', async () => {
    const from = csms.received.length;
    expect(
      await csms.call('RequestStartTransaction', { evseId: 2, idToken: token('TOKEN-1'), remoteStartId: 42 }),
    ).toEqual({ status: 'Accepted' });
    const event = await csms.next('TransactionEvent', started, from);
    expect(csms.answeredBefore('RequestStartTransaction', 'TransactionEvent')).toBe(true);
    expect(event).toMatchObject({
      triggerReason: 'RemoteStart',
      seqNo: 0,
      transactionInfo: { chargingState: 'Charging', remoteStartId: 42 },
      idToken: { idToken: 'TOKEN-1', type: 'ISO14443' },
      evse: { id: 2, connectorId: 1 },
    });
    expect(event.transactionInfo.transactionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.reservationId).toBeUndefined();
    await csms.next('StatusNotification', status(2, 'Occupied'), from);
  });

  it('picks a free EVSE when none is given, and refuses when busy, unknown or inoperative', async () => {
    await startSession('TOKEN-1', 1);
    const from = csms.received.length;
    expect(
      await csms.call('RequestStartTransaction', { idToken: token('TOKEN-2'), remoteStartId: 2 }),
    ).toEqual({
      status: 'Accepted',
    });
    expect(await csms.next('TransactionEvent', started, from)).toMatchObject({ evse: { id: 2 } });
    const start = (evseId?: number) =>
      csms.call('RequestStartTransaction', {
        idToken: token('TOKEN-3'),
        remoteStartId: 3,
        ...(evseId && { evseId }),
      });
    expect(await start()).toEqual({ status: 'Rejected' });
    expect(await start(1)).toEqual({ status: 'Rejected' });
    expect(await start(3)).toEqual({ status: 'Rejected' });
  });

  it('refuses an inoperative EVSE', async () => {
    await csms.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } });
    expect(
      await csms.call('RequestStartTransaction', { evseId: 1, idToken: token('TOKEN-1'), remoteStartId: 1 }),
    ).toEqual({ status: 'Rejected' });
  });

  it('ends a transaction whose token the CSMS refuses (DeAuthorized)', async () => {
    csms.invalidTokens.add('BAD');
    await csms.call('RequestStartTransaction', { evseId: 1, idToken: token('BAD'), remoteStartId: 1 });
    expect(await csms.next('TransactionEvent', ended)).toMatchObject({
      triggerReason: 'Deauthorized',
      transactionInfo: { stoppedReason: 'DeAuthorized' },
    });
  });
});

describe('RequestStopTransaction', () => {
  it('ends a running transaction (RemoteStop, Remote); an unknown one is Rejected', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    expect(await csms.call('RequestStopTransaction', { transactionId: 'nope' })).toEqual({
      status: 'Rejected',
    });
    const from = csms.received.length;
    expect(await csms.call('RequestStopTransaction', { transactionId })).toEqual({ status: 'Accepted' });
    const event = await csms.next('TransactionEvent', ended, from);
    expect(event).toMatchObject({
      triggerReason: 'RemoteStop',
      seqNo: 1,
      transactionInfo: { transactionId, stoppedReason: 'Remote' },
    });
    // TxEndedMeasurands: the energy register.
    expect(event.meterValue[0].sampledValue).toEqual([
      expect.objectContaining({ measurand: 'Energy.Active.Import.Register', context: 'Transaction.End' }),
    ]);
    await csms.next('StatusNotification', status(1, 'Available'), from);
  });
});

describe('Reset', () => {
  it('Immediate: ends transactions (ImmediateReset) and reboots with reason RemoteReset', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    expect(await csms.call('Reset', { type: 'Immediate' })).toEqual({ status: 'Accepted' });
    expect(await csms.next('TransactionEvent', ended)).toMatchObject({
      triggerReason: 'ResetCommand',
      transactionInfo: { transactionId, stoppedReason: 'ImmediateReset' },
    });
    await csms.waitForConnections(2);
    expect(await csms.next('BootNotification', (p) => p.reason === 'RemoteReset')).toBeTruthy();
  });

  it('OnIdle: Scheduled while a transaction runs, reboots when it ends', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    expect(await csms.call('Reset', { type: 'OnIdle' })).toEqual({ status: 'Scheduled' });
    // No new transactions meanwhile.
    expect(
      await csms.call('RequestStartTransaction', { evseId: 2, idToken: token('TOKEN-2'), remoteStartId: 2 }),
    ).toEqual({ status: 'Rejected' });
    expect(csms.connections).toBe(1);
    await csms.call('RequestStopTransaction', { transactionId });
    await csms.waitForConnections(2);
    await csms.next('BootNotification', (p) => p.reason === 'RemoteReset');
    expect(csms.sent('TransactionEvent').filter(ended)[0].transactionInfo.stoppedReason).toBe('Remote');
  });

  it('OnIdle without transactions reboots at once', async () => {
    expect(await csms.call('Reset', { type: 'OnIdle' })).toEqual({ status: 'Accepted' });
    await csms.next('BootNotification', (p) => p.reason === 'RemoteReset');
  });

  it('an EVSE reset ends only that EVSE transaction, without a reboot', async () => {
    const first = await startSession('TOKEN-1', 1);
    const other = await startSession('TOKEN-2', 2, 2);
    expect(await csms.call('Reset', { type: 'Immediate', evseId: 1 })).toEqual({ status: 'Accepted' });
    expect(await csms.next('TransactionEvent', ended)).toMatchObject({
      transactionInfo: { transactionId: first, stoppedReason: 'ImmediateReset' },
    });
    await csms.next('StatusNotification', status(1, 'Available'), csms.indexOf('TransactionEvent', ended));
    expect(await csms.call('Reset', { type: 'Immediate', evseId: 9 })).toEqual({ status: 'Rejected' });
    expect(csms.connections).toBe(1);
    expect(station.sessionOn(2)?.transactionId).toBe(other);
  });
});

describe('UnlockConnector', () => {
  it('refuses while a transaction runs, refuses unknown connectors, unlocks otherwise', async () => {
    await startSession('TOKEN-1', 1);
    expect(await csms.call('UnlockConnector', { evseId: 1, connectorId: 1 })).toEqual({
      status: 'OngoingAuthorizedTransaction',
    });
    expect(await csms.call('UnlockConnector', { evseId: 2, connectorId: 1 })).toEqual({ status: 'Unlocked' });
    expect(await csms.call('UnlockConnector', { evseId: 2, connectorId: 2 })).toEqual({
      status: 'UnknownConnector',
    });
    expect(await csms.call('UnlockConnector', { evseId: 5, connectorId: 1 })).toEqual({
      status: 'UnknownConnector',
    });
    expect(csms.sent('TransactionEvent').filter(ended)).toEqual([]);
  });
});

describe('ChangeAvailability', () => {
  it('changes one EVSE, or the whole station without evse', async () => {
    let from = csms.received.length;
    expect(
      await csms.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }),
    ).toEqual({
      status: 'Accepted',
    });
    await csms.next('StatusNotification', status(2, 'Unavailable'), from);
    from = csms.received.length;
    expect(await csms.call('ChangeAvailability', { operationalStatus: 'Inoperative' })).toEqual({
      status: 'Accepted',
    });
    await csms.next('StatusNotification', status(1, 'Unavailable'), from);
    from = csms.received.length;
    expect(await csms.call('ChangeAvailability', { operationalStatus: 'Operative' })).toEqual({
      status: 'Accepted',
    });
    await csms.call('ChangeAvailability', {
      operationalStatus: 'Operative',
      evse: { id: 2, connectorId: 1 },
    });
    await csms.next('StatusNotification', status(1, 'Available'), from);
    await csms.next('StatusNotification', status(2, 'Available'), from);
    expect(
      await csms.call('ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 3 } }),
    ).toEqual({
      status: 'Rejected',
    });
  });

  it('schedules Inoperative on a busy EVSE until its transaction ends', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    expect(
      await csms.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } }),
    ).toEqual({
      status: 'Scheduled',
    });
    const from = csms.received.length;
    await csms.call('RequestStopTransaction', { transactionId });
    await csms.next('StatusNotification', status(1, 'Unavailable'), from);
    const value = await csms.call('GetVariables', {
      getVariableData: [variable({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState')],
    });
    expect(value.getVariableResult[0].attributeValue).toBe('Unavailable');
  });
});

describe('GetVariables and SetVariables', () => {
  it('reads the device model with a status per item', async () => {
    const { getVariableResult } = await csms.call('GetVariables', {
      getVariableData: [
        variable({ name: 'OCPPCommCtrlr' }, 'HeartbeatInterval'),
        variable({ name: 'ChargingStation' }, 'AvailabilityState'),
        variable({ name: 'EVSE', evse: { id: 2 } }, 'Power', { attributeType: 'MaxSet' }),
        variable({ name: 'Connector', evse: { id: 1, connectorId: 1 } }, 'ConnectorType'),
        variable({ name: 'DeviceDataCtrlr' }, 'ItemsPerMessage'),
        variable({ name: 'SecurityCtrlr' }, 'SecurityProfile'),
        variable({ name: 'NoSuchCtrlr' }, 'Enabled'),
        variable({ name: 'EVSE', evse: { id: 9 } }, 'Power'),
        variable({ name: 'TxCtrlr' }, 'NoSuchVariable'),
        variable({ name: 'OCPPCommCtrlr' }, 'HeartbeatInterval', { attributeType: 'Target' }),
      ],
    });
    expect(
      getVariableResult.map((r: { attributeStatus: string; attributeValue?: string }) => [
        r.attributeStatus,
        r.attributeValue,
      ]),
    ).toEqual([
      ['Accepted', '3600'],
      ['Accepted', 'Available'],
      ['Accepted', '11000'],
      ['Accepted', 'cType2'],
      ['Accepted', '10'],
      ['Accepted', '1'],
      ['UnknownComponent', undefined],
      ['UnknownComponent', undefined],
      ['UnknownVariable', undefined],
      ['NotSupportedAttributeType', undefined],
    ]);
    expect(getVariableResult[2]).toMatchObject({
      component: { name: 'EVSE', evse: { id: 2 } },
      variable: { name: 'Power' },
      attributeType: 'MaxSet',
    });
  });

  it('writes with Accepted, Rejected, RebootRequired and Unknown* as fits', async () => {
    const { setVariableResult } = await csms.call('SetVariables', {
      setVariableData: [
        variable({ name: 'TxCtrlr' }, 'EVConnectionTimeOut', { attributeValue: '90' }),
        variable({ name: 'SecurityCtrlr' }, 'SecurityProfile', { attributeValue: '2' }),
        variable({ name: 'SampledDataCtrlr' }, 'TxUpdatedInterval', { attributeValue: 'soon' }),
        variable({ name: 'SampledDataCtrlr' }, 'TxUpdatedMeasurands', { attributeValue: 'Bogus' }),
        variable({ name: 'OCPPCommCtrlr' }, 'WebSocketPingInterval', { attributeValue: '60' }),
        variable({ name: 'NoSuchCtrlr' }, 'Enabled', { attributeValue: 'true' }),
        variable({ name: 'AuthCtrlr' }, 'NoSuchVariable', { attributeValue: 'true' }),
        variable({ name: 'AuthCtrlr' }, 'AuthorizeRemoteStart', {
          attributeValue: 'true',
          attributeType: 'Target',
        }),
      ],
    });
    expect(setVariableResult.map((r: { attributeStatus: string }) => r.attributeStatus)).toEqual([
      'Accepted',
      'Rejected',
      'Rejected',
      'Rejected',
      'RebootRequired',
      'UnknownComponent',
      'UnknownVariable',
      'NotSupportedAttributeType',
    ]);
    const { getVariableResult } = await csms.call('GetVariables', {
      getVariableData: [variable({ name: 'TxCtrlr' }, 'EVConnectionTimeOut')],
    });
    expect(getVariableResult[0].attributeValue).toBe('90');
  });

  it('HeartbeatInterval restarts the heartbeat', async () => {
    const { setVariableResult } = await csms.call('SetVariables', {
      setVariableData: [variable({ name: 'OCPPCommCtrlr' }, 'HeartbeatInterval', { attributeValue: '1' })],
    });
    expect(setVariableResult[0].attributeStatus).toBe('Accepted');
    await csms.next('Heartbeat');
  });

  it('TxUpdatedInterval and TxUpdatedMeasurands change the meter values of a running transaction', async () => {
    await startSession('TOKEN-1', 1);
    await csms.call('SetVariables', {
      setVariableData: [
        variable({ name: 'SampledDataCtrlr' }, 'TxUpdatedMeasurands', {
          attributeValue: 'Power.Active.Import,Voltage',
        }),
        variable({ name: 'SampledDataCtrlr' }, 'TxUpdatedInterval', { attributeValue: '1' }),
      ],
    });
    const update = await csms.next('TransactionEvent', (p) => p.eventType === 'Updated');
    expect(update.triggerReason).toBe('MeterValuePeriodic');
    expect(update.meterValue[0].sampledValue).toEqual([
      expect.objectContaining({ measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } }),
      expect.objectContaining({ measurand: 'Voltage', phase: 'L1-N', unitOfMeasure: { unit: 'V' } }),
    ]);
  });
});

describe('GetBaseReport', () => {
  it('FullInventory: NotifyReport in parts of 10 items with seqNo and tbc', async () => {
    expect(await csms.call('GetBaseReport', { requestId: 5, reportBase: 'FullInventory' })).toEqual({
      status: 'Accepted',
    });
    await csms.next('NotifyReport', (p) => p.tbc === false);
    const parts = csms.sent('NotifyReport');
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.map((p) => p.seqNo)).toEqual(parts.map((_, i) => i));
    expect(parts.map((p) => p.tbc)).toEqual(parts.map((_, i) => i < parts.length - 1));
    expect(new Set(parts.map((p) => p.generatedAt)).size).toBe(1);
    for (const part of parts) {
      expect(part.requestId).toBe(5);
      expect(part.reportData.length).toBeLessThanOrEqual(10);
    }
    const items = parts.flatMap((p) => p.reportData);
    expect(items).toContainEqual({
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'HeartbeatInterval' },
      variableAttribute: [{ type: 'Actual', value: '3600', mutability: 'ReadWrite' }],
      variableCharacteristics: { dataType: 'integer', unit: 's', supportsMonitoring: false },
    });
    expect(items).toContainEqual({
      component: { name: 'EVSE', evse: { id: 2 } },
      variable: { name: 'Power' },
      variableAttribute: [
        { type: 'Actual', value: '0', mutability: 'ReadOnly' },
        { type: 'MaxSet', value: '11000', mutability: 'ReadOnly' },
      ],
      variableCharacteristics: { dataType: 'decimal', unit: 'W', maxLimit: 11000, supportsMonitoring: false },
    });
    expect(items.some((i) => i.variableAttribute[0].mutability === 'ReadOnly')).toBe(true);
  });

  it('ConfigurationInventory holds only the writable variables; SummaryInventory is not supported', async () => {
    await csms.call('GetBaseReport', { requestId: 6, reportBase: 'ConfigurationInventory' });
    await csms.next('NotifyReport', (p) => p.tbc === false);
    const items = csms.sent('NotifyReport').flatMap((p) => p.reportData);
    expect(items.length).toBeGreaterThan(10);
    expect(items.every((i) => i.variableAttribute[0].mutability === 'ReadWrite')).toBe(true);
    expect(items.map((i) => `${i.component.name}.${i.variable.name}`)).toContain(
      'SampledDataCtrlr.TxUpdatedMeasurands',
    );
    expect(await csms.call('GetBaseReport', { requestId: 7, reportBase: 'SummaryInventory' })).toEqual({
      status: 'NotSupported',
    });
  });
});

describe('TriggerMessage', () => {
  const trigger = (requestedMessage: string, evse?: object) =>
    csms.call('TriggerMessage', { requestedMessage, ...(evse && { evse }) });

  it.each([
    ['Heartbeat', 'Heartbeat', {}],
    ['FirmwareStatusNotification', 'FirmwareStatusNotification', { status: 'Idle' }],
    ['LogStatusNotification', 'LogStatusNotification', { status: 'Idle' }],
  ])('%s is sent after the answer', async (requestedMessage, action, payload) => {
    const from = csms.received.length;
    expect(await trigger(requestedMessage)).toEqual({ status: 'Accepted' });
    expect(await csms.next(action, () => true, from)).toMatchObject(payload);
    expect(csms.answeredBefore('TriggerMessage', action)).toBe(true);
  });

  it('StatusNotification and MeterValues for one EVSE', async () => {
    let from = csms.received.length;
    expect(await trigger('StatusNotification', { id: 2, connectorId: 1 })).toEqual({ status: 'Accepted' });
    await csms.next('StatusNotification', status(2, 'Available'), from);
    expect(csms.received.slice(from).filter((r) => r.action === 'StatusNotification')).toHaveLength(1);
    from = csms.received.length;
    expect(await trigger('MeterValues', { id: 1 })).toEqual({ status: 'Accepted' });
    const meter = await csms.next('MeterValues', () => true, from);
    expect(meter.evseId).toBe(1);
    // AlignedDataCtrlr.Measurands
    expect(
      meter.meterValue[0].sampledValue.map((s: { measurand: string; context: string }) => [
        s.measurand,
        s.context,
      ]),
    ).toEqual([
      ['Energy.Active.Import.Register', 'Trigger'],
      ['Power.Active.Import', 'Trigger'],
    ]);
    expect(await trigger('StatusNotification', { id: 4 })).toEqual({ status: 'Rejected' });
  });

  it('TransactionEvent only with a transaction', async () => {
    expect(await trigger('TransactionEvent')).toEqual({ status: 'Rejected' });
    await startSession('TOKEN-1', 1);
    const from = csms.received.length;
    expect(await trigger('TransactionEvent', { id: 1 })).toEqual({ status: 'Accepted' });
    expect(await csms.next('TransactionEvent', () => true, from)).toMatchObject({
      eventType: 'Updated',
      triggerReason: 'Trigger',
    });
  });

  it('BootNotification is Rejected once Accepted (F06.FR.17), Accepted while Pending', async () => {
    expect(await trigger('BootNotification')).toEqual({ status: 'Rejected' });
    await station.stop();
    expect(errors).toEqual([]);
    csms.bootStatus = 'Pending';
    ({ station, errors } = aStation(csms));
    const from = csms.received.length;
    await station.start();
    await csms.next('BootNotification', (p) => p.reason === 'PowerUp', from);
    // Pending: no remote start.
    expect(
      await csms.call('RequestStartTransaction', { idToken: token('TOKEN-1'), remoteStartId: 1 }),
    ).toEqual({ status: 'Rejected' });
    csms.bootStatus = 'Accepted';
    expect(await trigger('BootNotification')).toEqual({ status: 'Accepted' });
    await csms.next('BootNotification', (p) => p.reason === 'Triggered', from);
    await csms.next('StatusNotification', status(2, 'Available'), from);
    // Nothing but BootNotification until it was Accepted.
    const actions = csms.received.slice(from).map((r) => r.action);
    expect(actions.slice(0, 2)).toEqual(['BootNotification', 'BootNotification']);
    expect(actions.slice(2)).toEqual(['StatusNotification', 'StatusNotification']);
  });

  it('NotImplemented for messages the station does not send', async () => {
    expect(await trigger('SignChargingStationCertificate')).toEqual({ status: 'NotImplemented' });
  });
});

describe('ClearCache and DataTransfer', () => {
  it('clears the cache unless the cache is disabled', async () => {
    expect(await csms.call('ClearCache', {})).toEqual({ status: 'Accepted' });
    await csms.call('SetVariables', {
      setVariableData: [variable({ name: 'AuthCacheCtrlr' }, 'Enabled', { attributeValue: 'false' })],
    });
    expect(await csms.call('ClearCache', {})).toEqual({ status: 'Rejected' });
  });

  it('echoes data for its own vendor id and refuses others', async () => {
    expect(
      await csms.call('DataTransfer', { vendorId: 'ChargeOps', messageId: 'Echo', data: { n: 1 } }),
    ).toEqual({
      status: 'Accepted',
      data: { n: 1 },
    });
    expect(await csms.call('DataTransfer', { vendorId: 'ChargeOps', messageId: 'Other' })).toEqual({
      status: 'UnknownMessageId',
    });
    expect(await csms.call('DataTransfer', { vendorId: 'Acme' })).toEqual({ status: 'UnknownVendorId' });
  });
});

describe('cost and price display (I01-I03)', () => {
  const blank = { priceText: null, runningCost: null, finalCost: null };
  let changes: DisplayChanged[];
  beforeEach(() => {
    changes = [];
    station.events.on('display:changed', (change) => changes.push(change));
  });

  it('shows totalCost answering TransactionEvent: running while Updated, final when Ended', async () => {
    csms.addToAnswer.set('TransactionEvent', (p: { eventType: string }) =>
      p.eventType === 'Updated' ? { totalCost: 1.5 } : p.eventType === 'Ended' ? { totalCost: 4.2 } : {},
    );
    const transactionId = await startSession('TOKEN-1', 2);
    await csms.call('TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 2 } });
    await vi.waitFor(() => expect(station.display(2)).toEqual({ ...blank, runningCost: 1.5 }));
    const from = csms.received.length;
    await csms.call('RequestStopTransaction', { transactionId });
    await csms.next('TransactionEvent', ended, from);
    await vi.waitFor(() =>
      expect(station.display(2)).toEqual({ ...blank, runningCost: 1.5, finalCost: 4.2 }),
    );
    expect(station.display(1)).toEqual(blank);
    expect(changes.map(({ evseId, changed }) => [evseId, changed])).toEqual([
      [2, ['runningCost']],
      [2, ['finalCost']],
    ]);
  });

  it('shows updatedPersonalMessage as the price text', async () => {
    csms.addToAnswer.set('TransactionEvent', (p: { eventType: string }) =>
      p.eventType === 'Started'
        ? { updatedPersonalMessage: { format: 'UTF8', content: '0,30 €/kWh', language: 'fr' } }
        : {},
    );
    await startSession('TOKEN-1', 1);
    await vi.waitFor(() => expect(station.display(1)).toEqual({ ...blank, priceText: '0,30 €/kWh' }));
    expect(changes).toEqual([
      { identity: 'SIM-TEST-1', evseId: 1, ...blank, priceText: '0,30 €/kWh', changed: ['priceText'] },
    ]);
  });

  it('CostUpdated is answered empty and shows the running cost of its transaction', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    expect(await csms.call('CostUpdated', { totalCost: 2.75, transactionId })).toEqual({});
    expect(station.display(1)).toEqual({ ...blank, runningCost: 2.75 });
    // An unknown transaction has nothing to show, and no status to refuse it with.
    expect(await csms.call('CostUpdated', { totalCost: 9, transactionId: 'nope' })).toEqual({});
    expect(station.display(1).runningCost).toBe(2.75);
    expect(station.display(2)).toEqual(blank);
    expect(changes).toHaveLength(1);
  });

  const fallback = (attributeValue: string) =>
    csms.call('SetVariables', {
      setVariableData: [variable({ name: 'TariffCostCtrlr' }, 'TariffFallbackMessage', { attributeValue })],
    });

  it('TariffFallbackMessage shows on idle EVSEs until a driver message or a session takes the screen', async () => {
    await replaceStation({ finalCostShownSeconds: 0.2 });
    station.events.on('display:changed', (change) => changes.push(change));
    const { getVariableResult } = await csms.call('GetVariables', {
      getVariableData: [
        variable({ name: 'TariffCostCtrlr' }, 'TariffFallbackMessage'),
        { component: { name: 'TariffCostCtrlr' }, variable: { name: 'Enabled', instance: 'Tariff' } },
        { component: { name: 'TariffCostCtrlr' }, variable: { name: 'Available', instance: 'Cost' } },
      ],
    });
    expect(getVariableResult.map((r: { attributeValue?: string }) => r.attributeValue)).toEqual([
      '',
      'true',
      'true',
    ]);
    expect((await fallback('$0.45/kWh')).setVariableResult[0].attributeStatus).toBe('Accepted');
    expect(station.display(1)).toEqual({ ...blank, priceText: '$0.45/kWh' });
    expect(station.display(2)).toEqual({ ...blank, priceText: '$0.45/kWh' });

    csms.addToAnswer.set('TransactionEvent', (p: { eventType: string; evse?: { id: number } }) =>
      p.eventType === 'Started' && p.evse?.id === 1
        ? { updatedPersonalMessage: { format: 'UTF8', content: '$0.30/kWh for members' } }
        : p.eventType === 'Ended'
          ? { totalCost: 4.2 }
          : {},
    );
    await startSession('TOKEN-1', 1);
    await vi.waitFor(() => expect(station.display(1).priceText).toBe('$0.30/kWh for members'));
    const transactionId = await startSession('TOKEN-2', 2);
    expect(station.display(2)).toEqual(blank);
    const from = csms.received.length;
    await csms.call('RequestStopTransaction', { transactionId });
    await csms.next('TransactionEvent', ended, from);
    await vi.waitFor(() => expect(station.display(2)).toEqual({ ...blank, finalCost: 4.2 }));
    await vi.waitFor(() => expect(station.display(2)).toEqual({ ...blank, priceText: '$0.45/kWh' }));

    // Enabled[Tariff] false hides it; an empty message shows nothing.
    await csms.call('SetVariables', {
      setVariableData: [
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'Enabled', instance: 'Tariff' },
          attributeValue: 'false',
        },
      ],
    });
    expect(station.display(2)).toEqual(blank);
    await csms.call('SetVariables', {
      setVariableData: [
        {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'Enabled', instance: 'Tariff' },
          attributeValue: 'true',
        },
      ],
    });
    expect(station.display(2).priceText).toBe('$0.45/kWh');
    await fallback('');
    expect(station.display(2)).toEqual(blank);
  });

  it('a station without a cost display has no TariffCostCtrlr', async () => {
    await replaceStation({ displayCostAndPrice: false });
    expect((await fallback('$0.45/kWh')).setVariableResult[0].attributeStatus).toBe('UnknownComponent');
    expect(station.display(1)).toEqual(blank);
  });

  it('a station without a cost display shows nothing', async () => {
    await replaceStation({ displayCostAndPrice: false });
    csms.addToAnswer.set('TransactionEvent', () => ({ totalCost: 1 }));
    const transactionId = await startSession('TOKEN-1', 1);
    expect(await csms.call('CostUpdated', { totalCost: 2.75, transactionId })).toEqual({});
    expect(station.display(1)).toEqual(blank);
  });
});

describe('UpdateFirmware', () => {
  const update = (requestId: number, location: string, retrieveDateTime = new Date().toISOString()) =>
    csms.call('UpdateFirmware', { requestId, firmware: { location, retrieveDateTime } });

  it('reports each step with the requestId, then reboots (FirmwareUpdate) with the new version', async () => {
    expect(await update(11, 'https://firmware.example/releases/sim-2.0.bin')).toEqual({ status: 'Accepted' });
    await csms.waitForConnections(2);
    const boot = await csms.next('BootNotification', (p) => p.reason === 'FirmwareUpdate');
    expect(boot.chargingStation).toMatchObject({ firmwareVersion: 'sim-2.0', vendorName: 'ChargeOps' });
    expect(csms.sent('FirmwareStatusNotification')).toEqual([
      { status: 'Downloading', requestId: 11 },
      { status: 'Downloaded', requestId: 11 },
      { status: 'Installing', requestId: 11 },
      { status: 'Installed', requestId: 11 },
    ]);
    const { getVariableResult } = await csms.call('GetVariables', {
      getVariableData: [variable({ name: 'ChargingStation' }, 'FirmwareVersion')],
    });
    expect(getVariableResult[0].attributeValue).toBe('sim-2.0');
  });

  it('a second update cancels the first (AcceptedCanceled); a future retrieveDateTime is DownloadScheduled', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect(await update(1, 'https://firmware.example/sim-2.0.bin', later)).toEqual({ status: 'Accepted' });
    expect(await csms.next('FirmwareStatusNotification')).toEqual({
      status: 'DownloadScheduled',
      requestId: 1,
    });
    expect(await update(2, 'https://firmware.example/sim-2.1.bin')).toEqual({ status: 'AcceptedCanceled' });
    await csms.next('BootNotification', (p) => p.chargingStation.firmwareVersion === 'sim-2.1');
    expect(csms.sent('FirmwareStatusNotification').filter((p) => p.requestId === 1)).toHaveLength(1);
  });

  it('reports DownloadFailed for a location it cannot download from', async () => {
    await update(3, 'not a url');
    expect(await csms.next('FirmwareStatusNotification')).toEqual({ status: 'DownloadFailed', requestId: 3 });
    expect(csms.connections).toBe(1);
  });
});

describe('GetLog', () => {
  it('uploads the log and reports Uploading then Uploaded with the requestId', async () => {
    const server = await startUploadServer();
    try {
      const answer = await csms.call('GetLog', {
        logType: 'DiagnosticsLog',
        requestId: 21,
        log: { remoteLocation: server.url },
      });
      expect(answer).toEqual({
        status: 'Accepted',
        filename: expect.stringMatching(/^SIM-TEST-1-diagnostics-.*\.log$/),
      });
      await csms.next('LogStatusNotification', (p) => p.status === 'Uploaded');
      expect(csms.sent('LogStatusNotification')).toEqual([
        { status: 'Uploading', requestId: 21 },
        { status: 'Uploaded', requestId: 21 },
      ]);
      expect(server.uploads).toEqual([
        expect.objectContaining({ fileName: answer.filename, content: expect.stringContaining('"GetLog"') }),
      ]);
    } finally {
      await server.close();
    }
  });

  it('a SecurityLog holds only security events', async () => {
    const server = await startUploadServer();
    try {
      await csms.call('GetLog', {
        logType: 'SecurityLog',
        requestId: 22,
        log: { remoteLocation: server.url },
      });
      await csms.next('LogStatusNotification', (p) => p.status === 'Uploaded');
      const content = server.uploads[0]?.content ?? '';
      expect(content).toContain('connected to');
      expect(content).not.toContain('"StatusNotification"');
    } finally {
      await server.close();
    }
  });

  it('reports UploadFailure when the server refuses; Rejected for a location that is no URL', async () => {
    const server = await startUploadServer(403);
    try {
      await csms.call('GetLog', {
        logType: 'DiagnosticsLog',
        requestId: 23,
        log: { remoteLocation: server.url },
      });
      expect(await csms.next('LogStatusNotification', (p) => p.status !== 'Uploading')).toEqual({
        status: 'UploadFailure',
        requestId: 23,
      });
      expect(
        await csms.call('GetLog', {
          logType: 'DiagnosticsLog',
          requestId: 24,
          log: { remoteLocation: 'nowhere' },
        }),
      ).toEqual({ status: 'Rejected' });
    } finally {
      await server.close();
    }
  });
});

describe('ReserveNow and CancelReservation', () => {
  const reserve = (id: number, extra: object = {}, expiry = new Date(Date.now() + 3_600_000)) =>
    csms.call('ReserveNow', {
      id,
      expiryDateTime: expiry.toISOString(),
      idToken: token('TOKEN-R'),
      ...extra,
    });

  it('reserves an EVSE for one token, whose transaction then carries the reservationId', async () => {
    const from = csms.received.length;
    expect(await reserve(3, { evseId: 2 })).toEqual({ status: 'Accepted' });
    await csms.next('StatusNotification', status(2, 'Reserved'), from);
    expect(
      await csms.call('RequestStartTransaction', { evseId: 2, idToken: token('TOKEN-X'), remoteStartId: 1 }),
    ).toEqual({ status: 'Rejected' });
    await startSession('TOKEN-R', undefined, 2);
    expect(csms.sent('TransactionEvent').find(started)).toMatchObject({ evse: { id: 2 }, reservationId: 3 });
  });

  it('without evseId reserves a free EVSE', async () => {
    await startSession('TOKEN-1', 1);
    const from = csms.received.length;
    expect(await reserve(4)).toEqual({ status: 'Accepted' });
    await csms.next('StatusNotification', status(2, 'Reserved'), from);
    expect(await reserve(5)).toEqual({ status: 'Occupied' });
  });

  it('answers Occupied, Faulted, Unavailable and Rejected as the EVSE stands', async () => {
    await startSession('TOKEN-1', 1);
    expect(await reserve(1, { evseId: 1 })).toEqual({ status: 'Occupied' });
    expect(await reserve(1, { evseId: 7 })).toEqual({ status: 'Rejected' });
    expect(await reserve(1, { evseId: 2, connectorType: 'cCCS1' })).toEqual({ status: 'Rejected' });
    await station.setFaulted(2, true);
    expect(await reserve(1, { evseId: 2 })).toEqual({ status: 'Faulted' });
    await station.setFaulted(2, false);
    await csms.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } });
    expect(await reserve(1, { evseId: 2 })).toEqual({ status: 'Unavailable' });
    await csms.call('ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 2 } });
    await csms.call('SetVariables', {
      setVariableData: [variable({ name: 'ReservationCtrlr' }, 'Enabled', { attributeValue: 'false' })],
    });
    expect(await reserve(1, { evseId: 2 })).toEqual({ status: 'Rejected' });
  });

  it('reports an expired reservation (ReservationStatusUpdate Expired), not a cancelled one', async () => {
    await reserve(8, { evseId: 1 });
    await csms.next('StatusNotification', status(1, 'Reserved'));
    let from = csms.received.length;
    expect(await csms.call('CancelReservation', { reservationId: 8 })).toEqual({ status: 'Accepted' });
    await csms.next('StatusNotification', status(1, 'Available'), from);
    expect(await csms.call('CancelReservation', { reservationId: 8 })).toEqual({ status: 'Rejected' });

    from = csms.received.length;
    await reserve(9, { evseId: 1 }, new Date(Date.now() + 300));
    expect(await csms.next('ReservationStatusUpdate', () => true, from)).toEqual({
      reservationId: 9,
      reservationUpdateStatus: 'Expired',
    });
    await csms.next('StatusNotification', status(1, 'Available'), from);
    expect(csms.sent('ReservationStatusUpdate')).toHaveLength(1);
  });
});

describe('GetLocalListVersion and SendLocalList', () => {
  type IdTokenInfo = { status: string; cacheExpiryDateTime?: string; groupIdToken?: object };
  const item = (idToken: string, idTokenInfo?: IdTokenInfo) => ({
    idToken: token(idToken),
    ...(idTokenInfo && { idTokenInfo }),
  });
  const accepted = (idToken: string) => item(idToken, { status: 'Accepted' });
  const sendList = (versionNumber: number, updateType: 'Full' | 'Differential', list?: object[]) =>
    csms.call('SendLocalList', {
      versionNumber,
      updateType,
      ...(list && { localAuthorizationList: list }),
    });
  const versionNumber = async () => (await csms.call('GetLocalListVersion', {})).versionNumber as number;
  const stored = () => station.localAuthList?.entries().map((e) => `${e.idToken}:${e.status}`);
  const listVariables = (...names: string[]) =>
    csms
      .call('GetVariables', {
        getVariableData: names.map((name) => variable({ name: 'LocalAuthListCtrlr' }, name)),
      })
      .then(({ getVariableResult }) =>
        getVariableResult.map((r: { attributeStatus: string; attributeValue?: string }) =>
          r.attributeStatus === 'Accepted' ? r.attributeValue : r.attributeStatus,
        ),
      );

  it('answers version 0 without a list, then applies a full list and a differential update', async () => {
    expect(await versionNumber()).toBe(0);
    const cacheExpiryDateTime = '2030-01-01T00:00:00.000Z';
    expect(
      await sendList(3, 'Full', [
        item('TOKEN-A', { status: 'Accepted', cacheExpiryDateTime, groupIdToken: token('GROUP-1') }),
        item('TOKEN-B', { status: 'NotAtThisTime' }),
      ]),
    ).toEqual({ status: 'Accepted' });
    expect(await versionNumber()).toBe(3);
    expect(station.localAuthList?.entries()).toEqual([
      {
        idToken: 'TOKEN-A',
        status: 'Accepted',
        expiresAt: new Date(cacheExpiryDateTime),
        parentIdTag: 'GROUP-1',
      },
      { idToken: 'TOKEN-B', status: 'NotAtThisTime' },
    ]);
    expect(await listVariables('Entries')).toEqual(['2']);

    // D01.FR.16 / D01.FR.17: with idTokenInfo added or replaced, without it removed.
    expect(
      await sendList(4, 'Differential', [
        item('token-b'),
        accepted('TOKEN-C'),
        item('TOKEN-A', { status: 'Blocked' }),
      ]),
    ).toEqual({ status: 'Accepted' });
    expect(await versionNumber()).toBe(4);
    expect(stored()).toEqual(['TOKEN-A:Blocked', 'TOKEN-C:Accepted']);

    // A full update without a list empties it: version 0 again.
    expect(await sendList(5, 'Full')).toEqual({ status: 'Accepted' });
    expect(await versionNumber()).toBe(0);
    expect(await listVariables('Entries')).toEqual(['0']);
  });

  it('VersionMismatch for a differential update that is not newer (D01.FR.19); Failed for a bad list', async () => {
    await replaceStation({ localAuthListMaxLength: 2, sendLocalListMaxLength: 3 });
    expect(await sendList(7, 'Full', [accepted('TOKEN-A')])).toEqual({ status: 'Accepted' });
    expect(await sendList(7, 'Differential', [accepted('TOKEN-B')])).toEqual({ status: 'VersionMismatch' });
    expect(await sendList(2, 'Differential', [accepted('TOKEN-B')])).toEqual({ status: 'VersionMismatch' });
    // More than Entries' maxLimit in all, more than ItemsPerMessage in one message.
    expect(await sendList(8, 'Differential', [accepted('TOKEN-B'), accepted('TOKEN-C')])).toEqual({
      status: 'Failed',
    });
    const removals = ['TOKEN-B', 'TOKEN-C', 'TOKEN-D', 'TOKEN-E'].map((t) => item(t));
    expect(await sendList(8, 'Differential', removals)).toEqual({ status: 'Failed' });
    // D01.FR.06 duplicates; a full list entry without idTokenInfo; D01.FR.18 versionNumber 0.
    expect(await sendList(8, 'Full', [accepted('TOKEN-B'), accepted('token-b')])).toEqual({
      status: 'Failed',
    });
    expect(await sendList(8, 'Full', [accepted('TOKEN-B'), item('TOKEN-C')])).toEqual({ status: 'Failed' });
    expect(await sendList(0, 'Full', [accepted('TOKEN-B')])).toEqual({ status: 'Failed' });
    expect(await sendList(-3, 'Differential', [accepted('TOKEN-B')])).toEqual({ status: 'Failed' });
    expect(await versionNumber()).toBe(7);
    expect(stored()).toEqual(['TOKEN-A:Accepted']);
    expect(await sendList(8, 'Differential', [accepted('TOKEN-B')])).toEqual({ status: 'Accepted' });
    expect(stored()).toEqual(['TOKEN-A:Accepted', 'TOKEN-B:Accepted']);
  });

  it('keeps the list across a reboot; a station that lost it reports version 0', async () => {
    await sendList(2, 'Full', [accepted('TOKEN-A')]);
    const from = csms.received.length;
    expect(await csms.call('Reset', { type: 'Immediate' })).toEqual({ status: 'Accepted' });
    await csms.waitForConnections(2);
    await csms.next('BootNotification', (p) => p.reason === 'RemoteReset', from);
    expect(await versionNumber()).toBe(2);
    expect(stored()).toEqual(['TOKEN-A:Accepted']);
    station.clearLocalAuthList();
    expect(await versionNumber()).toBe(0);
    expect(await listVariables('Entries')).toEqual(['0']);
  });

  it('has the LocalAuthListCtrlr variables, in GetVariables, SetVariables and the base report', async () => {
    await replaceStation({ localAuthListMaxLength: 500, sendLocalListMaxLength: 50 });
    expect(
      await listVariables(
        'Available',
        'Enabled',
        'Entries',
        'ItemsPerMessage',
        'BytesPerMessage',
        'DisablePostAuthorize',
      ),
    ).toEqual(['true', 'true', '0', '50', '65536', 'true']);
    const { setVariableResult } = await csms.call('SetVariables', {
      setVariableData: [
        variable({ name: 'LocalAuthListCtrlr' }, 'Entries', { attributeValue: '3' }),
        variable({ name: 'LocalAuthListCtrlr' }, 'Enabled', { attributeValue: 'false' }),
        variable({ name: 'LocalAuthListCtrlr' }, 'DisablePostAuthorize', { attributeValue: 'false' }),
        variable({ name: 'AuthCtrlr' }, 'LocalPreAuthorize', { attributeValue: 'true' }),
      ],
    });
    expect(setVariableResult.map((r: { attributeStatus: string }) => r.attributeStatus)).toEqual([
      'Rejected',
      'Accepted',
      'Accepted',
      'Accepted',
    ]);
    expect(station.settings).toMatchObject({
      localAuthListEnabled: false,
      postAuthorize: true,
      localPreAuthorize: true,
    });

    await csms.call('GetBaseReport', { requestId: 8, reportBase: 'FullInventory' });
    await csms.next('NotifyReport', (p) => p.tbc === false);
    const items = csms.sent('NotifyReport').flatMap((p) => p.reportData);
    // The maxLimit of Entries is the list's capacity (D01.FR.12).
    expect(items).toContainEqual({
      component: { name: 'LocalAuthListCtrlr' },
      variable: { name: 'Entries' },
      variableAttribute: [{ type: 'Actual', value: '0', mutability: 'ReadOnly' }],
      variableCharacteristics: { dataType: 'integer', maxLimit: 500, supportsMonitoring: false },
    });
    expect(
      items.filter((i) => i.component.name === 'LocalAuthListCtrlr').map((i) => i.variable.name),
    ).toEqual([
      'Available',
      'Enabled',
      'Entries',
      'ItemsPerMessage',
      'BytesPerMessage',
      'DisablePostAuthorize',
    ]);
  });

  it('without the feature: CALLERROR NotSupported and no LocalAuthListCtrlr', async () => {
    await replaceStation({ localAuthList: false });
    expect(station.localAuthList).toBeUndefined();
    await expect(csms.call('GetLocalListVersion', {})).rejects.toMatchObject({
      rpcErrorCode: 'NotSupported',
    });
    await expect(sendList(1, 'Full', [accepted('TOKEN-A')])).rejects.toMatchObject({
      rpcErrorCode: 'NotSupported',
    });
    expect(await listVariables('Enabled')).toEqual(['UnknownComponent']);
    await csms.call('GetBaseReport', { requestId: 9, reportBase: 'FullInventory' });
    await csms.next('NotifyReport', (p) => p.requestId === 9 && p.tbc === false);
    const items = csms.sent('NotifyReport').flatMap((p) => p.reportData);
    expect(items.some((i) => i.component.name === 'LocalAuthListCtrlr')).toBe(false);
  });
});

describe('the local list when a driver presents a token', () => {
  const past = '2020-01-01T00:00:00.000Z';

  /** A one-EVSE station starting transactions with `idToken` by itself, the token in its local list. */
  const presentToken = (
    idToken: string,
    info: NonNullable<LocalListItem['info']>,
    settings: Partial<SimulatedStation['settings']> = {},
  ) =>
    replaceStation(
      {
        connectors: 1,
        autoSessions: true,
        idTokens: [idToken],
        idleSeconds: [0.05, 0.05],
        sessionSeconds: [3600, 3600],
      },
      (s) => {
        // Stored before the boot, as if kept in flash: the token comes right after it.
        const items = [{ idToken: idToken.toUpperCase(), info }];
        expect(s.localAuthList?.apply({ updateType: 'Full', version: 1, items })).toBe('Accepted');
        Object.assign(s.settings, settings);
      },
    );
  const sentSince = (from: number, action: string) =>
    csms.received.slice(from).filter((r) => r.action === action);

  it.each<[string, NonNullable<LocalListItem['info']>]>([
    ['Blocked', { status: 'Blocked' }],
    ['NoCredit', { status: 'NoCredit' }],
    ['Expired', { status: 'Accepted', expiresAt: past }],
  ])('refuses a token the list holds as %s without asking the CSMS', async (shown, info) => {
    const from = await presentToken('token-9', info);
    await csms.next('StatusNotification', status(1, 'Occupied'), from);
    const occupied = csms.received.findIndex(
      (r, i) => i >= from && r.action === 'StatusNotification' && r.params.connectorStatus === 'Occupied',
    );
    await csms.next('StatusNotification', status(1, 'Available'), occupied);
    expect(sentSince(from, 'Authorize')).toEqual([]);
    expect(sentSince(from, 'TransactionEvent')).toEqual([]);
    expect(station.log.render([])).toContain(`token-9 refused by the local authorization list (${shown})`);
  });

  it('with DisablePostAuthorize false asks the CSMS about a token the list blocks (C14.FR.03)', async () => {
    const from = await presentToken('TOKEN-9', { status: 'Blocked' }, { postAuthorize: true });
    csms.invalidTokens.add('TOKEN-9');
    await csms.next('Authorize', (p) => p.idToken.idToken === 'TOKEN-9', from);
    expect(sentSince(from, 'TransactionEvent')).toEqual([]);
  });

  it('with LocalPreAuthorize starts a token the list accepts without Authorize (C14.FR.02)', async () => {
    const from = await presentToken('TOKEN-1', { status: 'Accepted' }, { localPreAuthorize: true });
    expect(await csms.next('TransactionEvent', started, from)).toMatchObject({
      triggerReason: 'Authorized',
      idToken: token('TOKEN-1'),
    });
    expect(sentSince(from, 'Authorize')).toEqual([]);
  });

  it('without LocalPreAuthorize asks the CSMS about a token the list accepts', async () => {
    const from = await presentToken('TOKEN-1', { status: 'Accepted' });
    await csms.next('Authorize', (p) => p.idToken.idToken === 'TOKEN-1', from);
    await csms.next('TransactionEvent', started, from);
  });
});

describe('smart charging (K01 SetChargingProfile, K10 ClearChargingProfile, K08 GetCompositeSchedule)', () => {
  type Profile = Record<string, unknown>;
  /** A Relative TxDefaultProfile of `limit` A, unless told otherwise. */
  const aProfile = (overrides: Profile = {}, limit = 10, chargingRateUnit = 'A'): Profile => ({
    id: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: [{ id: 1, chargingRateUnit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] }],
    ...overrides,
  });
  const setProfile = (evseId: number, chargingProfile: Profile) =>
    csms.call('SetChargingProfile', { evseId, chargingProfile });
  type SampledValue = { measurand: string; value: number; phase?: string; context: string };
  const values = (event: { meterValue: { sampledValue: SampledValue[] }[] }, measurand: string) =>
    event.meterValue[0]!.sampledValue.filter((s) => s.measurand === measurand).map((s) => s.value);
  const rateChanged = (transactionId: string) => (p: { triggerReason: string; transactionInfo: object }) =>
    p.triggerReason === 'ChargingRateChanged' &&
    (p.transactionInfo as { transactionId: string }).transactionId === transactionId;
  beforeEach(async () => {
    await csms.call('SetVariables', {
      setVariableData: [
        variable({ name: 'SampledDataCtrlr' }, 'TxUpdatedMeasurands', {
          attributeValue: 'Power.Active.Import,Current.Import,Current.Offered',
        }),
      ],
    });
  });

  it('a TxProfile caps the transaction at once: TransactionEvent ChargingRateChanged with the lower power', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    const from = csms.received.length;
    const txProfile = aProfile({ id: 7, chargingProfilePurpose: 'TxProfile', transactionId });
    expect(await setProfile(1, txProfile)).toEqual({ status: 'Accepted' });
    const event = await csms.next('TransactionEvent', rateChanged(transactionId), from);
    expect(csms.answeredBefore('SetChargingProfile', 'TransactionEvent')).toBe(true);
    expect(event).toMatchObject({ eventType: 'Updated', transactionInfo: { chargingState: 'Charging' } });
    // 10 A on three phases at 230 V; without the profile the EV drew 9.9 to 11 kW.
    expect(values(event, 'Power.Active.Import')).toEqual([6900]);
    expect(
      event.meterValue[0].sampledValue.filter((s: SampledValue) => s.measurand === 'Current.Import'),
    ).toEqual(['L1', 'L2', 'L3'].map((phase) => expect.objectContaining({ phase, context: 'Other' })));
    for (const amps of values(event, 'Current.Import')) expect(amps).toBeLessThanOrEqual(10);
    expect(values(event, 'Current.Offered')).toEqual([10]);
  });

  it('rejects, with a reason, what K01 does not allow', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    const rejected = (reasonCode: string) => ({
      status: 'Rejected',
      statusInfo: { reasonCode, additionalInfo: expect.any(String) },
    });
    const txProfile = aProfile({ chargingProfilePurpose: 'TxProfile' });
    // K01.FR.03: a TxProfile names its transaction, which runs on the EVSE.
    expect(await setProfile(1, txProfile)).toEqual(rejected('TxNotFound'));
    expect(await setProfile(2, { ...txProfile, transactionId })).toEqual(rejected('TxNotFound'));
    expect(await setProfile(1, { ...txProfile, transactionId: 'nope' })).toEqual(rejected('TxNotFound'));
    const max = aProfile(
      {
        chargingProfilePurpose: 'ChargingStationMaxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [
          {
            id: 1,
            startSchedule: new Date().toISOString(),
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 32 }],
          },
        ],
      },
      32,
    );
    expect(await setProfile(1, max)).toEqual(rejected('InvalidProfile'));
    expect(await setProfile(5, aProfile())).toEqual(rejected('UnknownEvse'));
    // K01.FR.22
    expect(
      await setProfile(0, { ...max, chargingProfilePurpose: 'ChargingStationExternalConstraints' }),
    ).toEqual(rejected('InvalidProfile'));
    expect(station.chargingProfiles.size).toBe(0);
    expect(await setProfile(0, max)).toEqual({ status: 'Accepted' });
    expect(await setProfile(1, { ...txProfile, id: 2, transactionId })).toEqual({ status: 'Accepted' });
    // K01.FR.06: not a second default with the same stack level on the EVSE; the same id replaces.
    expect(await setProfile(1, aProfile({ id: 3 }))).toEqual({ status: 'Accepted' });
    expect(await setProfile(1, aProfile({ id: 4 }))).toEqual(rejected('DuplicateProfile'));
    expect(await setProfile(1, aProfile({ id: 3 }, 12))).toEqual({ status: 'Accepted' });
  });

  it('ClearChargingProfile lifts the limit (Accepted), and answers Unknown when nothing matches', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    let from = csms.received.length;
    expect(await setProfile(1, aProfile({ id: 3 }, 8))).toEqual({ status: 'Accepted' });
    const limited = await csms.next('TransactionEvent', rateChanged(transactionId), from);
    expect(values(limited, 'Power.Active.Import')).toEqual([5520]);
    expect(await csms.call('ClearChargingProfile', { chargingProfileId: 9 })).toEqual({ status: 'Unknown' });
    expect(
      await csms.call('ClearChargingProfile', {
        chargingProfileCriteria: { chargingProfilePurpose: 'TxProfile' },
      }),
    ).toEqual({ status: 'Unknown' });
    from = csms.received.length;
    expect(await csms.call('ClearChargingProfile', { chargingProfileId: 3 })).toEqual({ status: 'Accepted' });
    const lifted = await csms.next('TransactionEvent', rateChanged(transactionId), from);
    expect(values(lifted, 'Power.Active.Import')[0]).toBeGreaterThan(9000);
    expect(values(lifted, 'Current.Offered')).toEqual([15.9]);
  });

  it('GetCompositeSchedule returns the limit in force, in A or W; Rejected for an unknown EVSE', async () => {
    await setProfile(0, aProfile({ id: 2 }, 10));
    const composite = await csms.call('GetCompositeSchedule', { evseId: 1, duration: 600 });
    expect(composite).toEqual({
      status: 'Accepted',
      schedule: {
        evseId: 1,
        duration: 600,
        scheduleStart: expect.any(String),
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 10, numberPhases: 3 }],
      },
    });
    expect(Math.abs(Date.parse(composite.schedule.scheduleStart) - Date.now())).toBeLessThan(5000);
    const inWatts = await csms.call('GetCompositeSchedule', {
      evseId: 2,
      duration: 60,
      chargingRateUnit: 'W',
    });
    expect(inWatts.schedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 6900, numberPhases: 3 },
    ]);
    expect(await csms.call('GetCompositeSchedule', { evseId: 3, duration: 600 })).toEqual({
      status: 'Rejected',
      statusInfo: { reasonCode: 'UnknownEvse' },
    });
  });

  it('a limit below 6 A suspends the EV (chargingState SuspendedEVSE) until a higher one lets it charge again', async () => {
    const transactionId = await startSession('TOKEN-1', 1);
    const txProfile = (limit: number) =>
      aProfile({ id: 5, chargingProfilePurpose: 'TxProfile', transactionId }, limit);
    let from = csms.received.length;
    expect(await setProfile(1, txProfile(5))).toEqual({ status: 'Accepted' });
    let event = await csms.next('TransactionEvent', rateChanged(transactionId), from);
    expect(event.transactionInfo.chargingState).toBe('SuspendedEVSE');
    expect(values(event, 'Power.Active.Import')).toEqual([0]);
    expect(values(event, 'Current.Offered')).toEqual([5]);
    // Still Occupied: 2.0.1 tells the pause through the transaction, not the connector status.
    expect(csms.received.slice(from).filter((r) => r.action === 'StatusNotification')).toEqual([]);

    from = csms.received.length;
    expect(await setProfile(1, txProfile(16))).toEqual({ status: 'Accepted' });
    event = await csms.next('TransactionEvent', rateChanged(transactionId), from);
    expect(event.transactionInfo.chargingState).toBe('Charging');
    expect(values(event, 'Power.Active.Import')[0]).toBeGreaterThan(9000);

    // A triggered update says how the transaction stands.
    from = csms.received.length;
    await setProfile(1, txProfile(3));
    await csms.next('TransactionEvent', rateChanged(transactionId), from);
    await csms.call('TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } });
    const triggered = await csms.next('TransactionEvent', (p) => p.triggerReason === 'Trigger', from);
    expect(triggered.transactionInfo.chargingState).toBe('SuspendedEVSE');

    // The TxProfile goes with its transaction.
    await csms.call('RequestStopTransaction', { transactionId });
    await csms.next('TransactionEvent', ended, from);
    expect(station.chargingProfiles.size).toBe(0);
  });

  it('has the SmartChargingCtrlr variables', async () => {
    const ctrlr = { name: 'SmartChargingCtrlr' };
    const { getVariableResult } = await csms.call('GetVariables', {
      getVariableData: [
        'Enabled',
        'Available',
        'LimitChangeSignificance',
        'PeriodsPerSchedule',
        'ProfileStackLevel',
        'RateUnit',
      ].map((name) => variable(ctrlr, name)),
    });
    expect(getVariableResult.map((r: { attributeValue: string }) => r.attributeValue)).toEqual([
      'true',
      'true',
      '10',
      '24',
      '8',
      'A,W',
    ]);
    const { setVariableResult } = await csms.call('SetVariables', {
      setVariableData: [
        variable(ctrlr, 'LimitChangeSignificance', { attributeValue: '2.5' }),
        variable(ctrlr, 'ProfileStackLevel', { attributeValue: '3' }),
      ],
    });
    expect(setVariableResult.map((r: { attributeStatus: string }) => r.attributeStatus)).toEqual([
      'Accepted',
      'Rejected',
    ]);
  });
});
