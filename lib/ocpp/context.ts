import type { Logger } from 'pino';
import type { Db } from '@/lib/db';
import type { CommandDeps } from '@/lib/commands/send';
import type { StationLink } from '@/lib/services/charger-link';

/** What every OCPP message handler gets besides the message: the station, the database and the clock. */
export interface HandlerContext {
  station: StationLink;
  db: Db;
  log: Logger;
  now: () => Date;
  /** Heartbeat interval (seconds) to give chargers at boot. */
  heartbeatInterval: number;
  /** The negotiated OCPP version, as stored on the station ('1.6' or '2.0.1'). */
  ocppVersion: '1.6' | '2.0.1';
  /** What sending a command to this station needs (ChargeOps's own follow-ups after boot). */
  commandDeps: CommandDeps;
  /** Runs a task after the response to the current CALL has gone out (slow follow-ups). */
  afterResponse(task: () => Promise<unknown>): void;
}

/** A handler of one inbound CALL: the validated request in, the response out. */
export type Handler<Req = never, Res = unknown> = (ctx: HandlerContext, request: Req) => Promise<Res> | Res;

/** Action name -> handler, per OCPP version. */
export type RouteTable = Record<string, Handler<never, unknown>>;

/** Parses an OCPP timestamp; null when absent or not a date. */
export function parseTimestamp(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Registration status in the spelling both OCPP versions use. */
export function registrationStatusOf(
  status: 'accepted' | 'pending' | 'rejected',
): 'Accepted' | 'Pending' | 'Rejected' {
  return status === 'accepted' ? 'Accepted' : status === 'pending' ? 'Pending' : 'Rejected';
}
