import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import WebSocket from 'ws';

/**
 * `npm run bench:ocpp -- --chargers 5000 --rate 1000 --duration 60`
 *
 * Starts ChargeOps (production build) on a fresh PostgreSQL database, opens N chargers over real
 * WebSockets (half OCPP 1.6, half 2.0.1), boots them, then drives Heartbeat, StatusNotification and
 * MeterValues at a total rate R for S seconds and prints the achieved rate, CALL->CALLRESULT
 * latency percentiles, errors, and the server's CPU time and peak RSS. Traffic goes to 127.0.0.1
 * only and the run stops by itself.
 */
const { values } = parseArgs({
  options: {
    chargers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '30' },
    port: { type: 'string', default: '3377' },
    'database-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const chargers = Number(values.chargers);
const rate = Number(values.rate);
const duration = Number(values.duration);
const port = Number(values.port);
for (const [name, v] of Object.entries({ chargers, rate, duration, port })) {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
}
const adminUrl = values['database-url'];
const host = new URL(adminUrl).hostname;
if (!['127.0.0.1', 'localhost', '::1'].includes(host))
  throw new Error('The benchmark only runs against a local PostgreSQL');
if (!fs.existsSync(path.join(process.cwd(), '.next', 'BUILD_ID')))
  throw new Error('Run `npm run build` first');

const log = (line: string) => process.stdout.write(`${line}\n`);

// --- server ------------------------------------------------------------------------------------
const dbName = `chargeops_bench_${Date.now().toString(36)}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
await admin.unsafe(`create database ${dbName}`);
const benchUrl = new URL(adminUrl);
benchUrl.pathname = `/${dbName}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chargeops-bench-'));

async function cleanup() {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const server = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: benchUrl.toString(),
    OCPP_AUTO_REGISTER: 'accept',
    OCPP_RATE_LIMIT: '1000',
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: 'bench@chargeops.local',
    ADMIN_PASSWORD: 'benchmark-password',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const serverPid = server.pid!;
for (let i = 0; ; i++) {
  const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (i > 120 || server.exitCode !== null) {
    await cleanup();
    throw new Error('The server did not start');
  }
  await new Promise((r) => setTimeout(r, 500));
}

/** CPU seconds (user + system) and peak RSS (MiB) of the server process, from /proc. */
function serverUsage(): { cpuSeconds: number; peakRssMiB: number } {
  const stat = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${serverPid}/status`, 'utf8'));
  return { cpuSeconds: ticks / 100, peakRssMiB: Math.round(Number(hwm?.[1] ?? 0) / 1024) };
}

// --- chargers ----------------------------------------------------------------------------------
interface Charger {
  ws: WebSocket;
  v16: boolean;
  seq: number;
  meterWh: number;
}
const pending = new Map<string, { sent: number }>();
const latencies: number[] = [];
let errors = 0;
let timeouts = 0;
let answered = 0;
let measuring = false;

/**
 * ChargeOps reads each charger's configuration after boot (configuration defaults). Bench chargers
 * answer like a charger that knows none of the keys, so no changes follow; anything else is refused.
 */
function answerCall(ws: WebSocket, [, id, action, payload]: [number, string, ...unknown[]]) {
  const request = (payload ?? {}) as { key?: string[]; getVariableData?: unknown[] };
  const result =
    action === 'GetConfiguration'
      ? { configurationKey: [], unknownKey: request.key ?? [] }
      : action === 'GetVariables'
        ? {
            getVariableResult: (request.getVariableData ?? []).map((d) => ({
              ...(d as object),
              attributeStatus: 'UnknownVariable',
            })),
          }
        : null;
  ws.send(JSON.stringify(result ? [3, id, result] : [4, id, 'NotSupported', 'Not in the bench charger', {}]));
}

function onMessage(this: WebSocket, data: WebSocket.RawData) {
  const frame = JSON.parse(String(data)) as [number, string, ...unknown[]];
  if (frame[0] === 2) return answerCall(this, frame);
  const call = pending.get(frame[1]);
  if (!call) return;
  pending.delete(frame[1]);
  if (frame[0] === 4) errors++;
  if (measuring) {
    latencies.push(performance.now() - call.sent);
    answered++;
  }
}

let nextId = 0;
let meterMessages = 0;
function send(c: Charger, action: string, payload: unknown) {
  const id = `b${nextId++}`;
  pending.set(id, { sent: performance.now() });
  c.ws.send(JSON.stringify([2, id, action, payload]));
}

function connect(i: number): Promise<Charger> {
  const v16 = i % 2 === 0;
  const ws = new WebSocket(
    `ws://127.0.0.1:${port}/ocpp/BENCH-${String(i).padStart(5, '0')}`,
    [v16 ? 'ocpp1.6' : 'ocpp2.0.1'],
    {
      perMessageDeflate: false,
    },
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, v16, seq: 0, meterWh: 1000 }));
    ws.once('error', reject);
    ws.on('message', onMessage);
  });
}

const connectStarted = performance.now();
const fleet: Charger[] = [];
for (let i = 0; i < chargers; i += 200) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(200, chargers - i) }, (_, k) => connect(i + k)),
  );
  fleet.push(...batch);
}
log(`connected ${fleet.length} chargers in ${((performance.now() - connectStarted) / 1000).toFixed(1)} s`);

for (const c of fleet) {
  send(
    c,
    'BootNotification',
    c.v16
      ? { chargePointVendor: 'Bench', chargePointModel: 'Load' }
      : { chargingStation: { vendorName: 'Bench', model: 'Load' }, reason: 'PowerUp' },
  );
}
while (pending.size > 0) await new Promise((r) => setTimeout(r, 50));
log(`booted ${fleet.length} chargers`);

function nextMessage(c: Charger): [string, unknown] {
  const kind = c.seq++ % 3;
  const now = new Date().toISOString();
  if (kind === 0) return ['Heartbeat', {}];
  if (kind === 1) {
    return c.v16
      ? [
          'StatusNotification',
          {
            connectorId: 1,
            errorCode: 'NoError',
            status: c.seq % 2 ? 'Charging' : 'Available',
            timestamp: now,
          },
        ]
      : [
          'StatusNotification',
          {
            timestamp: now,
            connectorStatus: c.seq % 2 ? 'Occupied' : 'Available',
            evseId: 1,
            connectorId: 1,
          },
        ];
  }
  c.meterWh += 250;
  meterMessages++;
  return c.v16
    ? [
        'MeterValues',
        {
          connectorId: 1,
          meterValue: [
            {
              timestamp: now,
              sampledValue: [
                { value: String(c.meterWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
                { value: '7200', measurand: 'Power.Active.Import', unit: 'W' },
              ],
            },
          ],
        },
      ]
    : [
        'MeterValues',
        {
          evseId: 1,
          meterValue: [
            {
              timestamp: now,
              sampledValue: [
                { value: c.meterWh, measurand: 'Energy.Active.Import.Register' },
                { value: 7200, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
              ],
            },
          ],
        },
      ];
}

// --- load --------------------------------------------------------------------------------------
const before = serverUsage();
// The load generator's own event-loop delay: large values mean the latencies include client time.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
measuring = true;
const started = performance.now();
const tickMs = 10;
let sent = 0;
let cursor = 0;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= duration) {
      clearInterval(timer);
      resolve();
      return;
    }
    const due = Math.floor(elapsed * rate) - sent;
    for (let k = 0; k < due; k++) {
      const c = fleet[cursor++ % fleet.length]!;
      const [action, payload] = nextMessage(c);
      send(c, action, payload);
      sent++;
    }
  }, tickMs);
});
const deadline = performance.now() + 10_000;
while (pending.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
timeouts = pending.size;
const elapsed = (performance.now() - started) / 1000;
const after = serverUsage();

// Every meter value persisted? (two sampled values per MeterValues message)
const check = postgres(benchUrl.toString(), { max: 1 });
const [{ n }] = (await check`select count(*)::int as n from meter_values`) as unknown as [{ n: number }];
await check.end();

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
log('');
log(`chargers            ${fleet.length} (half OCPP 1.6, half 2.0.1), all connected`);
log(`messages sent       ${sent} in ${duration} s (target ${rate}/s)`);
log(`answered            ${answered} -> ${(answered / elapsed).toFixed(0)} messages/s`);
log(
  `latency p50/p95/p99 ${pct(50).toFixed(1)} / ${pct(95).toFixed(1)} / ${pct(99).toFixed(1)} ms (max ${(latencies.at(-1) ?? NaN).toFixed(1)})`,
);
log(`errors              ${errors} CALLERROR, ${timeouts} unanswered`);
log(`meter values stored ${n} of ${meterMessages * 2} sampled values sent (${meterMessages} MeterValues)`);
log(
  `server CPU          ${(after.cpuSeconds - before.cpuSeconds).toFixed(1)} s over ${elapsed.toFixed(0)} s (${(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100).toFixed(0)}% of one core)`,
);
log(`server peak RSS     ${after.peakRssMiB} MiB`);
log(
  `client loop delay   p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms (the load generator's own stalls)`,
);

for (const c of fleet) c.ws.terminate();
await cleanup();
process.exit(errors + timeouts > 0 || n !== meterMessages * 2 ? 1 : 0);
