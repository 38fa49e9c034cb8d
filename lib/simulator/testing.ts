import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import { SimulatedStation, type SimulatedStationOptions } from './station';

/**
 * Test doubles for the simulator: a strict OCPP server standing in for the CSMS (it validates
 * every frame against the official schemas and records what the station sends) and an HTTP server
 * taking log uploads.
 */

type Payload = Record<string, unknown>;

export interface Received {
  action: string;
  // Payloads are schema-validated by the server; tests read them loosely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  params: any;
  /** What the fake CSMS answered. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  answer: any;
}

export class FakeCsms {
  readonly received: Received[] = [];
  /** Frames from the station in arrival order: `call:<Action>` or `answer:<Action we called>`. */
  readonly timeline: string[] = [];
  /** WebSocket connections accepted so far (a reboot makes a new one). */
  connections = 0;
  bootStatus: 'Accepted' | 'Pending' | 'Rejected' = 'Accepted';
  bootInterval = 3600;
  /** Id tokens answered Invalid (Authorize, StartTransaction, TransactionEvent Started). */
  readonly invalidTokens = new Set<string>();
  /** Fields added to the answers of one action, from its request (e.g. totalCost in TransactionEvent). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly addToAnswer = new Map<string, (params: any) => object | undefined>();
  private client?: RpcServerClient;
  private nextTransactionId = 100;

  private constructor(
    private readonly server: RPCServer,
    private readonly http: http.Server,
    readonly protocol: SimulatedStationOptions['protocol'],
  ) {}

  static async start(protocol: SimulatedStationOptions['protocol']): Promise<FakeCsms> {
    const server = new RPCServer({ protocols: [protocol], strictMode: true });
    const httpServer = await server.listen(0, '127.0.0.1');
    const csms = new FakeCsms(server, httpServer, protocol);
    server.on('client', (client: RpcServerClient) => csms.accept(client));
    return csms;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** Calls the station over its current connection (a CSMS-initiated message). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call(action: string, params: object): Promise<any> {
    if (!this.client) throw new Error('No station connected');
    return this.client.call(action, params);
  }

  /** The payloads of one action, in the order received. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  sent(action: string): any[] {
    return this.received.filter((r) => r.action === action).map((r) => r.params);
  }

  /** Waits until a message of `action` matching `match` arrives (from index `from` on). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async next(action: string, match: (params: any) => boolean = () => true, from = 0): Promise<any> {
    const found = await poll(() =>
      this.received.slice(from).find((r) => r.action === action && match(r.params)),
    );
    if (!found)
      throw new Error(
        `No ${action} arrived. Received: ${this.received.map((r) => `${r.action} ${JSON.stringify(r.params)}`).join('\n')}`,
      );
    return found.params;
  }

  /** Whether the station answered `command` before it sent `action` (the last of each). */
  answeredBefore(command: string, action: string): boolean {
    const answer = this.timeline.lastIndexOf(`answer:${command}`);
    return answer >= 0 && answer < this.timeline.lastIndexOf(`call:${action}`);
  }

  /** The answer the fake CSMS gave to a message it received (by its payload). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  answerTo(params: object): any {
    return this.received.find((r) => r.params === params)?.answer;
  }

  /** Index of the first message of `action` matching `match`, or -1. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  indexOf(action: string, match: (params: any) => boolean = () => true): number {
    return this.received.findIndex((r) => r.action === action && match(r.params));
  }

  async waitForConnections(n: number): Promise<void> {
    if (!(await poll(() => this.connections >= n || undefined)))
      throw new Error(`Expected ${n} connections, got ${this.connections}`);
  }

  async close(): Promise<void> {
    await this.server.close({ force: true });
    await new Promise((resolve) => this.http.close(resolve));
  }

  private accept(client: RpcServerClient): void {
    this.client = client;
    this.connections++;
    const calls = new Map<string, string>();
    client.on('call', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
      if (outbound) calls.set(String(payload[1]), String(payload[2]));
    });
    client.on('message', ({ outbound, message }: { outbound: boolean; message: string }) => {
      if (outbound) return;
      const [type, id, action] = JSON.parse(message) as [number, string, string];
      this.timeline.push(type === 2 ? `call:${action}` : `answer:${calls.get(id)}`);
    });
    client.handle(async ({ method, params }) => {
      const answer = {
        ...this.answer(method ?? '', (params ?? {}) as Payload),
        ...this.addToAnswer.get(method ?? '')?.(params),
      };
      this.received.push({ action: method ?? '', params, answer });
      return answer;
    });
  }

  private answer(action: string, params: Payload): object {
    const now = new Date().toISOString();
    const v16 = this.protocol === 'ocpp1.6';
    switch (action) {
      case 'BootNotification':
        return { status: this.bootStatus, currentTime: now, interval: this.bootInterval };
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize': {
        const token = v16 ? params.idTag : (params.idToken as { idToken: string }).idToken;
        const status = this.invalidTokens.has(token as string) ? 'Invalid' : 'Accepted';
        return v16 ? { idTagInfo: { status } } : { idTokenInfo: { status } };
      }
      case 'StartTransaction':
        return {
          transactionId: this.nextTransactionId++,
          idTagInfo: { status: this.invalidTokens.has(params.idTag as string) ? 'Invalid' : 'Accepted' },
        };
      case 'StopTransaction':
        return { idTagInfo: { status: 'Accepted' } };
      case 'TransactionEvent': {
        const token = (params.idToken as { idToken: string } | undefined)?.idToken;
        if (params.eventType !== 'Started' || !token) return {};
        return { idTokenInfo: { status: this.invalidTokens.has(token) ? 'Invalid' : 'Accepted' } };
      }
      case 'DataTransfer':
        return { status: 'UnknownVendorId' };
      default:
        // StatusNotification, MeterValues, NotifyReport, the status notifications: empty answers.
        return {};
    }
  }
}

/** Polls `read` until it gives a value (up to 10 s: a bound for failures, not a timing check). */
async function poll<T>(read: () => T | undefined): Promise<T | undefined> {
  for (let i = 0; i < 1000; i++) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

export interface Upload {
  contentType: string;
  fileName: string;
  content: string;
}

/** An HTTP server taking multipart uploads (field "file"), answering `status`. */
export async function startUploadServer(status = 200) {
  const uploads: Upload[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      void new Response(Buffer.concat(chunks), { headers: { 'content-type': contentType } })
        .formData()
        .then(async (form) => {
          const file = form.get('file');
          if (req.method === 'POST' && file instanceof File)
            uploads.push({ contentType, fileName: file.name, content: await file.text() });
        })
        .catch(() => undefined)
        .finally(() => res.writeHead(status).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uploads,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A station for a fake CSMS: no sessions of its own, fast firmware steps and reboots. */
export function aStation(csms: FakeCsms, options: Partial<SimulatedStationOptions> = {}) {
  const errors: unknown[] = [];
  const station = new SimulatedStation({
    url: csms.url,
    identity: 'SIM-TEST-1',
    protocol: csms.protocol,
    connectors: 2,
    autoSessions: false,
    meterIntervalSeconds: 3600,
    firmwareStepMs: 5,
    rebootDelayMs: 10,
    onError: (e) => errors.push(e),
    ...options,
  });
  return { station, errors };
}

/** Starts the station and waits until it has booted and reported its connectors. */
export async function bootStation(csms: FakeCsms, station: SimulatedStation, connectors = 2): Promise<void> {
  await station.start();
  await csms.next('BootNotification');
  await poll(() => csms.sent('StatusNotification').length >= connectors || undefined);
}
