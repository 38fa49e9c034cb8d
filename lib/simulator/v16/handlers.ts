import type { RPCClient } from 'ocpp-rpc';
import type { ChargingProfilePurpose, ChargingRateUnit } from '../charging-profiles';
import {
  answerDataTransfer,
  handle,
  instantOf,
  refuseOtherActions,
  scheduleFromWire,
  type ChargingScheduleWire,
  type StationControl,
} from '../protocol';
import { v16Configuration, type ChangeConfigurationStatus } from './configuration';
import { answerCostMessage, costVendorId } from './cost-messages';

type Status<S extends string> = { status: S };
type AcceptedOrRejected = Status<'Accepted' | 'Rejected'>;
type IdTagInfo = { status: string; expiryDate?: string; parentIdTag?: string };
type Purpose16 = 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
type CsChargingProfiles = {
  chargingProfileId: number;
  transactionId?: number;
  stackLevel: number;
  chargingProfilePurpose: Purpose16;
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  chargingSchedule: ChargingScheduleWire;
};

/** 1.6's ChargePointMaxProfile is the station maximum of the version-neutral model (2.0.1's name). */
function purposeOf(purpose: Purpose16): ChargingProfilePurpose {
  return purpose === 'ChargePointMaxProfile' ? 'ChargingStationMaxProfile' : purpose;
}

/**
 * The station's answers to OCPP 1.6J CSMS-initiated actions (Core, Firmware Management, Local Auth
 * List Management, Remote Trigger, Reservation and Smart Charging profiles). Each answers at once;
 * the follow-up messages (StartTransaction, StatusNotification, ...) go out after the answer, as §4
 * of the specification expects.
 */
export function registerV16Handlers(client: RPCClient, station: StationControl): void {
  const configuration = v16Configuration(station);

  // §5.11: a free connector (the one asked for, or the first), not reserved for another idTag.
  handle<{ connectorId?: number; idTag: string }, AcceptedOrRejected>(
    client,
    'RemoteStartTransaction',
    (req) => ({
      status: station.remoteStart({ connector: req.connectorId, idTag: req.idTag, idTokenType: 'ISO14443' })
        ? 'Accepted'
        : 'Rejected',
    }),
  );

  // §5.12: Rejected for a transaction the station does not know (or while Pending).
  handle<{ transactionId: number }, AcceptedOrRejected>(client, 'RemoteStopTransaction', (req) => ({
    status: station.accepted && station.remoteStop(String(req.transactionId)) ? 'Accepted' : 'Rejected',
  }));

  // §5.14: sessions end with SoftReset / HardReset, then the station reboots.
  handle<{ type: 'Hard' | 'Soft' }, AcceptedOrRejected>(client, 'Reset', (req) => {
    station.reset({ reason: req.type === 'Hard' ? 'HardReset' : 'SoftReset' });
    return { status: 'Accepted' };
  });

  // §5.18: a running transaction is stopped (reason UnlockCommand) before the connector unlocks.
  handle<{ connectorId: number }, Status<'Unlocked' | 'UnlockFailed' | 'NotSupported'>>(
    client,
    'UnlockConnector',
    async (req) => {
      if (!station.hasConnector(req.connectorId)) return { status: 'NotSupported' };
      await station.unlock(req.connectorId, true);
      return { status: 'Unlocked' };
    },
  );

  // §5.2: connectorId 0 is the whole charge point; a busy connector changes when its session ends.
  handle<
    { connectorId: number; type: 'Inoperative' | 'Operative' },
    Status<'Accepted' | 'Rejected' | 'Scheduled'>
  >(client, 'ChangeAvailability', (req) => {
    if (req.connectorId !== 0 && !station.hasConnector(req.connectorId)) return { status: 'Rejected' };
    const connector = req.connectorId === 0 ? undefined : req.connectorId;
    return { status: station.changeAvailability(connector, req.type === 'Operative') };
  });

  handle<
    { key?: string[] },
    { configurationKey: { key: string; readonly: boolean; value: string }[]; unknownKey?: string[] }
  >(client, 'GetConfiguration', (req) => {
    const keys = req.key?.length ? req.key : [...configuration.keys()];
    const configurationKey = [];
    const unknownKey = [];
    for (const key of keys) {
      const entry = configuration.get(key);
      if (entry) configurationKey.push({ key, readonly: entry.readonly, value: entry.get() });
      else unknownKey.push(key);
    }
    return { configurationKey, ...(unknownKey.length && { unknownKey }) };
  });

  // §5.3: NotSupported for unknown keys, Rejected for read-only keys and invalid values.
  handle<{ key: string; value: string }, Status<ChangeConfigurationStatus>>(
    client,
    'ChangeConfiguration',
    (req) => {
      const entry = configuration.get(req.key);
      if (!entry) return { status: 'NotSupported' };
      if (entry.readonly) return { status: 'Rejected' };
      return { status: entry.set(req.value) };
    },
  );

  // §5.17: the requested message goes out after the answer; connectorId 0 is the charge point.
  handle<
    { requestedMessage: string; connectorId?: number },
    Status<'Accepted' | 'Rejected' | 'NotImplemented'>
  >(client, 'TriggerMessage', (req) => {
    const id = req.connectorId;
    if (id !== undefined && id !== 0 && !station.hasConnector(id)) return { status: 'Rejected' };
    const send: Record<string, () => Promise<void>> = {
      BootNotification: () => station.triggerBoot(),
      DiagnosticsStatusNotification: () => station.triggerUploadStatus(),
      FirmwareStatusNotification: () => station.triggerFirmwareStatus(),
      Heartbeat: () => station.triggerHeartbeat(),
      MeterValues: () => station.triggerMeterValues(id),
      StatusNotification: () => station.triggerStatus(id),
    };
    const action = send[req.requestedMessage];
    if (!action) return { status: 'NotImplemented' };
    station.afterResponse(action);
    return { status: 'Accepted' };
  });

  handle<object, AcceptedOrRejected>(client, 'ClearCache', () => ({
    status: station.clearCache() ? 'Accepted' : 'Rejected',
  }));

  // A station without a cost display does not know the OCA vendor id, as any other.
  handle<{ vendorId: string; messageId?: string; data?: string }, object>(client, 'DataTransfer', (req) =>
    req.vendorId === costVendorId && station.displaysCostAndPrice
      ? answerCostMessage(station, req)
      : answerDataTransfer(station.vendor, req),
  );

  // §5.19: answered empty; the FirmwareStatusNotifications follow from retrieveDate on.
  handle<{ location: string; retrieveDate: string }, object>(client, 'UpdateFirmware', (req) => {
    station.updateFirmware({ location: req.location, retrieveAt: new Date(req.retrieveDate) });
    return {};
  });

  // §5.9: answered with the file name; DiagnosticsStatusNotification Uploading, then the outcome.
  handle<
    { location: string; retries?: number; retryInterval?: number; startTime?: string; stopTime?: string },
    { fileName: string }
  >(client, 'GetDiagnostics', (req) => ({
    fileName: station.uploadLog({
      location: req.location,
      from: req.startTime ? new Date(req.startTime) : undefined,
      to: req.stopTime ? new Date(req.stopTime) : undefined,
      retries: req.retries,
      retryIntervalS: req.retryInterval,
    }),
  }));

  // §5.13: connector 0 is not reservable here (ReserveConnectorZeroSupported is false).
  handle<
    { connectorId: number; expiryDate: string; idTag: string; reservationId: number },
    Status<'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable'>
  >(client, 'ReserveNow', (req) => {
    if (!station.hasConnector(req.connectorId)) return { status: 'Rejected' };
    return {
      status: station.reserve({
        id: req.reservationId,
        connector: req.connectorId,
        idTag: req.idTag,
        expiresAt: new Date(req.expiryDate),
      }),
    };
  });

  handle<{ reservationId: number }, AcceptedOrRejected>(client, 'CancelReservation', (req) => ({
    status: station.cancelReservation(req.reservationId) ? 'Accepted' : 'Rejected',
  }));

  // §5.9: -1 says the charge point has no Local Authorization List.
  handle<object, { listVersion: number }>(client, 'GetLocalListVersion', () => ({
    listVersion: station.localAuthList?.version ?? -1,
  }));

  // §5.15: a full list replaces the stored one, a differential one adds, replaces and removes idTags.
  handle<
    {
      listVersion: number;
      updateType: 'Full' | 'Differential';
      localAuthorizationList?: { idTag: string; idTagInfo?: IdTagInfo }[];
    },
    Status<'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch'>
  >(client, 'SendLocalList', (req) => {
    const list = station.localAuthList;
    if (!list) return { status: 'NotSupported' };
    const items = (req.localAuthorizationList ?? []).map(({ idTag, idTagInfo }) => ({
      idToken: idTag,
      info: idTagInfo && {
        status: idTagInfo.status,
        expiresAt: idTagInfo.expiryDate,
        parentIdTag: idTagInfo.parentIdTag,
      },
    }));
    return { status: list.apply({ updateType: req.updateType, version: req.listVersion, items }) };
  });

  // §5.16: a ChargePointMaxProfile on connector 0 only, a TxProfile only where a transaction runs;
  // the same id, or the same purpose and stack level on the connector, replaces a profile.
  handle<{ connectorId: number; csChargingProfiles: CsChargingProfiles }, AcceptedOrRejected>(
    client,
    'SetChargingProfile',
    ({ connectorId, csChargingProfiles: p }) => ({
      status: station.setChargingProfile({
        id: p.chargingProfileId,
        evseId: connectorId,
        stackLevel: p.stackLevel,
        chargingProfilePurpose: purposeOf(p.chargingProfilePurpose),
        chargingProfileKind: p.chargingProfileKind,
        recurrencyKind: p.recurrencyKind,
        transactionId: p.transactionId === undefined ? undefined : String(p.transactionId),
        validFrom: instantOf(p.validFrom),
        validTo: instantOf(p.validTo),
        chargingSchedule: scheduleFromWire(p.chargingSchedule),
      }).status,
    }),
  );

  // §5.5: the profile with the id, or every profile matching the other fields given; Unknown if none.
  handle<
    { id?: number; connectorId?: number; chargingProfilePurpose?: Purpose16; stackLevel?: number },
    Status<'Accepted' | 'Unknown'>
  >(client, 'ClearChargingProfile', (req) => ({
    status: station.clearChargingProfiles({
      id: req.id,
      evseId: req.connectorId,
      chargingProfilePurpose: req.chargingProfilePurpose && purposeOf(req.chargingProfilePurpose),
      stackLevel: req.stackLevel,
    })
      ? 'Accepted'
      : 'Unknown',
  }));

  // §5.7: the limits from now on; connectorId 0 is the charge point's grid connection.
  handle<
    { connectorId: number; duration: number; chargingRateUnit?: ChargingRateUnit },
    {
      status: 'Accepted' | 'Rejected';
      connectorId?: number;
      scheduleStart?: string;
      chargingSchedule?: object;
    }
  >(client, 'GetCompositeSchedule', (req) => {
    const schedule = station.compositeSchedule(req.connectorId, req.duration, req.chargingRateUnit);
    if (!schedule) return { status: 'Rejected' };
    return {
      status: 'Accepted',
      connectorId: req.connectorId,
      scheduleStart: schedule.scheduleStart.toISOString(),
      chargingSchedule: {
        duration: schedule.duration,
        chargingRateUnit: schedule.chargingRateUnit,
        chargingSchedulePeriod: schedule.chargingSchedulePeriod,
      },
    };
  });

  refuseOtherActions(client);
}
