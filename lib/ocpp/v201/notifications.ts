import { recordFirmwareStatus } from '@/lib/services/charger-link';
import type { Handler } from '../context';
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

/** A04 SecurityEventNotification. */
export const securityEventNotification = keepNotification<{
  type: string;
  timestamp: string;
  techInfo?: string;
}>(
  'SecurityEventNotification',
  (r) => [r.type, r.techInfo].filter(Boolean).join(': '),
  (r) => r.timestamp,
);

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
