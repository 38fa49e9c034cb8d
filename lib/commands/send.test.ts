import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { createRPCError, type RPCClient } from 'ocpp-rpc';
import {
  auditLog,
  authorizationAttempts,
  chargingStations,
  reservations,
  stationCommands,
  stationUploads,
  stationVariables,
  transactions,
  type StationCommand,
} from '@/lib/db/schema';
import { setupOcppHarness, waitFor } from '@/lib/ocpp/testing';
import { aDriverToken, aSite, aUser, anOrganisation } from '@/lib/services/testing';
import type { SessionUser } from '@/lib/services/users';
import { commandInput, type CommandInput } from '@/lib/validation/commands';
import type { ChargerGateway } from './gateway';
import { triggerableMessages } from './types';
import { expireReservations } from '@/lib/services/reservations';
import { sendCommand, sendCommandToStations, type CommandDeps } from './send';

// Commands to chargers over real WebSockets, in both OCPP versions: what the charger receives, how
// each way a call can end is recorded, and what an answer changes in ChargeOps.
const h = setupOcppHarness();
const now = new Date('2026-11-20T08:00:00.000Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
const publicUrl = 'http://127.0.0.1:1';
let port: number;
let gateway: ChargerGateway;
let admin: SessionUser;
/** Chargers here answer at once, so the timeout only matters in the tests about it. */
let deps: CommandDeps;

beforeAll(async () => {
  const endpoint = await h.startEndpoint('off', { commandTimeoutMs: 2000 });
  port = endpoint.port;
  gateway = endpoint.ocpp.gateway;
  admin = await aUser(h.db, h.scope.organisationId, { role: 'admin' });
  deps = { gateway, timeoutMs: 5000, now: () => now, publicUrl };
  for (const token of ['TAG-1', 'A-LONGER-TOKEN-THAN-1.6-ALLOWS-1234', 'TOKEN-OF-21-CHARACTER'])
    await aDriverToken(h.db, h.scope.organisationId, token);
});

type Protocol = 'ocpp1.6' | 'ocpp2.0.1';
const protocols: Protocol[] = ['ocpp1.6', 'ocpp2.0.1'];
type Params = Record<string, unknown>;
type Frame = [number, string, string, Params];

interface Charger {
  station: { id: string; identity: string; password: string };
  charger: RPCClient;
  /** Every CALL the charger received, in order. */
  received: { action: string; params: Params }[];
  /** Answers every CALL of `action` with what `reply` returns (or throws). */
  answer(action: string, reply: (params: Params) => unknown): void;
  /** Values a table case's setup found out (the session or reservation it created). */
  refs: { transactionId?: number | string; reservationRequestId?: number };
}

async function aCharger(protocol: Protocol): Promise<Charger> {
  const { station, charger } = await h.aConnectedCharger(port, protocol);
  const received: Charger['received'] = [];
  charger.on('call', ({ outbound, payload }: { outbound: boolean; payload: Frame }) => {
    if (!outbound) received.push({ action: payload[2], params: payload[3] });
  });
  return {
    station,
    charger,
    received,
    answer: (action, reply) =>
      charger.handle(action, async ({ params }) => (await reply(params ?? {})) as Record<string, unknown>),
    refs: {},
  };
}

/** A promise the test settles by hand: a charger handler that answers when the test says so. */
function aGate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const commandRow = async (id: string) =>
  (await h.db.select().from(stationCommands).where(eq(stationCommands.id, id)))[0];
const commandsOf = (stationId: string) =>
  h.db
    .select()
    .from(stationCommands)
    .where(eq(stationCommands.stationId, stationId))
    .orderBy(asc(stationCommands.requestId));
const auditOf = async (commandId: string) =>
  (await h.db.select().from(auditLog).where(eq(auditLog.targetType, 'station'))).filter(
    (a) => a.details.commandId === commandId,
  );
const reservationOf = async (commandId: string) =>
  (await h.db.select().from(reservations).where(eq(reservations.commandId, commandId)))[0];
const variablesOf = async (stationId: string) =>
  (
    await h.db
      .select()
      .from(stationVariables)
      .where(eq(stationVariables.stationId, stationId))
      .orderBy(asc(stationVariables.component), asc(stationVariables.variable))
  ).map((v) => ({
    component: v.component,
    evseId: v.evseId,
    variable: v.variable,
    attributeType: v.attributeType,
    value: v.value,
    readonly: v.readonly,
    mutability: v.mutability,
    dataType: v.dataType,
    unit: v.unit,
  }));
const sessionOf = async (stationId: string, chargerTransactionId: string) => {
  const [session] = await h.db
    .select()
    .from(transactions)
    .where(
      and(eq(transactions.stationId, stationId), eq(transactions.chargerTransactionId, chargerTransactionId)),
    );
  if (!session) throw new Error(`no session ${chargerTransactionId}`);
  return session;
};

/** Starts a session at the charger (1.6 StartTransaction, 2.0.1 TransactionEvent Started). */
async function aSession(c: Charger, protocol: Protocol, extra: { reservationId?: number } = {}) {
  if (protocol === 'ocpp1.6') {
    const started = (await c.charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-S',
      meterStart: 0,
      timestamp: now.toISOString(),
      ...extra,
    })) as { transactionId: number };
    return {
      chargerTransactionId: started.transactionId,
      session: await sessionOf(c.station.id, String(started.transactionId)),
    };
  }
  const chargerTransactionId = `TX-${c.station.identity}`;
  await c.charger.call('TransactionEvent', {
    eventType: 'Started',
    timestamp: now.toISOString(),
    triggerReason: 'Authorized',
    seqNo: 0,
    transactionInfo: { transactionId: chargerTransactionId },
    evse: { id: 1, connectorId: 1 },
    idToken: { idToken: 'TAG-S', type: 'ISO14443' },
    ...extra,
  });
  return { chargerTransactionId, session: await sessionOf(c.station.id, chargerTransactionId) };
}

/** Reserves EVSE 1 at the charger, which accepts; returns the command row. */
async function aReservation(c: Charger) {
  c.answer('ReserveNow', () => ({ status: 'Accepted' }));
  const row = await sendCommand(
    h.db,
    admin,
    c.station.id,
    { kind: 'reserve', evseId: 1, idToken: 'TAG-R', minutes: 30 },
    deps,
  );
  expect(row.status).toBe('accepted');
  const reservation = await reservationOf(row.id);
  if (!reservation) throw new Error('no reservation');
  return { row, reservation };
}

const uploadUrl = expect.stringMatching(/^http:\/\/127\.0\.0\.1:1\/api\/uploads\/[A-Za-z0-9_-]{20,64}$/);

interface Case {
  name: string;
  /** What the operator asks; a function first creates what the command refers to. */
  input: CommandInput | ((c: Charger, protocol: Protocol) => Promise<CommandInput>);
  action: string;
  /** The charger's answer. */
  answer: Params;
  /** The payload the charger must receive, given the recorded command. */
  payload: (row: StationCommand, c: Charger) => unknown;
  status: 'accepted' | 'rejected';
  detail: string;
}

const remoteStop = async (c: Charger, protocol: Protocol): Promise<CommandInput> => {
  const { chargerTransactionId, session } = await aSession(c, protocol);
  c.refs.transactionId = chargerTransactionId;
  return { kind: 'remote-stop', sessionId: session.id };
};
const cancelReservation = async (c: Charger): Promise<CommandInput> => {
  const { row, reservation } = await aReservation(c);
  c.refs.reservationRequestId = row.requestId;
  return { kind: 'cancel-reservation', reservationId: reservation.id };
};

const v16Cases: Case[] = [
  {
    name: 'remote-start',
    input: { kind: 'remote-start', evseId: 2, idToken: 'TAG-1' },
    action: 'RemoteStartTransaction',
    answer: { status: 'Accepted' },
    payload: () => ({ idTag: 'TAG-1', connectorId: 2 }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'remote-start on any connector',
    input: { kind: 'remote-start', idToken: 'TAG-1' },
    action: 'RemoteStartTransaction',
    answer: { status: 'Rejected' },
    payload: () => ({ idTag: 'TAG-1' }),
    status: 'rejected',
    detail: 'Rejected',
  },
  {
    name: 'remote-stop',
    input: remoteStop,
    action: 'RemoteStopTransaction',
    answer: { status: 'Accepted' },
    payload: (_, c) => ({ transactionId: c.refs.transactionId }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'reset hard',
    input: { kind: 'reset', mode: 'hard' },
    action: 'Reset',
    answer: { status: 'Accepted' },
    payload: () => ({ type: 'Hard' }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'reset soft',
    input: { kind: 'reset', mode: 'soft' },
    action: 'Reset',
    answer: { status: 'Accepted' },
    payload: () => ({ type: 'Soft' }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'unlock',
    input: { kind: 'unlock', evseId: 2, connectorId: 1 },
    action: 'UnlockConnector',
    answer: { status: 'Unlocked' },
    payload: () => ({ connectorId: 2 }),
    status: 'accepted',
    detail: 'Unlocked',
  },
  {
    name: 'change-availability of the whole station',
    input: { kind: 'change-availability', evseId: 0, availability: 'inoperative' },
    action: 'ChangeAvailability',
    answer: { status: 'Scheduled' },
    payload: () => ({ connectorId: 0, type: 'Inoperative' }),
    status: 'accepted',
    detail: 'Scheduled',
  },
  {
    name: 'change-availability of one connector',
    input: { kind: 'change-availability', evseId: 2, availability: 'operative' },
    action: 'ChangeAvailability',
    answer: { status: 'Accepted' },
    payload: () => ({ connectorId: 2, type: 'Operative' }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'get-configuration of named keys',
    input: { kind: 'get-configuration', keys: ['HeartbeatInterval', 'NoSuchKey'] },
    action: 'GetConfiguration',
    answer: {
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: ['NoSuchKey'],
    },
    payload: () => ({ key: ['HeartbeatInterval', 'NoSuchKey'] }),
    status: 'accepted',
    detail: '1 key read, 1 unknown',
  },
  {
    name: 'get-configuration of every key',
    input: { kind: 'get-configuration', keys: [] },
    action: 'GetConfiguration',
    answer: {
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'NumberOfConnectors', readonly: true, value: '2' },
      ],
    },
    payload: () => ({}),
    status: 'accepted',
    detail: '2 keys read',
  },
  {
    name: 'change-configuration',
    input: { kind: 'change-configuration', key: 'HeartbeatInterval', value: '60' },
    action: 'ChangeConfiguration',
    answer: { status: 'RebootRequired' },
    payload: () => ({ key: 'HeartbeatInterval', value: '60' }),
    status: 'accepted',
    detail: 'RebootRequired',
  },
  {
    name: 'get-base-report (the whole 1.6 configuration)',
    input: { kind: 'get-base-report', report: 'full' },
    action: 'GetConfiguration',
    answer: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] },
    payload: () => ({}),
    status: 'accepted',
    detail: '1 key read',
  },
  {
    name: 'trigger-message',
    input: { kind: 'trigger-message', message: 'status', evseId: 1 },
    action: 'TriggerMessage',
    answer: { status: 'Accepted' },
    payload: () => ({ requestedMessage: 'StatusNotification', connectorId: 1 }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'clear-cache',
    input: { kind: 'clear-cache' },
    action: 'ClearCache',
    answer: { status: 'Accepted' },
    payload: () => ({}),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'data-transfer',
    input: { kind: 'data-transfer', vendorId: 'com.example', messageId: 'Ping', data: '{"n":1}' },
    action: 'DataTransfer',
    answer: { status: 'Accepted', data: 'pong' },
    payload: () => ({ vendorId: 'com.example', messageId: 'Ping', data: '{"n":1}' }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'data-transfer with the vendor id only',
    input: { kind: 'data-transfer', vendorId: 'com.example' },
    action: 'DataTransfer',
    answer: { status: 'UnknownVendorId' },
    payload: () => ({ vendorId: 'com.example' }),
    status: 'rejected',
    detail: 'UnknownVendorId',
  },
  {
    name: 'update-firmware',
    input: {
      kind: 'update-firmware',
      location: 'https://fw.example.com/fw-2.1.bin',
      retrieveAt: '2026-11-21T02:00:00.000Z',
      retries: 3,
      retryIntervalSeconds: 120,
    },
    action: 'UpdateFirmware',
    answer: {},
    payload: () => ({
      location: 'https://fw.example.com/fw-2.1.bin',
      retrieveDate: '2026-11-21T02:00:00.000Z',
      retries: 3,
      retryInterval: 120,
    }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'update-firmware now',
    input: { kind: 'update-firmware', location: 'ftp://fw.example.com/fw.bin' },
    action: 'UpdateFirmware',
    answer: {},
    payload: () => ({ location: 'ftp://fw.example.com/fw.bin', retrieveDate: now.toISOString() }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'upload-diagnostics of the last hours',
    input: { kind: 'upload-diagnostics', hours: 2 },
    action: 'GetDiagnostics',
    answer: { fileName: 'diag-1.zip' },
    payload: () => ({ location: uploadUrl, startTime: at(-120), stopTime: now.toISOString() }),
    status: 'accepted',
    detail: 'Uploading diag-1.zip',
  },
  {
    name: 'upload-diagnostics with nothing to upload',
    input: { kind: 'upload-diagnostics' },
    action: 'GetDiagnostics',
    answer: {},
    payload: () => ({ location: uploadUrl }),
    status: 'rejected',
    detail: 'No diagnostics file available',
  },
  {
    name: 'reserve',
    input: { kind: 'reserve', evseId: 1, idToken: 'TAG-R', minutes: 30 },
    action: 'ReserveNow',
    answer: { status: 'Accepted' },
    payload: (row) => ({ connectorId: 1, expiryDate: at(30), idTag: 'TAG-R', reservationId: row.requestId }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'cancel-reservation',
    input: cancelReservation,
    action: 'CancelReservation',
    answer: { status: 'Accepted' },
    payload: (_, c) => ({ reservationId: c.refs.reservationRequestId }),
    status: 'accepted',
    detail: 'Accepted',
  },
];

const hbRead = {
  attributeStatus: 'Accepted',
  attributeValue: '300',
  component: { name: 'OCPPCommCtrlr' },
  variable: { name: 'HeartbeatInterval' },
};

const v201Cases: Case[] = [
  {
    name: 'remote-start',
    input: { kind: 'remote-start', evseId: 2, idToken: 'TAG-1' },
    action: 'RequestStartTransaction',
    answer: { status: 'Accepted' },
    payload: (row) => ({
      remoteStartId: row.requestId,
      idToken: { idToken: 'TAG-1', type: 'Central' },
      evseId: 2,
    }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'remote-start on any EVSE',
    input: { kind: 'remote-start', idToken: 'A-LONGER-TOKEN-THAN-1.6-ALLOWS-1234' },
    action: 'RequestStartTransaction',
    answer: { status: 'Rejected', statusInfo: { reasonCode: 'Occupied' } },
    payload: (row) => ({
      remoteStartId: row.requestId,
      idToken: { idToken: 'A-LONGER-TOKEN-THAN-1.6-ALLOWS-1234', type: 'Central' },
    }),
    status: 'rejected',
    detail: 'Rejected (Occupied)',
  },
  {
    name: 'remote-stop',
    input: remoteStop,
    action: 'RequestStopTransaction',
    answer: { status: 'Accepted' },
    payload: (_, c) => ({ transactionId: c.refs.transactionId }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'reset hard',
    input: { kind: 'reset', mode: 'hard' },
    action: 'Reset',
    answer: { status: 'Accepted' },
    payload: () => ({ type: 'Immediate' }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'reset soft',
    input: { kind: 'reset', mode: 'soft' },
    action: 'Reset',
    answer: { status: 'Scheduled' },
    payload: () => ({ type: 'OnIdle' }),
    status: 'accepted',
    detail: 'Scheduled',
  },
  {
    name: 'unlock',
    input: { kind: 'unlock', evseId: 2, connectorId: 1 },
    action: 'UnlockConnector',
    answer: { status: 'Unlocked' },
    payload: () => ({ evseId: 2, connectorId: 1 }),
    status: 'accepted',
    detail: 'Unlocked',
  },
  {
    name: 'change-availability of the whole station',
    input: { kind: 'change-availability', evseId: 0, availability: 'inoperative' },
    action: 'ChangeAvailability',
    answer: { status: 'Scheduled' },
    payload: () => ({ operationalStatus: 'Inoperative' }),
    status: 'accepted',
    detail: 'Scheduled',
  },
  {
    name: 'change-availability of one EVSE',
    input: { kind: 'change-availability', evseId: 2, availability: 'operative' },
    action: 'ChangeAvailability',
    answer: { status: 'Accepted' },
    payload: () => ({ operationalStatus: 'Operative', evse: { id: 2 } }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'get-configuration',
    input: {
      kind: 'get-configuration',
      keys: ['OCPPCommCtrlr.HeartbeatInterval', 'EVSE@1.Power', 'Foo.Bar'],
    },
    action: 'GetVariables',
    answer: {
      getVariableResult: [
        hbRead,
        {
          attributeStatus: 'Accepted',
          attributeType: 'Actual',
          attributeValue: '22000',
          component: { name: 'EVSE', evse: { id: 1 } },
          variable: { name: 'Power' },
        },
        { attributeStatus: 'UnknownComponent', component: { name: 'Foo' }, variable: { name: 'Bar' } },
      ],
    },
    payload: () => ({
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } },
        { component: { name: 'Foo' }, variable: { name: 'Bar' } },
      ],
    }),
    status: 'accepted',
    detail: '2 of 3 read, 1 unknown',
  },
  {
    name: 'change-configuration',
    input: { kind: 'change-configuration', key: 'OCPPCommCtrlr.HeartbeatInterval', value: '60' },
    action: 'SetVariables',
    answer: {
      setVariableResult: [
        {
          attributeStatus: 'RebootRequired',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
        },
      ],
    },
    payload: () => ({
      setVariableData: [
        {
          attributeValue: '60',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
        },
      ],
    }),
    status: 'accepted',
    detail: 'RebootRequired',
  },
  {
    name: 'get-base-report full',
    input: { kind: 'get-base-report', report: 'full' },
    action: 'GetBaseReport',
    answer: { status: 'Accepted' },
    payload: (row) => ({ requestId: row.requestId, reportBase: 'FullInventory' }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'get-base-report of the configuration',
    input: { kind: 'get-base-report', report: 'configuration' },
    action: 'GetBaseReport',
    answer: { status: 'EmptyResultSet' },
    payload: (row) => ({ requestId: row.requestId, reportBase: 'ConfigurationInventory' }),
    status: 'rejected',
    detail: 'EmptyResultSet',
  },
  {
    name: 'trigger-message',
    input: { kind: 'trigger-message', message: 'status', evseId: 1 },
    action: 'TriggerMessage',
    answer: { status: 'Accepted' },
    payload: () => ({ requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'clear-cache',
    input: { kind: 'clear-cache' },
    action: 'ClearCache',
    answer: { status: 'Accepted' },
    payload: () => ({}),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'data-transfer',
    input: { kind: 'data-transfer', vendorId: 'com.example', messageId: 'Ping', data: '{"n":1}' },
    action: 'DataTransfer',
    answer: { status: 'Accepted', data: 'pong' },
    payload: () => ({ vendorId: 'com.example', messageId: 'Ping', data: '{"n":1}' }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'update-firmware',
    input: {
      kind: 'update-firmware',
      location: 'https://fw.example.com/fw-2.1.bin',
      retrieveAt: '2026-11-21T02:00:00.000Z',
      retries: 3,
      retryIntervalSeconds: 120,
    },
    action: 'UpdateFirmware',
    answer: { status: 'Accepted' },
    payload: (row) => ({
      requestId: row.requestId,
      firmware: {
        location: 'https://fw.example.com/fw-2.1.bin',
        retrieveDateTime: '2026-11-21T02:00:00.000Z',
      },
      retries: 3,
      retryInterval: 120,
    }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'upload-diagnostics of the last hours',
    input: { kind: 'upload-diagnostics', hours: 2 },
    action: 'GetLog',
    answer: { status: 'Accepted', filename: 'log-1.tar.gz' },
    payload: (row) => ({
      logType: 'DiagnosticsLog',
      requestId: row.requestId,
      log: { remoteLocation: uploadUrl, oldestTimestamp: at(-120), latestTimestamp: now.toISOString() },
    }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'reserve',
    input: { kind: 'reserve', evseId: 1, idToken: 'TAG-R', minutes: 30 },
    action: 'ReserveNow',
    answer: { status: 'Accepted' },
    payload: (row) => ({
      id: row.requestId,
      expiryDateTime: at(30),
      idToken: { idToken: 'TAG-R', type: 'Central' },
      evseId: 1,
    }),
    status: 'accepted',
    detail: 'Accepted',
  },
  {
    name: 'reserve any EVSE',
    input: { kind: 'reserve', evseId: 0, idToken: 'TAG-R', minutes: 5 },
    action: 'ReserveNow',
    answer: { status: 'Occupied' },
    payload: (row) => ({
      id: row.requestId,
      expiryDateTime: at(5),
      idToken: { idToken: 'TAG-R', type: 'Central' },
    }),
    status: 'rejected',
    detail: 'Occupied',
  },
  {
    name: 'cancel-reservation',
    input: cancelReservation,
    action: 'CancelReservation',
    answer: { status: 'Accepted' },
    payload: (_, c) => ({ reservationId: c.refs.reservationRequestId }),
    status: 'accepted',
    detail: 'Accepted',
  },
];

describe.each([
  ['ocpp1.6' as const, v16Cases],
  ['ocpp2.0.1' as const, v201Cases],
])('every command in %s', (protocol, cases) => {
  it('has a case for every command kind an operator can send', () => {
    const kinds = commandInput.options.map((o) => o.shape.kind.value);
    expect(kinds.filter((kind) => !cases.some((c) => c.name.split(' ')[0] === kind))).toEqual([]);
  });

  it.each(cases)('$name: sends $action and records the answer', async (t) => {
    const c = await aCharger(protocol);
    const input = typeof t.input === 'function' ? await t.input(c, protocol) : t.input;
    c.received.length = 0;
    c.answer(t.action, () => t.answer);

    const row = await sendCommand(h.db, admin, c.station.id, input, deps);

    expect(c.received).toEqual([{ action: t.action, params: t.payload(row, c) }]);
    const { kind, ...params } = input;
    expect(row).toMatchObject({
      stationId: c.station.id,
      organisationId: h.scope.organisationId,
      kind,
      params: JSON.parse(JSON.stringify(params)) as Params,
      requestedByUserId: admin.id,
      requestedByLabel: admin.email,
      status: t.status,
      detail: t.detail,
      errorCode: null,
      response: t.answer,
      ocppAction: t.action,
      sentAt: expect.any(Date),
      respondedAt: now,
      lateResponse: null,
    });
    expect(await commandRow(row.id)).toEqual(row);
    expect(await auditOf(row.id)).toMatchObject([
      {
        action: `station.command.${kind}`,
        actorUserId: admin.id,
        organisationId: h.scope.organisationId,
        targetId: c.station.id,
        result: t.status === 'accepted' ? 'ok' : 'error',
        details: { identity: c.station.identity, status: t.status, detail: t.detail },
      },
    ]);
  });
});

describe.each(protocols)('how a command ends in %s', (protocol) => {
  const hardReset = { kind: 'reset', mode: 'hard' } as const;

  it('rejected: keeps the charger’s status word (and 2.0.1 statusInfo) and audits an error', async () => {
    const c = await aCharger(protocol);
    c.answer('Reset', () =>
      protocol === 'ocpp1.6'
        ? { status: 'Rejected' }
        : { status: 'Rejected', statusInfo: { reasonCode: 'Busy', additionalInfo: 'Firmware update' } },
    );
    const row = await sendCommand(h.db, admin, c.station.id, hardReset, deps);
    expect(row).toMatchObject({
      status: 'rejected',
      detail: protocol === 'ocpp1.6' ? 'Rejected' : 'Rejected (Busy: Firmware update)',
      errorCode: null,
      respondedAt: now,
    });
    expect(await auditOf(row.id)).toMatchObject([{ action: 'station.command.reset', result: 'error' }]);
  });

  it('CALLERROR: failed, with the error code and description', async () => {
    const c = await aCharger(protocol);
    c.answer('Reset', () => {
      throw createRPCError('NotSupported', 'Resets are disabled here');
    });
    const row = await sendCommand(h.db, admin, c.station.id, hardReset, deps);
    expect(row).toMatchObject({
      status: 'failed',
      errorCode: 'NotSupported',
      detail: 'NotSupported: Resets are disabled here',
      response: { errorCode: 'NotSupported', errorDescription: 'Resets are disabled here' },
      respondedAt: now,
    });
    expect(await auditOf(row.id)).toMatchObject([{ action: 'station.command.reset', result: 'error' }]);
  });

  it('an answer that breaks the schema: failed with FormatViolation, the answer kept', async () => {
    const c = await aCharger(protocol);
    c.answer('Reset', () => ({ status: 'Maybe' }));
    const row = await sendCommand(h.db, admin, c.station.id, hardReset, deps);
    expect(row).toMatchObject({
      status: 'failed',
      errorCode: 'FormatViolation',
      detail: expect.stringMatching(/breaks the OCPP schema/),
      response: { status: 'Maybe' },
    });
    expect(await auditOf(row.id)).toMatchObject([{ result: 'error' }]);
  });

  it('timeout: timed_out once the charger is silent for timeoutMs; its late answer is kept and applied', async () => {
    const c = await aCharger(protocol);
    const gate = aGate();
    c.answer('ReserveNow', async () => {
      await gate.opened;
      return { status: 'Accepted' };
    });
    const row = await sendCommand(
      h.db,
      admin,
      c.station.id,
      { kind: 'reserve', evseId: 1, idToken: 'TAG-LATE', minutes: 30 },
      { ...deps, timeoutMs: 400 },
    );
    expect(row).toMatchObject({
      status: 'timed_out',
      detail: expect.stringMatching(/^No answer within/),
      respondedAt: null,
      lateResponse: null,
    });
    expect(await auditOf(row.id)).toMatchObject([{ action: 'station.command.reserve', result: 'error' }]);
    // The charger may still take a timed-out reservation: it stays requested.
    expect((await reservationOf(row.id))?.status).toBe('requested');
    expect(
      (
        await waitFor(
          () => commandRow(row.id),
          (r) => r?.sentAt != null,
        )
      )?.sentAt,
    ).toBeInstanceOf(Date);

    gate.open();
    const late = await waitFor(
      () => commandRow(row.id),
      (r) => r?.lateResponseAt != null,
    );
    expect(late).toMatchObject({
      status: 'timed_out',
      lateResponse: { status: 'accepted', detail: 'Accepted', response: { status: 'Accepted' } },
      lateResponseAt: expect.any(Date),
    });
    expect((await reservationOf(row.id))?.status).toBe('active');

    // The connection is free again: the next command is answered as usual.
    c.answer('ClearCache', () => ({ status: 'Accepted' }));
    expect((await sendCommand(h.db, admin, c.station.id, { kind: 'clear-cache' }, deps)).status).toBe(
      'accepted',
    );
  });

  it('a late CALLERROR is kept as a failed late answer', async () => {
    const c = await aCharger(protocol);
    const gate = aGate();
    c.answer('Reset', async () => {
      await gate.opened;
      throw createRPCError('InternalError', 'Reset crashed');
    });
    const row = await sendCommand(h.db, admin, c.station.id, hardReset, { ...deps, timeoutMs: 300 });
    expect(row.status).toBe('timed_out');
    gate.open();
    const late = await waitFor(
      () => commandRow(row.id),
      (r) => r?.lateResponseAt != null,
    );
    expect(late).toMatchObject({
      status: 'timed_out',
      lateResponse: { status: 'failed', detail: 'InternalError: Reset crashed' },
    });
  });

  it('offline: refused at once when the station has no connection, before and after it connected', async () => {
    const station = await h.aKnownStation();
    expect(gateway.isConnected(station.identity)).toBe(false);
    // A minute of timeout: the test would time out if an offline station were waited for.
    const patient = { ...deps, timeoutMs: 60_000 };
    const row = await sendCommand(h.db, admin, station.id, hardReset, patient);
    expect(row).toMatchObject({
      status: 'offline',
      detail: 'The station is not connected',
      sentAt: null,
      respondedAt: null,
      response: null,
    });
    expect(await auditOf(row.id)).toMatchObject([{ action: 'station.command.reset', result: 'error' }]);

    const c = await aCharger(protocol);
    await c.charger.close();
    await waitFor(
      async () => gateway.isConnected(c.station.identity),
      (connected) => !connected,
    );
    expect((await sendCommand(h.db, admin, c.station.id, hardReset, patient)).status).toBe('offline');
  });

  it('a connection that closes while the charger thinks: offline, with why', async () => {
    const c = await aCharger(protocol);
    const gate = aGate();
    c.answer('Reset', async () => {
      await gate.opened;
      return { status: 'Accepted' };
    });
    const pending = sendCommand(h.db, admin, c.station.id, hardReset, deps);
    await waitFor(
      async () => c.received.length,
      (count) => count > 0,
    );
    await c.charger.close({ force: true });
    expect(await pending).toMatchObject({
      status: 'offline',
      detail: 'The connection closed before the station answered',
      sentAt: expect.any(Date),
      respondedAt: null,
    });
    gate.open();
  });

  it('two commands at once are each matched to their own answer', async () => {
    const c = await aCharger(protocol);
    c.answer('Reset', () => ({ status: 'Rejected' }));
    c.answer('ClearCache', () => ({ status: 'Accepted' }));
    const [reset, clear] = await Promise.all([
      sendCommand(h.db, admin, c.station.id, hardReset, deps),
      sendCommand(h.db, admin, c.station.id, { kind: 'clear-cache' }, deps),
    ]);
    expect([reset.kind, reset.status]).toEqual(['reset', 'rejected']);
    expect([clear.kind, clear.status]).toEqual(['clear-cache', 'accepted']);
    expect(c.received.map((r) => r.action).sort()).toEqual(['ClearCache', 'Reset']);
  });
});

describe('commands a version cannot carry fail without reaching the charger', () => {
  it.each([
    {
      protocol: 'ocpp1.6' as const,
      input: { kind: 'remote-start', idToken: 'TOKEN-OF-21-CHARACTER' } as CommandInput,
      detail: /at most 20 characters/,
    },
    {
      protocol: 'ocpp1.6' as const,
      input: { kind: 'reserve', evseId: 1, idToken: 'TOKEN-OF-21-CHARACTER', minutes: 5 } as CommandInput,
      detail: /at most 20 characters/,
    },
    {
      protocol: 'ocpp2.0.1' as const,
      input: { kind: 'get-configuration', keys: [] } as CommandInput,
      detail: /base report/,
    },
    {
      protocol: 'ocpp2.0.1' as const,
      input: { kind: 'change-configuration', key: 'HeartbeatInterval', value: '60' } as CommandInput,
      detail: /must name a component/,
    },
    // 1.6 configuration keys are CiString50: the request would break the schema.
    {
      protocol: 'ocpp1.6' as const,
      input: { kind: 'change-configuration', key: 'K'.repeat(51), value: '1' } as CommandInput,
      detail: /could not build a valid ChangeConfiguration/,
    },
    {
      protocol: 'ocpp2.0.1' as const,
      input: { kind: 'change-configuration', key: `${'C'.repeat(51)}.Variable`, value: '1' } as CommandInput,
      detail: /could not build a valid SetVariables/,
    },
  ])('$protocol $input.kind: $detail', async ({ protocol, input, detail }) => {
    const c = await aCharger(protocol);
    const row = await sendCommand(h.db, admin, c.station.id, input, deps);
    expect(row).toMatchObject({ status: 'failed', errorCode: null, detail: expect.stringMatching(detail) });
    if (input.kind === 'reserve') expect((await reservationOf(row.id))?.status).toBe('rejected');
    // A Heartbeat round trip: anything sent before it would have arrived by now.
    await c.charger.call('Heartbeat', {});
    expect(c.received).toEqual([]);
  });

  it.each(protocols)('%s: trigger-message names each message in the version’s words', async (protocol) => {
    const c = await aCharger(protocol);
    c.answer('TriggerMessage', () => ({ status: 'Accepted' }));
    for (const message of triggerableMessages)
      await sendCommand(h.db, admin, c.station.id, { kind: 'trigger-message', message }, deps);
    expect(c.received.map((r) => r.params.requestedMessage)).toEqual(
      protocol === 'ocpp1.6'
        ? [
            'BootNotification',
            'Heartbeat',
            'StatusNotification',
            'MeterValues',
            'FirmwareStatusNotification',
            'DiagnosticsStatusNotification',
          ]
        : [
            'BootNotification',
            'Heartbeat',
            'StatusNotification',
            'MeterValues',
            'FirmwareStatusNotification',
            'LogStatusNotification',
          ],
    );
  });
});

describe('configuration values', () => {
  const key = (k: string, value: string, readonly = false) => ({ key: k, readonly, value });

  it('1.6 get-configuration of every key stores them and drops keys the station no longer has', async () => {
    const c = await aCharger('ocpp1.6');
    let keys = [
      key('HeartbeatInterval', '300'),
      key('OldVendorKey', 'x'),
      key('NumberOfConnectors', '2', true),
    ];
    c.answer('GetConfiguration', (params) => ({
      configurationKey: Array.isArray(params.key)
        ? keys.filter((k) => (params.key as string[]).includes(k.key))
        : keys,
    }));
    const readAll: CommandInput = { kind: 'get-configuration', keys: [] };
    await sendCommand(h.db, admin, c.station.id, readAll, deps);
    expect((await variablesOf(c.station.id)).map((v) => [v.variable, v.value, v.readonly])).toEqual([
      ['HeartbeatInterval', '300', false],
      ['NumberOfConnectors', '2', true],
      ['OldVendorKey', 'x', false],
    ]);

    // A read of named keys updates them and leaves the others alone.
    keys = [key('HeartbeatInterval', '900'), key('NumberOfConnectors', '2', true)];
    await sendCommand(
      h.db,
      admin,
      c.station.id,
      { kind: 'get-configuration', keys: ['HeartbeatInterval'] },
      deps,
    );
    expect((await variablesOf(c.station.id)).map((v) => [v.variable, v.value])).toEqual([
      ['HeartbeatInterval', '900'],
      ['NumberOfConnectors', '2'],
      ['OldVendorKey', 'x'],
    ]);

    // A read of every key replaces the stored 1.6 keys.
    await sendCommand(h.db, admin, c.station.id, readAll, deps);
    expect((await variablesOf(c.station.id)).map((v) => v.variable)).toEqual([
      'HeartbeatInterval',
      'NumberOfConnectors',
    ]);
  });

  it('1.6 get-base-report reads the whole configuration and replaces the stored keys', async () => {
    const c = await aCharger('ocpp1.6');
    let keys = [key('A', '1'), key('B', '2')];
    c.answer('GetConfiguration', () => ({ configurationKey: keys }));
    await sendCommand(h.db, admin, c.station.id, { kind: 'get-base-report', report: 'full' }, deps);
    keys = [key('B', '3')];
    await sendCommand(h.db, admin, c.station.id, { kind: 'get-base-report', report: 'full' }, deps);
    expect((await variablesOf(c.station.id)).map((v) => [v.variable, v.value])).toEqual([['B', '3']]);
  });

  it('1.6 change-configuration: an accepted change updates the stored value, a rejected one does not', async () => {
    const c = await aCharger('ocpp1.6');
    c.answer('GetConfiguration', () => ({ configurationKey: [key('HeartbeatInterval', '300')] }));
    await sendCommand(h.db, admin, c.station.id, { kind: 'get-configuration', keys: [] }, deps);
    let answer = 'Accepted';
    c.answer('ChangeConfiguration', () => ({ status: answer }));
    const change = (value: string) =>
      sendCommand(
        h.db,
        admin,
        c.station.id,
        { kind: 'change-configuration', key: 'HeartbeatInterval', value },
        deps,
      );

    expect((await change('60')).status).toBe('accepted');
    expect((await variablesOf(c.station.id)).map((v) => v.value)).toEqual(['60']);
    answer = 'Rejected';
    expect(await change('10')).toMatchObject({ status: 'rejected', detail: 'Rejected' });
    answer = 'NotSupported';
    expect(await change('10')).toMatchObject({ status: 'rejected', detail: 'NotSupported' });
    expect((await variablesOf(c.station.id)).map((v) => v.value)).toEqual(['60']);
  });

  it('2.0.1 get-configuration and change-configuration keep what a report said about the variable', async () => {
    const c = await aCharger('ocpp2.0.1');
    c.answer('GetBaseReport', () => ({ status: 'Accepted' }));
    const report = await sendCommand(
      h.db,
      admin,
      c.station.id,
      { kind: 'get-base-report', report: 'full' },
      deps,
    );
    await c.charger.call('NotifyReport', {
      requestId: report.requestId,
      generatedAt: now.toISOString(),
      seqNo: 0,
      reportData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite' }],
          variableCharacteristics: { dataType: 'integer', unit: 's', supportsMonitoring: false },
        },
      ],
    });
    let heartbeat = '300';
    c.answer('GetVariables', () => ({ getVariableResult: [{ ...hbRead, attributeValue: heartbeat }] }));
    c.answer('SetVariables', () => ({
      setVariableResult: [
        {
          attributeStatus: 'Accepted',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
        },
      ],
    }));
    const stored = {
      component: 'OCPPCommCtrlr',
      evseId: 0,
      variable: 'HeartbeatInterval',
      attributeType: 'Actual',
      readonly: false,
      mutability: 'ReadWrite',
      dataType: 'integer',
      unit: 's',
    };

    heartbeat = '120';
    const read = await sendCommand(
      h.db,
      admin,
      c.station.id,
      { kind: 'get-configuration', keys: ['OCPPCommCtrlr.HeartbeatInterval'] },
      deps,
    );
    expect(read).toMatchObject({ status: 'accepted', detail: '1 of 1 read' });
    expect(await variablesOf(c.station.id)).toEqual([{ ...stored, value: '120' }]);

    const changed = await sendCommand(
      h.db,
      admin,
      c.station.id,
      { kind: 'change-configuration', key: 'OCPPCommCtrlr.HeartbeatInterval', value: '60' },
      deps,
    );
    expect(changed.status).toBe('accepted');
    expect(await variablesOf(c.station.id)).toEqual([{ ...stored, value: '60' }]);
  });

  it('2.0.1 change-configuration answered Rejected leaves the stored value', async () => {
    const c = await aCharger('ocpp2.0.1');
    c.answer('GetVariables', () => ({ getVariableResult: [hbRead] }));
    c.answer('SetVariables', () => ({
      setVariableResult: [
        {
          attributeStatus: 'Rejected',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
        },
      ],
    }));
    await sendCommand(
      h.db,
      admin,
      c.station.id,
      { kind: 'get-configuration', keys: ['OCPPCommCtrlr.HeartbeatInterval'] },
      deps,
    );
    const changed = await sendCommand(
      h.db,
      admin,
      c.station.id,
      { kind: 'change-configuration', key: 'OCPPCommCtrlr.HeartbeatInterval', value: '60' },
      deps,
    );
    expect(changed).toMatchObject({ status: 'rejected', detail: 'Rejected' });
    expect((await variablesOf(c.station.id)).map((v) => v.value)).toEqual(['300']);
  });

  it('2.0.1 get-base-report, then NotifyReport parts with its requestId: a full report replaces the device model', async () => {
    const c = await aCharger('ocpp2.0.1');
    c.answer('GetBaseReport', () => ({ status: 'Accepted' }));
    const item = (component: string, variable: string, value: string, extra: Params = {}) => ({
      component: { name: component, ...extra },
      variable: { name: variable },
      variableAttribute: [{ value, mutability: 'ReadOnly' }],
      variableCharacteristics: { dataType: 'string', supportsMonitoring: false },
    });
    const sendReport = async (report: 'full' | 'configuration', parts: ReturnType<typeof item>[][]) => {
      const row = await sendCommand(h.db, admin, c.station.id, { kind: 'get-base-report', report }, deps);
      expect(c.received.at(-1)).toEqual({
        action: 'GetBaseReport',
        params: {
          requestId: row.requestId,
          reportBase: report === 'full' ? 'FullInventory' : 'ConfigurationInventory',
        },
      });
      for (const [seqNo, reportData] of parts.entries())
        await c.charger.call('NotifyReport', {
          requestId: row.requestId,
          generatedAt: now.toISOString(),
          seqNo,
          tbc: seqNo < parts.length - 1,
          reportData,
        });
    };
    const names = async () =>
      (await variablesOf(c.station.id)).map((v) => `${v.component}@${v.evseId}.${v.variable}=${v.value}`);

    await sendReport('full', [
      [item('ChargingStation', 'Model', 'X1'), item('EVSE', 'Power', '22000', { evse: { id: 1 } })],
      [item('SecurityCtrlr', 'Identity', 'CP-1')],
    ]);
    expect(await names()).toEqual([
      'ChargingStation@0.Model=X1',
      'EVSE@1.Power=22000',
      'SecurityCtrlr@0.Identity=CP-1',
    ]);
    expect((await variablesOf(c.station.id))[0]).toMatchObject({
      readonly: true,
      mutability: 'ReadOnly',
      dataType: 'string',
    });

    // A configuration report adds to the model.
    await sendReport('configuration', [[item('OCPPCommCtrlr', 'HeartbeatInterval', '300')]]);
    expect(await names()).toHaveLength(4);

    // A new full report replaces it: what the station no longer reports is gone.
    await sendReport('full', [
      [item('ChargingStation', 'Model', 'X2')],
      [item('EVSE', 'Power', '11000', { evse: { id: 1 } })],
    ]);
    expect(await names()).toEqual(['ChargingStation@0.Model=X2', 'EVSE@1.Power=11000']);
  });
});

describe('reservations', () => {
  it.each(protocols)(
    '%s: accepted → active with the command’s requestId as the OCPP id',
    async (protocol) => {
      const c = await aCharger(protocol);
      const { row, reservation } = await aReservation(c);
      expect(reservation).toMatchObject({
        status: 'active',
        ocppReservationId: row.requestId,
        commandId: row.id,
        stationId: c.station.id,
        organisationId: h.scope.organisationId,
        evseId: 1,
        idToken: 'TAG-R',
        expiresAt: new Date(at(30)),
        createdByUserId: admin.id,
        endedAt: null,
      });
    },
  );

  it.each(protocols)('%s: rejected → rejected', async (protocol) => {
    const c = await aCharger(protocol);
    c.answer('ReserveNow', () => ({ status: 'Occupied' }));
    const row = await sendCommand(
      h.db,
      admin,
      c.station.id,
      { kind: 'reserve', evseId: 1, idToken: 'T', minutes: 5 },
      deps,
    );
    expect(row).toMatchObject({ status: 'rejected', detail: 'Occupied' });
    expect(await reservationOf(row.id)).toMatchObject({ status: 'rejected', endedAt: now });
  });

  it.each(protocols)('%s: a CALLERROR or an offline station leaves no live reservation', async (protocol) => {
    const c = await aCharger(protocol);
    c.answer('ReserveNow', () => {
      throw createRPCError('NotSupported');
    });
    const input = { kind: 'reserve', evseId: 1, idToken: 'T', minutes: 5 } as const;
    const failed = await sendCommand(h.db, admin, c.station.id, input, deps);
    expect(failed.status).toBe('failed');
    expect((await reservationOf(failed.id))?.status).toBe('rejected');
    const offline = await sendCommand(h.db, admin, (await h.aKnownStation()).id, input, deps);
    expect(offline.status).toBe('offline');
    expect((await reservationOf(offline.id))?.status).toBe('rejected');
  });

  it.each(protocols)(
    '%s: cancel-reservation accepted → cancelled; rejected → still active; then refused',
    async (protocol) => {
      const c = await aCharger(protocol);
      const { reservation } = await aReservation(c);
      let answer = 'Rejected';
      c.answer('CancelReservation', () => ({ status: answer }));
      const cancel = { kind: 'cancel-reservation', reservationId: reservation.id } as const;

      expect((await sendCommand(h.db, admin, c.station.id, cancel, deps)).status).toBe('rejected');
      expect((await reservationOf(reservation.commandId!))?.status).toBe('active');
      answer = 'Accepted';
      expect((await sendCommand(h.db, admin, c.station.id, cancel, deps)).status).toBe('accepted');
      expect(await reservationOf(reservation.commandId!)).toMatchObject({
        status: 'cancelled',
        endedAt: now,
      });
      await expect(sendCommand(h.db, admin, c.station.id, cancel, deps)).rejects.toMatchObject({
        kind: 'precondition_failed',
      });
      // A reservation of another station is not found from this one.
      const other = await aCharger(protocol);
      await expect(sendCommand(h.db, admin, other.station.id, cancel, deps)).rejects.toMatchObject({
        kind: 'not_found',
      });
      expect(other.received).toEqual([]);
    },
  );

  it.each(protocols)('%s: a session that starts on the reservation uses it', async (protocol) => {
    const c = await aCharger(protocol);
    const { row } = await aReservation(c);
    await aSession(c, protocol, { reservationId: row.requestId });
    expect((await reservationOf(row.id))?.status).toBe('used');
  });

  it.each(protocols)(
    '%s: a reservation past its time ends expired without a word from the charger',
    async (protocol) => {
      const c = await aCharger(protocol);
      const { row } = await aReservation(c);
      await expireReservations(h.db, new Date(at(29)));
      expect((await reservationOf(row.id))?.status).toBe('active');
      await expireReservations(h.db, new Date(at(30)));
      expect(await reservationOf(row.id)).toMatchObject({ status: 'expired', endedAt: new Date(at(30)) });
    },
  );

  it('2.0.1 ReservationStatusUpdate: Expired → expired, Removed → cancelled', async () => {
    const c = await aCharger('ocpp2.0.1');
    const first = await aReservation(c);
    const second = await aReservation(c);
    await c.charger.call('ReservationStatusUpdate', {
      reservationId: first.row.requestId,
      reservationUpdateStatus: 'Expired',
    });
    await c.charger.call('ReservationStatusUpdate', {
      reservationId: second.row.requestId,
      reservationUpdateStatus: 'Removed',
    });
    expect((await reservationOf(first.row.id))?.status).toBe('expired');
    expect((await reservationOf(second.row.id))?.status).toBe('cancelled');
  });
});

describe('remote-start', () => {
  it.each(protocols)(
    '%s: a token the access rules refuse is not sent, and the refusal is logged',
    async (protocol) => {
      const c = await aCharger(protocol);
      await expect(
        sendCommand(h.db, admin, c.station.id, { kind: 'remote-start', idToken: 'NOBODY-KNOWS' }, deps),
      ).rejects.toMatchObject({
        kind: 'precondition_failed',
        fieldErrors: { idToken: expect.stringMatching(/^Invalid/) },
      });
      expect(c.received).toEqual([]);
      expect(await commandsOf(c.station.id)).toEqual([]);
      const attempts = await h.db
        .select()
        .from(authorizationAttempts)
        .where(eq(authorizationAttempts.stationId, c.station.id));
      expect(attempts.map((a) => [a.idToken, a.source, a.status])).toEqual([
        ['NOBODY-KNOWS', 'RemoteStart', 'Invalid'],
      ]);
    },
  );
});

describe('remote-stop', () => {
  it.each(protocols)(
    '%s: refuses a session that ended or belongs to another station, sending nothing',
    async (protocol) => {
      const c = await aCharger(protocol);
      const { chargerTransactionId, session } = await aSession(c, protocol);
      const other = await aCharger(protocol);
      await expect(
        sendCommand(h.db, admin, other.station.id, { kind: 'remote-stop', sessionId: session.id }, deps),
      ).rejects.toMatchObject({ kind: 'not_found' });

      if (protocol === 'ocpp1.6')
        await c.charger.call('StopTransaction', {
          transactionId: chargerTransactionId,
          meterStop: 100,
          timestamp: at(10),
        });
      else
        await c.charger.call('TransactionEvent', {
          eventType: 'Ended',
          timestamp: at(10),
          triggerReason: 'EVCommunicationLost',
          seqNo: 1,
          transactionInfo: { transactionId: chargerTransactionId, stoppedReason: 'EVDisconnected' },
        });
      await expect(
        sendCommand(h.db, admin, c.station.id, { kind: 'remote-stop', sessionId: session.id }, deps),
      ).rejects.toMatchObject({ kind: 'precondition_failed' });
      expect(c.received).toEqual([]);
      expect(other.received).toEqual([]);
      // Refused before anything was sent: no command is logged.
      expect(await commandsOf(c.station.id)).toEqual([]);
      expect(await commandsOf(other.station.id)).toEqual([]);
    },
  );
});

describe('upload-diagnostics', () => {
  const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

  it.each([
    {
      protocol: 'ocpp1.6' as const,
      action: 'GetDiagnostics',
      answer: { fileName: 'diag.zip' },
      file: 'diag.zip',
    },
    {
      protocol: 'ocpp2.0.1' as const,
      action: 'GetLog',
      answer: { status: 'Accepted', filename: 'log.tgz' },
      file: 'log.tgz',
    },
  ])(
    '$protocol: $action location is the upload slot’s URL; the announced file name is kept',
    async ({ protocol, action, answer, file }) => {
      const c = await aCharger(protocol);
      c.answer(action, () => answer);
      // A trailing slash on the public URL does not double the slash.
      const row = await sendCommand(
        h.db,
        admin,
        c.station.id,
        { kind: 'upload-diagnostics' },
        { ...deps, publicUrl: `${publicUrl}/` },
      );
      const params = c.received[0]?.params ?? {};
      const location =
        protocol === 'ocpp1.6'
          ? (params.location as string)
          : ((params.log as Params).remoteLocation as string);
      expect(location).toBe(`${publicUrl}/api/uploads/${tokenOf(location)}`);
      const [slot] = await h.db.select().from(stationUploads).where(eq(stationUploads.commandId, row.id));
      expect(slot).toMatchObject({
        stationId: c.station.id,
        organisationId: h.scope.organisationId,
        tokenHash: sha256(tokenOf(location)),
        expiresAt: new Date(now.getTime() + 24 * 3_600_000),
        fileName: file,
        uploadedAt: null,
      });
      // Every request gets its own URL.
      await sendCommand(h.db, admin, c.station.id, { kind: 'upload-diagnostics' }, deps);
      const second = c.received[1]?.params ?? {};
      const secondLocation = protocol === 'ocpp1.6' ? second.location : (second.log as Params).remoteLocation;
      expect(secondLocation).not.toBe(location);
    },
  );
});

describe('who may send commands', () => {
  const reset = { kind: 'reset', mode: 'soft' } as const;

  it('a technician is refused, and nothing is sent or recorded', async () => {
    const c = await aCharger('ocpp1.6');
    const technician = await aUser(h.db, h.scope.organisationId, {
      role: 'technician',
      siteIds: [h.scope.siteId],
    });
    await expect(sendCommand(h.db, technician, c.station.id, reset, deps)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(sendCommandToStations(h.db, technician, [c.station.id], reset, deps)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    expect(c.received).toEqual([]);
    expect(await commandsOf(c.station.id)).toEqual([]);
  });

  it('a manager may command the stations of their sites; another site’s station is not found', async () => {
    const c = await aCharger('ocpp2.0.1');
    c.answer('Reset', () => ({ status: 'Accepted' }));
    const otherSite = await aSite(h.db, h.scope.organisationId);
    const outsider = await aUser(h.db, h.scope.organisationId, { role: 'manager', siteIds: [otherSite.id] });
    await expect(sendCommand(h.db, outsider, c.station.id, reset, deps)).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect(c.received).toEqual([]);
    expect(await commandsOf(c.station.id)).toEqual([]);

    const manager = await aUser(h.db, h.scope.organisationId, { role: 'manager', siteIds: [h.scope.siteId] });
    const row = await sendCommand(h.db, manager, c.station.id, reset, deps);
    expect(row).toMatchObject({
      status: 'accepted',
      requestedByUserId: manager.id,
      requestedByLabel: manager.email,
    });
    expect(await auditOf(row.id)).toMatchObject([
      { actorUserId: manager.id, actorLabel: manager.email, result: 'ok' },
    ]);
  });

  it('a station of another organisation is not found, even for an admin', async () => {
    const org = await anOrganisation(h.db);
    const [foreign] = await h.db
      .insert(chargingStations)
      .values({ organisationId: org.id, identity: h.anIdentity('FOREIGN'), registrationStatus: 'accepted' })
      .returning();
    await expect(sendCommand(h.db, admin, foreign!.id, reset, deps)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(sendCommand(h.db, admin, 'not-a-uuid', reset, deps)).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect(await commandsOf(foreign!.id)).toEqual([]);
  });

  it('sendCommandToStations returns one result per station, refusals included', async () => {
    const v16 = await aCharger('ocpp1.6');
    v16.answer('Reset', () => ({ status: 'Accepted' }));
    const v201 = await aCharger('ocpp2.0.1');
    v201.answer('Reset', () => ({ status: 'Rejected' }));
    const offline = await h.aKnownStation();
    const org = await anOrganisation(h.db);
    const [foreign] = await h.db
      .insert(chargingStations)
      .values({ organisationId: org.id, identity: h.anIdentity('FOREIGN'), registrationStatus: 'accepted' })
      .returning();

    const results = await sendCommandToStations(
      h.db,
      admin,
      [v16.station.id, v201.station.id, offline.id, foreign!.id, v16.station.id],
      reset,
      deps,
    );
    const byStation = new Map(results.map((r) => [r.stationId, r]));
    expect(results).toHaveLength(4);
    expect(byStation.get(v16.station.id)).toMatchObject({
      identity: v16.station.identity,
      status: 'accepted',
      detail: 'Accepted',
    });
    expect(byStation.get(v201.station.id)).toMatchObject({
      identity: v201.station.identity,
      status: 'rejected',
      detail: 'Rejected',
    });
    expect(byStation.get(offline.id)).toMatchObject({ identity: offline.identity, status: 'offline' });
    expect(byStation.get(foreign!.id)).toMatchObject({
      identity: foreign!.id,
      status: 'refused',
      detail: 'Station not found',
    });
    // The same station twice gets the command once.
    expect(v16.received).toEqual([{ action: 'Reset', params: { type: 'Soft' } }]);
    expect(v201.received).toEqual([{ action: 'Reset', params: { type: 'OnIdle' } }]);
    for (const id of [v16.station.id, v201.station.id, offline.id])
      expect((await commandsOf(id)).map((r) => r.kind)).toEqual(['reset']);
  });
});
