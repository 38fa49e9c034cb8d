import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  chargingStations,
  connectors,
  driverGroups,
  evseLoadSettings,
  evses,
  loadAllocations,
  loadNodes,
  loadOverruns,
  loadSamples,
  loadSetpoints,
  sites,
  stationLoadSettings,
  type LoadNode,
} from '@/lib/db/schema';
import { siteScope } from '@/lib/domain/access/roles';
import { scheduleDay, type LimitSegment } from '@/lib/domain/load/limits';
import type { AllocationSnapshot } from '@/lib/domain/load/snapshot';
import type { ScheduledLimit } from '@/lib/domain/load/types';
import { ceilingAmps } from '@/lib/domain/load/units';
import { addDays, startOfLocalDay, wallClockOf } from '@/lib/domain/pricing/local-time';
import { assertCan } from '@/lib/services/authorize';
import { getSite } from '@/lib/services/sites';
import type { SessionUser } from '@/lib/services/users';
import { nodeConfigOf } from './load-inputs';

/** What the Load pages read: the sites list with their state, and one site's tree, allocation and history. */

export interface LoadSiteSummary {
  id: string;
  name: string;
  timezone: string;
  managed: boolean;
  enabled: boolean;
  /** The site's grid connection capacity, W (Settings → Sites); null while unknown. */
  gridCapacityW: number | null;
  /** From the last allocation: the grid connection's limit and what is allocated and measured now. */
  limitA: number | null;
  limitW: number | null;
  allocatedW: number | null;
  measuredW: number | null;
  sessions: number;
  paused: number;
  openOverruns: number;
  at: string | null;
}

/** The sites the user may see, with whether and how their load is managed. */
export async function listLoadSites(db: Db, user: SessionUser): Promise<LoadSiteSummary[]> {
  assertCan(user, 'load:view');
  const scope = siteScope(user);
  const rows = await db
    .select({ site: sites, root: loadNodes, allocation: loadAllocations })
    .from(sites)
    .leftJoin(loadNodes, and(eq(loadNodes.siteId, sites.id), isNull(loadNodes.parentId)))
    .leftJoin(loadAllocations, eq(loadAllocations.siteId, sites.id))
    .where(
      and(
        eq(sites.organisationId, user.organisationId),
        scope === 'all' ? undefined : scope.length ? inArray(sites.id, [...scope]) : sql`false`,
      ),
    )
    .orderBy(asc(sites.name));
  const ids = rows.map((r) => r.site.id);
  const open = ids.length
    ? await db
        .select({ siteId: loadOverruns.siteId })
        .from(loadOverruns)
        .where(and(inArray(loadOverruns.siteId, ids), isNull(loadOverruns.endedAt)))
    : [];
  return rows.map(({ site, root, allocation }) => {
    const snapshot = root?.enabled ? allocation?.snapshot : undefined;
    const top = snapshot?.nodes.find((n) => n.parentId === null);
    return {
      id: site.id,
      name: site.name,
      timezone: site.timezone,
      managed: Boolean(root),
      enabled: Boolean(root?.enabled),
      gridCapacityW: site.gridCapacityW,
      limitA: top?.limitA ?? null,
      limitW: top?.limitW ?? null,
      allocatedW: top?.allocatedW ?? null,
      measuredW: top?.measuredW ?? null,
      sessions: snapshot?.sessions.length ?? 0,
      paused: snapshot?.sessions.filter((s) => s.outcome === 'paused').length ?? 0,
      openOverruns: open.filter((o) => o.siteId === site.id).length,
      at: allocation?.at.toISOString() ?? null,
    };
  });
}

export interface LoadNodeView {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
  voltage: number;
  phases: number;
  limitUnit: 'A' | 'W' | null;
  limitValue: number | null;
  schedule: ScheduledLimit[];
  safetyMarginPercent: number;
  /** Today's configured limits in the site's zone, for the day view. */
  day: LimitSegment[];
  /** Set when the parent can never give what this node's limit allows (the parent was lowered after). */
  note: string | null;
}

export interface LoadStationView {
  id: string;
  identity: string;
  online: boolean;
  ocppVersion: string | null;
  nodeId: string | null;
  pinnedMaxA: number | null;
  evses: {
    evseId: number;
    minCurrentA: number;
    maxCurrentA: number | null;
    phases: number;
    line: number;
    ratedPowerW: number | null;
  }[];
  /** The limits ChargeOps keeps on the station and whether it took them. */
  setpoints: { evseId: number; purpose: string; limitA: number; state: string; lastError: string | null }[];
}

export interface LoadSiteView {
  site: { id: string; name: string; timezone: string; gridCapacityW: number | null };
  root: {
    id: string;
    enabled: boolean;
    nonEvSource: string;
    nonEvStationId: string | null;
    nonEvStaleSeconds: number;
    fallbackUnit: 'A' | 'W' | null;
    fallbackValue: number | null;
    nonEvWatts: number | null;
    nonEvAmps: readonly number[] | null;
    nonEvAt: string | null;
  } | null;
  nodes: LoadNodeView[];
  stations: LoadStationView[];
  snapshot: AllocationSnapshot | null;
  /** Chart rows of the last `hours`, oldest first. */
  samples: {
    nodeId: string;
    at: string;
    limitA: number | null;
    allocatedA: number;
    measuredA: number | null;
    limitW: number | null;
    allocatedW: number;
    measuredW: number | null;
  }[];
  overruns: {
    id: string;
    nodeId: string;
    nodeName: string;
    startedAt: string;
    endedAt: string | null;
    unit: 'A' | 'W';
    limit: number;
    peakMeasured: number;
  }[];
  groups: { id: string; name: string; loadPriority: number }[];
  /** The day the day view shows: local midnight to midnight, as instants. */
  day: { from: string; to: string };
}

/** Why a node's limit can never be reached: its parent could never give that much. */
function unreachableNote(nodes: LoadNode[], node: LoadNode, gridCapacityW: number | null): string | null {
  const parent = nodes.find((n) => n.id === node.parentId);
  if (!parent) return null;
  const own = ceilingAmps(nodeConfigOf(node, gridCapacityW));
  const above = ceilingAmps(nodeConfigOf(parent, gridCapacityW));
  if (own === Infinity || own <= above + 1e-9) return null;
  return `“${parent.name}” gives at most ${Math.round(above * 10) / 10} A per phase: this limit can never be reached`;
}

/** Local midnight of the day holding `at`, and of the next day, in a zone. */
function localDay(at: Date, timeZone: string): { from: number; to: number } {
  const day = wallClockOf(at, timeZone).slice(0, 10);
  return { from: startOfLocalDay(day, timeZone), to: startOfLocalDay(addDays(day, 1), timeZone) };
}

/** One site's Load page: tree and settings, stations, the last allocation, the chart and the warnings. */
export async function getSiteLoadView(
  db: Db,
  user: SessionUser,
  siteId: string,
  now: Date,
  hours = 3,
): Promise<LoadSiteView> {
  assertCan(user, 'load:view');
  const site = await getSite(db, user, siteId);

  const nodeRows = await db
    .select()
    .from(loadNodes)
    .where(eq(loadNodes.siteId, site.id))
    .orderBy(asc(loadNodes.createdAt));
  const root = nodeRows.find((n) => n.parentId === null) ?? null;
  const day = localDay(now, site.timezone);
  const stationRows = await db
    .select({ station: chargingStations, settings: stationLoadSettings })
    .from(chargingStations)
    .leftJoin(stationLoadSettings, eq(stationLoadSettings.stationId, chargingStations.id))
    .where(and(eq(chargingStations.siteId, site.id), eq(chargingStations.registrationStatus, 'accepted')))
    .orderBy(asc(chargingStations.identity));
  const stationIds = stationRows.map((r) => r.station.id);
  const [evseRows, connectorRows, setpointRows] = stationIds.length
    ? await Promise.all([
        db
          .select({ evse: evses, settings: evseLoadSettings })
          .from(evses)
          .leftJoin(evseLoadSettings, eq(evseLoadSettings.evseId, evses.id))
          .where(inArray(evses.stationId, stationIds))
          .orderBy(asc(evses.evseId)),
        db
          .select({ evseId: connectors.evseId, maxPowerW: connectors.maxPowerW })
          .from(connectors)
          .innerJoin(evses, eq(evses.id, connectors.evseId))
          .where(inArray(evses.stationId, stationIds)),
        db.select().from(loadSetpoints).where(inArray(loadSetpoints.stationId, stationIds)),
      ])
    : [[], [], []];

  const [allocation] = await db.select().from(loadAllocations).where(eq(loadAllocations.siteId, site.id));
  const since = new Date(now.getTime() - hours * 3_600_000);
  const samples = await db
    .select()
    .from(loadSamples)
    .where(and(eq(loadSamples.siteId, site.id), gt(loadSamples.at, since)))
    .orderBy(asc(loadSamples.at))
    .limit(20_000);
  const overruns = await db
    .select({ overrun: loadOverruns, nodeName: loadNodes.name })
    .from(loadOverruns)
    .innerJoin(loadNodes, eq(loadNodes.id, loadOverruns.nodeId))
    .where(
      and(
        eq(loadOverruns.siteId, site.id),
        or(
          isNull(loadOverruns.endedAt),
          gt(loadOverruns.startedAt, new Date(now.getTime() - 30 * 86_400_000)),
        ),
      ),
    )
    .orderBy(desc(loadOverruns.startedAt))
    .limit(50);
  const groups = await db
    .select({ id: driverGroups.id, name: driverGroups.name, loadPriority: driverGroups.loadPriority })
    .from(driverGroups)
    .where(eq(driverGroups.organisationId, user.organisationId))
    .orderBy(asc(driverGroups.name));

  return {
    site: { id: site.id, name: site.name, timezone: site.timezone, gridCapacityW: site.gridCapacityW },
    root: root && {
      id: root.id,
      enabled: root.enabled,
      nonEvSource: root.nonEvSource,
      nonEvStationId: root.nonEvStationId,
      nonEvStaleSeconds: root.nonEvStaleSeconds,
      fallbackUnit: root.fallbackUnit,
      fallbackValue: root.fallbackValue,
      nonEvWatts: root.nonEvWatts,
      nonEvAmps: root.nonEvAmps,
      nonEvAt: root.nonEvAt?.toISOString() ?? null,
    },
    nodes: nodeRows.map((n) => ({
      id: n.id,
      parentId: n.parentId,
      kind: n.kind,
      name: n.name,
      voltage: n.voltage,
      phases: n.phases,
      limitUnit: n.limitUnit,
      limitValue: n.limitValue,
      schedule: n.schedule,
      safetyMarginPercent: n.safetyMarginPercent,
      day: scheduleDay(nodeConfigOf(n, site.gridCapacityW), site.timezone, day.from, day.to),
      note: unreachableNote(nodeRows, n, site.gridCapacityW),
    })),
    stations: stationRows.map(({ station, settings }) => ({
      id: station.id,
      identity: station.identity,
      online: station.online,
      ocppVersion: station.ocppVersion,
      nodeId: settings?.nodeId ?? null,
      pinnedMaxA: settings?.pinnedMaxA ?? null,
      evses: evseRows
        .filter((e) => e.evse.stationId === station.id)
        .map(({ evse, settings: s }) => ({
          evseId: evse.evseId,
          minCurrentA: s?.minCurrentA ?? 6,
          maxCurrentA: s?.maxCurrentA ?? null,
          phases: s?.phases ?? 3,
          line: s?.line ?? 0,
          ratedPowerW:
            Math.max(0, ...connectorRows.filter((c) => c.evseId === evse.id).map((c) => c.maxPowerW ?? 0)) ||
            null,
        })),
      setpoints: setpointRows
        .filter((p) => p.stationId === station.id)
        .sort((a, b) => a.evseId - b.evseId || a.purpose.localeCompare(b.purpose))
        .map((p) => ({
          evseId: p.evseId,
          purpose: p.purpose,
          limitA: p.limitA,
          state: p.state,
          lastError: p.lastError,
        })),
    })),
    snapshot: root?.enabled ? (allocation?.snapshot ?? null) : null,
    samples: samples.map((s) => ({
      nodeId: s.nodeId,
      at: s.at.toISOString(),
      limitA: s.limitA,
      allocatedA: s.allocatedA,
      measuredA: s.measuredA,
      limitW: s.limitW,
      allocatedW: s.allocatedW,
      measuredW: s.measuredW,
    })),
    overruns: overruns.map(({ overrun, nodeName }) => ({
      id: overrun.id,
      nodeId: overrun.nodeId,
      nodeName,
      startedAt: overrun.startedAt.toISOString(),
      endedAt: overrun.endedAt?.toISOString() ?? null,
      unit: overrun.unit,
      limit: overrun.limit,
      peakMeasured: overrun.peakMeasured,
    })),
    groups,
    day: { from: new Date(day.from).toISOString(), to: new Date(day.to).toISOString() },
  };
}
