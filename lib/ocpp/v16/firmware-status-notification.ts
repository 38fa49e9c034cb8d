import { recordFirmwareStatus } from '@/lib/services/charger-link';
import type { Handler } from '../context';
import { keepNotification } from '../notification';

/** OCPP 1.6 FirmwareStatusNotification.req (§6.29). */
export interface FirmwareStatusNotificationRequest {
  status: string;
}

const keep = keepNotification<FirmwareStatusNotificationRequest>(
  'FirmwareStatusNotification',
  (r) => r.status,
);

/** Kept on the station's event list; the latest status shows as the firmware update's progress. */
export const firmwareStatusNotification: Handler<
  FirmwareStatusNotificationRequest,
  Record<string, never>
> = async (ctx, req) => {
  await recordFirmwareStatus(ctx.db, ctx.station, req.status, ctx.now());
  return keep(ctx, req);
};
