import { recordFirmwareStatus } from '@/lib/services/charger-link';
import { parseTimestamp, type Handler } from '../context';
import { noteSecurityEvent } from '@/lib/services/incidents';
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

interface SecurityEvent {
  type: string;
  timestamp: string;
  techInfo?: string;
}

const keepSecurityEvent = keepNotification<SecurityEvent>(
  'SecurityEventNotification',
  (r) => [r.type, r.techInfo].filter(Boolean).join(': '),
  (r) => r.timestamp,
);

/** A04 SecurityEventNotification: kept as an event; a critical one opens an incident. */
export const securityEventNotification: Handler<SecurityEvent, Record<string, never>> = async (ctx, req) => {
  const answer = await keepSecurityEvent(ctx, req);
  await noteSecurityEvent(
    ctx.db,
    ctx.station,
    {
      type: req.type,
      techInfo: req.techInfo ?? null,
      at: parseTimestamp(req.timestamp),
      ocppVersion: '2.0.1',
    },
    ctx.now(),
  );
  return answer;
};

interface EventData {
  eventId: number;
  trigger: string;
  actualValue: string;
  component: { name: string };
  variable: { name: string };
}

/** N07 NotifyEvent: component/variable events (faults, alerts); the first ones name the summary. */
export const notifyEvent = keepNotification<{
  generatedAt: string;
  seqNo: number;
  tbc?: boolean;
  eventData: EventData[];
}>(
  'NotifyEvent',
  (r) =>
    r.eventData
      .slice(0, 3)
      .map((e) => `${e.component.name}.${e.variable.name}=${e.actualValue}`)
      .join(', '),
  (r) => r.generatedAt,
);
