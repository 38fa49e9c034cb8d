import { and, eq, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import {
  chargingStations,
  driverGroups,
  evseLoadSettings,
  evses,
  loadNodes,
  sessionLoadOverrides,
  stationLoadSettings,
  transactions,
  type LoadNode,
  type Site,
} from '@/lib/db/schema';
import { canAccessSite } from '@/lib/domain/access/roles';
import { ampsPerPhaseOf, ceilingAmps } from '@/lib/domain/load/units';
import { AppError, forbiddenError, invalid, notFound } from '@/lib/errors';
import { publish } from '@/lib/realtime/bus';
import { recordAudit, type AuditRecord } from '@/lib/services/audit';
import { assertCan } from '@/lib/services/authorize';
import { getSite } from '@/lib/services/sites';
import { actorOf, type SessionUser } from '@/lib/services/users';
import { parseInput } from '@/lib/validation/fields';
import {
  buildingLoadInput,
  evseLoadInput,
  groupPriorityInput,
  loadNodeInput,
  sessionOverrideInput,
  siteLoadSettingsInput,
  stationLoadInput,
  type BuildingLoadInput,
  type EvseLoadInput,
  type GroupPriorityInput,
  type LoadNodeInput,
  type SessionOverrideInput,
  type SiteLoadSettingsInput,
  type StationLoadInput,
} from '@/lib/validation/load';

/**
 * Load management settings: a site's electrical tree with its limits and schedules, where stations
 * hang in it, EVSE currents, group priorities, and operators' overrides. Every change is audited and
 * announced with load:changed, which reruns the site's allocation (lib/commands/load-balancing.ts).
 */

async function stationFor(tx: DbOrTx, user: SessionUser, stationId: string) {
  const [station] = await tx
    .select()
    .from(chargingStations)
    .where(and(eq(chargingStations.id, stationId), eq(chargingStations.organisationId, user.organisationId)));
  if (!station?.siteId) throw notFound('Station');
  if (!canAccessSite(user, station.siteId)) throw forbiddenError();
  return { ...station, siteId: station.siteId };
}

/** Runs a change in one transaction with its audit row, then announces it for the site it touched. */
async function changeLoad<T>(
  db: Db,
  user: SessionUser,
  work: (tx: DbOrTx) => Promise<{ result: T; audit: AuditRecord; siteId: string }>,
): Promise<T> {
  const { result, siteId } = await db.transaction(async (tx) => {
    const done = await work(tx);
    await recordAudit(tx, actorOf(user), done.audit);
    return done;
  });
  publish({ type: 'load:changed', organisationId: user.organisationId, siteId });
  return result;
}

function ceilingA(
  node: Pick<LoadNode, 'limitUnit' | 'limitValue' | 'schedule' | 'voltage' | 'phases'>,
): number {
  return ceilingAmps({
    ...node,
    limit:
      node.limitUnit && node.limitValue !== null ? { unit: node.limitUnit, value: node.limitValue } : null,
  });
}

function describeLimitA(amps: number): string {
  return `${Math.round(amps * 10) / 10} A per phase`;
}

/**
 * Creates or edits a node of a site's tree. The first node of a site is its grid connection; a
 * child's limits cannot exceed what its parent could ever give (it would never be usable).
 */
export async function saveLoadNode(db: Db, user: SessionUser, raw: LoadNodeInput): Promise<LoadNode> {
  assertCan(user, 'load:manage');
  const input = parseInput(loadNodeInput, raw);
  return changeLoad(db, user, async (tx) => {
    const site = await getSite(tx, user, input.siteId);
    const nodes = await tx.select().from(loadNodes).where(eq(loadNodes.siteId, site.id));
    const root = nodes.find((n) => n.parentId === null);
    const existing = input.id ? nodes.find((n) => n.id === input.id) : undefined;
    if (input.id && !existing) throw notFound('Node');
    const isRoot = existing ? existing.parentId === null : !root;
    // A node may move to another parent (not under itself); a new one defaults to the grid connection.
    const parentId = isRoot ? null : (input.parentId ?? existing?.parentId ?? root?.id ?? null);
    const parent = parentId ? nodes.find((n) => n.id === parentId) : undefined;
    if (!isRoot && !parent)
      throw invalid('Choose a parent in this site', { parentId: 'Not a node of this site' });
    if (existing && parent && descendsFrom(nodes, parent.id, existing.id))
      throw invalid('A node cannot hang under itself', { parentId: 'Choose a node outside this branch' });
    const values = {
      kind: isRoot ? ('site' as const) : input.kind === 'site' ? ('circuit' as const) : input.kind,
      name: input.name,
      voltage: input.voltage,
      phases: input.phases,
      limitUnit: input.limit?.unit ?? null,
      limitValue: input.limit?.value ?? null,
      schedule: input.schedule,
      safetyMarginPercent: input.safetyMarginPercent,
    };
    assertUsable(values, parent, isRoot ? site : null);
    const [saved] = existing
      ? await tx
          .update(loadNodes)
          .set({ ...values, ...(parent ? { parentId: parent.id } : {}), updatedAt: new Date() })
          .where(eq(loadNodes.id, existing.id))
          .returning()
      : await tx
          .insert(loadNodes)
          .values({ ...values, organisationId: user.organisationId, siteId: site.id, parentId })
          .returning();
    if (!saved) throw new Error('node write returned no row');
    return {
      result: saved,
      siteId: site.id,
      audit: {
        action: existing ? 'load.node.update' : 'load.node.create',
        targetType: 'site',
        targetId: site.id,
        details: { nodeId: saved.id, ...values },
      },
    };
  });
}

function descendsFrom(nodes: LoadNode[], nodeId: string, ancestorId: string): boolean {
  for (let at = nodes.find((n) => n.id === nodeId); at; at = nodes.find((n) => n.id === at?.parentId)) {
    if (at.id === ancestorId) return true;
  }
  return false;
}

/** Refuses a limit above what the parent (or the grid connection's capacity) could ever allow. */
function assertUsable(
  node: Pick<LoadNode, 'limitUnit' | 'limitValue' | 'schedule' | 'voltage' | 'phases'>,
  parent: LoadNode | undefined,
  site: Site | null,
): void {
  if (node.phases === 3 && parent?.phases === 1)
    throw invalid('A three-phase node cannot hang under a single-phase one', {
      phases: 'The parent has one phase',
    });
  const own = ceilingA(node);
  if (own === Infinity) return;
  const above = parent ? ceilingA(parent) : Infinity;
  if (own > above + 1e-9)
    throw invalid('This limit could never be used', {
      limitValue: `Above what “${parent?.name}” can ever give (${describeLimitA(above)}): it could never be used`,
    });
  if (site?.gridCapacityW) {
    const grid = ampsPerPhaseOf({ unit: 'W', value: site.gridCapacityW }, node.voltage, node.phases);
    if (own > grid + 1e-9)
      throw invalid('This limit is above the grid connection', {
        limitValue: `Above the site's grid connection (${site.gridCapacityW / 1000} kW = ${describeLimitA(grid)})`,
      });
  }
}

/** Deletes a node without children; its stations move up to the grid connection. */
export async function deleteLoadNode(db: Db, user: SessionUser, nodeId: string): Promise<void> {
  assertCan(user, 'load:manage');
  await changeLoad(db, user, async (tx) => {
    const [node] = await tx
      .select()
      .from(loadNodes)
      .where(and(eq(loadNodes.id, nodeId), eq(loadNodes.organisationId, user.organisationId)));
    if (!node) throw notFound('Node');
    await getSite(tx, user, node.siteId);
    const siteId = node.siteId;
    if (node.parentId === null)
      throw new AppError(
        'precondition_failed',
        'The grid connection stays: switch load management off instead',
      );
    const [child] = await tx
      .select({ id: loadNodes.id })
      .from(loadNodes)
      .where(eq(loadNodes.parentId, node.id));
    if (child)
      throw new AppError('precondition_failed', `Move or delete the nodes under “${node.name}” first`);
    await tx.delete(loadNodes).where(eq(loadNodes.id, node.id));
    return {
      result: undefined,
      siteId: siteId,
      audit: { action: 'load.node.delete', targetType: 'site', targetId: node.siteId, details: { node } },
    };
  });
}

/** Switches load management on or off for a site and says where its building load comes from. */
export async function saveSiteLoadSettings(
  db: Db,
  user: SessionUser,
  raw: SiteLoadSettingsInput,
): Promise<void> {
  assertCan(user, 'load:manage');
  const input = parseInput(siteLoadSettingsInput, raw);
  await changeLoad(db, user, async (tx) => {
    const site = await getSite(tx, user, input.siteId);
    if (input.nonEvStationId) {
      const station = await stationFor(tx, user, input.nonEvStationId);
      if (station.siteId !== site.id)
        throw invalid('That station is at another site', {
          nonEvStationId: 'Choose a station of this site',
        });
    }
    const values = {
      enabled: input.enabled,
      nonEvSource: input.nonEvSource,
      nonEvStationId: input.nonEvSource === 'meter' ? (input.nonEvStationId ?? null) : null,
      nonEvStaleSeconds: input.nonEvStaleSeconds,
      fallbackUnit: input.fallback?.unit ?? null,
      fallbackValue: input.fallback?.value ?? null,
    };
    const [updated] = await tx
      .update(loadNodes)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(loadNodes.siteId, site.id), isNull(loadNodes.parentId)))
      .returning({ id: loadNodes.id });
    if (!updated) throw new AppError('precondition_failed', 'Set up the grid connection of this site first');
    return {
      result: undefined,
      siteId: site.id,
      audit: { action: 'load.site.update', targetType: 'site', targetId: site.id, details: values },
    };
  });
}

/** Stores the building's consumption as a building management system reports it (the API). */
export async function recordBuildingLoad(
  db: Db,
  user: SessionUser,
  siteId: string,
  raw: BuildingLoadInput,
  now: Date,
): Promise<void> {
  assertCan(user, 'load:manage');
  const input = parseInput(buildingLoadInput, raw);
  const site = await getSite(db, user, siteId);
  const at = input.at ? new Date(input.at) : now;
  const [updated] = await db
    .update(loadNodes)
    .set({ nonEvWatts: input.watts ?? null, nonEvAmps: input.amps ?? null, nonEvAt: at })
    .where(and(eq(loadNodes.siteId, site.id), isNull(loadNodes.parentId), eq(loadNodes.nonEvSource, 'api')))
    .returning({ id: loadNodes.id });
  if (!updated)
    throw new AppError('precondition_failed', 'This site does not take its building load from the API');
  publish({ type: 'load:changed', organisationId: user.organisationId, siteId: site.id });
}

/** Places a station in its site's tree and pins (or unpins) its maximum. */
export async function saveStationLoad(db: Db, user: SessionUser, raw: StationLoadInput): Promise<void> {
  assertCan(user, 'load:manage');
  const input = parseInput(stationLoadInput, raw);
  await changeLoad(db, user, async (tx) => {
    const station = await stationFor(tx, user, input.stationId);
    const siteId = station.siteId;
    if (input.nodeId) {
      const [node] = await tx
        .select({ id: loadNodes.id })
        .from(loadNodes)
        .where(and(eq(loadNodes.id, input.nodeId), eq(loadNodes.siteId, station.siteId)));
      if (!node) throw invalid('Choose a node of this site', { nodeId: 'Not a node of this site' });
    }
    const pinned = input.pinnedMaxA ?? null;
    const values = {
      nodeId: input.nodeId ?? null,
      pinnedMaxA: pinned,
      pinnedByUserId: pinned === null ? null : user.id,
      pinnedAt: pinned === null ? null : new Date(),
      updatedAt: new Date(),
    };
    await tx
      .insert(stationLoadSettings)
      .values({ stationId: station.id, ...values })
      .onConflictDoUpdate({ target: stationLoadSettings.stationId, set: values });
    return {
      result: undefined,
      siteId: siteId,
      audit: {
        action: 'load.station.update',
        targetType: 'station',
        targetId: station.id,
        details: { identity: station.identity, nodeId: values.nodeId, pinnedMaxA: pinned },
      },
    };
  });
}

/** Sets what an EVSE may draw and how it is wired. */
export async function saveEvseLoad(db: Db, user: SessionUser, raw: EvseLoadInput): Promise<void> {
  assertCan(user, 'load:manage');
  const input = parseInput(evseLoadInput, raw);
  await changeLoad(db, user, async (tx) => {
    const station = await stationFor(tx, user, input.stationId);
    const siteId = station.siteId;
    const [evse] = await tx
      .select({ id: evses.id })
      .from(evses)
      .where(and(eq(evses.stationId, station.id), eq(evses.evseId, input.evseId)));
    if (!evse) throw notFound('EVSE');
    const values = {
      minCurrentA: input.minCurrentA,
      maxCurrentA: input.maxCurrentA ?? null,
      phases: input.phases,
      line: input.phases === 3 ? 0 : input.line,
      updatedAt: new Date(),
    };
    await tx
      .insert(evseLoadSettings)
      .values({ evseId: evse.id, ...values })
      .onConflictDoUpdate({ target: evseLoadSettings.evseId, set: values });
    return {
      result: undefined,
      siteId: siteId,
      audit: {
        action: 'load.evse.update',
        targetType: 'station',
        targetId: station.id,
        details: { identity: station.identity, evseId: input.evseId, ...values },
      },
    };
  });
}

/** Pauses, caps or releases a running session. */
export async function overrideSession(db: Db, user: SessionUser, raw: SessionOverrideInput): Promise<void> {
  assertCan(user, 'load:manage');
  const input = parseInput(sessionOverrideInput, raw);
  await changeLoad(db, user, async (tx) => {
    const [session] = await tx
      .select({ id: transactions.id, status: transactions.status, stationId: transactions.stationId })
      .from(transactions)
      .where(
        and(eq(transactions.id, input.transactionId), eq(transactions.organisationId, user.organisationId)),
      );
    if (!session) throw notFound('Session');
    const station = await stationFor(tx, user, session.stationId);
    const siteId = station.siteId;
    if (session.status !== 'active')
      throw new AppError('precondition_failed', 'This session has already ended');
    if (input.action === 'release') {
      await tx.delete(sessionLoadOverrides).where(eq(sessionLoadOverrides.transactionId, session.id));
    } else {
      const values = {
        paused: input.action === 'pause',
        capA: input.action === 'cap' ? (input.capA ?? null) : null,
        setByUserId: user.id,
        setAt: new Date(),
      };
      await tx
        .insert(sessionLoadOverrides)
        .values({ transactionId: session.id, ...values })
        .onConflictDoUpdate({ target: sessionLoadOverrides.transactionId, set: values });
    }
    return {
      result: undefined,
      siteId: siteId,
      audit: {
        action: `load.session.${input.action}`,
        targetType: 'station',
        targetId: station.id,
        details: { identity: station.identity, transactionId: session.id, capA: input.capA ?? null },
      },
    };
  });
}

/** Sets a driver group's load priority (1 low .. 5 high); every load-managed site of the organisation reruns. */
export async function setGroupPriority(db: Db, user: SessionUser, raw: GroupPriorityInput): Promise<void> {
  assertCan(user, 'load:manage');
  const input = parseInput(groupPriorityInput, raw);
  const siteIds = await db.transaction(async (tx) => {
    const [group] = await tx
      .update(driverGroups)
      .set({ loadPriority: input.loadPriority })
      .where(and(eq(driverGroups.id, input.groupId), eq(driverGroups.organisationId, user.organisationId)))
      .returning({ id: driverGroups.id, name: driverGroups.name });
    if (!group) throw notFound('Group');
    await recordAudit(tx, actorOf(user), {
      action: 'load.group.priority',
      targetType: 'driver_group',
      targetId: group.id,
      details: { name: group.name, loadPriority: input.loadPriority },
    });
    return tx
      .select({ siteId: loadNodes.siteId })
      .from(loadNodes)
      .where(and(eq(loadNodes.organisationId, user.organisationId), isNull(loadNodes.parentId)));
  });
  for (const { siteId } of siteIds)
    publish({ type: 'load:changed', organisationId: user.organisationId, siteId });
}
