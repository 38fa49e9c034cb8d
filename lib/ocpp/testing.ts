import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import pino from 'pino';
import { RPCClient } from 'ocpp-rpc';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { chargingStations } from '@/lib/db/schema';
import { hashPassword } from '@/lib/auth/password';
import type { AutoRegister } from '@/lib/services/charger-link';
import { aSite, anOrganisation } from '@/lib/services/testing';
import { createOcppEndpoint, type OcppEndpoint } from './endpoint';

/**
 * Test harness for the OCPP endpoint: a real database, the real endpoint on a free port, and
 * chargers that are ocpp-rpc clients over real WebSockets (strict mode off, so they can misbehave).
 */
export function setupOcppHarness() {
  const testDb = setupTestDatabase();
  const servers: { http: http.Server; ocpp: OcppEndpoint; port: number }[] = [];
  const clients: RPCClient[] = [];
  const scope = { organisationId: '', siteId: '' };
  let counter = 0;

  beforeAll(async () => {
    const org = await anOrganisation(testDb.db);
    scope.organisationId = org.id;
    scope.siteId = (await aSite(testDb.db, org.id)).id;
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close({ force: true })));
    for (const s of servers) {
      await s.ocpp.close();
      await new Promise((r) => s.http.close(r));
    }
  });

  const harness = {
    get db(): Db {
      return testDb.db;
    },
    scope,

    async startEndpoint(
      autoRegister: AutoRegister,
      extra: {
        maxFrameBytes?: number;
        rateLimit?: number;
        heartbeatInterval?: number;
        commandTimeoutMs?: number;
      } = {},
    ) {
      const ocpp = createOcppEndpoint({
        db: () => testDb.db,
        log: pino({ level: 'silent' }),
        autoRegister,
        heartbeatInterval: extra.heartbeatInterval ?? 120,
        maxFrameBytes: extra.maxFrameBytes ?? 65536,
        messageLogDays: 30,
        rateLimit: extra.rateLimit ?? 1000,
        commandTimeoutMs: extra.commandTimeoutMs ?? 2000,
      });
      const server = http.createServer();
      server.on('upgrade', (req, socket, head) => ocpp.handleUpgrade(req, socket, head));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const entry = { http: server, ocpp, port: (server.address() as AddressInfo).port };
      servers.push(entry);
      return entry;
    },

    anIdentity(prefix = 'CP') {
      return `${prefix}-${Date.now().toString(36)}-${counter++}`;
    },

    /** A station known to ChargeOps, accepted, placed on the test site, with a password. */
    async aKnownStation(password = 'station-secret-1') {
      const identity = harness.anIdentity('KNOWN');
      const [row] = await testDb.db
        .insert(chargingStations)
        .values({
          organisationId: scope.organisationId,
          siteId: scope.siteId,
          identity,
          passwordHash: await hashPassword(password),
          registrationStatus: 'accepted',
        })
        .returning();
      if (!row) throw new Error('no station');
      return { identity, password, id: row.id };
    },

    aCharger(port: number, identity: string, options: { protocols?: string[]; password?: string } = {}) {
      const client = new RPCClient({
        endpoint: `ws://127.0.0.1:${port}/ocpp`,
        identity,
        password: options.password ?? null,
        protocols: options.protocols ?? ['ocpp1.6'],
        reconnect: false,
        strictMode: false,
        // ocpp-rpc's typings mark every option required; the library fills in defaults.
      } as Partial<ConstructorParameters<typeof RPCClient>[0]> as ConstructorParameters<typeof RPCClient>[0]);
      clients.push(client);
      return client;
    },

    /** A known station's charger, connected. */
    async aConnectedCharger(port: number, protocol: 'ocpp1.6' | 'ocpp2.0.1' = 'ocpp1.6') {
      const station = await harness.aKnownStation();
      const charger = harness.aCharger(port, station.identity, {
        protocols: [protocol],
        password: station.password,
      });
      await charger.connect();
      return { station, charger };
    },

    async stationRow(identity: string) {
      const [row] = await testDb.db
        .select()
        .from(chargingStations)
        .where(eq(chargingStations.identity, identity));
      return row;
    },
  };
  return harness;
}

/** The HTTP status of a refused handshake. */
export async function refusal(client: RPCClient): Promise<number | undefined> {
  const error = (await client.connect().then(
    () => null,
    (e: unknown) => e,
  )) as { statusCode?: number; response?: { statusCode?: number } } | null;
  return error?.statusCode ?? error?.response?.statusCode;
}

/** The CALLERROR code a call was answered with (undefined when it succeeded). */
export async function callError(promise: Promise<unknown>): Promise<string | undefined> {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as { rpcErrorCode?: string } | null;
  return error?.rpcErrorCode;
}

/** Polls until `ok` holds (at most 5 s), for effects that follow a response asynchronously. */
export async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  return read();
}
