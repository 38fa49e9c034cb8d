import { recordStationEvent } from '@/lib/services/charging-sessions';
import { parseTimestamp, type Handler } from './context';

/**
 * A handler for a notification that ChargeOps keeps as it came (station_events) and answers with
 * an empty response: FirmwareStatus, DiagnosticsStatus, LogStatus, SecurityEvent, NotifyEvent ...
 */
export function keepNotification<Req>(
  kind: string,
  summarize: (request: Req) => string,
  chargerTime: (request: Req) => string | undefined = () => undefined,
): Handler<Req, Record<string, never>> {
  return async (ctx, request) => {
    await recordStationEvent(
      ctx.db,
      ctx.station,
      {
        kind,
        summary: summarize(request),
        payload: request,
        chargerTime: parseTimestamp(chargerTime(request)),
      },
      ctx.now(),
    );
    return {};
  };
}
