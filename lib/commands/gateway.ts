import type { Command, CommandOutcome } from './types';

export interface SendOptions {
  timeoutMs: number;
  /** Called when the CALL leaves for the charger (it may wait behind an earlier call first). */
  onSent?: (at: Date, ocppAction: string) => void;
  /** Called if the charger answers after the command timed out. */
  onLateAnswer?: (outcome: CommandOutcome, at: Date) => void;
}

/**
 * The one way to reach a charger: finds its connection, translates the command for its OCPP
 * version, waits for the answer and translates it back. Implemented by the OCPP endpoint
 * (lib/ocpp/gateway.ts); nothing else touches a charger's socket.
 */
export interface ChargerGateway {
  send(identity: string, command: Command, options: SendOptions): Promise<CommandOutcome>;
  /** Whether this process holds a connection to the station. */
  isConnected(identity: string): boolean;
}

const slot = Symbol.for('chargeops.charger-gateway');
type Slot = { [slot]?: ChargerGateway };

/** Installs the process-wide gateway (server start-up, test harness). */
export function setChargerGateway(gateway: ChargerGateway | undefined): void {
  (globalThis as Slot)[slot] = gateway;
}

/** The process-wide gateway; a globalThis slot so the custom server and Next.js bundles share one. */
export function getChargerGateway(): ChargerGateway {
  const gateway = (globalThis as Slot)[slot];
  if (!gateway) throw new Error('Charger gateway not initialised: start ChargeOps through server/index.ts');
  return gateway;
}
