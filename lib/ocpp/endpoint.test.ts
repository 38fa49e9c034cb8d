import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import WebSocket from 'ws';
import { RPCClient } from 'ocpp-rpc';
import { and, eq } from 'drizzle-orm';
import { setupTestDatabase } from '@/lib/db/testing';
import { chargingStations, connectors, connectorStatusHistory, evses } from '@/lib/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { subscribe } from '@/lib/realtime/bus';
import type { DomainEvent } from '@/lib/realtime/events';
import { recentMessages, type AutoRegister } from '@/lib/services/charger-link';
import { anOrganisation, aSite } from '@/lib/services/testing';
import { createOcppEndpoint, type OcppEndpoint } from './endpoint';

// Real WebSocket chargers (ocpp-rpc clients, strict mode off so they can misbehave) against the
// real endpoint on a free port, with a real database.
const testDb = setupTestDatabase();
const servers: { http: http.Server; ocpp: OcppEndpoint; port: number }[] = [];

async function startEndpoint(autoRegister: AutoRegister, extra: { maxFrameBytes?: number } = {}) {
  const ocpp = createOcppEndpoint({
    db: () => testDb.db,
    log: pino({ level: 'silent' }),
    autoRegister,
    heartbeatInterval: 120,
    maxFrameBytes: extra.maxFrameBytes ?? 65536,
    messageLogDays: 30,
  });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => ocpp.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const entry = { http: server, ocpp, port: (server.address() as AddressInfo).port };
  servers.push(entry);
  return entry;
}

let strict: Awaited<ReturnType<typeof startEndpoint>>;
let pending: Awaited<ReturnType<typeof startEndpoint>>;
let accepting: Awaited<ReturnType<typeof startEndpoint>>;
let organisationId: string;
let siteId: string;

beforeAll(async () => {
  const org = await anOrganisation(testDb.db);
  organisationId = org.id;
  siteId = (await aSite(testDb.db, org.id)).id;
  strict = await startEndpoint('off');
  pending = await startEndpoint('pending');
  accepting = await startEndpoint('accept');
});

afterAll(async () => {
  for (const s of servers) {
    await s.ocpp.close();
    await new Promise((r) => s.http.close(r));
  }
});

let counter = 0;
const anIdentity = (prefix = 'CP') => `${prefix}-${Date.now().toString(36)}-${counter++}`;

/** A station known to ChargeOps, accepted, with a password. */
async function aKnownStation(password = 'station-secret-1') {
  const identity = anIdentity('KNOWN');
  const [row] = await testDb.db
    .insert(chargingStations)
    .values({
      organisationId,
      siteId,
      identity,
      passwordHash: await hashPassword(password),
      registrationStatus: 'accepted',
    })
    .returning();
  return { identity, password, id: row!.id };
}

const clients: RPCClient[] = [];
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close({ force: true })));
});

function aCharger(port: number, identity: string, options: { protocols?: string[]; password?: string } = {}) {
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
}

/** The HTTP status of a refused handshake. */
async function refusal(client: RPCClient): Promise<number | undefined> {
  const error = (await client.connect().then(
    () => null,
    (e: unknown) => e,
  )) as { statusCode?: number; response?: { statusCode?: number } } | null;
  return error?.statusCode ?? error?.response?.statusCode;
}

async function callError(promise: Promise<unknown>): Promise<string | undefined> {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as { rpcErrorCode?: string } | null;
  return error?.rpcErrorCode;
}

async function stationRow(identity: string) {
  const [row] = await testDb.db
    .select()
    .from(chargingStations)
    .where(eq(chargingStations.identity, identity));
  return row;
}

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  return read();
}

describe('handshake', () => {
  it('prefers OCPP 2.0.1 when a charger offers both, and speaks 1.6 with one that offers only 1.6', async () => {
    const station = await aKnownStation();
    const both = aCharger(strict.port, station.identity, {
      protocols: ['ocpp1.6', 'ocpp2.0.1'],
      password: station.password,
    });
    await both.connect();
    expect(both.protocol).toBe('ocpp2.0.1');
    await both.close();
    const old = aCharger(strict.port, station.identity, {
      protocols: ['ocpp1.6'],
      password: station.password,
    });
    await old.connect();
    expect(old.protocol).toBe('ocpp1.6');
    await old.close();
  });

  it('refuses a charger that offers no supported subprotocol with 400', async () => {
    const station = await aKnownStation();
    expect(
      await refusal(
        aCharger(strict.port, station.identity, { protocols: ['ocpp1.5'], password: station.password }),
      ),
    ).toBe(400);
  });

  it('refuses unknown stations, wrong and missing passwords with 401', async () => {
    const station = await aKnownStation();
    expect(await refusal(aCharger(strict.port, anIdentity(), { password: 'whatever-password' }))).toBe(401);
    expect(await refusal(aCharger(strict.port, station.identity, { password: 'not-the-password' }))).toBe(
      401,
    );
    expect(await refusal(aCharger(strict.port, station.identity))).toBe(401);
  });

  it('replaces the first connection when the same station connects again', async () => {
    const station = await aKnownStation();
    const first = aCharger(strict.port, station.identity, { password: station.password });
    await first.connect();
    const closed = new Promise<{ code: number; reason: string }>((resolve) => first.once('close', resolve));
    const second = aCharger(strict.port, station.identity, { password: station.password });
    await second.connect();
    const { code, reason } = await closed;
    expect(code).toBe(1000);
    expect(String(reason)).toMatch(/Replaced/);
    expect(strict.ocpp.connectedIdentities()).toContain(station.identity);
    // The station stays online: the old connection's close does not mark it offline.
    await new Promise((r) => setTimeout(r, 100));
    expect((await stationRow(station.identity))?.online).toBe(true);
    await second.close();
    expect(
      (
        await waitFor(
          () => stationRow(station.identity),
          (r) => r?.online === false,
        )
      )?.online,
    ).toBe(false);
  });
});

describe('auto-registration', () => {
  it('pending: admits a new station as Pending, keeps its first password, and refuses its other calls', async () => {
    const identity = anIdentity('NEW');
    const charger = aCharger(pending.port, identity, { password: 'first-password-1' });
    await charger.connect();
    const boot = (await charger.call('BootNotification', {
      chargePointVendor: 'ACME',
      chargePointModel: 'X1',
    })) as {
      status: string;
      interval: number;
    };
    expect(boot.status).toBe('Pending');
    expect(await callError(charger.call('Heartbeat', {}))).toBe('SecurityError');
    const row = await stationRow(identity);
    expect(row).toMatchObject({ registrationStatus: 'pending', vendor: 'ACME', model: 'X1', organisationId });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    await charger.close();
    expect(await refusal(aCharger(pending.port, identity, { password: 'another-password' }))).toBe(401);

    // An operator accepts it; at its next boot it is Accepted.
    await testDb.db
      .update(chargingStations)
      .set({ registrationStatus: 'accepted' })
      .where(eq(chargingStations.identity, identity));
    const again = aCharger(pending.port, identity, { password: 'first-password-1' });
    await again.connect();
    expect(
      (
        (await again.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X1' })) as {
          status: string;
        }
      ).status,
    ).toBe('Accepted');
    expect(await again.call('Heartbeat', {})).toHaveProperty('currentTime');
    await again.close();
  });

  it('accept: admits and accepts a new station at once, even without a password', async () => {
    const identity = anIdentity('OPEN');
    const charger = aCharger(accepting.port, identity, { protocols: ['ocpp2.0.1'] });
    await charger.connect();
    const boot = (await charger.call('BootNotification', {
      chargingStation: { model: 'Y2', vendorName: 'ACME' },
      reason: 'PowerUp',
    })) as { status: string; interval: number };
    expect(boot).toMatchObject({ status: 'Accepted', interval: 120 });
    await charger.close();
  });
});

describe('OCPP 1.6J core messages', () => {
  it('stores boot data and status reports, marks the station online and logs every frame', async () => {
    const station = await aKnownStation();
    const events: DomainEvent[] = [];
    const stop = subscribe((e) => events.push(e));
    const charger = aCharger(strict.port, station.identity, { password: station.password });
    await charger.connect();
    const boot = (await charger.call('BootNotification', {
      chargePointVendor: 'ABB',
      chargePointModel: 'Terra 184',
      chargePointSerialNumber: 'SN-1',
      firmwareVersion: '1.8.2',
    })) as { status: string; currentTime: string; interval: number };
    expect(boot.status).toBe('Accepted');
    expect(boot.interval).toBe(120);
    expect(Number.isNaN(Date.parse(boot.currentTime))).toBe(false);

    await charger.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' });
    await charger.call('StatusNotification', {
      connectorId: 2,
      errorCode: 'GroundFailure',
      status: 'Faulted',
      vendorErrorCode: 'E42',
      timestamp: '2026-11-01T10:00:00Z',
    });
    expect(await charger.call('Heartbeat', {})).toHaveProperty('currentTime');
    stop();

    const row = await stationRow(station.identity);
    expect(row).toMatchObject({
      vendor: 'ABB',
      model: 'Terra 184',
      serialNumber: 'SN-1',
      firmwareVersion: '1.8.2',
      ocppVersion: '1.6',
      online: true,
    });
    const [plug] = await testDb.db
      .select({
        status: connectors.status,
        errorCode: connectors.errorCode,
        vendorErrorCode: connectors.vendorErrorCode,
      })
      .from(connectors)
      .innerJoin(evses, eq(evses.id, connectors.evseId))
      .where(and(eq(evses.stationId, station.id), eq(evses.evseId, 2)));
    expect(plug).toEqual({ status: 'Faulted', errorCode: 'GroundFailure', vendorErrorCode: 'E42' });
    const history = await testDb.db
      .select()
      .from(connectorStatusHistory)
      .where(eq(connectorStatusHistory.stationId, station.id));
    expect(history.map((h) => [h.evseId, h.status])).toEqual([
      [0, 'Available'],
      [2, 'Faulted'],
    ]);
    expect(history[1]?.chargerTime?.toISOString()).toBe('2026-11-01T10:00:00.000Z');
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['station:connection-changed', 'station:changed', 'station:status-changed']),
    );
    const faulted = events.find((e) => e.type === 'station:status-changed' && e.status === 'Faulted');
    expect(faulted).toMatchObject({ siteId, stationId: station.id, evseId: 2 });

    await charger.close();
    await strict.ocpp.close().catch(() => undefined); // flushes the log; a fresh endpoint takes over below
    strict = await startEndpoint('off');
    const log = await recentMessages(testDb.db, station.id, 20);
    const actions = log.map((m) => `${m.direction}:${m.messageType}:${m.action}`).reverse();
    expect(actions.slice(0, 4)).toEqual([
      'in:2:BootNotification',
      'out:3:BootNotification',
      'in:2:StatusNotification',
      'out:3:StatusNotification',
    ]);
    expect((await stationRow(station.identity))?.online).toBe(false);
  });
});

describe('OCPP 2.0.1 core messages', () => {
  it('stores boot data and connector status per EVSE', async () => {
    const station = await aKnownStation();
    const charger = aCharger(strict.port, station.identity, {
      protocols: ['ocpp2.0.1'],
      password: station.password,
    });
    await charger.connect();
    await charger.call('BootNotification', {
      chargingStation: {
        model: 'Commander 2',
        vendorName: 'Wallbox',
        serialNumber: 'W-9',
        firmwareVersion: '6.1',
      },
      reason: 'PowerUp',
    });
    await charger.call('StatusNotification', {
      timestamp: new Date().toISOString(),
      connectorStatus: 'Occupied',
      evseId: 1,
      connectorId: 1,
    });
    expect(await charger.call('Heartbeat', {})).toHaveProperty('currentTime');
    expect(await stationRow(station.identity)).toMatchObject({
      vendor: 'Wallbox',
      model: 'Commander 2',
      ocppVersion: '2.0.1',
    });
    const [plug] = await testDb.db
      .select({ status: connectors.status })
      .from(connectors)
      .innerJoin(evses, eq(evses.id, connectors.evseId))
      .where(and(eq(evses.stationId, station.id), eq(evses.evseId, 1)));
    expect(plug?.status).toBe('Occupied');
    await charger.close();
  });
});

describe('bad input', () => {
  it('answers schema violations and unknown actions with CALLERRORs and keeps the connection', async () => {
    const station = await aKnownStation();
    const charger = aCharger(strict.port, station.identity, { password: station.password });
    await charger.connect();
    // Missing the required chargePointModel; wrong type for the vendor.
    expect(await callError(charger.call('BootNotification', { chargePointVendor: 42 }))).toMatch(
      /FormationViolation|OccurenceConstraintViolation|OccurrenceConstraintViolation|TypeConstraintViolation|PropertyConstraintViolation/,
    );
    expect(
      await callError(
        charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Dancing' }),
      ),
    ).toMatch(/PropertyConstraintViolation|FormationViolation/);
    // A 1.6 action ChargeOps does not handle yet, and one that 1.6 does not have at all.
    expect(await callError(charger.call('DataTransfer', { vendorId: 'acme' }))).toBe('NotSupported');
    expect(await callError(charger.call('NoSuchAction', {}))).toBe('NotImplemented');
    // Still connected and working.
    expect(await charger.call('Heartbeat', {})).toHaveProperty('currentTime');
    await charger.close();
  });

  it('answers malformed JSON without dropping the connection, and closes on an oversize frame (1009)', async () => {
    const station = await aKnownStation();
    const small = await startEndpoint('off', { maxFrameBytes: 2048 });
    const auth = Buffer.from(`${station.identity}:${station.password}`).toString('base64');
    const ws = new WebSocket(`ws://127.0.0.1:${small.port}/ocpp/${station.identity}`, ['ocpp1.6'], {
      headers: { authorization: `Basic ${auth}` },
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const replies: unknown[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(String(data))));
    ws.send('{this is not json');
    ws.send(JSON.stringify([2, 'hb-1', 'Heartbeat', {}]));
    await waitFor(
      async () => replies.length,
      (n) => n >= 2,
    );
    expect(replies).toContainEqual(expect.arrayContaining([4]));
    expect(replies).toContainEqual(expect.arrayContaining([3, 'hb-1']));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: 'y'.repeat(4096) }]));
    expect(await closed).toBe(1009);
  });
});
