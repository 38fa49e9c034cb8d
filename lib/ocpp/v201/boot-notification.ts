import { followUpBoot } from '@/lib/commands/boot-follow-ups';
import { recordBoot } from '@/lib/services/charger-link';
import { registrationStatusOf, type Handler } from '../context';

/** OCPP 2.0.1 BootNotificationRequest (B01). */
export interface BootNotificationRequest {
  chargingStation: {
    model: string;
    vendorName: string;
    serialNumber?: string;
    firmwareVersion?: string;
    modem?: { iccid?: string; imsi?: string };
  };
  reason: string;
}

export interface BootNotificationResponse {
  currentTime: string;
  interval: number;
  status: 'Accepted' | 'Pending' | 'Rejected';
  statusInfo?: { reasonCode: string; additionalInfo?: string };
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
      vendor: req.chargingStation.vendorName,
      model: req.chargingStation.model,
      serialNumber: req.chargingStation.serialNumber,
      firmwareVersion: req.chargingStation.firmwareVersion,
      ocppVersion: ctx.ocppVersion,
    },
    now,
  );
  // Once accepted, the station gets its configuration defaults and local list (after this answer).
  if (status === 'accepted')
    ctx.afterResponse(() => followUpBoot(ctx.db, ctx.station, ctx.ocppVersion, ctx.commandDeps));
  const response: BootNotificationResponse = {
    currentTime: now.toISOString(),
    interval: ctx.heartbeatInterval,
    status: registrationStatusOf(status),
  };
  if (status === 'pending') {
    response.statusInfo = {
      reasonCode: 'Pending',
      additionalInfo: 'Waiting for an operator to accept this station',
    };
  }
  return response;
};
