import {
  isLoadCommand,
  type Command,
  type ReportedVariable,
  type TriggerableMessage,
} from '@/lib/commands/types';
import { outcomeOfStatus, type CommandAdapter, type OcppCall } from '../command-adapter';
import { authorizationDataOf } from './local-list';
import { readSmartChargingResult, smartChargingCall } from './smart-charging';

/** OCPP 1.6 §5 (operations initiated by the Central System), one case per command. */

const triggered: Record<TriggerableMessage, string> = {
  boot: 'BootNotification',
  heartbeat: 'Heartbeat',
  status: 'StatusNotification',
  'meter-values': 'MeterValues',
  'firmware-status': 'FirmwareStatusNotification',
  'upload-status': 'DiagnosticsStatusNotification',
};

/** 1.6 idTag is CiString20Type. */
const idTagLimit = 20;

function toCall(command: Command): OcppCall | { unsupported: string } {
  if (isLoadCommand(command)) return smartChargingCall(command);
  switch (command.kind) {
    case 'remote-start':
      if (command.idToken.length > idTagLimit)
        return { unsupported: `OCPP 1.6 id tags are at most ${idTagLimit} characters` };
      return {
        action: 'RemoteStartTransaction',
        payload: { idTag: command.idToken, ...(command.evseId ? { connectorId: command.evseId } : {}) },
      };
    case 'remote-stop': {
      const transactionId = Number(command.chargerTransactionId);
      if (!Number.isInteger(transactionId))
        return { unsupported: 'This transaction id is not a 1.6 integer transaction id' };
      return { action: 'RemoteStopTransaction', payload: { transactionId } };
    }
    case 'reset':
      return { action: 'Reset', payload: { type: command.mode === 'hard' ? 'Hard' : 'Soft' } };
    case 'unlock':
      return { action: 'UnlockConnector', payload: { connectorId: command.evseId } };
    case 'change-availability':
      return {
        action: 'ChangeAvailability',
        payload: { connectorId: command.evseId, type: command.operative ? 'Operative' : 'Inoperative' },
      };
    case 'get-configuration':
      return { action: 'GetConfiguration', payload: command.keys.length > 0 ? { key: command.keys } : {} };
    case 'get-base-report':
      // 1.6 has no device model: its whole configuration is the report.
      return { action: 'GetConfiguration', payload: {} };
    case 'change-configuration':
      return { action: 'ChangeConfiguration', payload: { key: command.key, value: command.value } };
    case 'trigger-message':
      return {
        action: 'TriggerMessage',
        payload: {
          requestedMessage: triggered[command.message],
          ...(command.evseId ? { connectorId: command.evseId } : {}),
        },
      };
    case 'clear-cache':
      return { action: 'ClearCache', payload: {} };
    case 'data-transfer':
      return {
        action: 'DataTransfer',
        payload: {
          vendorId: command.vendorId,
          ...(command.messageId ? { messageId: command.messageId } : {}),
          ...(command.data !== null ? { data: command.data } : {}),
        },
      };
    case 'update-firmware':
      return {
        action: 'UpdateFirmware',
        payload: {
          location: command.location,
          retrieveDate: command.retrieveAt,
          ...(command.retries !== null ? { retries: command.retries } : {}),
          ...(command.retryIntervalSeconds !== null ? { retryInterval: command.retryIntervalSeconds } : {}),
        },
      };
    case 'upload-diagnostics':
      return {
        action: 'GetDiagnostics',
        payload: {
          location: command.location,
          ...(command.from ? { startTime: command.from } : {}),
          ...(command.to ? { stopTime: command.to } : {}),
        },
      };
    case 'reserve':
      if (command.idToken.length > idTagLimit)
        return { unsupported: `OCPP 1.6 id tags are at most ${idTagLimit} characters` };
      return {
        action: 'ReserveNow',
        payload: {
          connectorId: command.evseId,
          expiryDate: command.expiresAt,
          idTag: command.idToken,
          reservationId: command.reservationId,
        },
      };
    case 'cancel-reservation':
      return { action: 'CancelReservation', payload: { reservationId: command.reservationId } };
    case 'get-local-list-version':
      return { action: 'GetLocalListVersion', payload: {} };
    case 'cost-updated':
      // 1.6 has no CostUpdated: costs go as DataTransfer in the California pricing convention.
      return { unsupported: 'OCPP 1.6 has no CostUpdated' };
    case 'send-local-list':
      return {
        action: 'SendLocalList',
        payload: {
          listVersion: command.versionNumber,
          updateType: command.updateType,
          // §5.15: a Full update without a list clears it; some chargers refuse an empty array.
          ...(command.changes.length > 0
            ? { localAuthorizationList: command.changes.map(authorizationDataOf) }
            : {}),
        },
      };
  }
}

function configurationKey(key: string, value: string | null, readonly: boolean): ReportedVariable {
  return {
    component: '',
    componentInstance: '',
    evseId: 0,
    connectorId: 0,
    variable: key,
    variableInstance: '',
    attributeType: 'Actual',
    value,
    readonly,
  };
}

export const v16Commands: CommandAdapter = {
  toCall,
  readResult(command, result) {
    if (isLoadCommand(command)) return readSmartChargingResult(command, result);
    switch (command.kind) {
      case 'remote-start':
      case 'remote-stop':
      case 'reset':
      case 'clear-cache':
      case 'reserve':
      case 'cancel-reservation':
        return outcomeOfStatus(result, ['Accepted']);
      case 'change-availability':
        return outcomeOfStatus(result, ['Accepted', 'Scheduled']);
      case 'unlock':
        return outcomeOfStatus(result, ['Unlocked']);
      case 'trigger-message':
        return outcomeOfStatus(result, ['Accepted']);
      case 'data-transfer':
        return outcomeOfStatus(result, ['Accepted']);
      case 'cost-updated':
        return { status: 'rejected', detail: 'Not in OCPP 1.6', response: result };
      case 'change-configuration':
        return outcomeOfStatus(result, ['Accepted', 'RebootRequired'], {
          variables: ['Accepted', 'RebootRequired'].includes(String(result.status))
            ? [configurationKey(command.key, command.value, false)]
            : [],
        });
      case 'get-configuration':
      case 'get-base-report': {
        const keys = (result.configurationKey ?? []) as { key: string; readonly: boolean; value?: string }[];
        const unknownKeys = (result.unknownKey ?? []) as string[];
        return {
          status: 'accepted',
          detail: `${keys.length} key${keys.length === 1 ? '' : 's'} read${unknownKeys.length ? `, ${unknownKeys.length} unknown` : ''}`,
          response: result,
          variables: keys.map((k) => configurationKey(k.key, k.value ?? null, k.readonly)),
          unknownKeys,
        };
      }
      case 'update-firmware':
        // UpdateFirmware.conf is empty: the charger took the request; progress follows in
        // FirmwareStatusNotification.
        return { status: 'accepted', detail: 'Accepted', response: result };
      case 'send-local-list':
        return outcomeOfStatus(result, ['Accepted']);
      case 'get-local-list-version': {
        // §5.9: 0 = empty list, -1 = the charge point has no local list.
        const listVersion = Number(result.listVersion);
        return {
          status: 'accepted',
          detail: listVersion < 0 ? 'No local list' : `Version ${listVersion}`,
          response: result,
          listVersion,
        };
      }
      case 'upload-diagnostics': {
        const fileName = typeof result.fileName === 'string' ? result.fileName : undefined;
        return fileName
          ? { status: 'accepted', detail: `Uploading ${fileName}`, response: result, fileName }
          : { status: 'rejected', detail: 'No diagnostics file available', response: result };
      }
    }
  },
};
