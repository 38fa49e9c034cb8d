import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { refuseUpgrade } from './http-reply';

/** OCPP-J path prefix; a charger connects to `/ocpp/{identity}`. */
export const ocppPathPrefix = '/ocpp/';

/** Whether a request path belongs to the OCPP endpoint. */
export function isOcppPath(pathname: string): boolean {
  return pathname === '/ocpp' || pathname.startsWith(ocppPathPrefix);
}

/**
 * The station identity from an OCPP URL path, or null when missing or malformed. OCPP 2.0.1 limits
 * the identity to 48 characters and forbids ':' (it is the Basic-auth separator); 1.6 used 20-25 in
 * practice, so 48 covers both.
 */
export function identityFromPath(pathname: string): string | null {
  if (!pathname.startsWith(ocppPathPrefix)) return null;
  let identity: string;
  try {
    identity = decodeURIComponent(pathname.slice(ocppPathPrefix.length));
  } catch {
    return null;
  }
  if (identity.length === 0 || identity.length > 48) return null;
  if (!/^[\x21-\x7e]+$/.test(identity) || identity.includes(':') || identity.includes('/')) return null;
  return identity;
}

/**
 * The OCPP endpoint as mounted by the foundation: the path exists and refuses politely at the
 * handshake (503 with Retry-After, so chargers back off instead of hammering), naming the reason.
 * The OCPP issue replaces this with the protocol itself.
 */
export function createOcppUpgradeHandler(log: Logger) {
  return (req: IncomingMessage, socket: Duplex, pathname: string): void => {
    const identity = identityFromPath(pathname);
    if (!identity) {
      refuseUpgrade(socket, 400, 'Connect to /ocpp/{identity}: the identity is missing or malformed.\n');
      return;
    }
    log.info(
      { identity, protocols: req.headers['sec-websocket-protocol'] },
      'OCPP connection refused: endpoint not enabled',
    );
    refuseUpgrade(socket, 503, 'The OCPP endpoint of this ChargeOps server is not enabled yet.\n', {
      'Retry-After': '300',
    });
  };
}

/** Plain HTTP (no upgrade) on the OCPP path: tell the client it must use WebSocket. */
export function answerPlainOcppRequest(res: ServerResponse): void {
  res.writeHead(426, {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Content-Type': 'text/plain; charset=utf-8',
  });
  res.end('This is the OCPP-J endpoint: connect with a WebSocket client to /ocpp/{identity}.\n');
}
