import { noteSecurityEvent } from '@/lib/services/incidents';
import { parseTimestamp, type Handler } from './context';
import { keepNotification } from './notification';

/** What a SecurityEventNotification carries: the same in 2.0.1 (A04) and the 1.6 security extension. */
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

/**
 * SecurityEventNotification in either version: kept as a station event; a critical one (by the
 * station's version's list) opens an incident.
 */
export const securityEventNotification: Handler<SecurityEvent, Record<string, never>> = async (ctx, req) => {
  const answer = await keepSecurityEvent(ctx, req);
  await noteSecurityEvent(
    ctx.db,
    ctx.station,
    {
      type: req.type,
      techInfo: req.techInfo ?? null,
      at: parseTimestamp(req.timestamp),
      ocppVersion: ctx.ocppVersion,
    },
    ctx.now(),
  );
  return answer;
};
