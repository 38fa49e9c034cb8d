import type { RouteTable } from '../context';
import { bootNotification } from './boot-notification';
import { heartbeat } from './heartbeat';
import { statusNotification } from './status-notification';

/** OCPP 1.6J actions ChargeOps handles; other actions of the version are answered NotSupported. */
export const v16Routes: RouteTable = {
  BootNotification: bootNotification as RouteTable[string],
  Heartbeat: heartbeat as RouteTable[string],
  StatusNotification: statusNotification as RouteTable[string],
};
