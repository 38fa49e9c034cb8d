import type { RouteTable } from '../context';
import { securityEventNotification } from '../security-event';
import { authorize } from './authorize';
import { bootNotification } from './boot-notification';
import { dataTransfer } from './data-transfer';
import { diagnosticsStatusNotification } from './diagnostics-status-notification';
import { firmwareStatusNotification } from './firmware-status-notification';
import { heartbeat } from './heartbeat';
import { meterValues } from './meter-values';
import { startTransaction } from './start-transaction';
import { statusNotification } from './status-notification';
import { stopTransaction } from './stop-transaction';

/** OCPP 1.6J actions ChargeOps handles (Core profile, the two notifications and the security extension's SecurityEventNotification); other actions of the version are answered NotSupported. */
export const v16Routes: RouteTable = {
  Authorize: authorize as RouteTable[string],
  BootNotification: bootNotification as RouteTable[string],
  DataTransfer: dataTransfer as RouteTable[string],
  DiagnosticsStatusNotification: diagnosticsStatusNotification as RouteTable[string],
  FirmwareStatusNotification: firmwareStatusNotification as RouteTable[string],
  Heartbeat: heartbeat as RouteTable[string],
  MeterValues: meterValues as RouteTable[string],
  // From the 1.6 security extension (its schemas ship with ocpp-rpc's 1.6 set).
  SecurityEventNotification: securityEventNotification as RouteTable[string],
  StartTransaction: startTransaction as RouteTable[string],
  StatusNotification: statusNotification as RouteTable[string],
  StopTransaction: stopTransaction as RouteTable[string],
};
