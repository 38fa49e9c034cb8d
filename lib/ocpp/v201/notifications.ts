import { recordFirmwareStatus } from '@/lib/services/charger-link';
import { parseTimestamp, type Handler } from '../context';
import { problemsReported, type DeviceEvent } from '@/lib/domain/maintenance/incidents';
import { noteDeviceProblems } from '@/lib/services/incidents';
import { keepNotification } from '../notification';

/** 2.0.1 notifications kept on the station's event list as they came. */

const keepFirmwareStatus = keepNotification<{ status: string; requestId?: number }>(
  'FirmwareStatusNotification',
  (r) => r.status,
);

/** L01 FirmwareStatusNotification: kept as an event; the latest status is the update's progress. */
export const firmwareStatusNotification: Handler<
  { status: string; requestId?: number },
  Record<string, never>
> = async (ctx, req) => {
  await recordFirmwareStatus(ctx.db, ctx.station, req.status, ctx.now());
  return keepFirmwareStatus(ctx, req);
};

/** N01 LogStatusNotification. */
export const logStatusNotification = keepNotification<{ status: string; requestId?: number }>(
  'LogStatusNotification',
  (r) => r.status,
);

interface NotifyEventRequest {
  generatedAt: string;
  seqNo: number;
  tbc?: boolean;
  eventData: (DeviceEvent & { eventId: number; trigger: string })[];
}

const keepNotifyEvent = keepNotification<NotifyEventRequest>(
  'NotifyEvent',
  (r) =>
    r.eventData
      .slice(0, 3)
      .map((e) => `${e.component.name}.${e.variable.name}=${e.actualValue}`)
      .join(', '),
  (r) => r.generatedAt,
);

/**
 * N07 NotifyEvent: component/variable events (faults, alerts), kept as they came; the first ones
 * name the summary. A Problem turning true is a fault: it opens (or names) the EVSE's incident.
 */
export const notifyEvent: Handler<NotifyEventRequest, Record<string, never>> = async (ctx, req) => {
  const answer = await keepNotifyEvent(ctx, req);
  const problems = problemsReported(req.eventData);
  if (problems.length > 0)
    await noteDeviceProblems(ctx.db, ctx.station, problems, parseTimestamp(req.generatedAt), ctx.now());
  return answer;
};
