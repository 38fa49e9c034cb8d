import type { ServerResponse } from 'node:http';

/** Plain HTTP (no upgrade) on the OCPP path: tell the client it must use WebSocket. */
export function answerPlainOcppRequest(res: ServerResponse): void {
  res.writeHead(426, {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Content-Type': 'text/plain; charset=utf-8',
  });
  res.end('This is the OCPP-J endpoint: connect with a WebSocket client to /ocpp/{identity}.\n');
}
