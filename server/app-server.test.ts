import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import WebSocket from 'ws';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { encode } from 'next-auth/jwt';
import { setDatabase, type Database } from '@/lib/db';
import { openTestDatabase } from '@/lib/db/testing';
import { publish } from '@/lib/realtime/bus';
import { aSite, aUser, anOrganisation } from '@/lib/services/testing';
import { setUserActive, type SessionUser } from '@/lib/services/users';
import { createOcppEndpoint } from '@/lib/ocpp/endpoint';
import { createAppServer, type AppServer, type AppServerOptions } from './app-server';

// Real HTTP server on a free port with real WebSocket and socket.io clients. Next.js is replaced by
// a plain handler: these tests are about the routing, authentication and shutdown around it.
const secret = 'test-secret-that-is-at-least-32-characters-long';
const silent = pino({ level: 'silent' });
let database: Database;

/** An app server with a real OCPP endpoint (no auto-registration) on the test database. */
function makeServer(options: Pick<AppServerOptions, 'handleRequest' | 'handleNextUpgrade'>): AppServer {
  const ocpp = createOcppEndpoint({
    db: () => database.db,
    log: silent,
    autoRegister: 'off',
    heartbeatInterval: 300,
    maxFrameBytes: 65536,
    messageLogDays: 0,
    rateLimit: 20,
    commandTimeoutMs: 30_000,
  });
  return createAppServer({ log: silent, ocpp, authSecret: secret, sessionHours: 10, ...options });
}
let appServer: AppServer;
let base: string;

beforeAll(async () => {
  database = await openTestDatabase();
  setDatabase(database);
  appServer = makeServer({
    handleRequest: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('next');
    },
  });
  await new Promise<void>((resolve) => appServer.server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(appServer.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await appServer.close();
  setDatabase(undefined);
  await database.close();
});

/** Opens a WebSocket and resolves with the HTTP status of a refused handshake (or 101). */
function handshakeStatus(
  path: string,
  protocols: string[] = ['ocpp1.6'],
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${base}${path}`, protocols);
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '', headers: {} });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    ws.on('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err);
    });
  });
}

async function sessionCookie(user: SessionUser, signedInAt = Date.now()): Promise<string> {
  const token = await encode({
    token: { uid: user.id, sv: user.sessionVersion, signedInAt },
    secret,
    salt: 'authjs.session-token',
  });
  return `authjs.session-token=${token}`;
}

function connect(cookie?: string): Promise<{ socket: Socket; error?: Error }> {
  return new Promise((resolve) => {
    const socket = connectSocket(`http://${base}`, {
      path: '/socket.io/',
      transports: ['websocket'],
      extraHeaders: cookie ? { cookie } : {},
      reconnection: false,
    });
    socket.on('connect', () => resolve({ socket }));
    socket.on('connect_error', (error) => resolve({ socket, error }));
  });
}

describe('OCPP path', () => {
  it('hands /ocpp/ upgrades to the OCPP endpoint, which refuses an unknown station with 401', async () => {
    const { status } = await handshakeStatus('/ocpp/CP-UNKNOWN', ['ocpp2.0.1', 'ocpp1.6']);
    expect(status).toBe(401);
  });

  it('answers 400 when the identity is missing or malformed', async () => {
    expect((await handshakeStatus('/ocpp/')).status).toBe(400);
    expect((await handshakeStatus('/ocpp/bad:identity')).status).toBe(400);
    expect((await handshakeStatus(`/ocpp/${'x'.repeat(49)}`)).status).toBe(400);
  });

  it('answers plain HTTP on the OCPP path with 426 Upgrade Required', async () => {
    const res = await fetch(`http://${base}/ocpp/CP-001`);
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
  });

  it('refuses upgrades on paths nobody serves with 404, and passes other requests to Next', async () => {
    expect((await handshakeStatus('/somewhere')).status).toBe(404);
    expect(await (await fetch(`http://${base}/stations`)).text()).toBe('next');
  });
});

describe('socket.io', () => {
  it('refuses a browser without a session', async () => {
    const { socket, error } = await connect();
    expect(error?.message).toBe('unauthorized');
    socket.close();
  });

  it('refuses a forged, expired or revoked session', async () => {
    const org = await anOrganisation(database.db);
    const admin = await aUser(database.db, org.id);
    const user = await aUser(database.db, org.id);
    const forged = await connect('authjs.session-token=not-a-jwt');
    expect(forged.error?.message).toBe('unauthorized');
    forged.socket.close();
    const expired = await connect(await sessionCookie(user, Date.now() - 11 * 3600_000));
    expect(expired.error?.message).toBe('unauthorized');
    expired.socket.close();
    const cookie = await sessionCookie(user);
    await setUserActive(database.db, admin, user.id, false);
    const revoked = await connect(cookie);
    expect(revoked.error?.message).toBe('unauthorized');
    revoked.socket.close();
  });

  it('delivers an organisation’s events to its signed-in users only', async () => {
    const org = await anOrganisation(database.db);
    const other = await anOrganisation(database.db);
    const user = await aUser(database.db, org.id, { role: 'admin' });
    const stranger = await aUser(database.db, other.id, { role: 'admin' });
    const mine = await connect(await sessionCookie(user));
    const theirs = await connect(await sessionCookie(stranger));
    expect(mine.error).toBeUndefined();
    expect(theirs.error).toBeUndefined();
    const received: unknown[] = [];
    const leaked: unknown[] = [];
    theirs.socket.on('site:changed', (p: unknown) => leaked.push(p));
    const arrived = new Promise((resolve) =>
      mine.socket.on('site:changed', (p: unknown) => resolve(received.push(p))),
    );
    publish({ type: 'site:changed', organisationId: org.id, siteId: 'site-1' });
    await arrived;
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([{ siteId: 'site-1' }]);
    expect(leaked).toEqual([]);
    mine.socket.close();
    theirs.socket.close();
  });

  it('sends a site’s events to admins and to the managers of that site, not to managers of other sites', async () => {
    const org = await anOrganisation(database.db);
    const [siteA, siteB] = [await aSite(database.db, org.id), await aSite(database.db, org.id)];
    const admin = await aUser(database.db, org.id, { role: 'admin' });
    const managerA = await aUser(database.db, org.id, { role: 'manager', siteIds: [siteA.id] });
    const managerB = await aUser(database.db, org.id, { role: 'manager', siteIds: [siteB.id] });
    const sockets = await Promise.all(
      [admin, managerA, managerB].map(async (u) => connect(await sessionCookie(u))),
    );
    const seen = sockets.map(() => [] as unknown[]);
    sockets.forEach(({ socket }, i) => socket.on('site:changed', (p: unknown) => seen[i]?.push(p)));
    const delivered = Promise.all(
      sockets.slice(0, 2).map(({ socket }) => new Promise((resolve) => socket.once('site:changed', resolve))),
    );
    publish({ type: 'site:changed', organisationId: org.id, siteId: siteA.id });
    await delivered;
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([[{ siteId: siteA.id }], [{ siteId: siteA.id }], []]);
    for (const { socket } of sockets) socket.close();
  });
});

describe('close', () => {
  it('disconnects browsers, ends keep-alive connections and stops accepting, promptly', async () => {
    const server = makeServer({ handleRequest: (_req, res) => void res.end('ok') });
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const org = await anOrganisation(database.db);
    const user = await aUser(database.db, org.id);
    const previousBase = base;
    base = `127.0.0.1:${port}`;
    const { socket } = await connect(await sessionCookie(user));
    base = previousBase;
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) =>
      http.get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve)),
    );
    const disconnected = new Promise((resolve) => socket.on('disconnect', resolve));
    await server.close();
    await disconnected;
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    agent.destroy();
  });

  it(
    'does not wait for requests that never finish or for sockets upgraded elsewhere',
    { timeout: 15_000 },
    async () => {
      const server = makeServer({
        handleRequest: () => new Promise<void>(() => undefined), // a request that never answers
        handleNextUpgrade: () => undefined, // an upgrade (like Next's dev HMR) holding its socket open
      });
      await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
      const port = (server.server.address() as AddressInfo).port;
      const hanging = http.get({ host: '127.0.0.1', port, path: '/slow' });
      hanging.on('error', () => undefined);
      const held = new WebSocket(`ws://127.0.0.1:${port}/_next/hmr`);
      held.on('error', () => undefined);
      await new Promise((r) => setTimeout(r, 200));
      await server.close();
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    },
  );
});
