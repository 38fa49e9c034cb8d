import type { RouteTable } from '../context';
import { securityEventNotification } from '../security-event';
import { authorize } from './authorize';
import { bootNotification } from './boot-notification';
import { dataTransfer } from './data-transfer';
import { heartbeat } from './heartbeat';
import { meterValues } from './meter-values';
import { firmwareStatusNotification, logStatusNotification, notifyEvent } from './notifications';
import { notifyReport } from './notify-report';
import { reservationStatusUpdate } from './reservation-status-update';
import { statusNotification } from './status-notification';
import { transactionEvent } from './transaction-event';

/** OCPP 2.0.1 actions ChargeOps handles; other actions of the version are answered NotSupported. */
export const v201Routes: RouteTable = {
  Authorize: authorize as RouteTable[string],
  BootNotification: bootNotification as RouteTable[string],
  DataTransfer: dataTransfer as RouteTable[string],
  FirmwareStatusNotification: firmwareStatusNotification as RouteTable[string],
  Heartbeat: heartbeat as RouteTable[string],
  LogStatusNotification: logStatusNotification as RouteTable[string],
  MeterValues: meterValues as RouteTable[string],
  NotifyEvent: notifyEvent as RouteTable[string],
  NotifyReport: notifyReport as RouteTable[string],
  ReservationStatusUpdate: reservationStatusUpdate as RouteTable[string],
  SecurityEventNotification: securityEventNotification as RouteTable[string],
  StatusNotification: statusNotification as RouteTable[string],
  TransactionEvent: transactionEvent as RouteTable[string],
};
