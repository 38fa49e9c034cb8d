import type { ConnectorStatus, ReserveResult, Session } from './protocol';

/**
 * A connector (1.6) or an EVSE with its one connector (2.0.1), and the rules on its state that do
 * not depend on the connection: its status, whether a session or a reservation may take it.
 */

export type Timer = ReturnType<typeof setTimeout>;

export interface Reservation {
  id: number;
  connector: number;
  idTag: string;
  expiresAt: number;
  timer?: Timer;
}

export interface Connector {
  id: number;
  /** ChangeAvailability on this connector (the station has its own flag); survives reboots. */
  operative: boolean;
  faulted: boolean;
  /** A fault that a reboot clears (a stuck relay a reset frees); others survive reboots. */
  clearsOnReboot?: boolean;
  /** Preparing while a session starts, Finishing while it ends. */
  phase?: 'Preparing' | 'Finishing';
  session?: Session;
  reservation?: Reservation;
  /** Energy register in Wh. */
  registerWh: number;
  /** The next session the station starts by itself. */
  autoTimer?: Timer;
  /** 2.0.1 EVSE Reset OnIdle waiting for the session to end. */
  resetWhenIdle: boolean;
}

export function newConnector(id: number, registerWh: number): Connector {
  return { id, operative: true, faulted: false, registerWh, resetWhenIdle: false };
}

/**
 * The status to report; a charging connector made Inoperative stays Charging until the end. A session
 * the charging profiles hold below the minimum current is SuspendedEVSE.
 */
export function statusOf(c: Connector, stationOperative: boolean): ConnectorStatus {
  if (c.faulted) return 'Faulted';
  if (c.phase) return c.phase;
  if (c.session) return c.session.suspended ? 'SuspendedEVSE' : 'Charging';
  if (!stationOperative || !c.operative) return 'Unavailable';
  if (c.reservation) return 'Reserved';
  return 'Available';
}

/** Whether a session for `idTag` may start on the connector, as far as the connector goes. */
export function isFreeFor(c: Connector, idTag: string, stationOperative: boolean): boolean {
  return (
    !c.faulted &&
    !c.phase &&
    !c.session &&
    stationOperative &&
    c.operative &&
    (!c.reservation || c.reservation.idTag === idTag)
  );
}

/** Why the connector cannot take reservation `id` (1.6 §5.13, 2.0.1 H01), if it cannot. */
export function reserveRefusal(
  c: Connector,
  id: number,
  stationOperative: boolean,
): ReserveResult | undefined {
  if (c.faulted) return 'Faulted';
  if (!stationOperative || !c.operative) return 'Unavailable';
  if (c.session || c.phase || (c.reservation && c.reservation.id !== id)) return 'Occupied';
  return undefined;
}

/** Why no connector can take a reservation for any EVSE. */
export function unreservable(connectors: Connector[], stationOperative: boolean): ReserveResult {
  if (connectors.every((c) => c.faulted)) return 'Faulted';
  if (!stationOperative || connectors.every((c) => !c.operative)) return 'Unavailable';
  return 'Occupied';
}
