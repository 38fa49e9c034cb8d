import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';

/**
 * Answers a WebSocket upgrade request with a plain HTTP response and closes the socket: the polite
 * way to refuse at the handshake, so the client sees a status code rather than a reset.
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
