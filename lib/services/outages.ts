import { and, asc, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import {
  chargingStations,
  evses,
  incidents,
  outageExclusions,
  outages,
  sites,
  workOrders,
  type OutageExclusion,
} from '@/lib/db/schema';
import { canAccessStation } from '@/lib/domain/access/roles';
import { outageMinutes, type IncidentKind } from '@/lib/domain/maintenance/incidents';
import { notFound } from '@/lib/errors';
import { isUuid } from '@/lib/validation/ids';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { stationSiteScope } from './scope';
import { actorOf, type SessionUser } from './users';

/**
 * Outages per port (NEVI counts uptime per port): each period a port could not serve drivers, from
 * the incident that caused it, with the work order that repaired it.
 */

export interface OutageRow {
  id: string;
  stationId: string;
  stationIdentity: string;
  siteName: string | null;
  siteTimezone: string | null;
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
  excludedNotes: string | null;
}

/** Outages overlapping [from, to), newest first. */
export async function listOutages(
  db: Db,
  actor: SessionUser,
  period: { from: Date; to: Date },
  now = new Date(),
): Promise<OutageRow[]> {
  assertCan(actor, 'maintenance:view');
  const rows = await db
    .select({
      outage: outages,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
      siteTimezone: sites.timezone,
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
        stationSiteScope(actor),
        lt(outages.startedAt, period.to),
        or(isNull(outages.endedAt), gt(outages.endedAt, period.from)),
      ),
    )
    .orderBy(desc(outages.startedAt), asc(chargingStations.identity), asc(outages.evseId))
    .limit(10_000);
  return rows.map((r) => {
    const start = r.outage.startedAt > period.from ? r.outage.startedAt : period.from;
    const endRaw = r.outage.endedAt ?? now;
    const end = endRaw < period.to ? endRaw : period.to;
    return {
      id: r.outage.id,
      stationId: r.outage.stationId,
      stationIdentity: r.stationIdentity,
      siteName: r.siteName,
      siteTimezone: r.siteTimezone,
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
      excludedNotes: r.outage.excludedNotes,
    };
  });
}

/** A charging port (EVSE) with its station and when ChargeOps first saw it. */
export interface PortRow {
  stationId: string;
  stationIdentity: string;
  siteName: string | null;
  siteTimezone: string | null;
  evseId: number;
  /**
   * When the port first reported a status (the EVSE row is made then): the nearest thing to a
   * commissioning date ChargeOps has.
   */
  firstSeenAt: Date;
}

/**
 * The ports of the stations the user may see that existed before `before`, by station identity
 * and EVSE: uptime is owed for each of them, outage or not.
 */
export async function listPorts(db: Db, actor: SessionUser, before: Date): Promise<PortRow[]> {
  assertCan(actor, 'maintenance:view');
  return db
    .select({
      stationId: chargingStations.id,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
      siteTimezone: sites.timezone,
      evseId: evses.evseId,
      firstSeenAt: evses.createdAt,
    })
    .from(evses)
    .innerJoin(chargingStations, eq(chargingStations.id, evses.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(
      and(
        eq(chargingStations.organisationId, actor.organisationId),
        stationSiteScope(actor),
        lt(evses.createdAt, before),
      ),
    )
    .orderBy(asc(chargingStations.identity), asc(evses.evseId));
}

/** Why an outage does not count against uptime, as people read it. */
export const outageExclusionLabels: Record<OutageExclusion, string> = {
  utility_interruption: 'Utility power interruption',
  vehicle_fault: 'Fault of the vehicle',
  scheduled_maintenance: 'Scheduled maintenance',
  vandalism: 'Vandalism',
  natural_disaster: 'Natural disaster',
  outside_hours: 'Outside posted hours of operation',
};

export const exclusionInput = z
  .object({
    /** Blank: the outage counts (undoes an exclusion). */
    reason: z.preprocess(
      (v: unknown) => (v === '' || v === null ? undefined : v),
      z.enum(outageExclusions).optional(),
    ),
    notes: z.string().trim().max(255, 'At most 255 characters (EV-ChART keeps 255)').default(''),
  })
  .superRefine((value, ctx) => {
    if (value.reason && !value.notes)
      ctx.addIssue({
        code: 'custom',
        path: ['notes'],
        message: 'Say what shows it was outside your control (a utility notice, a police report …)',
      });
  });

/**
 * Marks an outage as excluded from uptime for a reason outside the operator's control (NEVI
 * 680.116(b)), with the note that backs it up, or counts it again. Audited: an exclusion changes
 * the uptime a regulator reads.
 */
export async function setOutageExclusion(
  db: Db,
  actor: SessionUser,
  outageId: string,
  raw: z.input<typeof exclusionInput>,
): Promise<void> {
  assertCan(actor, 'maintenance:manage');
  const input = exclusionInput.parse(raw);
  if (!isUuid(outageId)) throw notFound('Outage');
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ outage: outages, siteId: chargingStations.siteId })
      .from(outages)
      .innerJoin(chargingStations, eq(chargingStations.id, outages.stationId))
      .where(and(eq(outages.id, outageId), eq(outages.organisationId, actor.organisationId)));
    if (!row || !canAccessStation(actor, row)) throw notFound('Outage');
    await tx
      .update(outages)
      .set({ excludedReason: input.reason ?? null, excludedNotes: input.reason ? input.notes : null })
      .where(eq(outages.id, outageId));
    await recordAudit(tx, actorOf(actor), {
      action: input.reason ? 'outage.exclude' : 'outage.include',
      targetType: 'outage',
      targetId: outageId,
      details: {
        from: { reason: row.outage.excludedReason, notes: row.outage.excludedNotes },
        to: { reason: input.reason ?? null, notes: input.reason ? input.notes : null },
      },
    });
  });
}
