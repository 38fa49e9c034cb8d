import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '@/lib/db';
import { chargingStations, type LocalListState, type StationCommand } from '@/lib/db/schema';
import {
  diffLocalList,
  planLocalList,
  splitUpdate,
  type ListCandidate,
  type LocalListChange,
} from '@/lib/domain/access/local-list';
import { publish, subscribe } from '@/lib/realtime/bus';
import { loadStationRules } from '@/lib/services/access';
import type { Actor } from '@/lib/services/audit';
import {
  finishListSync,
  heldEntries,
  listDueStations,
  listLimitKeys,
  listStateOf,
  loadListCandidates,
  type DueStation,
  noteStationBooted,
  readListLimits,
  recordAcceptedUpdate,
  updateListState,
} from '@/lib/services/local-lists';
import { authorizationDataOf as v16Item } from '@/lib/ocpp/v16/local-list';
import { authorizationDataOf as v201Item } from '@/lib/ocpp/v201/local-list';
import { inTurn } from './follow-ups';
import { runCommand, type CommandDeps, type CommandTarget } from './send';

/**
 * Keeps each station's local authorisation list equal to what the access rules say it should hold
 * (OCPP 1.6 §5.9/§5.15, 2.0.1 D01/D02). A sync:
 * 1. after a boot (or a lost answer), asks the station for its list version: if it is not the one
 *    ChargeOps last saw accepted, the station lost or replaced its list and gets a Full update;
 * 2. plans the wanted list (lib/domain/access/local-list.ts) and sends either the whole list or the
 *    differences, split into messages the station takes, each with the next version number;
 * 3. records what the station accepted, so the next change is a small Differential update.
 * Failures are retried with a growing delay; a station without a local list is left alone until
 * it boots again. Every message is an ordinary command in the station's log.
 */

/** The id token length each version carries (1.6 CiString20, 2.0.1 identifierString 36). */
const maxIdTokenLength = { '1.6': 20, '2.0.1': 36 } as const;

/** Retry delays after failures in a row: 1, 2, 4 ... minutes, at most an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(60, 2 ** Math.max(0, failures - 1)) * 60_000;
}

// One sync per station at a time in this process: two at once would reuse a version number.
const running = new Map<string, Promise<LocalListState | null>>();

/**
 * What a round of syncs shares: the organisation's tokens, loaded once, and the revision each
 * station's inputs had before they were loaded (so a change during the round leaves it due).
 */
interface Prepared {
  revision: number;
  candidates: () => Promise<ListCandidate[]>;
}

/**
 * Brings one station's list up to date now (queued behind other follow-ups). Resolves with the
 * state it ended in, or null for a station that is not accepted or not known.
 */
export function syncLocalList(
  db: Db,
  stationId: string,
  deps: CommandDeps,
  prepared?: Prepared,
): Promise<LocalListState | null> {
  const previous = running.get(stationId) ?? Promise.resolve(null);
  const next = previous
    .catch(() => null)
    .then(() => inTurn(() => syncNow(db, stationId, deps, prepared)))
    .finally(() => {
      if (running.get(stationId) === next) running.delete(stationId);
    });
  running.set(stationId, next);
  return next;
}

/** After an accepted BootNotification: the station's list is checked and brought up to date. */
export async function syncLocalListAfterBoot(
  db: Db,
  station: { stationId: string; organisationId: string },
  deps: CommandDeps,
): Promise<LocalListState | null> {
  await noteStationBooted(db, { id: station.stationId, organisationId: station.organisationId });
  return syncLocalList(db, station.stationId, deps);
}

async function syncNow(
  db: Db,
  stationId: string,
  deps: CommandDeps,
  prepared: Prepared | undefined,
): Promise<LocalListState | null> {
  const [station] = await db.select().from(chargingStations).where(eq(chargingStations.id, stationId));
  if (!station || station.registrationStatus !== 'accepted') return null;
  const version = station.ocppVersion === '2.0.1' ? '2.0.1' : station.ocppVersion === '1.6' ? '1.6' : null;
  if (!version) return null;
  const target: CommandTarget = {
    id: station.id,
    identity: station.identity,
    organisationId: station.organisationId,
    siteId: station.siteId,
  };
  const actor: Actor = {
    kind: 'system',
    label: 'ChargeOps (local list)',
    organisationId: station.organisationId,
  };
  const state = await listStateOf(db, station);
  if (state.state === 'unsupported') return 'unsupported';
  // The revision is read before the inputs: a change after this point keeps the list due.
  const revision = Math.min(prepared?.revision ?? state.wantedRevision, state.wantedRevision);
  let needsFull = state.needsFull;
  let chargerVersion = state.chargerVersion;
  let held = await heldEntries(db, station.id);

  const settle = async (next: LocalListState, changes: Parameters<typeof updateListState>[2] = {}) => {
    await updateListState(db, station.id, { state: next, ...changes });
    announce(target, next);
    return next;
  };
  const fail = (command: StationCommand) => failed(command, state.failures, deps.now(), settle);

  if (!deps.gateway.isConnected(station.identity))
    return settle('pending', { lastError: 'Waiting for the station to connect' });

  const now = deps.now();
  const [candidates, rules] = await Promise.all([
    prepared ? prepared.candidates() : loadListCandidates(db, station.organisationId),
    loadStationRules(db, station),
  ]);
  const inputs = { candidates, ...rules };
  let limits = await readListLimits(db, station.id, version);
  const plan = () =>
    planLocalList({ ...inputs, now, maxIdTokenLength: maxIdTokenLength[version], capacity: limits.capacity });
  let wanted = plan();

  // Nothing to hold, and nothing ChargeOps put there: no need to trouble the charger.
  if (wanted.entries.length === 0 && held.length === 0 && !(chargerVersion && chargerVersion > 0)) {
    const finished = await finishListSync(db, station.id, revision, { ...wanted, now });
    announce(target, finished);
    return finished;
  }

  if (state.verifyVersion) {
    const read = await runCommand(db, actor, target, { kind: 'get-local-list-version' }, deps);
    if (read.status !== 'accepted') return fail(read);
    const reported = listVersionOf(read);
    if (reported === null || reported < 0)
      return settle('unsupported', { lastError: 'The station has no local authorisation list' });
    // 1.6 §5.9: a station with an empty list reports 0, whatever version emptied it.
    const emptyAsKnown = reported === 0 && held.length === 0;
    if (reported !== chargerVersion && !emptyAsKnown) {
      // Lost, replaced, or changed by someone else: only a Full update restores a known list.
      needsFull = true;
      chargerVersion = reported;
      if (reported === 0) held = [];
    }
    // How much the station holds and takes per message; read once, kept with its configuration.
    if (!limits.known) {
      const keys: string[] = Object.values<string | null>(listLimitKeys[version]).filter((k) => k !== null);
      await runCommand(db, actor, target, { kind: 'get-configuration', keys }, deps);
      limits = await readListLimits(db, station.id, version);
      wanted = plan();
    }
    await updateListState(db, station.id, { verifyVersion: false, chargerVersion, needsFull });
  }

  const changes = needsFull
    ? wanted.entries.map((set): LocalListChange => ({ set }))
    : diffLocalList(held, wanted.entries);
  const parts = splitUpdate(needsFull ? 'Full' : 'Differential', changes, limits, sizeOf(version));
  let sentVersion = Math.max(state.lastSentVersion, chargerVersion ?? 0);
  for (const [i, part] of parts.entries()) {
    sentVersion += 1;
    // Kept before sending: a version number is never reused, even after a crash mid-update.
    await updateListState(db, station.id, { lastSentVersion: sentVersion });
    const command = await runCommand(
      db,
      actor,
      target,
      {
        kind: 'send-local-list',
        updateType: part.updateType,
        versionNumber: sentVersion,
        changes: part.changes,
      },
      deps,
    );
    if (command.status !== 'accepted') return fail(command);
    // A split Full update stays "needed" until its last part is in: a partial list is mended by a
    // Full update only.
    await recordAcceptedUpdate(db, station.id, part, sentVersion, needsFull && i < parts.length - 1);
  }
  const finished = await finishListSync(db, station.id, revision, { ...wanted, now });
  announce(target, finished);
  return finished;
}

/** Records why an update failed and when to try again; what the failure means for the next try. */
async function failed(
  command: StationCommand,
  failuresBefore: number,
  now: Date,
  settle: (next: LocalListState, changes?: Parameters<typeof updateListState>[2]) => Promise<LocalListState>,
): Promise<LocalListState> {
  const detail = command.detail ?? command.status;
  const isListCommand = command.kind === 'send-local-list';
  if (
    (command.status === 'rejected' && command.detail === 'NotSupported') ||
    (command.status === 'failed' && ['NotSupported', 'NotImplemented'].includes(command.errorCode ?? ''))
  )
    return settle('unsupported', { lastError: 'The station has no local authorisation list' });
  if (command.status === 'offline')
    return settle('pending', { lastError: 'Waiting for the station to connect' });
  const failures = failuresBefore + 1;
  return settle('failed', {
    lastError: `${isListCommand ? 'SendLocalList' : 'GetLocalListVersion'}: ${detail}`,
    failures,
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(failures)),
    // Failed or VersionMismatch (1.6 §5.15: the CSMS should then send the full list); a timeout
    // leaves the station's version unknown: ask for it first next time.
    ...(command.status === 'rejected' && isListCommand ? { needsFull: true, verifyVersion: true } : {}),
    ...(command.status === 'timed_out' || command.status === 'failed' ? { verifyVersion: true } : {}),
  });
}

function listVersionOf(command: StationCommand): number | null {
  const response = command.response as { listVersion?: unknown; versionNumber?: unknown } | null;
  const value = response?.listVersion ?? response?.versionNumber;
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/** The size of one list item in the version's JSON, for BytesPerMessage. */
function sizeOf(version: '1.6' | '2.0.1'): (change: LocalListChange) => number {
  const item = version === '1.6' ? v16Item : v201Item;
  return (change) => JSON.stringify(item(change)).length;
}

function announce(station: CommandTarget, state: LocalListState): void {
  publish({
    type: 'local-list:updated',
    organisationId: station.organisationId,
    siteId: station.siteId,
    stationId: station.id,
    state,
  });
}

/**
 * The background job: syncs the lists that are due (changed, at a time edge, due a retry) of the
 * stations connected to this process, at once after an access change and every `intervalMs`.
 * Returns the function that stops it.
 */
export function startLocalListSync(options: {
  db: () => Db;
  deps: CommandDeps;
  log: Logger;
  intervalMs?: number;
  /** Coalesces a burst of changes (a CSV import) into one round. */
  debounceMs?: number;
}): { stop: () => void; runOnce: () => Promise<void> } {
  const { deps, log } = options;
  let round: Promise<void> | null = null;
  let again = false;
  const runOnce = async (): Promise<void> => {
    if (round) {
      again = true;
      return round;
    }
    round = (async () => {
      do {
        again = false;
        const db = options.db();
        const due = await listDueStations(db, deps.now());
        // Loaded after the due list was read, so newer than every revision in it.
        const candidates = new Map<string, Promise<ListCandidate[]>>();
        const candidatesOf = (organisationId: string) => () => {
          let loaded = candidates.get(organisationId);
          if (!loaded) {
            loaded = loadListCandidates(db, organisationId);
            candidates.set(organisationId, loaded);
          }
          return loaded;
        };
        await Promise.all(
          due
            .filter((s) => deps.gateway.isConnected(s.identity))
            .map((s: DueStation) =>
              syncLocalList(db, s.id, deps, {
                revision: s.wantedRevision,
                candidates: candidatesOf(s.organisationId),
              }).catch((err: unknown) => log.error({ err, identity: s.identity }, 'local list sync failed')),
            ),
        );
      } while (again);
    })().finally(() => {
      round = null;
    });
    return round;
  };
  const kick = () =>
    void runOnce().catch((err: unknown) => log.error({ err }, 'local list sync round failed'));
  let debounce: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = subscribe((event) => {
    if (event.type !== 'access:changed') return;
    clearTimeout(debounce);
    debounce = setTimeout(kick, options.debounceMs ?? 500);
    debounce.unref();
  });
  const timer = setInterval(kick, options.intervalMs ?? 30_000);
  timer.unref();
  return {
    runOnce,
    stop: () => {
      unsubscribe();
      clearTimeout(debounce);
      clearInterval(timer);
    },
  };
}
