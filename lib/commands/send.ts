import { and, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import {
  chargingStations,
  reservations,
  stationCommands,
  transactions,
  type StationCommand,
} from '@/lib/db/schema';
import { AppError, notFound } from '@/lib/errors';
import { publish } from '@/lib/realtime/bus';
import { recordAudit, type Actor } from '@/lib/services/audit';
import { assertCan } from '@/lib/services/authorize';
import { authorizeToken } from '@/lib/services/authorization';
import { storeReportedVariables } from '@/lib/services/configuration';
import { settleReservation } from '@/lib/services/reservations';
import { getStation } from '@/lib/services/stations';
import { createUploadSlot, noteAnnouncedFile } from '@/lib/services/uploads';
import { actorOf, type SessionUser } from '@/lib/services/users';
import type { CommandInput } from '@/lib/validation/commands';
import type { ChargerGateway } from './gateway';
import type { Command, CommandOutcome, LoadCommand, LocalListCommand } from './types';
import { isUuid } from '@/lib/validation/ids';

/** What sending a command needs from the process: the gateway, the timeout, the clock, our URL. */
export interface CommandDeps {
  gateway: ChargerGateway;
  timeoutMs: number;
  now: () => Date;
  /** Base URL chargers reach ChargeOps at, for upload locations (e.g. https://cpms.example.com). */
  publicUrl: string;
}

/** The station a command goes to. */
export interface CommandTarget {
  id: string;
  identity: string;
  organisationId: string;
  siteId: string | null;
}

/**
 * Sends one command to a station for a signed-in user: checks role and site scope, records the
 * command, sends it through the gateway, records the outcome and writes the audit row. Resolves
 * when the charger has answered, the command timed out, or the station is offline.
 */
export async function sendCommand(
  db: Db,
  user: SessionUser,
  stationId: string,
  input: CommandInput,
  deps: CommandDeps,
): Promise<StationCommand> {
  assertCan(user, 'stations:command');
  // getStation applies organisation and site scope: a station outside it is "not found".
  const { id, identity, organisationId, siteId } = await getStation(db, user, stationId);
  const station: CommandTarget = { id, identity, organisationId, siteId };
  if (input.kind === 'remote-start') {
    // The same rules as a card at the charger: a token that may not charge here is not sent.
    const decision = await authorizeToken(
      db,
      { ...station, stationId: station.id, registrationStatus: 'accepted' },
      { idToken: input.idToken, type: 'Central' },
      { source: 'RemoteStart', now: deps.now() },
    );
    if (decision.status !== 'Accepted')
      throw new AppError('precondition_failed', `This token may not charge here: ${decision.reason}`, {
        idToken: `${decision.status}: ${decision.reason}`,
      });
  }
  return runCommand(db, actorOf(user), station, input, deps);
}

/** One station's result in a bulk command. */
export interface BulkResult {
  stationId: string;
  identity: string;
  status: StationCommand['status'] | 'refused';
  detail: string | null;
}

/** Sends the same command to several stations (a few at a time); each is recorded on its own. */
export async function sendCommandToStations(
  db: Db,
  user: SessionUser,
  stationIds: readonly string[],
  input: CommandInput,
  deps: CommandDeps,
): Promise<BulkResult[]> {
  assertCan(user, 'stations:command');
  const results: BulkResult[] = [];
  const queue = [...new Set(stationIds)];
  // Names for the results, in one query; a refused station keeps its id (its name may be out of scope).
  const named = await db
    .select({ id: chargingStations.id, identity: chargingStations.identity })
    .from(chargingStations)
    .where(
      and(
        inArray(chargingStations.id, queue.filter(isUuid)),
        eq(chargingStations.organisationId, user.organisationId),
      ),
    );
  const identityOf = new Map(named.map((s) => [s.id, s.identity]));
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        const command = await sendCommand(db, user, id, input, deps);
        const identity = identityOf.get(id) ?? id;
        results.push({ stationId: id, identity, status: command.status, detail: command.detail });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ stationId: id, identity: id, status: 'refused', detail: error.message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
  return results.sort((a, b) => a.identity.localeCompare(b.identity));
}

/**
 * Records and sends a command for any actor (users after their checks; ChargeOps itself, which
 * also sends the local list commands it builds).
 */
export async function runCommand(
  db: Db,
  actor: Actor,
  station: CommandTarget,
  input: CommandInput | LocalListCommand | LoadCommand,
  deps: CommandDeps,
): Promise<StationCommand> {
  const now = deps.now();
  const { kind, ...params } = input;
  const { row, command } = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(stationCommands)
      .values({
        organisationId: station.organisationId,
        stationId: station.id,
        kind,
        params,
        requestedByUserId: actor.kind === 'user' ? actor.userId : null,
        requestedByLabel: actor.label,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    const command = await resolveCommand(tx, station, row, input, actor, deps);
    return { row, command };
  });
  publishCommand(station, row);

  const sent: { at?: Date; ocppAction?: string } = {};
  const outcome = await deps.gateway.send(station.identity, command, {
    timeoutMs: deps.timeoutMs,
    // Kept for finishCommand's single write: one commit fewer per command counts when thousands of
    // chargers reconnect at once.
    onSent: (at, ocppAction) => {
      sent.at = at;
      sent.ocppAction = ocppAction;
    },
    onLateAnswer: (late, at) => void recordLateAnswer(db, station, row, late, at).catch(() => undefined),
  });
  return finishCommand(db, actor, station, row, outcome, sent, deps.now());
}

/** Turns the operator's input into the command the adapters translate, creating what it refers to. */
async function resolveCommand(
  tx: DbOrTx,
  station: CommandTarget,
  row: StationCommand,
  input: CommandInput | LocalListCommand | LoadCommand,
  actor: Actor,
  deps: CommandDeps,
): Promise<Command> {
  const now = deps.now();
  switch (input.kind) {
    case 'get-local-list-version':
    case 'send-local-list':
    case 'set-charging-profile':
    case 'clear-charging-profile':
    case 'get-composite-schedule':
      return input;
    case 'remote-start':
      return {
        kind: 'remote-start',
        evseId: input.evseId ?? null,
        idToken: input.idToken,
        remoteStartId: row.requestId,
      };
    case 'remote-stop': {
      const [session] = await tx
        .select()
        .from(transactions)
        .where(and(eq(transactions.id, input.sessionId), eq(transactions.stationId, station.id)));
      if (!session) throw notFound('Session');
      if (session.status !== 'active')
        throw new AppError('precondition_failed', 'This session has already ended', {
          sessionId: 'Already ended',
        });
      return { kind: 'remote-stop', chargerTransactionId: session.chargerTransactionId };
    }
    case 'reset':
      return { kind: 'reset', mode: input.mode };
    case 'unlock':
      return { kind: 'unlock', evseId: input.evseId, connectorId: input.connectorId };
    case 'change-availability':
      return {
        kind: 'change-availability',
        evseId: input.evseId,
        connectorId: null,
        operative: input.availability === 'operative',
      };
    case 'get-configuration':
      return { kind: 'get-configuration', keys: input.keys };
    case 'change-configuration':
      return { kind: 'change-configuration', key: input.key, value: input.value };
    case 'get-base-report':
      return { kind: 'get-base-report', report: input.report, requestId: row.requestId };
    case 'trigger-message':
      return { kind: 'trigger-message', message: input.message, evseId: input.evseId ?? null };
    case 'clear-cache':
      return { kind: 'clear-cache' };
    case 'data-transfer':
      return {
        kind: 'data-transfer',
        vendorId: input.vendorId,
        messageId: input.messageId ?? null,
        data: input.data ?? null,
      };
    case 'update-firmware':
      return {
        kind: 'update-firmware',
        location: input.location,
        retrieveAt: input.retrieveAt ?? now.toISOString(),
        retries: input.retries ?? null,
        retryIntervalSeconds: input.retryIntervalSeconds ?? null,
        requestId: row.requestId,
      };
    case 'upload-diagnostics': {
      const token = await createUploadSlot(tx, station, row.id, now);
      return {
        kind: 'upload-diagnostics',
        location: `${deps.publicUrl.replace(/\/$/, '')}/api/uploads/${token}`,
        from: input.hours ? new Date(now.getTime() - input.hours * 3_600_000).toISOString() : null,
        to: input.hours ? now.toISOString() : null,
        requestId: row.requestId,
      };
    }
    case 'reserve': {
      const expiresAt = new Date(now.getTime() + input.minutes * 60_000);
      await tx.insert(reservations).values({
        organisationId: station.organisationId,
        stationId: station.id,
        ocppReservationId: row.requestId,
        commandId: row.id,
        evseId: input.evseId,
        idToken: input.idToken,
        expiresAt,
        createdByUserId: actor.kind === 'user' ? actor.userId : null,
        createdAt: now,
      });
      return {
        kind: 'reserve',
        reservationId: row.requestId,
        evseId: input.evseId,
        idToken: input.idToken,
        expiresAt: expiresAt.toISOString(),
      };
    }
    case 'cancel-reservation': {
      const [reservation] = await tx
        .select()
        .from(reservations)
        .where(and(eq(reservations.id, input.reservationId), eq(reservations.stationId, station.id)));
      if (!reservation) throw notFound('Reservation');
      if (!['requested', 'active'].includes(reservation.status))
        throw new AppError('precondition_failed', `This reservation is already ${reservation.status}`);
      return { kind: 'cancel-reservation', reservationId: reservation.ocppReservationId };
    }
  }
}

/**
 * Commands ChargeOps sends by itself that the command log records well enough. Reading a charger's
 * configuration changes nothing; a local list update follows from a change to tokens or rules that
 * was audited when a person made it (one row per station would bury the log); charging limits follow
 * from the allocator, whose inputs (limits, overrides) are audited when a person changes them.
 */
const unauditedSystemKinds = new Set([
  'get-configuration',
  'get-base-report',
  'get-local-list-version',
  'send-local-list',
  'set-charging-profile',
  'clear-charging-profile',
  'get-composite-schedule',
]);

/** Stores the outcome, applies what it means (configuration, reservations, uploads) and audits it. */
async function finishCommand(
  db: Db,
  actor: Actor,
  station: CommandTarget,
  row: StationCommand,
  outcome: CommandOutcome,
  sent: { at?: Date; ocppAction?: string },
  now: Date,
): Promise<StationCommand> {
  const finished = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(stationCommands)
      .set({
        status: outcome.status,
        ...(sent.at ? { sentAt: sent.at, ocppAction: sent.ocppAction } : {}),
        detail: outcome.detail,
        errorCode: outcome.status === 'failed' ? outcome.errorCode : null,
        response: 'response' in outcome ? (outcome.response ?? null) : null,
        respondedAt: outcome.status === 'offline' || outcome.status === 'timed_out' ? null : now,
      })
      .where(eq(stationCommands.id, row.id))
      .returning();
    if (!updated) throw new Error('command row vanished');
    await applyOutcome(tx, station, row, outcome, now);
    // Everything a person asks, and every change ChargeOps makes of its own accord, is audited
    // (ARCHITECTURE rule 5); see unauditedSystemKinds for the exceptions.
    if (actor.kind === 'system' && unauditedSystemKinds.has(row.kind)) return updated;
    await recordAudit(tx, actor, {
      action: `station.command.${row.kind}`,
      targetType: 'station',
      targetId: station.id,
      result: outcome.status === 'accepted' ? 'ok' : 'error',
      details: {
        identity: station.identity,
        commandId: row.id,
        params: row.params,
        status: outcome.status,
        ...(sent.at ? { sentAt: sent.at, ocppAction: sent.ocppAction } : {}),
        detail: outcome.detail,
      },
    });
    return updated;
  });
  publishCommand(station, finished);
  return finished;
}

async function applyOutcome(
  tx: DbOrTx,
  station: CommandTarget,
  row: StationCommand,
  outcome: CommandOutcome,
  now: Date,
): Promise<void> {
  if (outcome.status === 'accepted' || outcome.status === 'rejected') {
    if (outcome.variables?.length) {
      const fullRead =
        row.kind === 'get-base-report' ||
        (row.kind === 'get-configuration' && ((row.params.keys as string[] | undefined) ?? []).length === 0);
      await storeReportedVariables(tx, station.id, outcome.variables, now, { replaceKeys: fullRead });
    }
    if (outcome.fileName) await noteAnnouncedFile(tx, row.id, outcome.fileName);
  }
  if (row.kind === 'reserve') {
    // A timed-out reservation may still be taken by the charger: it stays requested until a late answer.
    if (outcome.status === 'accepted') await settleReservation(tx, row.id, 'active', now);
    else if (outcome.status !== 'timed_out') await settleReservation(tx, row.id, 'rejected', now);
  }
  if (row.kind === 'cancel-reservation' && outcome.status === 'accepted') {
    await tx
      .update(reservations)
      .set({ status: 'cancelled', endedAt: now })
      .where(
        and(
          eq(reservations.id, row.params.reservationId as string),
          inArray(reservations.status, ['requested', 'active']),
        ),
      );
  }
}

/** Keeps an answer that came after the timeout, and applies it: the charger did act on it. */
async function recordLateAnswer(
  db: Db,
  station: CommandTarget,
  row: StationCommand,
  outcome: CommandOutcome,
  at: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(stationCommands)
      .set({
        lateResponse: {
          status: outcome.status,
          detail: outcome.detail,
          response: 'response' in outcome ? outcome.response : null,
        },
        lateResponseAt: at,
      })
      .where(eq(stationCommands.id, row.id));
    await applyOutcome(tx, station, row, outcome, at);
  });
  publishCommand(station, { ...row, status: 'timed_out' });
}

function publishCommand(station: CommandTarget, row: Pick<StationCommand, 'id' | 'status'>): void {
  publish({
    type: 'command:updated',
    organisationId: station.organisationId,
    siteId: station.siteId,
    stationId: station.id,
    commandId: row.id,
    status: row.status,
  });
}
