import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import {
  chargingStations,
  connectors,
  evses,
  incidentEvents,
  incidents,
  sites,
  stockLevels,
  stockMovements,
  workOrderAssignments,
  workOrderEvents,
  workOrderParts,
  workOrders,
  type ChecklistItem,
  type Incident,
  type WorkOrder,
} from '@/lib/db/schema';
import { canAccessStation } from '@/lib/domain/access/roles';
import { rankTechnicians, type RankedCandidate } from '@/lib/domain/maintenance/dispatch';
import { classifyStatus, type IncidentKind } from '@/lib/domain/maintenance/incidents';
import {
  checkTransition,
  slaDueAt,
  statusLabels,
  type TransitionActor,
  type WorkOrderPriority,
  type WorkOrderStatus,
} from '@/lib/domain/maintenance/work-orders';
import { AppError, invalid, notFound } from '@/lib/errors';
import { publish } from '@/lib/realtime/bus';
import type { DomainEvent } from '@/lib/realtime/events';
import { isUuid } from '@/lib/validation/ids';
import { assignInput, transitionInput, workOrderInput } from '@/lib/validation/maintenance';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { loadMaintenancePolicy, type MaintenancePolicy } from './maintenance-settings';
import { techniciansOfSite, toCandidate, type TechnicianView } from './technicians';
import { actorOf, type SessionUser } from './users';

/**
 * Work orders: the job of sending a technician to a station, from creation (by an incident, a
 * schedule or a manager) through assignment and the field steps to a repair the charger itself
 * confirms. Every change is a row on the order's timeline with who made it and when; the state
 * machine is lib/domain/maintenance/work-orders.ts.
 */

/** Who changes a work order: a signed-in person, or ChargeOps itself. */
export type OrderActor = { kind: 'user'; user: SessionUser } | { kind: 'system' };

const systemLabel = 'ChargeOps';

const labelOf = (actor: OrderActor) => (actor.kind === 'user' ? actor.user.name : systemLabel);
const idOf = (actor: OrderActor) => (actor.kind === 'user' ? actor.user.id : null);

/** What the work order's station is, for scope checks and live events. */
export interface OrderStation {
  id: string;
  identity: string;
  organisationId: string;
  siteId: string | null;
}

type OrderUpdated = Extract<DomainEvent, { type: 'work-order:updated' }>;

/** The event of an order's change; the station only places it (organisation, site rooms). */
export const orderEvent = (
  station: Pick<OrderStation, 'id' | 'organisationId' | 'siteId'>,
  order: WorkOrder,
): OrderUpdated => ({
  type: 'work-order:updated',
  organisationId: station.organisationId,
  siteId: station.siteId,
  stationId: station.id,
  workOrderId: order.id,
  status: order.status,
  assigneeId: order.assigneeId,
});

/** How urgent the work order of each kind of incident is. */
const incidentPriority: Record<IncidentKind, WorkOrderPriority> = {
  connector_faulted: 'high',
  station_offline: 'high',
  failed_starts: 'high',
  boot_rejected: 'normal',
  firmware_failed: 'normal',
  security_event: 'high',
};

export async function stationOf(db: DbOrTx, stationId: string): Promise<OrderStation> {
  const [station] = await db
    .select({
      id: chargingStations.id,
      identity: chargingStations.identity,
      organisationId: chargingStations.organisationId,
      siteId: chargingStations.siteId,
    })
    .from(chargingStations)
    .where(eq(chargingStations.id, stationId));
  if (!station) throw notFound('Station');
  return station;
}

export async function addOrderEvent(
  tx: DbOrTx,
  orderId: string,
  actor: OrderActor,
  at: Date,
  event: {
    kind: string;
    from?: WorkOrderStatus | null;
    to?: WorkOrderStatus | null;
    note?: string | null;
    details?: unknown;
  },
): Promise<void> {
  await tx.insert(workOrderEvents).values({
    workOrderId: orderId,
    at,
    actorId: idOf(actor),
    actorLabel: labelOf(actor),
    kind: event.kind,
    fromStatus: event.from ?? null,
    toStatus: event.to ?? null,
    note: event.note ?? null,
    details: event.details === undefined ? null : (event.details as object),
  });
}

/**
 * Creates the corrective work order of a new incident (inside the incident's transaction), and
 * assigns it to the top-ranked technician when the policy says so. Returns the events to publish.
 */
export async function createOrderForIncident(
  tx: DbOrTx,
  incident: Incident,
  policy: MaintenancePolicy,
  now: Date,
): Promise<DomainEvent[]> {
  const station = await stationOf(tx, incident.stationId);
  const priority = incidentPriority[incident.kind];
  const [order] = await tx
    .insert(workOrders)
    .values({
      organisationId: incident.organisationId,
      stationId: incident.stationId,
      evseId: incident.evseId > 0 ? incident.evseId : null,
      incidentId: incident.id,
      kind: 'corrective',
      priority,
      title: incident.title,
      description: [
        `Opened automatically for an incident on ${station.identity}.`,
        incident.errorCode ? `Error code: ${incident.errorCode}.` : '',
        incident.vendorErrorCode ? `Vendor error code: ${incident.vendorErrorCode}.` : '',
        incident.info ? `Charger says: ${incident.info}.` : '',
      ]
        .filter(Boolean)
        .join(' '),
      requiredCertifications: policy.defaultCertifications,
      slaDueAt: slaDueAt(now, priority, policy.slaHours),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({
      target: workOrders.incidentId,
      where: sql`status not in ('closed', 'cancelled')`,
    })
    .returning();
  if (!order) return [];
  await addOrderEvent(tx, order.id, { kind: 'system' }, now, {
    kind: 'status',
    to: 'new',
    note: `Created for incident: ${incident.title}`,
  });
  await tx.insert(incidentEvents).values({
    incidentId: incident.id,
    at: now,
    kind: 'work-order',
    summary: `Work order WO-${order.number} created (${priority} priority)`,
  });
  if (!policy.autoAssign) return [orderEvent(station, order)];
  const assigned = await autoAssign(tx, order, station, now);
  return [orderEvent(station, assigned ?? order)];
}

/** Assigns an order to the top eligible candidate, if there is one (a note on the order if none). */
export async function autoAssign(
  tx: DbOrTx,
  order: WorkOrder,
  station: OrderStation,
  now: Date,
): Promise<WorkOrder | null> {
  const { ranked, people } = await rankFor(tx, order, station, now);
  const top = ranked.find((candidate) => candidate.eligible);
  const person = top && people.find((p) => p.id === top.userId);
  if (!top || !person) {
    await addOrderEvent(tx, order.id, { kind: 'system' }, now, {
      kind: 'note',
      note: 'Automatic assignment found no eligible technician: assign one by hand',
    });
    return null;
  }
  return assignCore(tx, order, person, top.reasons, { kind: 'system' }, now);
}

/** Candidates ranked for an order, with the people behind them. */
async function rankFor(
  db: DbOrTx,
  order: WorkOrder,
  station: OrderStation,
  now: Date,
): Promise<{ ranked: RankedCandidate[]; people: TechnicianView[] }> {
  const people = await techniciansOfSite(db, order.organisationId, station.siteId);
  const [site] = station.siteId
    ? await db
        .select({ lat: sites.latitude, lng: sites.longitude })
        .from(sites)
        .where(eq(sites.id, station.siteId))
    : [];
  const ranked = rankTechnicians(
    {
      requiredCertifications: order.requiredCertifications,
      requiredSkills: order.requiredSkills,
      site: site ?? null,
    },
    people.map(toCandidate),
    now,
  );
  return { ranked, people };
}

/** Writes an assignment: status, assignee, the certifications they held, the timeline. */
async function assignCore(
  tx: DbOrTx,
  order: WorkOrder,
  person: TechnicianView,
  reasons: string[],
  actor: OrderActor,
  now: Date,
): Promise<WorkOrder> {
  const check = checkTransition(order.status, 'assigned', actorKindOf(actor, order), {
    checklistComplete: false,
    hasAssignee: true,
  });
  if (!check.ok) throw new AppError('precondition_failed', check.reason);
  const [updated] = await tx
    .update(workOrders)
    .set({ status: 'assigned', assigneeId: person.id, updatedAt: now })
    .where(and(eq(workOrders.id, order.id), eq(workOrders.status, order.status)))
    .returning();
  if (!updated) throw changedMeanwhile();
  await tx.insert(workOrderAssignments).values({
    workOrderId: order.id,
    userId: person.id,
    assignedAt: now,
    reasons,
    certifications: person.certifications.map((c) => ({
      name: c.name,
      expiresOn: c.expiresOn ? c.expiresOn.toISOString().slice(0, 10) : null,
    })),
  });
  await addOrderEvent(tx, order.id, actor, now, {
    kind: 'assignment',
    from: order.status,
    to: 'assigned',
    note: `Assigned to ${person.name}`,
    details: { technicianId: person.id, reasons },
  });
  return updated;
}

const changedMeanwhile = () =>
  new AppError('conflict', 'The work order changed meanwhile: reload and try again');

function actorKindOf(actor: OrderActor, order: WorkOrder): TransitionActor {
  if (actor.kind === 'system') return { kind: 'system', isAssignee: false };
  return { kind: actor.user.role, isAssignee: order.assigneeId === actor.user.id };
}

/** Loads an order the caller may see: managers by site scope, technicians their own. */
export async function loadOrder(
  db: DbOrTx,
  user: SessionUser,
  id: string,
): Promise<{ order: WorkOrder; station: OrderStation }> {
  if (!isUuid(id)) throw notFound('Work order');
  const [order] = await db
    .select()
    .from(workOrders)
    .where(and(eq(workOrders.id, id), eq(workOrders.organisationId, user.organisationId)));
  if (!order) throw notFound('Work order');
  const station = await stationOf(db, order.stationId);
  const office = user.role === 'admin' || user.role === 'manager';
  const visible = office ? canAccessStation(user, station) : order.assigneeId === user.id;
  if (!visible) throw notFound('Work order');
  return { order, station };
}

/** A station a form names, if the user may see it; otherwise the form's field error. */
export async function chosenStation(db: DbOrTx, user: SessionUser, stationId: string): Promise<OrderStation> {
  const station = await stationOf(db, stationId).catch(() => null);
  if (!station || station.organisationId !== user.organisationId || !canAccessStation(user, station))
    throw invalid('Choose a station', { stationId: 'Choose a station' });
  return station;
}

/** Creates a work order by hand (preventive maintenance, or a problem no rule caught). */
export async function createWorkOrder(
  db: Db,
  user: SessionUser,
  raw: z.input<typeof workOrderInput>,
  now = new Date(),
): Promise<WorkOrder> {
  assertCan(user, 'maintenance:manage');
  const input = workOrderInput.parse(raw);
  const station = await chosenStation(db, user, input.stationId);
  const policy = await loadMaintenancePolicy(db, user.organisationId);
  const order = await db.transaction(async (tx) => {
    if (input.incidentId) {
      const [incident] = await tx
        .select({ id: incidents.id, stationId: incidents.stationId })
        .from(incidents)
        .where(eq(incidents.id, input.incidentId));
      if (!incident || incident.stationId !== station.id)
        throw invalid('That incident is not of this station', {
          incidentId: 'Not an incident of this station',
        });
    }
    const [created] = await tx
      .insert(workOrders)
      .values({
        organisationId: user.organisationId,
        stationId: station.id,
        evseId: input.evseId ?? null,
        incidentId: input.incidentId ?? null,
        kind: input.kind,
        priority: input.priority,
        title: input.title,
        description: input.description,
        requiredCertifications: input.requiredCertifications,
        requiredSkills: input.requiredSkills,
        slaDueAt: slaDueAt(now, input.priority, policy.slaHours),
        createdById: user.id,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({
        target: workOrders.incidentId,
        where: sql`status not in ('closed', 'cancelled')`,
      })
      .returning();
    if (!created)
      throw new AppError('conflict', 'This incident has an open work order already', {
        incidentId: 'This incident has an open work order already',
      });
    await addOrderEvent(tx, created.id, { kind: 'user', user }, now, {
      kind: 'status',
      to: 'new',
      note: 'Created by hand',
    });
    if (created.incidentId)
      await tx.insert(incidentEvents).values({
        incidentId: created.incidentId,
        at: now,
        kind: 'work-order',
        summary: `Work order WO-${created.number} created by ${user.name}`,
      });
    await recordAudit(tx, actorOf(user), {
      action: 'work-order.create',
      targetType: 'work-order',
      targetId: created.id,
      details: { number: created.number, station: station.identity, title: created.title },
    });
    return created;
  });
  publish(orderEvent(station, order));
  return order;
}

/** The ranked technicians for an order, each with the reasons for their place. */
export async function suggestTechnicians(
  db: Db,
  user: SessionUser,
  id: string,
  now = new Date(),
): Promise<RankedCandidate[]> {
  assertCan(user, 'maintenance:manage');
  const { order, station } = await loadOrder(db, user, id);
  return (await rankFor(db, order, station, now)).ranked;
}

/** A manager assigns (or reassigns) an order to a technician, with one click on a suggestion. */
export async function assignWorkOrder(
  db: Db,
  user: SessionUser,
  id: string,
  raw: z.input<typeof assignInput>,
  now = new Date(),
): Promise<WorkOrder> {
  assertCan(user, 'maintenance:manage');
  const { technicianId } = assignInput.parse(raw);
  const { order, station } = await loadOrder(db, user, id);
  const { ranked, people } = await rankFor(db, order, station, now);
  const person = people.find((p) => p.id === technicianId);
  if (!person)
    throw invalid('Choose a technician who works at this site', {
      technicianId: 'Not a technician of this site',
    });
  const rank = ranked.find((r) => r.userId === technicianId);
  // High-voltage work needs the certifications the order asks for, valid today (NEVI, EVITP).
  if (rank && !rank.eligible)
    throw invalid(`${person.name} cannot take this work order: ${rank.missing.join('; ')}`, {
      technicianId: rank.missing.join('; '),
    });
  const reasons = rank?.reasons ?? [];
  const updated = await db.transaction(async (tx) => {
    const assigned = await assignCore(tx, order, person, reasons, { kind: 'user', user }, now);
    await recordAudit(tx, actorOf(user), {
      action: 'work-order.assign',
      targetType: 'work-order',
      targetId: order.id,
      details: { number: order.number, technician: person.email, reasons },
    });
    return assigned;
  });
  publish(orderEvent(station, updated));
  // The previous assignee's phone drops the order too.
  if (order.assigneeId && order.assigneeId !== updated.assigneeId)
    publish({ ...orderEvent(station, updated), assigneeId: order.assigneeId });
  return updated;
}

const checklistComplete = (items: ChecklistItem[]) =>
  items.length > 0 && items.every((item) => item.confirmedAt !== null);

/**
 * Moves an order to another status (accept, decline, en route, on site, start, resolve, cannot
 * fix, close, cancel), checked by the state machine. Resolving uses the parts recorded from the
 * technician's van; arriving on site starts a fresh safety checklist.
 */
export async function transitionWorkOrder(
  db: Db,
  user: SessionUser,
  id: string,
  raw: z.input<typeof transitionInput>,
  now = new Date(),
): Promise<WorkOrder> {
  const input = transitionInput.parse(raw);
  const { order, station } = await loadOrder(db, user, id);
  const updated = await db.transaction(async (tx) => {
    const policy = input.to === 'on_site' ? await loadMaintenancePolicy(tx, order.organisationId) : null;
    const result = await transitionCore(tx, order, input.to, { kind: 'user', user }, input.note, now, policy);
    await recordAudit(tx, actorOf(user), {
      action: 'work-order.transition',
      targetType: 'work-order',
      targetId: order.id,
      details: { number: order.number, from: order.status, to: input.to, note: input.note || undefined },
    });
    return result;
  });
  publish(orderEvent(station, updated));
  if (input.to === 'new' && order.assigneeId)
    publish({ ...orderEvent(station, updated), assigneeId: order.assigneeId });
  return updated;
}

async function transitionCore(
  tx: DbOrTx,
  order: WorkOrder,
  to: WorkOrderStatus,
  actor: OrderActor,
  note: string,
  now: Date,
  policy: MaintenancePolicy | null,
): Promise<WorkOrder> {
  const check = checkTransition(order.status, to, actorKindOf(actor, order), {
    checklistComplete: checklistComplete(order.checklist),
    hasAssignee: order.assigneeId !== null,
    reason: note,
  });
  if (!check.ok) throw new AppError('precondition_failed', check.reason);
  const changes: Partial<typeof workOrders.$inferInsert> = { status: to, updatedAt: now };
  if (to === 'new') changes.assigneeId = null;
  if (to === 'on_site' && policy)
    changes.checklist = policy.checklist.map((label) => ({ label, confirmedAt: null, confirmedBy: null }));
  if (to === 'resolved') {
    changes.resolvedAt = now;
    await consumeParts(tx, order, actor, now);
  }
  if (to === 'accepted' && order.status === 'resolved') changes.resolvedAt = null;
  if (to === 'verified') changes.verifiedAt = now;
  if (to === 'closed' || to === 'cancelled') changes.closedAt = now;
  if (to === 'cannot_fix' || to === 'cancelled' || (to === 'closed' && order.status === 'cannot_fix'))
    changes.reason = note;
  const [updated] = await tx
    .update(workOrders)
    .set(changes)
    .where(and(eq(workOrders.id, order.id), eq(workOrders.status, order.status)))
    .returning();
  if (!updated) throw changedMeanwhile();
  await addOrderEvent(tx, order.id, actor, now, {
    kind: 'status',
    from: order.status,
    to,
    note: note || null,
  });
  if (order.incidentId && (to === 'resolved' || to === 'verified' || to === 'cannot_fix'))
    await tx.insert(incidentEvents).values({
      incidentId: order.incidentId,
      at: now,
      kind: 'work-order',
      summary: `WO-${order.number} ${statusLabels[to].toLowerCase()}${note ? `: ${note}` : ''}`,
    });
  return updated;
}

/** Takes the parts recorded on an order out of the vans they came from, as "used on WO-n". */
async function consumeParts(tx: DbOrTx, order: WorkOrder, actor: OrderActor, now: Date): Promise<void> {
  const pending = await tx
    .select()
    .from(workOrderParts)
    .where(and(eq(workOrderParts.workOrderId, order.id), isNull(workOrderParts.consumedAt)));
  for (const line of pending) {
    const [level] = await tx
      .update(stockLevels)
      .set({ quantity: sql`${stockLevels.quantity} - ${line.quantity}` })
      .where(
        and(
          eq(stockLevels.locationId, line.locationId),
          eq(stockLevels.partId, line.partId),
          sql`${stockLevels.quantity} >= ${line.quantity}`,
        ),
      )
      .returning();
    if (!level)
      throw new AppError(
        'precondition_failed',
        'Your van no longer holds all the parts recorded on this work order: correct the parts first',
      );
    await tx.insert(stockMovements).values({
      organisationId: order.organisationId,
      partId: line.partId,
      kind: 'used',
      fromLocationId: line.locationId,
      quantity: line.quantity,
      workOrderId: order.id,
      note: `Used on WO-${order.number}`,
      actorId: idOf(actor),
      at: now,
    });
    await tx.update(workOrderParts).set({ consumedAt: now }).where(eq(workOrderParts.id, line.id));
  }
}

/** A system transition (verification, reopening) that may lose a race harmlessly. */
async function systemTransition(
  db: Db,
  order: WorkOrder,
  to: WorkOrderStatus,
  note: string,
  now: Date,
): Promise<WorkOrder | null> {
  try {
    return await db.transaction((tx) => transitionCore(tx, order, to, { kind: 'system' }, note, now, null));
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/**
 * A station report after a repair: healthy verifies the station's resolved work orders for that
 * EVSE (a whole-station order once every connector is healthy), a fault reopens them with the
 * reason. Returns the events to publish.
 */
export async function verifyAfterReport(
  db: Db,
  station: { stationId: string; organisationId: string; siteId: string | null },
  report: {
    evseId: number;
    healthy: boolean;
    report?: { status: string; errorCode: string | null };
    session?: { energyWh: number | null };
  },
  now: Date,
): Promise<DomainEvent[]> {
  const resolved = await db
    .select()
    .from(workOrders)
    .where(and(eq(workOrders.stationId, station.stationId), eq(workOrders.status, 'resolved')));
  if (resolved.length === 0) return [];
  const target = { id: station.stationId, organisationId: station.organisationId, siteId: station.siteId };
  const events: DomainEvent[] = [];
  const evidence = report.session
    ? `a session on EVSE ${report.evseId} delivered ${((report.session.energyWh ?? 0) / 1000).toFixed(2)} kWh`
    : `EVSE ${report.evseId} reported ${report.report?.status ?? 'a status'}${report.report?.errorCode ? ` (${report.report.errorCode})` : ''}`;
  for (const order of resolved) {
    const concerns = order.evseId === null || report.evseId === 0 || order.evseId === report.evseId;
    if (!concerns) continue;
    let updated: WorkOrder | null;
    if (!report.healthy) {
      updated = await systemTransition(db, order, 'accepted', `Reopened: ${evidence} after the repair`, now);
    } else {
      if (order.evseId === null && !report.session && !(await allConnectorsHealthy(db, station.stationId)))
        continue;
      updated = await systemTransition(db, order, 'verified', `Verified: ${evidence} after the repair`, now);
    }
    if (updated) events.push(orderEvent(target, updated));
  }
  return events;
}

async function allConnectorsHealthy(db: DbOrTx, stationId: string): Promise<boolean> {
  const rows = await db
    .select({ status: connectors.status })
    .from(connectors)
    .innerJoin(evses, eq(evses.id, connectors.evseId))
    .where(eq(evses.stationId, stationId));
  return rows.length > 0 && rows.every((row) => classifyStatus(row.status) === 'healthy');
}

/**
 * Resolved orders whose station said nothing healthy within the verification window are reopened:
 * a repair nobody can confirm is not a repair. Returns how many reopened.
 */
export async function reopenUnverified(db: Db, now: Date, windowMinutes: number): Promise<number> {
  const overdue = await db
    .select()
    .from(workOrders)
    .where(
      and(
        eq(workOrders.status, 'resolved'),
        sql`${workOrders.resolvedAt} < ${now.toISOString()}::timestamptz - make_interval(mins => ${windowMinutes})`,
      ),
    );
  let reopened = 0;
  for (const order of overdue) {
    const updated = await systemTransition(
      db,
      order,
      'accepted',
      `Reopened: the station reported nothing healthy within ${windowMinutes} minutes of the repair`,
      now,
    );
    if (!updated) continue;
    reopened++;
    publish(orderEvent(await stationOf(db, order.stationId), updated));
  }
  return reopened;
}

/** Adds "the incident cleared" to the timelines of the open work orders of a station's incidents. */
export async function noteIncidentCleared(
  db: Db,
  station: { stationId: string; organisationId: string; siteId: string | null },
  incidentIds: string[],
  resolution: string,
  at: Date,
): Promise<DomainEvent[]> {
  if (incidentIds.length === 0) return [];
  const orders = await db
    .select()
    .from(workOrders)
    .where(
      and(
        inArray(workOrders.incidentId, incidentIds),
        sql`${workOrders.status} not in ('closed', 'cancelled', 'verified')`,
      ),
    );
  const events: DomainEvent[] = [];
  for (const order of orders) {
    await addOrderEvent(db, order.id, { kind: 'system' }, at, {
      kind: 'note',
      note: `The incident cleared: ${resolution}`,
    });
    events.push(
      orderEvent(
        { id: station.stationId, organisationId: station.organisationId, siteId: station.siteId },
        order,
      ),
    );
  }
  return events;
}
