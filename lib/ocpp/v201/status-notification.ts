import { recordStatus } from '@/lib/services/charger-link';
import { parseTimestamp, type Handler } from '../context';

/** OCPP 2.0.1 StatusNotificationRequest (G01): the status of one connector of one EVSE. */
export interface StatusNotificationRequest {
  timestamp: string;
  connectorStatus: 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';
  evseId: number;
  connectorId: number;
}

export const statusNotification: Handler<StatusNotificationRequest, Record<string, never>> = async (
  ctx,
  req,
) => {
  await recordStatus(
    ctx.db,
    ctx.station,
    {
      evseId: req.evseId,
      connectorId: req.connectorId,
      status: req.connectorStatus,
      // 2.0.1 reports error details through NotifyEvent, not StatusNotification.
      errorCode: null,
      chargerTime: parseTimestamp(req.timestamp),
    },
    ctx.now(),
  );
  return {};
};
