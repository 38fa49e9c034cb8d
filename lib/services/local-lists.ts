import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '@/lib/db';
import {
  chargingStations,
  driverGroupMembers,
  drivers,
  idTokens,
  sites,
  stationLocalListEntries,
  stationLocalLists,
  stationVariables,
  type LocalListState,
  type StationLocalList,
  type StationLocalListEntry,
} from '@/lib/db/schema';
import { siteScope } from '@/lib/domain/access/roles';
import type {
  ListCandidate,
  LocalListChange,
  LocalListEntry,
  LocalListStatus,
  MessageLimits,
} from '@/lib/domain/access/local-list';
import { publish } from '@/lib/realtime/bus';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { keyOf } from './configuration';
import { getStation } from './stations';
import { actorOf, type SessionUser } from './users';

/**
 * Local authorisation lists (OCPP 1.6 §3.5.3 / 2.0.1 D01-D02): the state each station's list is in,
 * what it holds, and what it should hold. The sending is lib/commands/local-list-sync.ts; the
 * decision of what belongs on a list is lib/domain/access/local-list.ts.
 */

/** What a change to tokens, groups or rules can affect: an organisation, one site, or one station. */
export type ListScope =
  | { organisationId: string }
  | { organisationId: string; siteId: string }
  | { organisationId: string; stationId: string };

/**
 * Marks the lists in a scope as out of date, inside the transaction that made the change; call
 * `announceAccessChange` after it commits so the sync picks them up at once.
 */
export async function markLocalListsStale(tx: DbOrTx, scope: ListScope): Promise<void> {
  await tx
    .update(stationLocalLists)
    .set({
      wantedRevision: sql`${stationLocalLists.wantedRevision} + 1`,
      state: sql`case when ${stationLocalLists.state} = 'in_sync' then 'pending'::local_list_state else ${stationLocalLists.state} end`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(stationLocalLists.organisationId, scope.organisationId),
        'stationId' in scope ? eq(stationLocalLists.stationId, scope.stationId) : undefined,
        'siteId' in scope
          ? inArray(
              stationLocalLists.stationId,
              tx
                .select({ id: chargingStations.id })
                .from(chargingStations)
                .where(eq(chargingStations.siteId, scope.siteId)),
            )
          : undefined,
      ),
    );
}

/**
 * Runs a change to tokens, groups or rules as one transaction that also marks the local lists it
 * affects as stale, and announces it once committed, so the stations get it within seconds.
 */
export async function inAccessChange<T>(db: Db, scope: ListScope, work: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await db.transaction(async (tx) => {
    const value = await work(tx);
    await markLocalListsStale(tx, scope);
    return value;
  });
  announceAccessChange(scope.organisationId);
  return result;
}

/** Tells the sync (and open pages) that who may charge where changed in an organisation. */
export function announceAccessChange(organisationId: string): void {
  publish({ type: 'access:changed', organisationId });
}

/**
 * A station (re)connected with a boot: its list may have been lost or replaced, so the next sync
 * first asks for its version. A station that said it has no list is asked again (new firmware).
 */
export async function noteStationBooted(
  db: DbOrTx,
  station: { id: string; organisationId: string },
): Promise<void> {
  await db
    .insert(stationLocalLists)
    .values({ stationId: station.id, organisationId: station.organisationId })
    .onConflictDoUpdate({
      target: stationLocalLists.stationId,
      set: {
        organisationId: station.organisationId,
        verifyVersion: true,
        wantedRevision: sql`${stationLocalLists.wantedRevision} + 1`,
        state: sql`case when ${stationLocalLists.state} = 'unsupported' then 'pending'::local_list_state else ${stationLocalLists.state} end`,
        nextAttemptAt: null,
        failures: 0,
        updatedAt: sql`now()`,
      },
    });
}

/** The sync state of a station's list, created on first use. */
export async function listStateOf(
  db: DbOrTx,
  station: { id: string; organisationId: string },
): Promise<StationLocalList> {
  await db
    .insert(stationLocalLists)
    .values({ stationId: station.id, organisationId: station.organisationId })
    .onConflictDoNothing();
  const [row] = await db.select().from(stationLocalLists).where(eq(stationLocalLists.stationId, station.id));
  if (!row) throw new Error('local list state vanished');
  return row;
}

/** Changes to a station's list state (the sync's bookkeeping). */
export async function updateListState(
  db: DbOrTx,
  stationId: string,
  changes: Partial<Omit<StationLocalList, 'stationId' | 'organisationId'>>,
): Promise<void> {
  await db
    .update(stationLocalLists)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(stationLocalLists.stationId, stationId));
}

/**
 * Ends a sync: in sync, unless something changed while it ran (the revision moved on), in which
 * case it stays pending for the next round.
 */
export async function finishListSync(
  db: DbOrTx,
  stationId: string,
  revision: number,
  result: { leftOut: { idToken: string; reason: string }[]; reviewAt: Date | null; now: Date },
): Promise<LocalListState> {
  const [row] = await db
    .update(stationLocalLists)
    .set({
      state: sql`case when ${stationLocalLists.wantedRevision} > ${revision} then 'pending'::local_list_state else 'in_sync'::local_list_state end`,
      syncedRevision: revision,
      verifyVersion: false,
      leftOut: result.leftOut,
      reviewAt: result.reviewAt,
      syncedAt: result.now,
      lastError: null,
      failures: 0,
      nextAttemptAt: null,
      updatedAt: result.now,
    })
    .where(eq(stationLocalLists.stationId, stationId))
    .returning({ state: stationLocalLists.state });
  return row?.state ?? 'pending';
}

/** The entries a station holds (its last accepted updates), sorted by id token. */
export async function heldEntries(db: DbOrTx, stationId: string): Promise<LocalListEntry[]> {
  const rows = await db
    .select()
    .from(stationLocalListEntries)
    .where(eq(stationLocalListEntries.stationId, stationId))
    .orderBy(asc(sql`upper(${stationLocalListEntries.idToken})`));
  return rows.map(entryOf);
}

function entryOf(r: StationLocalListEntry): LocalListEntry {
  return {
    idToken: r.idToken,
    type: r.type,
    status: r.status as LocalListStatus,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    parentIdTag: r.parentIdTag,
  };
}

/**
 * Records that a station accepted an update at `versionNumber`: a Full one replaces what it holds,
 * a Differential one sets and removes entries (matched case-insensitively, as chargers do).
 */
export async function recordAcceptedUpdate(
  db: Db,
  stationId: string,
  update: { updateType: 'Full' | 'Differential'; changes: readonly LocalListChange[] },
  versionNumber: number,
  needsFull: boolean,
): Promise<void> {
  const keyOfChange = (c: LocalListChange) => ('set' in c ? c.set.idToken : c.remove).toUpperCase();
  const sets = update.changes.flatMap((c) => ('set' in c ? [c.set] : []));
  await db.transaction(async (tx) => {
    // Chunks keep each statement far below the bind-parameter limit of a long list.
    if (update.updateType === 'Full')
      await tx.delete(stationLocalListEntries).where(eq(stationLocalListEntries.stationId, stationId));
    else
      for (let i = 0; i < update.changes.length; i += 1000)
        await tx
          .delete(stationLocalListEntries)
          .where(
            and(
              eq(stationLocalListEntries.stationId, stationId),
              inArray(
                sql`upper(${stationLocalListEntries.idToken})`,
                update.changes.slice(i, i + 1000).map(keyOfChange),
              ),
            ),
          );
    for (let i = 0; i < sets.length; i += 1000)
      await tx.insert(stationLocalListEntries).values(
        sets.slice(i, i + 1000).map((e) => ({
          stationId,
          idToken: e.idToken,
          type: e.type,
          status: e.status,
          expiresAt: e.expiresAt ? new Date(e.expiresAt) : null,
          parentIdTag: e.parentIdTag,
        })),
      );
    await updateListState(tx, stationId, { chargerVersion: versionNumber, needsFull });
  });
}

/**
 * Every token of an organisation with its driver's groups: what a list is chosen from. The same for
 * all of the organisation's stations, so a round of syncs loads it once.
 */
export async function loadListCandidates(db: DbOrTx, organisationId: string): Promise<ListCandidate[]> {
  const [tokens, memberships] = await Promise.all([
    db.select().from(idTokens).where(eq(idTokens.organisationId, organisationId)),
    db
      .select({ driverId: driverGroupMembers.driverId, groupId: driverGroupMembers.groupId })
      .from(driverGroupMembers)
      .innerJoin(drivers, eq(drivers.id, driverGroupMembers.driverId))
      .where(eq(drivers.organisationId, organisationId)),
  ]);
  const groupsOf = new Map<string, string[]>();
  for (const m of memberships) groupsOf.set(m.driverId, [...(groupsOf.get(m.driverId) ?? []), m.groupId]);
  return tokens.map((t) => ({
    token: {
      idToken: t.idToken,
      status: t.status,
      expiresAt: t.expiresAt,
      driverId: t.driverId,
      blockedReason: t.blockedReason,
      ocppType: t.ocppType,
      parentIdTag: t.parentIdTag,
    },
    driverGroupIds: t.driverId ? (groupsOf.get(t.driverId) ?? []) : [],
  }));
}

/** The configuration keys that tell how much a station's list and each message may hold. */
export const listLimitKeys = {
  '1.6': { capacity: 'LocalAuthListMaxLength', items: 'SendLocalListMaxLength', bytes: null },
  '2.0.1': {
    capacity: null,
    items: 'LocalAuthListCtrlr.ItemsPerMessage',
    bytes: 'LocalAuthListCtrlr.BytesPerMessage',
  },
} as const;

/** The list limits a station reported (null where it has not). */
export async function readListLimits(
  db: DbOrTx,
  stationId: string,
  version: '1.6' | '2.0.1',
): Promise<MessageLimits & { capacity: number | null; known: boolean }> {
  const keys = listLimitKeys[version];
  const wanted = Object.values<string | null>(keys).filter((k) => k !== null);
  // Only the variables named (a 2.0.1 device model has hundreds): the last part of each key.
  const names = wanted.map((k) => k.slice(k.lastIndexOf('.') + 1));
  const rows = await db
    .select()
    .from(stationVariables)
    .where(
      and(
        eq(stationVariables.stationId, stationId),
        eq(stationVariables.attributeType, 'Actual'),
        inArray(stationVariables.variable, names),
      ),
    );
  const values = new Map(rows.map((r) => [keyOf(r), r.value]));
  const number = (key: string | null) => {
    if (key === null) return null;
    const value = Number(values.get(key));
    return Number.isInteger(value) && value > 0 ? value : null;
  };
  return {
    capacity: number(keys.capacity),
    maxItems: number(keys.items),
    maxBytes: number(keys.bytes),
    known: values.has(keys.items),
  };
}

/** A station whose list is due, with the revision of its inputs when it was found due. */
export interface DueStation {
  id: string;
  identity: string;
  organisationId: string;
  wantedRevision: number;
}

/** Stations whose list is due: changed, at a time edge, or due a retry; online and accepted. */
export async function listDueStations(db: Db, now: Date): Promise<DueStation[]> {
  // Scans the lists table: one row per station, read every 30 s; small next to the message traffic.
  return db
    .select({
      id: chargingStations.id,
      identity: chargingStations.identity,
      organisationId: chargingStations.organisationId,
      wantedRevision: stationLocalLists.wantedRevision,
    })
    .from(stationLocalLists)
    .innerJoin(chargingStations, eq(chargingStations.id, stationLocalLists.stationId))
    .where(
      and(
        eq(chargingStations.online, true),
        eq(chargingStations.registrationStatus, 'accepted'),
        sql`${stationLocalLists.state} <> 'unsupported'`,
        or(
          gt(stationLocalLists.wantedRevision, stationLocalLists.syncedRevision),
          lte(stationLocalLists.reviewAt, now),
        ),
        or(isNull(stationLocalLists.nextAttemptAt), lte(stationLocalLists.nextAttemptAt, now)),
      ),
    );
}

// --- views ------------------------------------------------------------------------------------

/** A station's list as operators see it. */
export interface LocalListView {
  state: LocalListState | null;
  chargerVersion: number | null;
  /** What the station holds, with the name of each token's driver (null: nobody's, or no longer known). */
  held: (LocalListEntry & { driverName: string | null })[];
  leftOut: { idToken: string; reason: string }[];
  lastError: string | null;
  syncedAt: Date | null;
  nextAttemptAt: Date | null;
  reviewAt: Date | null;
}

/** The local list of one station, for its Access tab. */
export async function getStationLocalList(
  db: Db,
  actor: SessionUser,
  stationId: string,
): Promise<LocalListView> {
  const station = await getStation(db, actor, stationId);
  const [row] = await db.select().from(stationLocalLists).where(eq(stationLocalLists.stationId, station.id));
  // Each entry with the driver of its token (matched as authorisation does: case-insensitively in
  // the organisation, which the token value index serves).
  const held = await db
    .select({ entry: stationLocalListEntries, driverName: drivers.name })
    .from(stationLocalListEntries)
    .leftJoin(
      idTokens,
      and(
        eq(idTokens.organisationId, station.organisationId),
        sql`upper(${idTokens.idToken}) = upper(${stationLocalListEntries.idToken})`,
      ),
    )
    .leftJoin(drivers, eq(drivers.id, idTokens.driverId))
    .where(eq(stationLocalListEntries.stationId, station.id))
    .orderBy(asc(sql`upper(${stationLocalListEntries.idToken})`));
  return {
    state: row?.state ?? null,
    chargerVersion: row?.chargerVersion ?? null,
    held: held.map(({ entry, driverName }) => ({ ...entryOf(entry), driverName })),
    leftOut: row?.leftOut ?? [],
    lastError: row?.lastError ?? null,
    syncedAt: row?.syncedAt ?? null,
    nextAttemptAt: row?.nextAttemptAt ?? null,
    reviewAt: row?.reviewAt ?? null,
  };
}

/** One line of the lists overview. */
export interface LocalListRow {
  stationId: string;
  identity: string;
  siteName: string | null;
  siteTimezone: string | null;
  online: boolean;
  state: LocalListState | null;
  chargerVersion: number | null;
  entries: number;
  lastError: string | null;
  syncedAt: Date | null;
}

/** Every station in the caller's scope with the state of its list. */
export async function listLocalLists(db: Db, actor: SessionUser): Promise<LocalListRow[]> {
  assertCan(actor, 'stations:view');
  const scope = siteScope(actor);
  if (scope !== 'all' && scope.length === 0) return [];
  const rows = await db
    .select({
      stationId: chargingStations.id,
      identity: chargingStations.identity,
      siteName: sites.name,
      siteTimezone: sites.timezone,
      online: chargingStations.online,
      state: stationLocalLists.state,
      chargerVersion: stationLocalLists.chargerVersion,
      // Per station, through the entries' key: no count over other organisations' lists.
      entries: sql<number>`(select count(*)::int from ${stationLocalListEntries} where ${stationLocalListEntries.stationId} = ${chargingStations.id})`,
      lastError: stationLocalLists.lastError,
      syncedAt: stationLocalLists.syncedAt,
    })
    .from(chargingStations)
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .leftJoin(stationLocalLists, eq(stationLocalLists.stationId, chargingStations.id))
    .where(
      and(
        eq(chargingStations.organisationId, actor.organisationId),
        scope === 'all' ? undefined : inArray(chargingStations.siteId, [...scope]),
      ),
    )
    .orderBy(asc(sites.name), asc(chargingStations.identity));
  return rows;
}

/**
 * An operator asks for the whole list to be sent again (a charger replaced, a doubt): the next
 * sync reads the station's version and sends a Full update.
 */
export async function requestFullLocalList(db: Db, actor: SessionUser, stationId: string): Promise<void> {
  assertCan(actor, 'stations:command');
  const station = await getStation(db, actor, stationId);
  await db.transaction(async (tx) => {
    await listStateOf(tx, { id: station.id, organisationId: station.organisationId });
    await tx
      .update(stationLocalLists)
      .set({
        needsFull: true,
        verifyVersion: true,
        wantedRevision: sql`${stationLocalLists.wantedRevision} + 1`,
        state: 'pending',
        nextAttemptAt: null,
        failures: 0,
        updatedAt: new Date(),
      })
      .where(eq(stationLocalLists.stationId, station.id));
    await recordAudit(tx, actorOf(actor), {
      action: 'station.local-list.resend',
      targetType: 'station',
      targetId: station.id,
      details: { identity: station.identity },
    });
  });
  announceAccessChange(station.organisationId);
}
