import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  chargingStations,
  incidents,
  outages,
  sites,
  workOrders,
  type OutageExclusion,
} from '@/lib/db/schema';
import { siteScope } from '@/lib/domain/access/roles';
import { outageMinutes, type IncidentKind } from '@/lib/domain/maintenance/incidents';
import { assertCan } from './authorize';
import type { SessionUser } from './users';

/**
 * Outages per port (NEVI counts uptime per port): each period a port could not serve drivers, from
 * the incident that caused it, with the work order that repaired it.
 */

export interface OutageRow {
  id: string;
  stationId: string;
  stationIdentity: string;
  siteName: string | null;
  evseId: number;
  startedAt: Date;
  endedAt: Date | null;
  /** Minutes inside the period asked for (an outage across its edges is cut there). */
  minutes: number;
  incidentId: string;
  incidentTitle: string;
  incidentKind: IncidentKind;
  workOrderId: string | null;
  workOrderNumber: number | null;
  excludedReason: OutageExclusion | null;
}

/** Outages overlapping [from, to), newest first. */
export async function listOutages(
  db: Db,
  actor: SessionUser,
  period: { from: Date; to: Date },
  now = new Date(),
): Promise<OutageRow[]> {
  assertCan(actor, 'maintenance:view');
  const scope = siteScope(actor);
  if (scope !== 'all' && scope.length === 0) return [];
  const rows = await db
    .select({
      outage: outages,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
      incidentTitle: incidents.title,
      incidentKind: incidents.kind,
      // The latest work order of the incident (a cancelled one may have been replaced).
      workOrderId: sql<string | null>`(select ${workOrders.id} from ${workOrders}
        where ${workOrders.incidentId} = ${outages.incidentId} order by ${workOrders.number} desc limit 1)`,
      workOrderNumber: sql<number | null>`(select ${workOrders.number} from ${workOrders}
        where ${workOrders.incidentId} = ${outages.incidentId} order by ${workOrders.number} desc limit 1)`,
    })
    .from(outages)
    .innerJoin(chargingStations, eq(chargingStations.id, outages.stationId))
    .innerJoin(incidents, eq(incidents.id, outages.incidentId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(
      and(
        eq(outages.organisationId, actor.organisationId),
        scope === 'all' ? undefined : inArray(chargingStations.siteId, [...scope]),
        lt(outages.startedAt, period.to),
        or(isNull(outages.endedAt), gt(outages.endedAt, period.from)),
      ),
    )
    .orderBy(desc(outages.startedAt), asc(chargingStations.identity), asc(outages.evseId))
    .limit(2000);
  return rows.map((r) => {
    const start = r.outage.startedAt > period.from ? r.outage.startedAt : period.from;
    const endRaw = r.outage.endedAt ?? now;
    const end = endRaw < period.to ? endRaw : period.to;
    return {
      id: r.outage.id,
      stationId: r.outage.stationId,
      stationIdentity: r.stationIdentity,
      siteName: r.siteName,
      evseId: r.outage.evseId,
      startedAt: r.outage.startedAt,
      endedAt: r.outage.endedAt,
      minutes: outageMinutes(start, end),
      incidentId: r.outage.incidentId,
      incidentTitle: r.incidentTitle,
      incidentKind: r.incidentKind,
      workOrderId: r.workOrderId,
      workOrderNumber: r.workOrderNumber === null ? null : Number(r.workOrderNumber),
      excludedReason: r.outage.excludedReason,
    };
  });
}
