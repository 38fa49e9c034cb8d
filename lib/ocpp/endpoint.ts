import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { RPCServer, createRPCError } from 'ocpp-rpc';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import type { Db } from '@/lib/db';
import {
  admitStation,
  appendMessageLog,
  purgeMessageLog,
  recordSeen,
  setOnline,
  type AutoRegister,
  type LoggedFrame,
  type StationLink,
} from '@/lib/services/charger-link';
import type { ChargerGateway } from '@/lib/commands/gateway';
import type { CommandDeps } from '@/lib/commands/send';
import type { HandlerContext, RouteTable } from './context';
import { createChargerGateway } from './gateway';
import { identityFromPath } from './identity';
import { v16Routes } from './v16/routes';
import { v201Routes } from './v201/routes';
import { TokenBucket } from './rate-limit';
import { ocppValidators } from './validators';

/** Subprotocols in order of preference: a charger offering both gets 2.0.1. */
export const supportedProtocols = ['ocpp2.0.1', 'ocpp1.6'] as const;

const routesByProtocol: Record<(typeof supportedProtocols)[number], RouteTable> = {
  'ocpp2.0.1': v201Routes,
  'ocpp1.6': v16Routes,
};

export interface OcppEndpointOptions {
  db: () => Db;
  log: Logger;
  autoRegister: AutoRegister;
  heartbeatInterval: number;
  maxFrameBytes: number;
  /** 0 disables the raw message log. */
  messageLogDays: number;
  /** Inbound frames per second per connection (bursts of 3x). */
  rateLimit: number;
  /** How long a command waits for the charger's answer. */
  commandTimeoutMs: number;
  now?: () => Date;
}

export interface OcppEndpoint {
  /** Takes a WebSocket upgrade request for /ocpp/{identity}. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Identities of the stations connected to this instance. */
  connectedIdentities(): string[];
  /** Sends commands to the stations connected here (lib/commands). */
  gateway: ChargerGateway;
  /** Closes every charger connection (1001, going away) after answering calls in flight; flushes the log. */
  close(): Promise<void>;
}

interface Session {
  station: StationLink;
}

/**
 * The OCPP-J endpoint. ocpp-rpc does the framing, the CALL/CALLRESULT/CALLERROR bookkeeping and
 * validates every inbound CALL against the official OCA JSON schemas (strict mode); a frame that
 * fails gets the matching CALLERROR and the connection stays up. Handlers come from the route
 * table of the negotiated version; an action of the version without a handler is answered
 * NotSupported, an action the version does not have NotImplemented.
 */
export function createOcppEndpoint(options: OcppEndpointOptions): OcppEndpoint {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const clients = new Map<string, RpcServerClient>();
  // Time of the last inbound frame per identity, for the liveness check.
  const lastInbound = new Map<string, number>();
  const gateway = createChargerGateway((identity) => clients.get(identity), log);
  const commandDeps: CommandDeps = {
    gateway,
    timeoutMs: options.commandTimeoutMs,
    now,
    // Commands ChargeOps sends by itself never ask a charger to upload.
    publicUrl: '',
  };
  const server = new RPCServer({
    protocols: [...supportedProtocols],
    strictMode: true,
    strictModeValidators: ocppValidators,
    wssOptions: { maxPayload: options.maxFrameBytes },
    callTimeoutMs: 30_000,
    pingIntervalMs: 60_000,
    respondWithDetailedErrors: false,
  });

  server.auth((accept, reject, handshake) => {
    const identity = identityFromPath(new URL(handshake.request.url ?? '/', 'http://localhost').pathname);
    if (!identity) return reject(400, 'Connect to /ocpp/{identity}: the identity is missing or malformed');
    if (!supportedProtocols.some((p) => handshake.protocols.has(p))) {
      return reject(400, `Unsupported subprotocol: offer one of ${supportedProtocols.join(', ')}`);
    }
    admitStation(options.db(), {
      identity,
      password:
        handshake.password === undefined ? undefined : Buffer.from(handshake.password).toString('utf8'),
      autoRegister: options.autoRegister,
    })
      .then((admission) => {
        if (!admission.ok) {
          log.info(
            { identity, reason: admission.reason, remote: handshake.remoteAddress },
            'OCPP connection refused',
          );
          return reject(401, 'Unauthorized');
        }
        if (admission.created)
          log.warn({ identity, status: admission.station.registrationStatus }, 'new station registered');
        accept({ station: admission.station } satisfies Session);
      })
      .catch((err: unknown) => {
        log.error({ err, identity }, 'OCPP admission failed');
        reject(500, 'Internal Server Error');
      });
  });

  // The raw message log is written in batches, off the path of the response.
  /** Work the endpoint started that no caller awaits (boot follow-ups, offline marks): close waits for it. */
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  let pending: LoggedFrame[] = [];
  const flushLog = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      await appendMessageLog(options.db(), batch);
    } catch (err) {
      log.error({ err, frames: batch.length }, 'could not write the OCPP message log');
    }
  };
  const flushTimer = setInterval(() => void flushLog(), 1000);
  flushTimer.unref();
  const purge = async () => {
    if (options.messageLogDays <= 0) return;
    try {
      const deleted = await purgeMessageLog(
        options.db(),
        new Date(now().getTime() - options.messageLogDays * 86_400_000),
      );
      if (deleted > 0) log.info({ deleted }, 'purged old OCPP messages');
    } catch (err) {
      log.error({ err }, 'could not purge the OCPP message log');
    }
  };
  const purgeTimer = setInterval(() => void purge(), 3_600_000);
  purgeTimer.unref();

  // A station silent for three heartbeat intervals counts as gone: its connection is closed (and
  // so marked offline), even if the socket still answers pings.
  const silenceLimitMs = 3 * options.heartbeatInterval * 1000;
  const livenessTimer = setInterval(
    () => {
      const cutoff = Date.now() - silenceLimitMs;
      for (const [identity, at] of lastInbound) {
        if (at >= cutoff) continue;
        lastInbound.delete(identity);
        log.info({ identity }, 'no message for 3 heartbeat intervals: closing the connection');
        void clients.get(identity)?.close({ code: 1001, reason: 'No message for 3 heartbeat intervals' });
      }
    },
    Math.min(30_000, silenceLimitMs / 3),
  );
  livenessTimer.unref();

  server.on('client', (client: RpcServerClient) => {
    const { station } = client.session as Session;
    const protocol = client.protocol as (typeof supportedProtocols)[number];
    const clientLog = log.child({ identity: station.identity, protocol });
    const ctx: HandlerContext = {
      station,
      db: options.db(),
      log: clientLog,
      now,
      heartbeatInterval: options.heartbeatInterval,
      ocppVersion: protocol === 'ocpp1.6' ? '1.6' : '2.0.1',
      commandDeps,
      afterResponse: () => {
        throw new Error('afterResponse is only available while handling a CALL');
      },
    };

    // A second connection with the same identity replaces the first.
    const previous = clients.get(station.identity);
    clients.set(station.identity, client);
    if (previous) {
      clientLog.info('replacing the previous connection of this station');
      void previous.close({ code: 1000, reason: 'Replaced by a new connection' });
    }
    void setOnline(ctx.db, station, true, now()).catch((err: unknown) =>
      clientLog.error({ err }, 'could not mark online'),
    );

    // Remember the action of each CALL so the log can name it on the result that answers it.
    const actionsById = new Map<string, string>();
    const bucket = new TokenBucket(options.rateLimit, options.rateLimit * 3, Date.now());
    let flooding = false;
    lastInbound.set(station.identity, Date.now());
    client.on('message', ({ message, outbound }: { message: Buffer | string; outbound: boolean }) => {
      if (!outbound) {
        lastInbound.set(station.identity, Date.now());
        void recordSeen(ctx.db, station, now()).catch(() => undefined);
        if (!bucket.take(Date.now()) && !flooding) {
          flooding = true;
          clientLog.warn({ limit: options.rateLimit }, 'closing a flooding connection');
          void client.close({ code: 1008, reason: 'Message rate limit exceeded' });
        }
      }
      if (options.messageLogDays <= 0) return;
      pending.push(
        toLoggedFrame(station.stationId, String(message), outbound ? 'out' : 'in', actionsById, now()),
      );
      if (pending.length >= 500) void flushLog();
    });
    client.on('badMessage', ({ error }: { error: Error }) => {
      // An answer to a command that already timed out: the gateway records it as a late answer.
      if (/unrecognised message ID/.test(error.message))
        return clientLog.info('late answer to a timed-out command');
      clientLog.warn({ err: error }, 'bad OCPP frame');
    });
    client.on('strictValidationFailure', ({ error, outbound }: { error: Error; outbound: boolean }) => {
      // Inbound: the charger got a CALLERROR. Outbound: our own response broke the schema (a bug).
      if (outbound) clientLog.error({ err: error }, 'our OCPP response failed schema validation');
      else clientLog.info({ err: error }, 'OCPP call failed schema validation');
    });

    for (const [action, handler] of Object.entries(routesByProtocol[protocol])) {
      client.handle(action, async ({ params }) => {
        // B02/B03: until the CSMS accepts it, a station may only send BootNotification.
        if (station.registrationStatus !== 'accepted' && action !== 'BootNotification') {
          throw createRPCError('SecurityError', 'This station is not accepted: send BootNotification first');
        }
        const followUps: (() => Promise<unknown>)[] = [];
        const callCtx: HandlerContext = { ...ctx, afterResponse: (task) => void followUps.push(task) };
        try {
          return (await handler(callCtx, params as never)) as Record<string, unknown>;
        } catch (err) {
          clientLog.error({ err, action }, 'OCPP handler failed');
          throw createRPCError('InternalError', 'The CSMS could not process this message');
        } finally {
          // ocpp-rpc sends the response as soon as this handler settles; the timer runs after it.
          for (const task of followUps)
            track(
              new Promise<void>((resolve) =>
                setTimeout(
                  () =>
                    void task()
                      .catch((err: unknown) => clientLog.error({ err, action }, 'follow-up failed'))
                      .finally(resolve),
                  0,
                ),
              ),
            );
        }
      });
    }
    // Reached only by actions the version's schemas know (unknown ones fail validation first).
    client.handle(async ({ method }) => {
      throw createRPCError('NotSupported', `${method ?? 'This action'} is not supported by this CSMS yet`);
    });

    client.once('close', ({ code, reason }: { code: number; reason: string }) => {
      clientLog.info({ code, reason: String(reason) }, 'station disconnected');
      if (clients.get(station.identity) !== client) return; // replaced: the new connection is the station now
      clients.delete(station.identity);
      lastInbound.delete(station.identity);
      track(
        setOnline(ctx.db, station, false, now()).catch((err: unknown) =>
          clientLog.error({ err }, 'could not mark offline'),
        ),
      );
    });
  });

  return {
    // The upgrade socket is the request's net.Socket; node types it as Duplex on the 'upgrade' event.
    handleUpgrade: (req, socket, head) => void server.handleUpgrade(req, socket as Socket, head),
    connectedIdentities: () => [...clients.keys()],
    gateway,
    close: async () => {
      clearInterval(flushTimer);
      clearInterval(purgeTimer);
      clearInterval(livenessTimer);
      const closing = [...clients.values()].map((client) =>
        client.close({ code: 1001, reason: 'Server shutting down', awaitPending: true }),
      );
      await Promise.allSettled(closing);
      await server.close({ code: 1001, reason: 'Server shutting down' });
      // Follow-ups and offline marks still running finish before the database may close.
      await Promise.allSettled([...background]);
      await flushLog();
    },
  };
}

/** One log row from a raw frame; unparseable text is kept as { raw }. */
function toLoggedFrame(
  stationId: string,
  text: string,
  direction: 'in' | 'out',
  actionsById: Map<string, string>,
  at: Date,
): LoggedFrame {
  const unparsed: LoggedFrame = {
    stationId,
    direction,
    messageType: null,
    messageId: null,
    action: null,
    payload: { raw: text.slice(0, 65536) },
    at,
  };
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return unparsed;
  }
  if (!Array.isArray(frame) || typeof frame[0] !== 'number' || typeof frame[1] !== 'string') return unparsed;
  const [messageType, messageId] = frame as [number, string];
  let action: string | null = null;
  if (messageType === 2 && typeof frame[2] === 'string') {
    action = frame[2];
    actionsById.set(`${direction}:${messageId}`, action);
  } else {
    // A result travels the other way from its CALL.
    const key = `${direction === 'in' ? 'out' : 'in'}:${messageId}`;
    action = actionsById.get(key) ?? null;
    actionsById.delete(key);
  }
  return { stationId, direction, messageType, messageId, action, payload: frame, at };
}
