import { parseArgs } from 'node:util';
import { describeDisplayChange } from '@/lib/simulator/display';
import { SimulatedFleet } from '@/lib/simulator/fleet';

/**
 * `npm run sim -- --url ws://localhost:3000/ocpp --stations 20 --protocol ocpp1.6 [--password p]`
 * Starts simulated stations that boot, report status and run charging sessions until Ctrl-C.
 */
const usage = `Usage: npm run sim -- --url ws://localhost:3000/ocpp [--stations 20] [--protocol ocpp1.6|ocpp2.0.1]
                      [--password secret] [--prefix SIM] [--identities A,B,C] [--power 11000]
                      [--faults 60]
Stations are named PREFIX-001, PREFIX-002 ... unless --identities lists them. The server must know
them, or run with OCPP_AUTO_REGISTER=accept (or pending) so they register themselves.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://localhost:3000/ocpp' },
    stations: { type: 'string', default: '10' },
    protocol: { type: 'string', default: 'ocpp1.6' },
    password: { type: 'string' },
    prefix: { type: 'string', default: 'SIM' },
    identities: { type: 'string' },
    power: { type: 'string', default: '11000' },
    faults: { type: 'string', default: '0' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!/^wss?:\/\//.test(values.url)) fail(`--url must start with ws:// or wss:// (got ${values.url})`);
if (values.protocol !== 'ocpp1.6' && values.protocol !== 'ocpp2.0.1')
  fail('--protocol is ocpp1.6 or ocpp2.0.1');
const count = Number(values.stations);
if (!Number.isInteger(count) || count < 1 || count > 20000)
  fail('--stations is a whole number from 1 to 20000');
const power = Number(values.power);
if (!Number.isFinite(power) || power <= 0) fail('--power is the power per connector in W');
const protocol = values.protocol;
const faultMinutes = Number(values.faults);
if (!Number.isFinite(faultMinutes) || faultMinutes < 0)
  fail('--faults is the average minutes between faults per station (0: none)');

const identities = values.identities
  ? values.identities
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  : Array.from({ length: count }, (_, i) => `${values.prefix}-${String(i + 1).padStart(3, '0')}`);

let errors = 0;
const fleet = new SimulatedFleet(
  identities.map((identity) => ({
    url: values.url,
    identity,
    protocol,
    password: values.password,
    maxPowerW: power,
    onError: (error: unknown) => {
      errors++;
      if (errors <= 20)
        process.stderr.write(`${identity}: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  })),
);

// What the CSMS shows drivers on the stations' screens: prices, running and final costs.
for (const station of fleet.stations)
  station.events.on('display:changed', (change) => {
    const line = describeDisplayChange(change);
    if (line) process.stdout.write(`${line}\n`);
  });

const { connected, failed } = await fleet.start();
process.stdout.write(
  `${connected} of ${identities.length} stations connected to ${values.url} (${protocol}); ${failed} refused.\n`,
);
if (connected === 0) process.exit(1);
const stopFaults = faultMinutes > 0 ? fleet.injectFaults({ meanMinutes: faultMinutes }) : () => undefined;
if (faultMinutes > 0)
  process.stdout.write(`Each station faults a connector about every ${faultMinutes} minutes.\n`);
const report = setInterval(() => {
  process.stdout.write(`sessions completed: ${fleet.completedSessions}, errors: ${errors}\n`);
}, 30_000);
const stop = async () => {
  clearInterval(report);
  stopFaults();
  await fleet.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
