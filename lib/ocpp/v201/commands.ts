import {
  isLoadCommand,
  type Command,
  type ReportedVariable,
  type TriggerableMessage,
} from '@/lib/commands/types';
import { parseVariableKey, type VariableAddress } from '@/lib/domain/configuration/keys';
import { outcomeOfStatus, type CommandAdapter, type OcppCall } from '../command-adapter';
import { authorizationDataOf } from './local-list';
import { readSmartChargingResult, smartChargingCall } from './smart-charging';

/** OCPP 2.0.1 requests initiated by the CSMS, one case per command. */

const triggered: Record<TriggerableMessage, string> = {
  boot: 'BootNotification',
  heartbeat: 'Heartbeat',
  status: 'StatusNotification',
  'meter-values': 'MeterValues',
  'firmware-status': 'FirmwareStatusNotification',
  'upload-status': 'LogStatusNotification',
};

interface ComponentType {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}
interface VariableType {
  name: string;
  instance?: string;
}

function componentOf(a: VariableAddress): ComponentType {
  return {
    name: a.component,
    ...(a.componentInstance ? { instance: a.componentInstance } : {}),
    ...(a.evseId > 0
      ? { evse: { id: a.evseId, ...(a.connectorId > 0 ? { connectorId: a.connectorId } : {}) } }
      : {}),
  };
}

function variableOf(a: VariableAddress): VariableType {
  return { name: a.variable, ...(a.variableInstance ? { instance: a.variableInstance } : {}) };
}

/** The address of a component/variable pair as 2.0.1 messages carry it. */
export function addressOf(component: ComponentType, variable: VariableType): VariableAddress {
  return {
    component: component.name,
    componentInstance: component.instance ?? '',
    evseId: component.evse?.id ?? 0,
    connectorId: component.evse?.connectorId ?? 0,
    variable: variable.name,
    variableInstance: variable.instance ?? '',
  };
}

/** 2.0.1 id tokens a CSMS makes up itself are of type Central. */
const centralToken = (idToken: string) => ({ idToken, type: 'Central' });

function toCall(command: Command): OcppCall | { unsupported: string } {
  if (isLoadCommand(command)) return smartChargingCall(command);
  switch (command.kind) {
    case 'remote-start':
      return {
        action: 'RequestStartTransaction',
        payload: {
          remoteStartId: command.remoteStartId,
          idToken: centralToken(command.idToken),
          ...(command.evseId ? { evseId: command.evseId } : {}),
        },
      };
    case 'remote-stop':
      return { action: 'RequestStopTransaction', payload: { transactionId: command.chargerTransactionId } };
    case 'reset':
      // B11/B12: a soft reset waits for running transactions to end (OnIdle); a hard one does not.
      return { action: 'Reset', payload: { type: command.mode === 'hard' ? 'Immediate' : 'OnIdle' } };
    case 'unlock':
      return {
        action: 'UnlockConnector',
        payload: { evseId: command.evseId, connectorId: command.connectorId },
      };
    case 'change-availability':
      return {
        action: 'ChangeAvailability',
        payload: {
          operationalStatus: command.operative ? 'Operative' : 'Inoperative',
          ...(command.evseId > 0
            ? {
                evse: {
                  id: command.evseId,
                  ...(command.connectorId ? { connectorId: command.connectorId } : {}),
                },
              }
            : {}),
        },
      };
    case 'get-configuration': {
      if (command.keys.length === 0)
        return {
          unsupported: 'OCPP 2.0.1 reads named variables: request a base report for the whole device model',
        };
      const addresses = command.keys.map(parseVariableKey);
      if (addresses.some((a) => !a?.component)) return { unsupported: 'Every key must name a component' };
      return {
        action: 'GetVariables',
        payload: {
          getVariableData: (addresses as VariableAddress[]).map((a) => ({
            component: componentOf(a),
            variable: variableOf(a),
          })),
        },
      };
    }
    case 'change-configuration': {
      const a = parseVariableKey(command.key);
      if (!a?.component)
        return { unsupported: 'The key must name a component, e.g. OCPPCommCtrlr.HeartbeatInterval' };
      return {
        action: 'SetVariables',
        payload: {
          setVariableData: [
            { attributeValue: command.value, component: componentOf(a), variable: variableOf(a) },
          ],
        },
      };
    }
    case 'get-base-report':
      return {
        action: 'GetBaseReport',
        payload: {
          requestId: command.requestId,
          reportBase: command.report === 'full' ? 'FullInventory' : 'ConfigurationInventory',
        },
      };
    case 'trigger-message': {
      const message = triggered[command.message];
      // F06.FR.12: a triggered StatusNotification names a connector too.
      const evse = command.evseId
        ? { id: command.evseId, ...(message === 'StatusNotification' ? { connectorId: 1 } : {}) }
        : undefined;
      return { action: 'TriggerMessage', payload: { requestedMessage: message, ...(evse ? { evse } : {}) } };
    }
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
          requestId: command.requestId,
          firmware: { location: command.location, retrieveDateTime: command.retrieveAt },
          ...(command.retries !== null ? { retries: command.retries } : {}),
          ...(command.retryIntervalSeconds !== null ? { retryInterval: command.retryIntervalSeconds } : {}),
        },
      };
    case 'upload-diagnostics':
      return {
        action: 'GetLog',
        payload: {
          logType: 'DiagnosticsLog',
          requestId: command.requestId,
          log: {
            remoteLocation: command.location,
            ...(command.from ? { oldestTimestamp: command.from } : {}),
            ...(command.to ? { latestTimestamp: command.to } : {}),
          },
        },
      };
    case 'reserve':
      return {
        action: 'ReserveNow',
        payload: {
          id: command.reservationId,
          expiryDateTime: command.expiresAt,
          idToken: centralToken(command.idToken),
          ...(command.evseId > 0 ? { evseId: command.evseId } : {}),
        },
      };
    case 'cancel-reservation':
      return { action: 'CancelReservation', payload: { reservationId: command.reservationId } };
    case 'get-local-list-version':
      return { action: 'GetLocalListVersion', payload: {} };
    case 'cost-updated':
      return {
        action: 'CostUpdated',
        payload: { totalCost: command.totalCost, transactionId: command.chargerTransactionId },
      };
    case 'send-local-list':
      return {
        action: 'SendLocalList',
        payload: {
          versionNumber: command.versionNumber,
          updateType: command.updateType,
          // The schema wants at least one item when the list is given: an empty Full update omits it.
          ...(command.changes.length > 0
            ? { localAuthorizationList: command.changes.map(authorizationDataOf) }
            : {}),
        },
      };
  }
}

interface GetVariableResult {
  attributeStatus: string;
  attributeType?: string;
  attributeValue?: string;
  component: ComponentType;
  variable: VariableType;
}

export const v201Commands: CommandAdapter = {
  toCall,
  readResult(command, result) {
    if (isLoadCommand(command)) return readSmartChargingResult(command, result);
    switch (command.kind) {
      case 'remote-start':
      case 'remote-stop':
      case 'clear-cache':
      case 'reserve':
      case 'cancel-reservation':
      case 'trigger-message':
      case 'data-transfer':
      case 'update-firmware':
      case 'get-base-report':
      case 'send-local-list':
        return outcomeOfStatus(result, ['Accepted']);
      case 'cost-updated':
        // CostUpdatedResponse is empty: the charger took it.
        return { status: 'accepted', detail: 'Accepted', response: result };
      case 'get-local-list-version': {
        // D02: 0 = no list.
        const listVersion = Number(result.versionNumber);
        return { status: 'accepted', detail: `Version ${listVersion}`, response: result, listVersion };
      }
      case 'reset':
      case 'change-availability':
        return outcomeOfStatus(result, ['Accepted', 'Scheduled']);
      case 'unlock':
        return outcomeOfStatus(result, ['Unlocked']);
      case 'upload-diagnostics': {
        const fileName = typeof result.filename === 'string' ? result.filename : undefined;
        return outcomeOfStatus(result, ['Accepted', 'AcceptedCanceled'], fileName ? { fileName } : {});
      }
      case 'change-configuration': {
        const [first] = (result.setVariableResult ?? []) as { attributeStatus: string }[];
        const status = first?.attributeStatus ?? 'Unknown';
        const ok = status === 'Accepted' || status === 'RebootRequired';
        const a = parseVariableKey(command.key);
        return {
          status: ok ? 'accepted' : 'rejected',
          detail: status,
          response: result,
          variables: ok && a ? [{ ...a, attributeType: 'Actual', value: command.value, readonly: null }] : [],
        };
      }
      case 'get-configuration': {
        const results = (result.getVariableResult ?? []) as GetVariableResult[];
        const read = results.filter((r) => r.attributeStatus === 'Accepted');
        const unknown = results.filter((r) =>
          ['UnknownComponent', 'UnknownVariable'].includes(r.attributeStatus),
        );
        const variables: ReportedVariable[] = read.map((r) => ({
          ...addressOf(r.component, r.variable),
          attributeType: r.attributeType ?? 'Actual',
          value: r.attributeValue ?? null,
          readonly: null,
        }));
        return {
          status: read.length > 0 ? 'accepted' : 'rejected',
          detail: `${read.length} of ${results.length} read${unknown.length ? `, ${unknown.length} unknown` : ''}`,
          response: result,
          variables,
          unknownKeys: unknown.map((r) => [r.component.name, r.variable.name].join('.')),
        };
      }
    }
  },
};
