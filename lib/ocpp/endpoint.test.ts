import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { and, eq } from 'drizzle-orm';
import { chargingStations, connectors, connectorStatusHistory, evses } from '@/lib/db/schema';
import { subscribe } from '@/lib/realtime/bus';
import type { DomainEvent } from '@/lib/realtime/events';
import { recentMessages } from '@/lib/services/charger-link';
import { callError, refusal, setupOcppHarness, waitFor } from './testing';

const h = setupOcppHarness();
let strict: Awaited<ReturnType<typeof h.startEndpoint>>;
let pending: Awaited<ReturnType<typeof h.startEndpoint>>;
let accepting: Awaited<ReturnType<typeof h.startEndpoint>>;

beforeAll(async () => {
  strict = await h.startEndpoint('off');
  pending = await h.startEndpoint('pending');
  accepting = await h.startEndpoint('accept');
});

const aKnownStation = () => h.aKnownStation();
const aCharger = h.aCharger;
const anIdentity = h.anIdentity;
const stationRow = h.stationRow;

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
    expect(row).toMatchObject({
      registrationStatus: 'pending',
      vendor: 'ACME',
      model: 'X1',
      organisationId: h.scope.organisationId,
    });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    await charger.close();
    expect(await refusal(aCharger(pending.port, identity, { password: 'another-password' }))).toBe(401);

    // An operator accepts it; at its next boot it is Accepted.
    await h.db
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
    const [plug] = await h.db
      .select({
        status: connectors.status,
        errorCode: connectors.errorCode,
        vendorErrorCode: connectors.vendorErrorCode,
      })
      .from(connectors)
      .innerJoin(evses, eq(evses.id, connectors.evseId))
      .where(and(eq(evses.stationId, station.id), eq(evses.evseId, 2)));
    expect(plug).toEqual({ status: 'Faulted', errorCode: 'GroundFailure', vendorErrorCode: 'E42' });
    const history = await h.db
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
    expect(faulted).toMatchObject({ siteId: h.scope.siteId, stationId: station.id, evseId: 2 });

    await charger.close();
    await strict.ocpp.close().catch(() => undefined); // flushes the log; a fresh endpoint takes over below
    strict = await h.startEndpoint('off');
    const log = await recentMessages(h.db, station.id, 20);
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
    const [plug] = await h.db
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
    // A 1.6 action a CSMS does not take (Reset goes the other way), and one 1.6 does not have at all.
    expect(await callError(charger.call('Reset', { type: 'Soft' }))).toBe('NotSupported');
    expect(await callError(charger.call('NoSuchAction', {}))).toBe('NotImplemented');
    // Still connected and working.
    expect(await charger.call('Heartbeat', {})).toHaveProperty('currentTime');
    await charger.close();
  });

  it('answers malformed JSON without dropping the connection, and closes on an oversize frame (1009)', async () => {
    const station = await aKnownStation();
    const small = await h.startEndpoint('off', { maxFrameBytes: 2048 });
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
    ws.send(JSON.stringify([9, 'odd-1', 'Heartbeat', {}])); // no such message type
    ws.send(JSON.stringify([2, 'hb-1', 'Heartbeat', {}]));
    await waitFor(
      async () => replies.length,
      (n) => n >= 3,
    );
    // OCPP-J: a CALLERROR with message id "-1" when the frame's own id cannot be read.
    const errors = replies.filter((r) => Array.isArray(r) && r[0] === 4) as unknown[][];
    expect(errors.map((e) => [e[1], e[2]])).toEqual([
      ['-1', 'RpcFrameworkError'],
      ['-1', 'MessageTypeNotSupported'],
    ]);
    expect(replies).toContainEqual(expect.arrayContaining([3, 'hb-1']));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: 'y'.repeat(4096) }]));
    expect(await closed).toBe(1009);
  });

  it('closes a flooding connection with 1008 and a reason', async () => {
    const station = await aKnownStation();
    const limited = await h.startEndpoint('off', { rateLimit: 2 });
    const charger = aCharger(limited.port, station.identity, { password: station.password });
    await charger.connect();
    const closed = new Promise<{ code: number; reason: string }>((resolve) => charger.once('close', resolve));
    // Far beyond 2/s with bursts of 6.
    await Promise.allSettled(Array.from({ length: 20 }, () => charger.call('Heartbeat', {})));
    const { code, reason } = await closed;
    expect(code).toBe(1008);
    expect(String(reason)).toBe('Message rate limit exceeded');
  });
});

describe('liveness', () => {
  it(
    'marks a station offline when it stays silent for three heartbeat intervals',
    { timeout: 15_000 },
    async () => {
      const station = await aKnownStation();
      const quick = await h.startEndpoint('off', { heartbeatInterval: 1 });
      const charger = aCharger(quick.port, station.identity, { password: station.password });
      await charger.connect();
      await charger.call('Heartbeat', {});
      expect(
        (
          await waitFor(
            () => stationRow(station.identity),
            (r) => r?.online === true,
          )
        )?.online,
      ).toBe(true);
      const { code, reason } = await new Promise<{ code: number; reason: string }>((resolve) =>
        charger.once('close', resolve),
      );
      expect(code).toBe(1001);
      expect(String(reason)).toMatch(/3 heartbeat intervals/);
      expect(
        (
          await waitFor(
            () => stationRow(station.identity),
            (r) => r?.online === false,
          )
        )?.online,
      ).toBe(false);
    },
  );
});
