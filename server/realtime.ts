import type { Server as HttpServer } from 'node:http';
import { Server as SocketServer } from 'socket.io';
import { decode } from 'next-auth/jwt';
import type { Logger } from 'pino';
import { sessionCookieNames } from '@/lib/auth/cookies';
import { getDb } from '@/lib/db';
import {
  roomsFor,
  roomsOf,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@/lib/realtime/events';
import { subscribe } from '@/lib/realtime/bus';
import { loadSessionUser, type SessionUser } from '@/lib/services/users';

interface SocketData {
  user: SessionUser;
}

export type RealtimeServer = SocketServer<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** Parses a Cookie header into name/value pairs. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

/** The session JWT from cookies; next-auth splits large ones into `name.0`, `name.1`, ... */
function sessionTokenOf(cookies: Map<string, string>, name: string): string | undefined {
  const whole = cookies.get(name);
  if (whole) return whole;
  let joined = '';
  for (let i = 0; cookies.has(`${name}.${i}`); i++) joined += cookies.get(`${name}.${i}`);
  return joined || undefined;
}

/**
 * Resolves the signed-in user from a request's cookies, with the same rules as the web app:
 * a valid JWT, inside the session length, for an active user whose sessions were not revoked.
 */
export async function userFromCookies(
  cookieHeader: string | undefined,
  secret: string,
  sessionHours: number,
  now = Date.now(),
): Promise<SessionUser | null> {
  const cookies = parseCookies(cookieHeader);
  for (const name of sessionCookieNames) {
    const value = sessionTokenOf(cookies, name);
    if (!value) continue;
    const token = await decode({ token: value, secret, salt: name }).catch(() => null);
    if (!token?.uid || token.sv === undefined || !token.signedInAt) continue;
    if (now - token.signedInAt > sessionHours * 3600_000) continue;
    return loadSessionUser(getDb(), token.uid, token.sv);
  }
  return null;
}

/**
 * socket.io for live pushes to browsers: only signed-in users connect (checked in the handshake
 * middleware from the session cookie); each socket joins its organisation's room plus the admins'
 * room or its sites' rooms, and each domain event from the bus goes only to the rooms it concerns.
 */
export function createRealtimeServer(
  httpServer: HttpServer,
  options: { secret: string; sessionHours: number; log: Logger },
): { io: RealtimeServer; close: () => Promise<void> } {
  const io: RealtimeServer = new SocketServer(httpServer, {
    path: '/socket.io/',
    serveClient: false,
    // Other upgrade paths (/ocpp/, Next's HMR) belong to other handlers: do not destroy them.
    destroyUpgrade: false,
  });
  io.use((socket, next) => {
    userFromCookies(socket.request.headers.cookie, options.secret, options.sessionHours)
      .then((user) => {
        if (!user) return next(new Error('unauthorized'));
        socket.data.user = user;
        next();
      })
      .catch((err: unknown) => {
        options.log.error({ err }, 'socket.io authentication failed');
        next(new Error('unauthorized'));
      });
  });
  io.on('connection', (socket) => {
    // Scope is read at connection; a changed scope applies from the next connection (page load).
    void socket.join(roomsFor(socket.data.user));
  });
  const unsubscribe = subscribe((event) => {
    const { type, organisationId: _organisationId, ...payload } = event;
    // The union of events loses the pairing of type and payload that DomainEvent guarantees.
    (io.to(roomsOf(event)).emit as (event: string, payload: unknown) => boolean)(type, payload);
  });
  return {
    io,
    close: async () => {
      unsubscribe();
      // Tell every browser we are going (a disconnect packet, then the transport closes). io.close()
      // would also close the HTTP server and wait for its connections; the caller owns that server.
      io.disconnectSockets(true);
      io.engine.close();
    },
  };
}
