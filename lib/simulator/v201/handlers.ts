import type { RPCClient } from 'ocpp-rpc';
import type { ChargingProfileKind, ChargingProfilePurpose, ChargingRateUnit } from '../charging-profiles';
import {
  answerDataTransfer,
  handle,
  instantOf,
  refuseOtherActions,
  scheduleFromWire,
  type ChargingScheduleWire,
  type StationControl,
} from '../protocol';
import {
  connectorType,
  deviceModel,
  getVariable,
  reportData,
  reportItemsPerMessage,
  setVariable,
  type ComponentRef,
  type VariableRef,
} from './device-model';

type Status<S extends string> = { status: S };
type AcceptedOrRejected = Status<'Accepted' | 'Rejected'>;
type IdToken = { idToken: string; type: string };
type AuthorizationData = {
  idToken: IdToken;
  idTokenInfo?: { status: string; cacheExpiryDateTime?: string; groupIdToken?: IdToken };
};
type StatusInfo = { reasonCode: string; additionalInfo?: string };
type ChargingProfileWire = {
  id: number;
  stackLevel: number;
  chargingProfilePurpose: ChargingProfilePurpose;
  chargingProfileKind: ChargingProfileKind;
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  transactionId?: string;
  chargingSchedule: [ChargingScheduleWire & { id: number }, ...ChargingScheduleWire[]];
};
type VariableRequest = {
  component: ComponentRef;
  variable: VariableRef;
  attributeType?: 'Actual' | 'Target' | 'MinSet' | 'MaxSet';
};

/**
 * The station's answers to OCPP 2.0.1 CSMS-initiated messages. Each EVSE has one connector (id 1).
 * Answers go out at once; follow-up messages (TransactionEvent, NotifyReport, ...) after them.
 */
export function registerV201Handlers(client: RPCClient, station: StationControl): void {
  const model = deviceModel(station);

  // F01/F02: an EVSE that is free and not reserved for another token; TransactionEvent follows.
  handle<{ evseId?: number; idToken: IdToken; remoteStartId: number }, AcceptedOrRejected>(
    client,
    'RequestStartTransaction',
    (req) => {
      if (req.evseId !== undefined && !station.hasConnector(req.evseId)) return { status: 'Rejected' };
      const started = station.remoteStart({
        connector: req.evseId,
        idTag: req.idToken.idToken,
        idTokenType: req.idToken.type,
        remoteStartId: req.remoteStartId,
      });
      return { status: started ? 'Accepted' : 'Rejected' };
    },
  );

  // F03: Accepted for a running transaction, which then ends with stoppedReason Remote.
  handle<{ transactionId: string }, AcceptedOrRejected>(client, 'RequestStopTransaction', (req) => ({
    status: station.accepted && station.remoteStop(req.transactionId) ? 'Accepted' : 'Rejected',
  }));

  // B11 / B12: Immediate ends the transactions (ImmediateReset) and reboots; OnIdle waits for them.
  handle<{ type: 'Immediate' | 'OnIdle'; evseId?: number }, Status<'Accepted' | 'Rejected' | 'Scheduled'>>(
    client,
    'Reset',
    (req) => {
      const whenIdle = req.type === 'OnIdle';
      if (req.evseId === undefined) return { status: station.reset({ reason: 'ImmediateReset', whenIdle }) };
      if (!station.hasConnector(req.evseId)) return { status: 'Rejected' };
      return { status: station.resetConnector(req.evseId, whenIdle) };
    },
  );

  // F05: an authorized transaction keeps the connector locked.
  handle<
    { evseId: number; connectorId: number },
    Status<'Unlocked' | 'UnlockFailed' | 'OngoingAuthorizedTransaction' | 'UnknownConnector'>
  >(client, 'UnlockConnector', async (req) => {
    if (!station.hasConnector(req.evseId) || req.connectorId !== 1) return { status: 'UnknownConnector' };
    const result = await station.unlock(req.evseId, false);
    return { status: result === 'Unlocked' ? 'Unlocked' : 'OngoingAuthorizedTransaction' };
  });

  // G03 / G04: no evse = the whole station; a busy EVSE changes when its transaction ends.
  handle<
    { operationalStatus: 'Inoperative' | 'Operative'; evse?: { id: number; connectorId?: number } },
    Status<'Accepted' | 'Rejected' | 'Scheduled'>
  >(client, 'ChangeAvailability', (req) => {
    const evse = req.evse && req.evse.id !== 0 ? req.evse : undefined;
    if (evse && (!station.hasConnector(evse.id) || (evse.connectorId ?? 1) !== 1))
      return { status: 'Rejected' };
    return { status: station.changeAvailability(evse?.id, req.operationalStatus === 'Operative') };
  });

  handle<{ getVariableData: VariableRequest[] }, { getVariableResult: object[] }>(
    client,
    'GetVariables',
    (req) => ({
      getVariableResult: req.getVariableData.map((item) => getVariable(model, item)),
    }),
  );

  handle<
    { setVariableData: (VariableRequest & { attributeValue: string })[] },
    { setVariableResult: object[] }
  >(client, 'SetVariables', (req) => ({
    setVariableResult: req.setVariableData.map((item) => setVariable(model, item)),
  }));

  // B07: NotifyReport messages follow, ItemsPerMessage at a time, tbc on all but the last.
  handle<{ requestId: number; reportBase: string }, Status<'Accepted' | 'NotSupported' | 'EmptyResultSet'>>(
    client,
    'GetBaseReport',
    (req) => {
      if (req.reportBase !== 'FullInventory' && req.reportBase !== 'ConfigurationInventory')
        return { status: 'NotSupported' };
      const data = reportData(model, req.reportBase);
      if (!data.length) return { status: 'EmptyResultSet' };
      const generatedAt = new Date().toISOString();
      station.afterResponse(async () => {
        for (let seqNo = 0; seqNo * reportItemsPerMessage < data.length; seqNo++) {
          const part = data.slice(seqNo * reportItemsPerMessage, (seqNo + 1) * reportItemsPerMessage);
          const tbc = (seqNo + 1) * reportItemsPerMessage < data.length;
          await station.send('NotifyReport', {
            requestId: req.requestId,
            generatedAt,
            tbc,
            seqNo,
            reportData: part,
          });
        }
      });
      return { status: 'Accepted' };
    },
  );

  // F06: the requested message goes out after the answer.
  handle<
    { requestedMessage: string; evse?: { id: number; connectorId?: number } },
    Status<'Accepted' | 'Rejected' | 'NotImplemented'>
  >(client, 'TriggerMessage', (req) => {
    const id = req.evse?.id;
    const mainMeter = id === 0 && req.requestedMessage === 'MeterValues';
    if (id !== undefined && !mainMeter && !station.hasConnector(id)) return { status: 'Rejected' };
    if ((req.evse?.connectorId ?? 1) !== 1) return { status: 'Rejected' };
    const send: Record<string, () => Promise<void>> = {
      BootNotification: () => station.triggerBoot(),
      Heartbeat: () => station.triggerHeartbeat(),
      StatusNotification: () => station.triggerStatus(id),
      MeterValues: () => station.triggerMeterValues(id),
      TransactionEvent: () => station.triggerTransactionEvent(id),
      FirmwareStatusNotification: () => station.triggerFirmwareStatus(),
      LogStatusNotification: () => station.triggerUploadStatus(),
    };
    const action = send[req.requestedMessage];
    if (!action) return { status: 'NotImplemented' };
    // F06.FR.17: a station already Accepted refuses to send BootNotification again.
    if (req.requestedMessage === 'BootNotification' && station.accepted) return { status: 'Rejected' };
    if (req.requestedMessage === 'TransactionEvent' && !station.hasSessions(id))
      return { status: 'Rejected' };
    station.afterResponse(action);
    return { status: 'Accepted' };
  });

  // C11: Rejected while the authorization cache is disabled.
  handle<object, AcceptedOrRejected>(client, 'ClearCache', () => ({
    status: station.clearCache() ? 'Accepted' : 'Rejected',
  }));

  handle<{ vendorId: string; messageId?: string; data?: unknown }, object>(client, 'DataTransfer', (req) =>
    answerDataTransfer(station.vendor, req),
  );

  // I02: the running total cost of a transaction, for the driver to see. The response has no status:
  // a transaction the station does not know (or a station without the display) is answered alike.
  handle<{ totalCost: number; transactionId: string }, object>(client, 'CostUpdated', (req) => {
    station.showRunningCost(req.transactionId, req.totalCost, new Date());
    return {};
  });

  // L01: a new update cancels one in progress (AcceptedCanceled).
  handle<
    {
      requestId: number;
      firmware: { location: string; retrieveDateTime: string; installDateTime?: string };
    },
    Status<'Accepted' | 'AcceptedCanceled'>
  >(client, 'UpdateFirmware', (req) => {
    const fresh = station.updateFirmware({
      location: req.firmware.location,
      retrieveAt: new Date(req.firmware.retrieveDateTime),
      installAt: req.firmware.installDateTime ? new Date(req.firmware.installDateTime) : undefined,
      requestId: req.requestId,
    });
    return { status: fresh ? 'Accepted' : 'AcceptedCanceled' };
  });

  // N01: answered with the file name; LogStatusNotification Uploading, then the outcome.
  handle<
    {
      logType: 'DiagnosticsLog' | 'SecurityLog';
      requestId: number;
      retries?: number;
      retryInterval?: number;
      log: { remoteLocation: string; oldestTimestamp?: string; latestTimestamp?: string };
    },
    { status: 'Accepted' | 'Rejected'; filename?: string }
  >(client, 'GetLog', (req) => {
    if (!URL.canParse(req.log.remoteLocation)) return { status: 'Rejected' };
    const filename = station.uploadLog({
      location: req.log.remoteLocation,
      requestId: req.requestId,
      from: req.log.oldestTimestamp ? new Date(req.log.oldestTimestamp) : undefined,
      to: req.log.latestTimestamp ? new Date(req.log.latestTimestamp) : undefined,
      securityOnly: req.logType === 'SecurityLog',
      retries: req.retries,
      retryIntervalS: req.retryInterval,
    });
    return { status: 'Accepted', filename };
  });

  // H01: without evseId the station picks a free EVSE for the token.
  handle<
    { id: number; expiryDateTime: string; idToken: IdToken; evseId?: number; connectorType?: string },
    Status<'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable'>
  >(client, 'ReserveNow', (req) => {
    if (req.evseId !== undefined && !station.hasConnector(req.evseId)) return { status: 'Rejected' };
    if (req.connectorType && req.connectorType !== connectorType(station.maxPowerW))
      return { status: 'Rejected' };
    return {
      status: station.reserve({
        id: req.id,
        connector: req.evseId,
        idTag: req.idToken.idToken,
        expiresAt: new Date(req.expiryDateTime),
      }),
    };
  });

  handle<{ reservationId: number }, AcceptedOrRejected>(client, 'CancelReservation', (req) => ({
    status: station.cancelReservation(req.reservationId) ? 'Accepted' : 'Rejected',
  }));

  // Functional block D; a station without a Local Authorization List answers NotSupported (below).
  const list = station.localAuthList;
  if (list) {
    // D02: versionNumber 0 = no list installed (D01.FR.18).
    handle<object, { versionNumber: number }>(client, 'GetLocalListVersion', () => ({
      versionNumber: list.version,
    }));

    // D01: a full list replaces the stored one, a differential one adds, replaces and removes tokens.
    handle<
      {
        versionNumber: number;
        updateType: 'Full' | 'Differential';
        localAuthorizationList?: AuthorizationData[];
      },
      Status<'Accepted' | 'Failed' | 'VersionMismatch'>
    >(client, 'SendLocalList', (req) => {
      const items = (req.localAuthorizationList ?? []).map(({ idToken, idTokenInfo }) => ({
        idToken: idToken.idToken,
        info: idTokenInfo && {
          status: idTokenInfo.status,
          expiresAt: idTokenInfo.cacheExpiryDateTime,
          parentIdTag: idTokenInfo.groupIdToken?.idToken,
        },
      }));
      return { status: list.apply({ updateType: req.updateType, version: req.versionNumber, items }) };
    });
  }

  // K01: by the 2.0.1 rules (a station maximum on EVSE 0, a TxProfile for a transaction running on
  // the EVSE, no second profile with the same purpose and stack level); the reason goes in statusInfo.
  handle<
    { evseId: number; chargingProfile: ChargingProfileWire },
    { status: 'Accepted' | 'Rejected'; statusInfo?: StatusInfo }
  >(client, 'SetChargingProfile', ({ evseId, chargingProfile: p }) => {
    const result = station.setChargingProfile({
      id: p.id,
      evseId,
      stackLevel: p.stackLevel,
      chargingProfilePurpose: p.chargingProfilePurpose,
      chargingProfileKind: p.chargingProfileKind,
      recurrencyKind: p.recurrencyKind,
      transactionId: p.transactionId,
      validFrom: instantOf(p.validFrom),
      validTo: instantOf(p.validTo),
      // Further schedules are alternatives for an ISO 15118 EV to choose from; this one takes the first.
      chargingSchedule: scheduleFromWire(p.chargingSchedule[0]),
    });
    if (result.status === 'Accepted') return { status: 'Accepted' };
    return {
      status: 'Rejected',
      statusInfo: { reasonCode: result.reasonCode, additionalInfo: result.reason.slice(0, 512) },
    };
  });

  // K10: the profile with the id, or every profile matching the criteria given; Unknown if none.
  handle<
    {
      chargingProfileId?: number;
      chargingProfileCriteria?: {
        evseId?: number;
        chargingProfilePurpose?: ChargingProfilePurpose;
        stackLevel?: number;
      };
    },
    Status<'Accepted' | 'Unknown'>
  >(client, 'ClearChargingProfile', (req) => {
    const criteria = req.chargingProfileCriteria;
    const cleared = station.clearChargingProfiles({
      id: req.chargingProfileId,
      evseId: criteria?.evseId,
      chargingProfilePurpose: criteria?.chargingProfilePurpose,
      stackLevel: criteria?.stackLevel,
    });
    return { status: cleared ? 'Accepted' : 'Unknown' };
  });

  // K08: the limits from now on; evseId 0 is the station's grid connection.
  handle<
    { duration: number; chargingRateUnit?: ChargingRateUnit; evseId: number },
    { status: 'Accepted' | 'Rejected'; statusInfo?: StatusInfo; schedule?: object }
  >(client, 'GetCompositeSchedule', (req) => {
    const schedule = station.compositeSchedule(req.evseId, req.duration, req.chargingRateUnit);
    if (!schedule) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEvse' } };
    return {
      status: 'Accepted',
      schedule: { ...schedule, scheduleStart: schedule.scheduleStart.toISOString() },
    };
  });

  refuseOtherActions(client);
}
