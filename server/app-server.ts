import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { refuseUpgrade } from './http-reply';
import type { OcppEndpoint } from '@/lib/ocpp/endpoint';
import { isOcppPath } from '@/lib/ocpp/identity';
import { answerPlainOcppRequest } from './ocpp';
import { createRealtimeServer, type RealtimeServer } from './realtime';

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> | void;

export interface AppServerOptions {
  log: Logger;
  /** Next.js request handler; everything that is not OCPP goes to it. */
  handleRequest: RequestHandler;
  /** Next.js upgrade handler (dev-mode HMR under /_next/); absent in production. */
  handleNextUpgrade?: UpgradeHandler;
  /** The OCPP endpoint that takes upgrades under /ocpp/. */
  ocpp: OcppEndpoint;
  authSecret: string;
  sessionHours: number;
}

export interface AppServer {
  server: http.Server;
  io: RealtimeServer;
  /** Stops accepting, disconnects browsers and chargers, ends keep-alive connections. */
  close(): Promise<void>;
}

function pathnameOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '/';
  }
}

/**
 * The one HTTP server of ChargeOps: Next.js for pages and APIs, socket.io for browsers, the OCPP
 * endpoint for chargers. WebSocket upgrades are routed by path here and nowhere else.
 */
export function createAppServer(options: AppServerOptions): AppServer {
  const { log } = options;
  const server = http.createServer((req, res) => {
    if (isOcppPath(pathnameOf(req.url))) return answerPlainOcppRequest(res);
    Promise.resolve(options.handleRequest(req, res)).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal Server Error');
    });
  });
  const realtime = createRealtimeServer(server, {
    secret: options.authSecret,
    sessionHours: options.sessionHours,
    log: log.child({ component: 'realtime' }),
  });

  // Upgraded sockets leave the HTTP server's bookkeeping: keep them to close them on shutdown.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const pathname = pathnameOf(req.url);
    if (pathname.startsWith('/socket.io/')) return; // engine.io's own upgrade listener takes it
    if (isOcppPath(pathname)) return options.ocpp.handleUpgrade(req, socket, head);
    if (options.handleNextUpgrade && pathname.startsWith('/_next/')) {
      void Promise.resolve(options.handleNextUpgrade(req, socket, head)).catch(() => socket.destroy());
      return;
    }
    refuseUpgrade(socket, 404, 'No WebSocket endpoint at this path.\n');
  });

  return {
    server,
    io: realtime.io,
    close: async () => {
      // Chargers first: they get a proper close frame (1001) after their calls in flight are answered.
      await options.ocpp.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await realtime.close();
      // Whatever is still upgraded (Next's dev HMR; later OCPP) is not the HTTP server's to wait for.
      for (const socket of upgraded) socket.destroy();
      // Requests still in flight get a moment to finish; then the connections are cut.
      const cut = setTimeout(() => server.closeAllConnections(), 2000);
      cut.unref();
      await closed;
      clearTimeout(cut);
    },
  };
}
