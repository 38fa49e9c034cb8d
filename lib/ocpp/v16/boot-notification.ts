import { followUpBoot } from '@/lib/commands/boot-follow-ups';
import { recordBoot } from '@/lib/services/charger-link';
import { registrationStatusOf, type Handler } from '../context';

/** OCPP 1.6 BootNotification.req (§6.2). */
export interface BootNotificationRequest {
  chargePointVendor: string;
  chargePointModel: string;
  chargePointSerialNumber?: string;
  chargeBoxSerialNumber?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  meterType?: string;
  meterSerialNumber?: string;
}

export interface BootNotificationResponse {
  status: 'Accepted' | 'Pending' | 'Rejected';
  currentTime: string;
  interval: number;
}

export const bootNotification: Handler<BootNotificationRequest, BootNotificationResponse> = async (
  ctx,
  req,
) => {
  const now = ctx.now();
  const status = await recordBoot(
    ctx.db,
    ctx.station,
    {
      vendor: req.chargePointVendor,
      model: req.chargePointModel,
      serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber,
      firmwareVersion: req.firmwareVersion,
      ocppVersion: ctx.ocppVersion,
    },
    now,
  );
  // Once accepted, the station gets its configuration defaults and local list (after this answer).
  if (status === 'accepted')
    ctx.afterResponse(() => followUpBoot(ctx.db, ctx.station, ctx.ocppVersion, ctx.commandDeps));
  // While Pending or Rejected, the interval tells the charger when to try BootNotification again.
  return {
    status: registrationStatusOf(status),
    currentTime: now.toISOString(),
    interval: ctx.heartbeatInterval,
  };
};
