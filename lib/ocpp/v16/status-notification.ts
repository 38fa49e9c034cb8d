import { recordStatus } from '@/lib/services/charger-link';
import { parseTimestamp, type Handler } from '../context';

/** OCPP 1.6 StatusNotification.req (§6.47). connectorId 0 is the charge point as a whole. */
export interface StatusNotificationRequest {
  connectorId: number;
  errorCode: string;
  status: string;
  info?: string;
  timestamp?: string;
  vendorId?: string;
  vendorErrorCode?: string;
}

export const statusNotification: Handler<StatusNotificationRequest, Record<string, never>> = async (
  ctx,
  req,
) => {
  // 1.6 has one connector per "connector id"; ChargeOps models it as EVSE n with connector 1.
  const whole = req.connectorId === 0;
  await recordStatus(
    ctx.db,
    ctx.station,
    {
      evseId: req.connectorId,
      connectorId: whole ? 0 : 1,
      status: req.status,
      errorCode: req.errorCode === 'NoError' ? null : req.errorCode,
      vendorErrorCode: req.vendorErrorCode ?? null,
      info: [req.vendorId, req.info].filter(Boolean).join(': ') || null,
      chargerTime: parseTimestamp(req.timestamp),
    },
    ctx.now(),
  );
  return {};
};
