import { afterEach, expect, it } from 'vitest';
import { SimulatedFleet } from './fleet';
import { FakeCsms } from './testing';

let csms: FakeCsms | undefined;
let fleet: SimulatedFleet | undefined;

afterEach(async () => {
  await fleet?.stop();
  await csms?.close();
});

it('injects faults into accepted stations and reports them over OCPP', async () => {
  csms = await FakeCsms.start('ocpp1.6');
  fleet = new SimulatedFleet([
    { url: csms.url, identity: 'SIM-FAULTS-1', protocol: 'ocpp1.6', connectors: 2, autoSessions: false },
  ]);
  await fleet.start();
  await csms.next('BootNotification');
  // A random source that always says "now", on the first connector, clearing on reboot.
  const stop = fleet.injectFaults({ meanMinutes: 1, random: () => 0, tickMs: 20 });
  try {
    const faulted = await csms.next('StatusNotification', (p: { status: string }) => p.status === 'Faulted');
    expect(faulted).toMatchObject({ connectorId: 1, errorCode: 'GroundFailure' });
  } finally {
    stop();
  }
});
