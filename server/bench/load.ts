import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { hashPassword } from '@/lib/auth/password';
import { startLoadBalancing } from '@/lib/commands/load-balancing';
import { chargingStations, idTokens, loadNodes, organisations, sites } from '@/lib/db/schema';
import { openTestDatabase } from '@/lib/db/testing';
import { createOcppEndpoint } from '@/lib/ocpp/endpoint';
import { nominalVoltageV } from '@/lib/simulator/meter';
import { SimulatedStation } from '@/lib/simulator/station';

/**
 * `npm run bench:load -- --chargers 40 --limit 200 --interval 250`
 *
 * Load management under arrivals: one site held to `limit` A per phase, N simulated 22 kW chargers
 * (half OCPP 1.6, half 2.0.1) over real WebSockets. Sessions start one every `interval` ms; the run
 * prints how long each new session waited for its charging limit (start to TxProfile installed at the
 * charger: p50, p95, max), the highest total current the simulated EVs drew (sampled every 10 ms)
 * against the limit, and how long the last redistribution took after half the sessions stop.
 * Embedded PGlite by default, or a fresh database on DATABASE_URL (local only). Stops by itself.
 */
const { values } = parseArgs({
  options: {
    chargers: { type: 'string', default: '40' },
    limit: { type: 'string', default: '200' },
    interval: { type: 'string', default: '250' },
  },
});
const count = Number(values.chargers);
const limitA = Number(values.limit);
const intervalMs = Number(values.interval);
for (const [name, v] of Object.entries({ chargers: count, limit: limitA, interval: intervalMs })) {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
}
const out = (line: string) => process.stdout.write(`${line}\n`);

const database = await openTestDatabase();
const db = database.db;
const [org] = await db.insert(organisations).values({ name: 'Bench' }).returning();
const [site] = await db
  .insert(sites)
  .values({ organisationId: org!.id, name: 'Bench site', latitude: 0, longitude: 0, timezone: 'UTC' })
  .returning();
await db.insert(loadNodes).values({
  organisationId: org!.id,
  siteId: site!.id,
  kind: 'site',
  name: 'Grid connection',
  limitUnit: 'A',
  limitValue: limitA,
});
const password = 'bench-station-secret';
const passwordHash = await hashPassword(password);
const identities = Array.from({ length: count }, (_, i) => `LOADBENCH-${String(i + 1).padStart(3, '0')}`);
await db.insert(chargingStations).values(
  identities.map((identity) => ({
    organisationId: org!.id,
    siteId: site!.id,
    identity,
    passwordHash,
    registrationStatus: 'accepted' as const,
  })),
);
await db
  .insert(idTokens)
  .values(identities.map((_, i) => ({ organisationId: org!.id, idToken: `BENCH${i}` })));

const log = pino({ level: 'silent' });
const ocpp = createOcppEndpoint({
  db: () => db,
  log,
  autoRegister: 'off',
  heartbeatInterval: 300,
  maxFrameBytes: 65_536,
  messageLogDays: 1,
  rateLimit: 1000,
  commandTimeoutMs: 10_000,
});
const server = http.createServer();
server.on('upgrade', (req, socket, head) => ocpp.handleUpgrade(req, socket, head));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const balancing = startLoadBalancing({
  db: () => db,
  deps: { gateway: ocpp.gateway, timeoutMs: 10_000, now: () => new Date(), publicUrl: '' },
  log,
});

const chargers = identities.map(
  (identity, i) =>
    new SimulatedStation({
      url: `ws://127.0.0.1:${port}/ocpp`,
      identity,
      protocol: i % 2 ? 'ocpp2.0.1' : 'ocpp1.6',
      password,
      connectors: 1,
      maxPowerW: 22_000,
      autoSessions: false,
      meterIntervalSeconds: 5,
    }),
);
for (const charger of chargers) await charger.start();
out(`${count} chargers connected; site limit ${limitA} A per phase`);

const drawA = (c: SimulatedStation) => (c.sessionOn(1)?.powerW ?? 0) / (nominalVoltageV * 3);
const limitOf = (c: SimulatedStation) => c.sessionOn(1)?.limit?.amps;
const hasTxProfile = (c: SimulatedStation) => {
  const session = c.sessionOn(1);
  return Boolean(
    session &&
    c.chargingProfiles
      .list()
      .some((p) => p.chargingProfilePurpose === 'TxProfile' && p.transactionId === session.transactionId),
  );
};
let peakA = 0;
let peakLimits = 0;
const sampler = setInterval(() => {
  const total = chargers.reduce((sum, c) => sum + drawA(c), 0);
  if (total <= peakA) return;
  peakA = total;
  // What ChargeOps had allowed at that moment: limits over the limit would be ChargeOps' fault.
  peakLimits = chargers.reduce((sum, c) => sum + (c.sessionOn(1) ? (limitOf(c) ?? Infinity) : 0), 0);
  if (process.env.BENCH_DEBUG && total > limitA)
    out(
      chargers
        .filter((c) => c.sessionOn(1))
        .map((c) => `${drawA(c).toFixed(1)}/${limitOf(c)}`)
        .join(' '),
    );
}, 10);

async function until(ok: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > timeoutMs) return Infinity;
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

const waits: Promise<number>[] = [];
for (const [i, charger] of chargers.entries()) {
  charger.remoteStart({ connector: 1, idTag: `BENCH${i}`, idTokenType: 'ISO14443' });
  waits.push(until(() => hasTxProfile(charger), 30_000));
  await new Promise((r) => setTimeout(r, intervalMs));
}
const latencies = (await Promise.all(waits)).sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
out(`limit after start: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${latencies.at(-1)} ms`);

// Half the sessions end: the others share what they leave.
const leaving = chargers.slice(0, Math.floor(count / 2));
const staying = chargers.slice(leaving.length);
const stoppedAt = Date.now();
for (const c of leaving) c.remoteStop(c.sessionOn(1)!.transactionId);
const fair = Math.min(31.8, Math.floor((limitA / staying.length) * 10) / 10);
const settled = await until(() => staying.every((c) => Math.abs((limitOf(c) ?? 0) - fair) < 0.6), 30_000);
out(
  `after ${leaving.length} stops: ${staying.length} sessions at ${fair} A each in ${settled === Infinity ? 'more than 30 s' : `${Date.now() - stoppedAt} ms`}`,
);
clearInterval(sampler);
out(`limits in force at the peak: ${peakLimits.toFixed(1)} A`);
out(
  `peak drawn by all EVs: ${peakA.toFixed(1)} A per phase (limit ${limitA} A)${peakA > limitA + 0.05 ? '  OVER THE LIMIT' : ''}`,
);

balancing.stop();
await Promise.all(chargers.map((c) => c.stop()));
await ocpp.close();
server.close();
await database.close();
