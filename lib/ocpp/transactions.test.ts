import { beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import {
  chargingStations,
  incidentEvents,
  incidents,
  meterValues,
  stationEvents,
  stationVariables,
  transactions,
} from '@/lib/db/schema';
import { aDriverToken } from '@/lib/services/testing';
import { setupOcppHarness } from './testing';

// Charging sessions over real WebSockets in both OCPP versions, including the resend cases a
// charger produces after a reconnect.
const h = setupOcppHarness();
let port: number;
beforeAll(async () => {
  port = (await h.startEndpoint('off')).port;
  for (const token of ['TAG-1', 'TAG-2', 'RFID-9', 'ABC'])
    await aDriverToken(h.db, h.scope.organisationId, token);
});

const txByStation = (stationId: string) =>
  h.db
    .select()
    .from(transactions)
    .where(eq(transactions.stationId, stationId))
    .orderBy(asc(transactions.localId));
const samplesOf = (transactionId: string) =>
  h.db
    .select()
    .from(meterValues)
    .where(eq(meterValues.transactionId, transactionId))
    .orderBy(asc(meterValues.id));

describe('OCPP 1.6J transactions', () => {
  it('starts, meters and stops a session; resends of each create nothing new', async () => {
    const { station, charger } = await h.aConnectedCharger(port);
    expect(await charger.call('Authorize', { idTag: 'TAG-1' })).toEqual({
      idTagInfo: { status: 'Accepted' },
    });
    const start = { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: '2026-11-20T08:00:00.000Z' };
    const started = (await charger.call('StartTransaction', start)) as {
      transactionId: number;
      idTagInfo: { status: string };
    };
    expect(started.idTagInfo.status).toBe('Accepted');
    expect(Number.isInteger(started.transactionId)).toBe(true);
    // The charger lost the answer and sends the same start again after reconnecting.
    expect(((await charger.call('StartTransaction', start)) as { transactionId: number }).transactionId).toBe(
      started.transactionId,
    );

    const meter = {
      connectorId: 1,
      transactionId: started.transactionId,
      meterValue: [
        {
          timestamp: '2026-11-20T08:15:00.000Z',
          sampledValue: [
            { value: '3.5', unit: 'kWh' },
            { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
            { value: '16.1', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
            { value: '231', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
            { value: '54', measurand: 'SoC', unit: 'Percent', location: 'EV' },
          ],
        },
      ],
    };
    expect(await charger.call('MeterValues', meter)).toEqual({});
    await charger.call('MeterValues', meter); // resent
    await charger.call('StopTransaction', {
      transactionId: started.transactionId,
      meterStop: 6500,
      timestamp: '2026-11-20T08:40:00.000Z',
      reason: 'EVDisconnected',
      idTag: 'TAG-1',
      transactionData: [
        {
          timestamp: '2026-11-20T08:40:00.000Z',
          sampledValue: [{ value: '6500', context: 'Transaction.End' }],
        },
      ],
    });
    await charger.call('StopTransaction', {
      transactionId: started.transactionId,
      meterStop: 6500,
      timestamp: '2026-11-20T08:40:00.000Z',
    });

    const [session, ...others] = await txByStation(station.id);
    expect(others).toHaveLength(0);
    expect(session).toMatchObject({
      localId: started.transactionId,
      status: 'completed',
      evseId: 1,
      idToken: 'TAG-1',
      meterStartWh: 1000,
      meterStopWh: 6500,
      energyWh: 5500,
      stopReason: 'EVDisconnected',
      ocppVersion: '1.6',
    });
    expect(session?.startedAt?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    const samples = await samplesOf(session!.id);
    expect(samples.map((s) => [s.measurand, s.phase, s.location, s.value, s.unit])).toEqual([
      ['Energy.Active.Import.Register', '', '', 3500, 'Wh'],
      ['Power.Active.Import', '', '', 7200, 'W'],
      ['Current.Import', 'L1', '', 16.1, 'A'],
      ['Voltage', 'L1-N', '', 231, 'V'],
      ['SoC', '', 'EV', 54, 'Percent'],
      ['Energy.Active.Import.Register', '', '', 6500, 'Wh'],
    ]);
  });

  it('records a stop for a transaction it never saw start, flagged for review', async () => {
    const { station, charger } = await h.aConnectedCharger(port);
    expect(
      await charger.call('StopTransaction', {
        transactionId: 987654,
        meterStop: 4200,
        timestamp: '2026-11-19T23:00:00Z',
      }),
    ).toEqual({});
    const [session] = await txByStation(station.id);
    expect(session).toMatchObject({
      chargerTransactionId: '987654',
      status: 'completed',
      meterStopWh: 4200,
      flags: ['stop-without-start'],
    });
  });

  it('keeps the charger’s own time for a start queued while offline', async () => {
    const { station, charger } = await h.aConnectedCharger(port);
    await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-2',
      meterStart: 0,
      timestamp: '2026-11-01T06:00:00Z',
    });
    const [session] = await txByStation(station.id);
    expect(session?.startedAt?.toISOString()).toBe('2026-11-01T06:00:00.000Z');
    expect(session!.startReceivedAt!.getTime()).toBeGreaterThan(Date.parse('2026-11-02T00:00:00Z'));
  });

  it('answers DataTransfer as an unknown vendor and keeps firmware and diagnostics notifications', async () => {
    const { station, charger } = await h.aConnectedCharger(port);
    expect(await charger.call('DataTransfer', { vendorId: 'com.acme' })).toEqual({
      status: 'UnknownVendorId',
    });
    await charger.call('FirmwareStatusNotification', { status: 'Installed' });
    await charger.call('DiagnosticsStatusNotification', { status: 'Uploaded' });
    const events = await h.db
      .select()
      .from(stationEvents)
      .where(eq(stationEvents.stationId, station.id))
      .orderBy(asc(stationEvents.id));
    expect(events.map((e) => [e.kind, e.summary])).toEqual([
      ['FirmwareStatusNotification', 'Installed'],
      ['DiagnosticsStatusNotification', 'Uploaded'],
    ]);
  });
});

describe('OCPP 1.6 security extension', () => {
  it('keeps SecurityEventNotifications, opens an incident for a critical one, and refuses a malformed one', async () => {
    const { station, charger } = await h.aConnectedCharger(port);
    expect(
      await charger.call('SecurityEventNotification', {
        type: 'StartupOfTheDevice',
        timestamp: '2026-11-20T09:59:00Z',
      }),
    ).toEqual({});
    await charger.call('SecurityEventNotification', {
      type: 'TamperDetectionActivated',
      timestamp: '2026-11-20T10:00:00Z',
      techInfo: 'cabinet door',
    });
    await expect(
      charger.call('SecurityEventNotification', { type: 'TamperDetectionActivated' }),
    ).rejects.toThrow(/timestamp/);
    const events = await h.db
      .select()
      .from(stationEvents)
      .where(eq(stationEvents.stationId, station.id))
      .orderBy(asc(stationEvents.id));
    expect(events.map((e) => [e.kind, e.summary])).toEqual([
      ['SecurityEventNotification', 'StartupOfTheDevice'],
      ['SecurityEventNotification', 'TamperDetectionActivated: cabinet door'],
    ]);
    // A boot is routine; tampering is an incident for a person to look at.
    const opened = await h.db.select().from(incidents).where(eq(incidents.stationId, station.id));
    expect(opened.map((i) => [i.kind, i.state])).toEqual([['security_event', 'open']]);
  });
});

describe('OCPP 2.0.1 faults', () => {
  const problem = (evseId: number, techCode: string) => ({
    generatedAt: new Date().toISOString(),
    seqNo: 0,
    eventData: [
      {
        eventId: 7,
        timestamp: new Date().toISOString(),
        trigger: 'Alerting',
        actualValue: 'true',
        techCode,
        techInfo: 'Residual current detected',
        eventNotificationType: 'HardWiredMonitor',
        component: { name: 'Connector', evse: { id: evseId, connectorId: 1 } },
        variable: { name: 'Problem' },
      },
    ],
  });
  const faulted = (evseId: number) => ({
    timestamp: new Date().toISOString(),
    connectorStatus: 'Faulted',
    evseId,
    connectorId: 1,
  });
  const faultsOf = (stationId: string) =>
    h.db.select().from(incidents).where(eq(incidents.stationId, stationId));

  it('names a Faulted connector’s incident with the code a NotifyEvent Problem brings, whichever comes first', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    await charger.call('StatusNotification', faulted(1));
    expect((await faultsOf(station.id)).map((i) => [i.kind, i.evseId, i.errorCode])).toEqual([
      ['connector_faulted', 1, null],
    ]);
    await charger.call('NotifyEvent', problem(1, 'GroundFailure'));
    const [named, ...others] = await faultsOf(station.id);
    expect(others).toEqual([]);
    expect(named).toMatchObject({
      errorCode: 'GroundFailure',
      info: 'Residual current detected',
      title: expect.stringContaining('GroundFailure'),
    });
    const timeline = await h.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, named!.id));
    expect(timeline.map((e) => e.summary)).toContainEqual(
      'NotifyEvent: GroundFailure (Residual current detected)',
    );

    // The problem reported first opens the incident; the Faulted status then adds to it.
    await charger.call('NotifyEvent', problem(2, 'OverTemperature'));
    await charger.call('StatusNotification', faulted(2));
    const second = (await faultsOf(station.id)).filter((i) => i.evseId === 2);
    expect(second.map((i) => [i.kind, i.errorCode, i.state])).toEqual([
      ['connector_faulted', 'OverTemperature', 'open'],
    ]);
  });
});

describe('OCPP 2.0.1 transactions', () => {
  const energy = (wh: number, context: string, timestamp: string) => ({
    timestamp,
    sampledValue: [
      { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
    ],
  });

  it('follows Started, Updated and Ended, computes the energy, and ignores a resent seqNo', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    const base = { transactionInfo: { transactionId: 'TX-201-A' }, evse: { id: 2, connectorId: 1 } };
    const startedAnswer = await charger.call('TransactionEvent', {
      ...base,
      eventType: 'Started',
      timestamp: '2026-11-20T09:00:00Z',
      triggerReason: 'Authorized',
      seqNo: 0,
      idToken: { idToken: 'RFID-9', type: 'ISO14443' },
      meterValue: [energy(1000, 'Transaction.Begin', '2026-11-20T09:00:00Z')],
    });
    expect(startedAnswer).toEqual({ idTokenInfo: { status: 'Accepted' } });
    const updated = {
      ...base,
      eventType: 'Updated',
      timestamp: '2026-11-20T09:10:00Z',
      triggerReason: 'MeterValuePeriodic',
      seqNo: 1,
      meterValue: [
        {
          timestamp: '2026-11-20T09:10:00Z',
          sampledValue: [
            { value: 11, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W', multiplier: 3 } },
          ],
        },
      ],
    };
    expect(await charger.call('TransactionEvent', updated)).toEqual({});
    expect(await charger.call('TransactionEvent', updated)).toEqual({}); // resent after a reconnect
    await charger.call('TransactionEvent', {
      ...base,
      eventType: 'Ended',
      timestamp: '2026-11-20T09:30:00Z',
      triggerReason: 'EVCommunicationLost',
      seqNo: 2,
      transactionInfo: { transactionId: 'TX-201-A', stoppedReason: 'EVDisconnected' },
      meterValue: [energy(5000, 'Transaction.End', '2026-11-20T09:30:00Z')],
    });

    const [session] = await txByStation(station.id);
    expect(session).toMatchObject({
      chargerTransactionId: 'TX-201-A',
      ocppVersion: '2.0.1',
      evseId: 2,
      connectorId: 1,
      idToken: 'RFID-9',
      idTokenType: 'ISO14443',
      status: 'completed',
      meterStartWh: 1000,
      meterStopWh: 5000,
      energyWh: 4000,
      stopReason: 'EVDisconnected',
      lastSeqNo: 2,
      flags: [],
    });
    const samples = await samplesOf(session!.id);
    expect(samples.map((s) => [s.measurand, s.value, s.unit])).toEqual([
      ['Energy.Active.Import.Register', 1000, 'Wh'],
      ['Power.Active.Import', 11000, 'W'],
      ['Energy.Active.Import.Register', 5000, 'Wh'],
    ]);
  });

  it('records events that arrive before their Started (sent offline) and flags them', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    await charger.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: '2026-11-18T12:00:00Z',
      triggerReason: 'StopAuthorized',
      seqNo: 3,
      offline: true,
      transactionInfo: { transactionId: 'TX-OFF', stoppedReason: 'Local' },
      evse: { id: 1, connectorId: 1 },
    });
    await charger.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: '2026-11-18T11:00:00Z',
      triggerReason: 'Authorized',
      seqNo: 0,
      offline: true,
      transactionInfo: { transactionId: 'TX-OFF' },
      evse: { id: 1, connectorId: 1 },
    });
    const [session] = await txByStation(station.id);
    expect(session).toMatchObject({ status: 'completed', offline: true, flags: ['first-event-not-started'] });
    expect(session?.startedAt?.toISOString()).toBe('2026-11-18T11:00:00.000Z');
    expect(session?.stoppedAt?.toISOString()).toBe('2026-11-18T12:00:00.000Z');
  });

  it('keeps security and device events, stores reports, and answers Authorize and DataTransfer', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    expect(await charger.call('Authorize', { idToken: { idToken: 'ABC', type: 'ISO14443' } })).toEqual({
      idTokenInfo: { status: 'Accepted' },
    });
    expect(await charger.call('DataTransfer', { vendorId: 'com.acme' })).toEqual({
      status: 'UnknownVendorId',
    });
    await charger.call('SecurityEventNotification', {
      type: 'TamperDetectionActivated',
      timestamp: '2026-11-20T10:00:00Z',
    });
    await charger.call('NotifyEvent', {
      generatedAt: '2026-11-20T10:01:00Z',
      seqNo: 0,
      eventData: [
        {
          eventId: 1,
          timestamp: '2026-11-20T10:01:00Z',
          trigger: 'Alerting',
          actualValue: 'true',
          eventNotificationType: 'HardWiredNotification',
          component: { name: 'RCD' },
          variable: { name: 'Tripped' },
        },
      ],
    });
    await charger.call('NotifyReport', {
      requestId: 7,
      generatedAt: '2026-11-20T10:02:00Z',
      seqNo: 0,
      reportData: [
        {
          component: { name: 'EVSE', evse: { id: 1 } },
          variable: { name: 'Power' },
          variableAttribute: [
            { type: 'Actual', value: '0', mutability: 'ReadOnly' },
            { type: 'MaxSet', value: '22000', mutability: 'ReadOnly' },
          ],
          variableCharacteristics: { dataType: 'decimal', unit: 'W', supportsMonitoring: true },
        },
      ],
    });
    await charger.call('FirmwareStatusNotification', { status: 'Downloading' });
    await charger.call('LogStatusNotification', { status: 'Uploading' });
    const events = await h.db
      .select()
      .from(stationEvents)
      .where(eq(stationEvents.stationId, station.id))
      .orderBy(asc(stationEvents.id));
    expect(events.map((e) => [e.kind, e.summary])).toEqual([
      ['SecurityEventNotification', 'TamperDetectionActivated'],
      ['NotifyEvent', 'RCD.Tripped=true'],
      ['FirmwareStatusNotification', 'Downloading'],
      ['LogStatusNotification', 'Uploading'],
    ]);
    expect(events[0]?.chargerTime?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    const variables = await h.db
      .select()
      .from(stationVariables)
      .where(eq(stationVariables.stationId, station.id))
      .orderBy(asc(stationVariables.attributeType));
    expect(
      variables.map((v) => [v.component, v.evseId, v.variable, v.attributeType, v.value, v.readonly, v.unit]),
    ).toEqual([
      ['EVSE', 1, 'Power', 'Actual', '0', true, 'W'],
      ['EVSE', 1, 'Power', 'MaxSet', '22000', true, 'W'],
    ]);
    const [row] = await h.db.select().from(chargingStations).where(eq(chargingStations.id, station.id));
    expect(row?.firmwareStatus).toBe('Downloading');
  });

  it('stores MeterValues sent outside a transaction, scaled by the unit multiplier, once even if resent', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    const message = {
      evseId: 1,
      meterValue: [
        {
          timestamp: '2026-11-20T11:00:00Z',
          sampledValue: [
            { value: 123.456, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } },
            { value: 2.3, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W', multiplier: 3 } },
          ],
        },
      ],
    };
    expect(await charger.call('MeterValues', message)).toEqual({});
    expect(await charger.call('MeterValues', message)).toEqual({});
    const samples = await h.db
      .select()
      .from(meterValues)
      .where(eq(meterValues.stationId, station.id))
      .orderBy(asc(meterValues.id));
    expect(samples.map((s) => [s.transactionId, s.evseId, s.measurand, s.value, s.unit])).toEqual([
      [null, 1, 'Energy.Active.Import.Register', 123456, 'Wh'],
      [null, 1, 'Power.Active.Import', 2300, 'W'],
    ]);
  });
});
