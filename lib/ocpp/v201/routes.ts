import type { RouteTable } from '../context';
import { bootNotification } from './boot-notification';
import { heartbeat } from './heartbeat';
import { statusNotification } from './status-notification';

/** OCPP 2.0.1 actions ChargeOps handles; other actions of the version are answered NotSupported. */
export const v201Routes: RouteTable = {
  BootNotification: bootNotification as RouteTable[string],
  Heartbeat: heartbeat as RouteTable[string],
  StatusNotification: statusNotification as RouteTable[string],
};
