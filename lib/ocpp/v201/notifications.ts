import { keepNotification } from '../notification';

/** 2.0.1 notifications kept on the station's event list as they came. */

/** L01 FirmwareStatusNotification. */
export const firmwareStatusNotification = keepNotification<{ status: string; requestId?: number }>(
  'FirmwareStatusNotification',
  (r) => r.status,
);

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

/** B07 NotifyReport: one part of a device-model report (browsing it comes with remote operations). */
export const notifyReport = keepNotification<{
  requestId: number;
  generatedAt: string;
  seqNo: number;
  tbc?: boolean;
}>(
  'NotifyReport',
  (r) => `report ${r.requestId} part ${r.seqNo}${r.tbc ? ' (more to come)' : ''}`,
  (r) => r.generatedAt,
);
