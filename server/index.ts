import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type http from 'node:http';
import next from 'next';
import nextEnv from '@next/env';
import pino from 'pino';
import { openDatabase } from '@/lib/db/client';
import { getDb, setDatabase, type Database } from '@/lib/db';
import { setChargerGateway } from '@/lib/commands/gateway';
import { startLocalListSync } from '@/lib/commands/local-list-sync';
import { startMaintenanceJobs } from '@/lib/commands/maintenance-jobs';
import { startCostDisplay } from '@/lib/commands/cost-display';
import { startDefaultPrice } from '@/lib/commands/default-price';
import { startLoadBalancing } from '@/lib/commands/load-balancing';
import { setCardPaymentProvider } from '@/lib/payments/registry';
import { createStripeProvider } from '@/lib/payments/stripe';
import { createOcppEndpoint } from '@/lib/ocpp/endpoint';
import { EnvError, parseEnv, setEnv } from '@/lib/env';
import { setLogger } from '@/lib/logger';
import {
  demoIdTokens,
  demoStationPassword,
  demoStations,
  demoUserPassword,
  seedDemo,
} from '@/lib/services/demo';
import { SimulatedFleet } from '@/lib/simulator/fleet';
import { ensureInitialAdmin } from '@/lib/services/users';
import { resetOnlineFlags } from '@/lib/services/charger-link';
import { expireReservations } from '@/lib/services/reservations';
import { startPaymentSweep } from '@/lib/services/payment-sweep';
import { createAppServer } from './app-server';
import { printNotice, withAuthSecret } from './bootstrap';
import { installShutdown } from './shutdown';

/**
 * Starts ChargeOps: validates the environment, opens and migrates the database, creates the first
 * admin, seeds the demo network when asked, then serves Next.js, socket.io and OCPP on one port.
 */
export async function main(): Promise<void> {
  // .env files (as Next.js reads them) apply to the server too, and before validation.
  // (@next/env is CommonJS without named-export hints: use its default export.)
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', {
    info: () => undefined,
    error: console.error,
  });
  let env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = pino({ level: env.LOG_LEVEL, base: { app: 'chargeops' } });
  setLogger(log);
  const completeEnv = withAuthSecret(env, log);
  setEnv(completeEnv);
  const dev = env.NODE_ENV !== 'production';
  if (!dev && !fs.existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) {
    process.stderr.write(
      'No production build found: run `npm run build` first, or use `npm start`, which builds when needed.\n',
    );
    process.exit(1);
  }

  const database: Database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: path.join(env.dataDir, 'pglite'),
  });
  setDatabase(database);
  log.info({ database: database.kind, location: database.location }, 'database ready (migrations applied)');

  const admin = await ensureInitialAdmin(database.db, {
    email: env.ADMIN_EMAIL,
    password: env.ADMIN_PASSWORD,
  });
  if (admin?.generatedPassword) {
    printNotice([
      'ChargeOps created the first administrator account:',
      `  email:    ${admin.email}`,
      `  password: ${admin.generatedPassword}`,
      'This password is shown only now; you will be asked to change it at first sign-in.',
    ]);
  } else if (admin) {
    log.info({ email: admin.email }, 'created the first administrator from ADMIN_EMAIL');
  }
  if (env.DEMO) {
    const [org] = await database.db.query.organisations.findMany({
      limit: 1,
      orderBy: (o, { asc }) => [asc(o.createdAt)],
    });
    if (org && (await seedDemo(database.db, org.id))) {
      printNotice([
        'Demo network seeded: 3 sites, 12 stations, 6 drivers with RFID cards.',
        `  site manager: manager@demo.chargeops.local / ${demoUserPassword}`,
        `  technician:   tech@demo.chargeops.local / ${demoUserPassword}`,
        `  stations (OCPP Basic auth password): ${demoStationPassword}`,
      ]);
    }
  }

  // Next attaches its own upgrade listener to the server of the first request unless it is given
  // a server; this stand-in keeps every upgrade with our router (which passes /_next/ on in dev).
  const upgradeStandIn = { on: () => upgradeStandIn } as unknown as http.Server;
  const app = next({
    dev,
    dir: process.cwd(),
    hostname: env.HOST,
    port: env.PORT,
    httpServer: upgradeStandIn,
  });
  await app.prepare();

  if (env.OCPP_AUTO_REGISTER !== 'off') {
    log.warn(
      { mode: env.OCPP_AUTO_REGISTER },
      'OCPP_AUTO_REGISTER is on: unknown chargers are admitted (use for demos and tests, not in production)',
    );
  }
  const stale = await resetOnlineFlags(database.db);
  if (stale > 0) log.info({ stations: stale }, 'cleared online flags left by the previous run');
  const ocpp = createOcppEndpoint({
    db: getDb,
    log: log.child({ component: 'ocpp' }),
    autoRegister: env.OCPP_AUTO_REGISTER,
    heartbeatInterval: env.OCPP_HEARTBEAT_INTERVAL,
    maxFrameBytes: env.OCPP_MAX_FRAME_BYTES,
    messageLogDays: env.OCPP_MESSAGE_LOG_DAYS,
    rateLimit: env.OCPP_RATE_LIMIT,
    commandTimeoutMs: env.OCPP_COMMAND_TIMEOUT_SECONDS * 1000,
  });
  setChargerGateway(ocpp.gateway);
  const appServer = createAppServer({
    log,
    ocpp,
    handleRequest: app.getRequestHandler(),
    handleNextUpgrade: dev ? app.getUpgradeHandler() : undefined,
    authSecret: completeEnv.AUTH_SECRET,
    sessionHours: env.SESSION_HOURS,
  });

  // The live demo: the demo stations are simulated chargers connecting to this server over real
  // WebSockets, so the network boots, charges and reports like a real one.
  const demoFleet =
    env.DEMO && env.DEMO_CHARGERS
      ? new SimulatedFleet(
          demoStations().map((station) => ({
            url: `ws://127.0.0.1:${env.PORT}/ocpp`,
            identity: station.identity,
            protocol: station.dc ? ('ocpp2.0.1' as const) : ('ocpp1.6' as const),
            password: demoStationPassword,
            vendor: station.dc ? 'ABB' : 'Wallbox',
            model: station.dc ? 'Terra 184' : 'Commander 2',
            connectors: station.ports,
            maxPowerW: station.maxPowerW,
            sessionSeconds: [180, 900] as [number, number],
            idleSeconds: [20, 240] as [number, number],
            idTokens: demoIdTokens(),
            onError: (err: unknown) => log.debug({ err, identity: station.identity }, 'demo charger error'),
          })),
        )
      : undefined;

  // What ChargeOps's own jobs need to send commands (no uploads: publicUrl stays empty).
  const jobDeps = {
    gateway: ocpp.gateway,
    timeoutMs: env.OCPP_COMMAND_TIMEOUT_SECONDS * 1000,
    now: () => new Date(),
    publicUrl: '',
  };

  // Reservations past their time end even when the charger says nothing (1.6 never does).
  const reservationExpiry = setInterval(
    () =>
      void expireReservations(database.db, new Date()).catch((err: unknown) =>
        log.error({ err }, 'could not expire reservations'),
      ),
    60_000,
  );
  reservationExpiry.unref();

  // Local authorisation lists follow changes to tokens, groups and rules within seconds, time
  // windows at their edges, and failed updates with a growing delay.
  const localLists = startLocalListSync({
    db: getDb,
    deps: jobDeps,
    log: log.child({ component: 'local-lists' }),
  });

  // Incidents from silence (offline stations), remote remediation, repair verification and
  // preventive schedules.
  const maintenance = startMaintenanceJobs({
    db: getDb,
    deps: jobDeps,
    log: log.child({ component: 'maintenance' }),
  });

  // Running costs and prices on chargers' screens (2.0.1 CostUpdated, 1.6 California pricing).
  const stopCostDisplay = startCostDisplay(database.db, jobDeps);
  // The price chargers show before anyone identifies (1.6 DefaultPrice, 2.0.1 TariffFallbackMessage).
  const stopDefaultPrice = startDefaultPrice(database.db, jobDeps);

  // Load management: charging limits that keep each managed site within its electrical tree.
  const loadBalancing = startLoadBalancing({
    db: getDb,
    deps: jobDeps,
    log: log.child({ component: 'load' }),
  });

  // Card payments for CDRs of drivers with a saved card; off without a key.
  setCardPaymentProvider(
    env.STRIPE_SECRET_KEY
      ? createStripeProvider({ secretKey: env.STRIPE_SECRET_KEY, apiBase: env.STRIPE_API_BASE })
      : null,
  );

  // Settles CDRs whose payment the path after each session never reached (a crash, an error
  // before the attempt was recorded), and card attempts a stop cut off. After the provider is set.
  const paymentSweep = startPaymentSweep({
    db: getDb,
    log: log.child({ component: 'payments' }),
  });

  installShutdown({
    log,
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    steps: [
      {
        name: 'background jobs',
        run: async () => {
          clearInterval(reservationExpiry);
          localLists.stop();
          maintenance.stop();
          stopCostDisplay();
          await stopDefaultPrice();
          loadBalancing.stop();
          paymentSweep.stop();
        },
      },
      ...(demoFleet ? [{ name: 'demo chargers', run: () => demoFleet.stop() }] : []),
      { name: 'OCPP, http and socket.io', run: () => appServer.close() },
      { name: 'next', run: () => app.close() },
      { name: 'database', run: () => database.close() },
    ],
  });

  await new Promise<void>((resolve, reject) => {
    appServer.server.once('error', reject);
    appServer.server.listen(env.PORT, env.HOST, () => resolve());
  });
  const shownHost = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  log.info(
    { url: `http://${shownHost}:${env.PORT}`, mode: dev ? 'development' : 'production' },
    'ChargeOps is listening',
  );
  process.stdout.write(`ChargeOps is ready on http://${shownHost}:${env.PORT}\n`);
  if (demoFleet) {
    const { connected } = await demoFleet.start();
    log.info({ connected }, 'demo chargers connected');
    if (env.DEMO_FAULT_MINUTES > 0) demoFleet.injectFaults({ meanMinutes: env.DEMO_FAULT_MINUTES });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `ChargeOps failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
