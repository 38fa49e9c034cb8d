import { RPCClient } from 'ocpp-rpc';
import { SimulatedStation, type SimulatedStationOptions } from '../lib/simulator/station';

/** RFID cards of the demo drivers (lib/services/demo.ts): stations accept them on every demo site. */
export const demoCards = ['04A1B2C3D4E501', '04A1B2C3D4E502', '04A1B2C3D4E503'];

/** The OCPP Basic-auth password of every demo station (lib/services/demo.ts). */
export const demoStationPassword = 'demo-station-secret';

/** A simulated charger speaking real OCPP-J over a WebSocket to the server under test. */
export async function connectCharger(
  baseURL: string,
  identity: string,
  options: { protocol?: 'ocpp1.6' | 'ocpp2.0.1'; password?: string } = {},
): Promise<RPCClient> {
  const url = new URL(baseURL);
  const client = new RPCClient({
    endpoint: `ws://${url.host}/ocpp`,
    identity,
    password: options.password ?? demoStationPassword,
    protocols: [options.protocol ?? 'ocpp1.6'],
    reconnect: false,
    strictMode: true,
    // ocpp-rpc's typings mark every option required; the library fills in defaults.
  } as Partial<ConstructorParameters<typeof RPCClient>[0]> as ConstructorParameters<typeof RPCClient>[0]);
  await client.connect();
  return client;
}

/** A demo station played by the charger simulator against the server under test; its problems go to `errors`. */
export function simulatedDemoStation(
  baseURL: string,
  identity: string,
  errors: unknown[],
  options: Omit<SimulatedStationOptions, 'url' | 'identity' | 'password' | 'onError'>,
): SimulatedStation {
  return new SimulatedStation({
    url: `ws://${new URL(baseURL).host}/ocpp`,
    identity,
    password: demoStationPassword,
    onError: (e) => errors.push(e),
    ...options,
  });
}
