import { and, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db';
import {
  accessGrants,
  accessPolicies,
  authorizationAttempts,
  chargingStations,
  connectors,
  driverGroupMembers,
  driverGroups,
  drivers,
  evseLoadSettings,
  evses,
  idTokens,
  loadNodes,
  loadSetpoints,
  meterValues,
  sessionLoadOverrides,
  sites,
  stationLoadSettings,
  transactions,
  type LoadNode,
} from '@/lib/db/schema';
import {
  defaultPriority,
  type SessionModel,
  type SiteModel,
  type StationModel,
} from '@/lib/domain/load/site-model';
import type { LoadNodeConfig, NonEvLoadPolicy, PerPhase, PhaseIndex } from '@/lib/domain/load/types';

/**
 * Reads what load management needs about one site into a SiteModel (lib/domain/load/site-model.ts):
 * its tree, stations and EVSEs, running sessions with priorities, caps and latest measurements, the
 * building load, and the limits stations hold. A handful of queries, whatever the number of sessions.
 */

/** Measurements older than this say nothing about the draw now. */
const measurementMaxAgeMs = 5 * 60_000;
const measurands = ['Current.Import', 'Power.Active.Import'];
const phaseIndex: Record<string, PhaseIndex> = { L1: 0, L2: 1, L3: 2, 'L1-N': 0, 'L2-N': 1, 'L3-N': 2 };

/** A node row as the domain's configuration; the root falls back to the site's grid capacity. */
export function nodeConfigOf(
  node: LoadNode,
  gridCapacityW: number | null,
): LoadNodeConfig & { kind: string } {
  const own =
    node.limitUnit && node.limitValue !== null ? { unit: node.limitUnit, value: node.limitValue } : null;
  const grid = node.parentId === null && gridCapacityW ? { unit: 'W' as const, value: gridCapacityW } : null;
  return {
    id: node.id,
    parentId: node.parentId,
    name: node.name,
    kind: node.kind,
    voltage: node.voltage,
    phases: node.phases === 1 ? 1 : 3,
    limit: own ?? grid,
    schedule: node.schedule,
    safetyMarginPercent: node.safetyMarginPercent,
  };
}

/** What a reading needs of a sample. */
const sampleColumns = {
  measurand: meterValues.measurand,
  phase: meterValues.phase,
  value: meterValues.value,
  unit: meterValues.unit,
  at: meterValues.sampledAt,
};

interface Reading {
  amps: (number | null)[];
  watts: number | null;
  at: number;
}

/** Latest Current.Import per phase and Power.Active.Import of each key, from rows newest first. */
function readingsOf(
  rows: { key: string; measurand: string; phase: string; value: number; unit: string; at: Date }[],
): Map<string, Reading> {
  const readings = new Map<string, Reading>();
  for (const row of rows) {
    if (row.measurand === 'Current.Import' && phaseIndex[row.phase] === undefined) continue;
    let reading = readings.get(row.key);
    if (!reading) {
      reading = { amps: [null, null, null], watts: null, at: row.at.getTime() };
      readings.set(row.key, reading);
    }
    if (row.measurand === 'Current.Import') {
      // Only currents per phase are AC line currents; an untagged one may be a DC charger's output
      // current, which says nothing about the grid side: power stands in for it.
      const p = phaseIndex[row.phase];
      if (p !== undefined) reading.amps[p] ??= row.value;
    } else {
      reading.watts ??= row.unit === 'kW' ? row.value * 1000 : row.value;
    }
  }
  return readings;
}

async function nonEvPolicyOf(tx: DbOrTx, root: LoadNode, now: Date): Promise<NonEvLoadPolicy | undefined> {
  if (root.nonEvSource === 'none' || !root.fallbackUnit || root.fallbackValue === null) return undefined;
  const policy = {
    staleAfterMs: root.nonEvStaleSeconds * 1000,
    fallbackLimit: { unit: root.fallbackUnit, value: root.fallbackValue },
  };
  if (root.nonEvSource === 'api')
    return {
      ...policy,
      reading: root.nonEvAt
        ? { amps: root.nonEvAmps, watts: root.nonEvWatts, at: root.nonEvAt.getTime() }
        : null,
    };
  if (!root.nonEvStationId) return { ...policy, reading: null };
  // 1.6 MeterValues on connector 0 / 2.0.1 on EVSE 0 of the designated station: the building's meter.
  const rows = await tx
    .select(sampleColumns)
    .from(meterValues)
    .where(
      and(
        eq(meterValues.stationId, root.nonEvStationId),
        eq(meterValues.evseId, 0),
        inArray(meterValues.measurand, measurands),
        gt(meterValues.sampledAt, new Date(now.getTime() - measurementMaxAgeMs * 12)),
      ),
    )
    .orderBy(desc(meterValues.sampledAt))
    .limit(24);
  const latest = rows[0]?.at.getTime();
  const reading = readingsOf(
    rows.filter((r) => r.at.getTime() === latest).map((r) => ({ ...r, key: 'site' })),
  ).get('site');
  const amps =
    reading && reading.amps.every((a) => a !== null) ? (reading.amps as unknown as PerPhase) : null;
  return {
    ...policy,
    reading:
      reading && (amps || reading.watts !== null) ? { amps, watts: reading.watts, at: reading.at } : null,
  };
}

/** The site's model, or null when the site is not load-managed (no grid connection set up, or switched off). */
export async function loadSiteModel(tx: DbOrTx, siteId: string, now: Date): Promise<SiteModel | null> {
  const [site] = await tx.select().from(sites).where(eq(sites.id, siteId));
  if (!site) return null;
  const nodeRows = await tx.select().from(loadNodes).where(eq(loadNodes.siteId, siteId));
  const root = nodeRows.find((n) => n.parentId === null);
  if (!root?.enabled) return null;

  const stationRows = await tx
    .select({ station: chargingStations, settings: stationLoadSettings })
    .from(chargingStations)
    .leftJoin(stationLoadSettings, eq(stationLoadSettings.stationId, chargingStations.id))
    .where(and(eq(chargingStations.siteId, siteId), eq(chargingStations.registrationStatus, 'accepted')));
  const stationIds = stationRows.map((r) => r.station.id);
  const evseRows = stationIds.length
    ? await tx
        .select({
          stationId: evses.stationId,
          evseId: evses.evseId,
          settings: evseLoadSettings,
          ratedPowerW: sql<number | null>`max(${connectors.maxPowerW})`,
        })
        .from(evses)
        .leftJoin(evseLoadSettings, eq(evseLoadSettings.evseId, evses.id))
        .leftJoin(connectors, eq(connectors.evseId, evses.id))
        .where(inArray(evses.stationId, stationIds))
        .groupBy(evses.id, evseLoadSettings.evseId)
    : [];
  const stations: StationModel[] = stationRows.map(({ station, settings }) => ({
    id: station.id,
    identity: station.identity,
    online: station.online,
    nodeId: settings?.nodeId ?? null,
    pinnedMaxA: settings?.pinnedMaxA ?? null,
    evses: evseRows
      .filter((e) => e.stationId === station.id && e.evseId > 0)
      .sort((a, b) => a.evseId - b.evseId)
      .map((e) => ({
        evseId: e.evseId,
        minA: e.settings?.minCurrentA ?? 6,
        maxA: e.settings?.maxCurrentA ?? null,
        ratedPowerW: e.ratedPowerW === null ? null : Number(e.ratedPowerW),
        phases: e.settings?.phases === 1 ? 1 : 3,
        line: (e.settings?.line ?? 0) as PhaseIndex,
      })),
  }));

  return {
    siteId,
    organisationId: site.organisationId,
    timeZone: site.timezone,
    nodes: nodeRows.map((n) => nodeConfigOf(n, site.gridCapacityW)),
    rootId: root.id,
    nonEv: await nonEvPolicyOf(tx, root, now),
    stations,
    sessions: stationIds.length ? await loadSessions(tx, site.organisationId, siteId, stationIds, now) : [],
    setpoints: stationIds.length
      ? (await tx.select().from(loadSetpoints).where(inArray(loadSetpoints.stationId, stationIds))).map(
          (p) => ({
            stationId: p.stationId,
            evseId: p.evseId,
            purpose: p.purpose as SiteModel['setpoints'][number]['purpose'],
            transactionId: p.transactionId,
            limitA: p.limitA,
            state: p.state,
            retryAt: p.retryAt?.getTime() ?? null,
            confirmedAt: p.confirmedAt?.getTime() ?? null,
          }),
        )
      : [],
  };
}

async function loadSessions(
  tx: DbOrTx,
  organisationId: string,
  siteId: string,
  stationIds: string[],
  now: Date,
): Promise<SessionModel[]> {
  const active = await tx
    .select({ session: transactions, override: sessionLoadOverrides })
    .from(transactions)
    .leftJoin(sessionLoadOverrides, eq(sessionLoadOverrides.transactionId, transactions.id))
    .where(and(inArray(transactions.stationId, stationIds), eq(transactions.status, 'active')));
  if (active.length === 0) return [];
  const ids = active.map((a) => a.session.id);

  // Drivers by token, and the highest load priority of their groups.
  const tokens = [
    ...new Set(active.map((a) => a.session.idToken?.toUpperCase()).filter((t): t is string => !!t)),
  ];
  const owners = tokens.length
    ? await tx
        .select({ token: sql<string>`upper(${idTokens.idToken})`, driverId: drivers.id, name: drivers.name })
        .from(idTokens)
        .innerJoin(drivers, eq(drivers.id, idTokens.driverId))
        .where(
          and(eq(idTokens.organisationId, organisationId), inArray(sql`upper(${idTokens.idToken})`, tokens)),
        )
    : [];
  const driverIds = owners.map((o) => o.driverId);
  const priorities = driverIds.length
    ? await tx
        .select({
          driverId: driverGroupMembers.driverId,
          priority: sql<number>`max(${driverGroups.loadPriority})`,
        })
        .from(driverGroupMembers)
        .innerJoin(driverGroups, eq(driverGroups.id, driverGroupMembers.groupId))
        .where(inArray(driverGroupMembers.driverId, driverIds))
        .groupBy(driverGroupMembers.driverId)
    : [];

  // The group each session was allowed under, and that grant's power cap (the station's policy wins).
  const attempts = await tx
    .selectDistinctOn([authorizationAttempts.transactionId], {
      transactionId: authorizationAttempts.transactionId,
      groupId: authorizationAttempts.groupId,
    })
    .from(authorizationAttempts)
    .where(
      and(inArray(authorizationAttempts.transactionId, ids), eq(authorizationAttempts.status, 'Accepted')),
    )
    .orderBy(authorizationAttempts.transactionId, desc(authorizationAttempts.at));
  const groupIds = [...new Set(attempts.map((a) => a.groupId).filter((g): g is string => !!g))];
  const grants = groupIds.length
    ? await tx
        .select({
          groupId: accessGrants.groupId,
          maxPowerW: accessGrants.maxPowerW,
          stationId: accessPolicies.stationId,
        })
        .from(accessGrants)
        .innerJoin(accessPolicies, eq(accessPolicies.id, accessGrants.policyId))
        .where(
          and(
            inArray(accessGrants.groupId, groupIds),
            or(eq(accessPolicies.siteId, siteId), inArray(accessPolicies.stationId, stationIds)),
          ),
        )
    : [];

  const recent = new Date(now.getTime() - measurementMaxAgeMs);
  const samples = await tx
    .selectDistinctOn([meterValues.transactionId, meterValues.measurand, meterValues.phase], {
      key: sql<string>`${meterValues.transactionId}::text`,
      ...sampleColumns,
    })
    .from(meterValues)
    .where(
      and(
        inArray(meterValues.transactionId, ids),
        inArray(meterValues.measurand, measurands),
        gt(meterValues.sampledAt, recent),
        or(eq(meterValues.location, ''), eq(meterValues.location, 'Outlet')),
      ),
    )
    .orderBy(
      meterValues.transactionId,
      meterValues.measurand,
      meterValues.phase,
      desc(meterValues.sampledAt),
    );
  const readings = readingsOf(samples);

  return active.map(({ session, override }) => {
    const owner = owners.find((o) => o.token === session.idToken?.toUpperCase());
    const groupId = attempts.find((a) => a.transactionId === session.id)?.groupId ?? null;
    const grant =
      grants.find((g) => g.groupId === groupId && g.stationId === session.stationId) ??
      grants.find((g) => g.groupId === groupId && g.stationId === null);
    const reading = readings.get(session.id);
    return {
      id: session.id,
      stationId: session.stationId,
      evseId: session.evseId,
      chargerTransactionId: session.chargerTransactionId,
      startedAt: (session.startedAt ?? session.createdAt).getTime(),
      driverName: owner?.name ?? null,
      priority: Number(priorities.find((p) => p.driverId === owner?.driverId)?.priority ?? defaultPriority),
      groupMaxPowerW: grant?.maxPowerW ?? null,
      override: override ? { paused: override.paused, capA: override.capA } : null,
      measuredA: reading ? reading.amps : null,
      measuredW: reading?.watts ?? null,
      measuredAt: reading?.at ?? null,
    };
  });
}

/** Sites whose load is managed, for the periodic run. */
export async function listManagedSites(tx: DbOrTx): Promise<string[]> {
  const rows = await tx
    .select({ siteId: loadNodes.siteId })
    .from(loadNodes)
    .where(and(isNull(loadNodes.parentId), eq(loadNodes.enabled, true)));
  return rows.map((r) => r.siteId);
}
