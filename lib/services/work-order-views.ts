import { and, asc, desc, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  chargingStations,
  connectors,
  connectorStatusHistory,
  evses,
  incidents,
  outages,
  parts,
  sites,
  users,
  workOrderEvents,
  workOrderParts,
  workOrderPhotos,
  workOrders,
  type OutageExclusion,
  type WorkOrder,
  type WorkOrderEvent,
} from '@/lib/db/schema';
import { roleCan } from '@/lib/domain/access/roles';
import { outageMinutes, type IncidentKind } from '@/lib/domain/maintenance/incidents';
import {
  activeStatuses,
  openStatuses,
  possibleTransitions,
  transitionRequirements,
  workOrderPriorities,
  workOrderStatuses,
  type TransitionRequirements,
  type WorkOrderStatus,
} from '@/lib/domain/maintenance/work-orders';
import { assertCan } from './authorize';
import { stationSiteScope } from './scope';
import type { SessionUser } from './users';
import { loadOrder } from './work-orders';

/** Read models of work orders: the manager's list, the technician's list, one order in full. */

export interface WorkOrderRow {
  id: string;
  number: number;
  title: string;
  kind: WorkOrder['kind'];
  priority: WorkOrder['priority'];
  status: WorkOrderStatus;
  stationId: string;
  stationIdentity: string;
  evseId: number | null;
  siteName: string | null;
  siteAddress: string | null;
  latitude: number | null;
  longitude: number | null;
  assigneeId: string | null;
  assigneeName: string | null;
  slaDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkOrderFilter {
  /** open (default): not verified, closed or cancelled; done: those; all. */
  view?: 'open' | 'done' | 'all';
  stationId?: string;
  assigneeId?: string;
  limit?: number;
}

const rowColumns = {
  id: workOrders.id,
  number: workOrders.number,
  title: workOrders.title,
  kind: workOrders.kind,
  priority: workOrders.priority,
  status: workOrders.status,
  stationId: workOrders.stationId,
  stationIdentity: chargingStations.identity,
  evseId: workOrders.evseId,
  siteName: sites.name,
  siteAddress: sites.address,
  latitude: sites.latitude,
  longitude: sites.longitude,
  assigneeId: workOrders.assigneeId,
  assigneeName: users.name,
  slaDueAt: workOrders.slaDueAt,
  createdAt: workOrders.createdAt,
  updatedAt: workOrders.updatedAt,
};

// Most urgent first: priority, then the SLA due time, then the oldest.
const priorityRank = sql`array_position(array[${sql.join(
  workOrderPriorities.map((p) => sql`${p}`),
  sql`, `,
)}]::text[], ${workOrders.priority}::text)`;

function queryRows(db: Db, where: SQL | undefined, limit: number) {
  return db
    .select(rowColumns)
    .from(workOrders)
    .innerJoin(chargingStations, eq(chargingStations.id, workOrders.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .leftJoin(users, eq(users.id, workOrders.assigneeId))
    .where(where)
    .orderBy(priorityRank, sql`${workOrders.slaDueAt} asc nulls last`, asc(workOrders.createdAt))
    .limit(limit);
}

const done = workOrderStatuses.filter((s) => !openStatuses.includes(s));

/** Work orders of the stations the manager may see. */
export async function listWorkOrders(
  db: Db,
  actor: SessionUser,
  filter: WorkOrderFilter = {},
): Promise<WorkOrderRow[]> {
  assertCan(actor, 'maintenance:view');
  const view = filter.view ?? 'open';
  return queryRows(
    db,
    and(
      eq(workOrders.organisationId, actor.organisationId),
      stationSiteScope(actor),
      view === 'open' ? inArray(workOrders.status, [...openStatuses]) : undefined,
      view === 'done' ? inArray(workOrders.status, done) : undefined,
      filter.stationId ? eq(workOrders.stationId, filter.stationId) : undefined,
      filter.assigneeId ? eq(workOrders.assigneeId, filter.assigneeId) : undefined,
    ),
    filter.limit ?? 300,
  );
}

/** The technician's own orders: those on their plate, and resolved ones awaiting verification. */
export async function myWorkOrders(db: Db, actor: SessionUser): Promise<WorkOrderRow[]> {
  assertCan(actor, 'work-orders:work');
  return queryRows(
    db,
    and(
      eq(workOrders.organisationId, actor.organisationId),
      eq(workOrders.assigneeId, actor.id),
      inArray(workOrders.status, [...activeStatuses, 'resolved']),
    ),
    200,
  );
}

/** Recently finished orders of a technician (their history on the phone). */
export async function myRecentWorkOrders(db: Db, actor: SessionUser): Promise<WorkOrderRow[]> {
  assertCan(actor, 'work-orders:work');
  return queryRows(
    db,
    and(
      eq(workOrders.organisationId, actor.organisationId),
      eq(workOrders.assigneeId, actor.id),
      inArray(workOrders.status, ['verified', 'closed', 'cannot_fix']),
    ),
    20,
  );
}

export interface WorkOrderDetail {
  order: Omit<WorkOrder, 'signaturePng'> & { hasSignature: boolean };
  station: {
    id: string;
    identity: string;
    vendor: string | null;
    model: string | null;
    serialNumber: string | null;
    online: boolean;
    lastSeenAt: Date | null;
    site: { name: string; address: string; latitude: number; longitude: number; timezone: string } | null;
    connectors: {
      evseId: number;
      connectorId: number;
      status: string;
      errorCode: string | null;
      statusChangedAt: Date | null;
    }[];
  };
  assignee: { id: string; name: string } | null;
  incident: {
    id: string;
    title: string;
    kind: IncidentKind;
    state: string;
    startedAt: Date;
    resolvedAt: Date | null;
  } | null;
  timeline: WorkOrderEvent[];
  photos: {
    id: string;
    kind: string;
    caption: string | null;
    takenAt: Date;
    width: number;
    height: number;
  }[];
  parts: {
    id: string;
    partId: string;
    sku: string;
    name: string;
    quantity: number;
    unitCostMinor: number | null;
    currency: string;
    consumedAt: Date | null;
  }[];
  /** The station's latest error reports (status history rows with an error code or Faulted). */
  recentErrors: { at: Date; evseId: number; status: string; errorCode: string | null; info: string | null }[];
  /** The outages of the order's incident; an excluded one says why and with what evidence. */
  outages: {
    evseId: number;
    startedAt: Date;
    endedAt: Date | null;
    minutes: number;
    excludedReason: OutageExclusion | null;
    excludedNotes: string | null;
  }[];
  /** The moves the viewer may offer as buttons, with what each needs. */
  moves: { to: WorkOrderStatus; needs: TransitionRequirements }[];
}

/** One work order with everything its page and its audit packet show. */
export async function getWorkOrderDetail(
  db: Db,
  actor: SessionUser,
  id: string,
  now = new Date(),
): Promise<WorkOrderDetail> {
  const { order } = await loadOrder(db, actor, id);
  const [stationRows, connectorRows, assignee, incident, timeline, photos, lines, errors, outageRows] =
    await Promise.all([
      db
        .select({ station: chargingStations, site: sites })
        .from(chargingStations)
        .leftJoin(sites, eq(sites.id, chargingStations.siteId))
        .where(eq(chargingStations.id, order.stationId)),
      db
        .select({
          evseId: evses.evseId,
          connectorId: connectors.connectorId,
          status: connectors.status,
          errorCode: connectors.errorCode,
          statusChangedAt: connectors.statusChangedAt,
        })
        .from(connectors)
        .innerJoin(evses, eq(evses.id, connectors.evseId))
        .where(eq(evses.stationId, order.stationId))
        .orderBy(evses.evseId, connectors.connectorId),
      order.assigneeId
        ? db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, order.assigneeId))
        : Promise.resolve([]),
      order.incidentId
        ? db
            .select({
              id: incidents.id,
              title: incidents.title,
              kind: incidents.kind,
              state: incidents.state,
              startedAt: incidents.startedAt,
              resolvedAt: incidents.resolvedAt,
            })
            .from(incidents)
            .where(eq(incidents.id, order.incidentId))
        : Promise.resolve([]),
      db
        .select()
        .from(workOrderEvents)
        .where(eq(workOrderEvents.workOrderId, order.id))
        .orderBy(asc(workOrderEvents.at), asc(workOrderEvents.id)),
      db
        .select({
          id: workOrderPhotos.id,
          kind: workOrderPhotos.kind,
          caption: workOrderPhotos.caption,
          takenAt: workOrderPhotos.takenAt,
          width: workOrderPhotos.width,
          height: workOrderPhotos.height,
        })
        .from(workOrderPhotos)
        .where(eq(workOrderPhotos.workOrderId, order.id))
        .orderBy(asc(workOrderPhotos.takenAt)),
      db
        .select({
          id: workOrderParts.id,
          partId: workOrderParts.partId,
          sku: parts.sku,
          name: parts.name,
          quantity: workOrderParts.quantity,
          unitCostMinor: parts.unitCostMinor,
          currency: parts.currency,
          consumedAt: workOrderParts.consumedAt,
        })
        .from(workOrderParts)
        .innerJoin(parts, eq(parts.id, workOrderParts.partId))
        .where(eq(workOrderParts.workOrderId, order.id))
        .orderBy(asc(workOrderParts.recordedAt)),
      db
        .select({
          at: connectorStatusHistory.receivedAt,
          evseId: connectorStatusHistory.evseId,
          status: connectorStatusHistory.status,
          errorCode: connectorStatusHistory.errorCode,
          info: connectorStatusHistory.info,
        })
        .from(connectorStatusHistory)
        .where(
          and(
            eq(connectorStatusHistory.stationId, order.stationId),
            or(isNotNull(connectorStatusHistory.errorCode), eq(connectorStatusHistory.status, 'Faulted')),
          ),
        )
        .orderBy(desc(connectorStatusHistory.receivedAt))
        .limit(10),
      order.incidentId
        ? db
            .select({
              evseId: outages.evseId,
              startedAt: outages.startedAt,
              endedAt: outages.endedAt,
              excludedReason: outages.excludedReason,
              excludedNotes: outages.excludedNotes,
            })
            .from(outages)
            .where(eq(outages.incidentId, order.incidentId))
            .orderBy(outages.evseId)
        : Promise.resolve([]),
    ]);
  const [row] = stationRows;
  if (!row) throw new Error('work order without a station');
  const { signaturePng, ...rest } = order;
  const viewer = {
    kind: actor.role,
    isAssignee: order.assigneeId === actor.id,
  } as const;
  return {
    order: { ...rest, hasSignature: signaturePng !== null },
    station: {
      id: row.station.id,
      identity: row.station.identity,
      vendor: row.station.vendor,
      model: row.station.model,
      serialNumber: row.station.serialNumber,
      online: row.station.online,
      lastSeenAt: row.station.lastSeenAt,
      site: row.site
        ? {
            name: row.site.name,
            address: row.site.address,
            latitude: row.site.latitude,
            longitude: row.site.longitude,
            timezone: row.site.timezone,
          }
        : null,
      connectors: connectorRows,
    },
    assignee: assignee[0] ?? null,
    incident: incident[0] ?? null,
    timeline,
    photos,
    parts: lines,
    recentErrors: errors,
    outages: outageRows.map((o) => ({ ...o, minutes: outageMinutes(o.startedAt, o.endedAt ?? now) })),
    moves: possibleTransitions(order.status, viewer).flatMap((to) => {
      const needs = transitionRequirements(order.status, to);
      return needs ? [{ to, needs }] : [];
    }),
  };
}

/** What the network map shows of a station's maintenance: its open problems and the job on it. */
export interface StationMaintenance {
  openIncidents: number;
  /** The most recent open incident's title. */
  incidentTitle: string | null;
  /** The most urgent open work order of the station. */
  workOrder: { id: string; number: number; status: WorkOrderStatus } | null;
}

/** Open incidents and work orders per station, for people who see maintenance (else empty). */
export async function maintenanceByStation(
  db: Db,
  actor: SessionUser,
): Promise<Map<string, StationMaintenance>> {
  const result = new Map<string, StationMaintenance>();
  if (!roleCan(actor.role, 'maintenance:view')) return result;
  const [open, orders] = await Promise.all([
    db
      .select({ stationId: incidents.stationId, title: incidents.title })
      .from(incidents)
      .where(and(eq(incidents.organisationId, actor.organisationId), eq(incidents.state, 'open')))
      .orderBy(desc(incidents.startedAt)),
    db
      .select({
        id: workOrders.id,
        stationId: workOrders.stationId,
        number: workOrders.number,
        status: workOrders.status,
      })
      .from(workOrders)
      .where(
        and(
          eq(workOrders.organisationId, actor.organisationId),
          inArray(workOrders.status, [...openStatuses]),
        ),
      )
      .orderBy(priorityRank, sql`${workOrders.slaDueAt} asc nulls last`),
  ]);
  const entry = (stationId: string) => {
    let found = result.get(stationId);
    if (!found) {
      found = { openIncidents: 0, incidentTitle: null, workOrder: null };
      result.set(stationId, found);
    }
    return found;
  };
  for (const incident of open) {
    const e = entry(incident.stationId);
    e.openIncidents++;
    e.incidentTitle ??= incident.title;
  }
  for (const order of orders) {
    const e = entry(order.stationId);
    e.workOrder ??= { id: order.id, number: order.number, status: order.status };
  }
  return result;
}
