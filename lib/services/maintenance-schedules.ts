import { and, asc, eq, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import {
  chargingStations,
  maintenanceSchedules,
  sites,
  workOrders,
  type MaintenanceSchedule,
} from '@/lib/db/schema';
import { slaDueAt } from '@/lib/domain/maintenance/work-orders';
import { notFound } from '@/lib/errors';
import { publish } from '@/lib/realtime/bus';
import { isUuid } from '@/lib/validation/ids';
import { scheduleInput } from '@/lib/validation/maintenance';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { loadMaintenancePolicy } from './maintenance-settings';
import { actorOf, type SessionUser } from './users';
import { stationSiteScope } from './scope';
import { addOrderEvent, autoAssign, chosenStation, orderEvent, stationOf } from './work-orders';

/**
 * Preventive maintenance on a calendar: each schedule creates a work order for its station every N
 * months, from the first due date on. Work orders appear when they fall due and follow the same
 * life as any other.
 */

/** Adds whole calendar months in UTC, keeping the day where the month has it (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export interface ScheduleRow extends MaintenanceSchedule {
  stationIdentity: string;
  siteName: string | null;
}

/** Schedules of the stations the caller may see, soonest first. */
export async function listSchedules(db: Db, actor: SessionUser): Promise<ScheduleRow[]> {
  assertCan(actor, 'maintenance:view');
  const rows = await db
    .select({
      schedule: maintenanceSchedules,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
    })
    .from(maintenanceSchedules)
    .innerJoin(chargingStations, eq(chargingStations.id, maintenanceSchedules.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(and(eq(maintenanceSchedules.organisationId, actor.organisationId), stationSiteScope(actor)))
    .orderBy(asc(maintenanceSchedules.nextDueAt));
  return rows.map((r) => ({ ...r.schedule, stationIdentity: r.stationIdentity, siteName: r.siteName }));
}

/** Creates a recurring preventive visit. */
export async function createSchedule(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof scheduleInput>,
): Promise<MaintenanceSchedule> {
  assertCan(actor, 'maintenance:manage');
  const input = scheduleInput.parse(raw);
  const station = await chosenStation(db, actor, input.stationId);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(maintenanceSchedules)
      .values({
        organisationId: actor.organisationId,
        stationId: station.id,
        title: input.title,
        description: input.description,
        intervalMonths: input.intervalMonths,
        priority: input.priority,
        requiredCertifications: input.requiredCertifications,
        requiredSkills: input.requiredSkills,
        // Due at the start of the day (UTC) the manager chose.
        nextDueAt: new Date(`${input.firstDueOn}T00:00:00Z`),
      })
      .returning();
    if (!created) throw new Error('insert returned no row');
    await recordAudit(tx, actorOf(actor), {
      action: 'maintenance-schedule.create',
      targetType: 'maintenance-schedule',
      targetId: created.id,
      details: { station: station.identity, title: created.title, intervalMonths: created.intervalMonths },
    });
    return created;
  });
}

/** Pauses or resumes a schedule. */
export async function setScheduleActive(
  db: Db,
  actor: SessionUser,
  id: string,
  active: boolean,
): Promise<void> {
  assertCan(actor, 'maintenance:manage');
  if (!isUuid(id)) throw notFound('Schedule');
  const [schedule] = await db.select().from(maintenanceSchedules).where(eq(maintenanceSchedules.id, id));
  if (!schedule || schedule.organisationId !== actor.organisationId) throw notFound('Schedule');
  await chosenStation(db, actor, schedule.stationId);
  await db.transaction(async (tx) => {
    await tx.update(maintenanceSchedules).set({ active }).where(eq(maintenanceSchedules.id, id));
    await recordAudit(tx, actorOf(actor), {
      action: active ? 'maintenance-schedule.resume' : 'maintenance-schedule.pause',
      targetType: 'maintenance-schedule',
      targetId: id,
      details: { title: schedule.title },
    });
  });
}

/**
 * Creates the work orders of every schedule that fell due and moves each schedule on by its
 * interval (past the present, so a server that was down for a year makes one order, not two).
 * Returns how many orders were created.
 */
export async function createDueScheduledOrders(db: Db, now: Date): Promise<number> {
  const due = await db
    .select()
    .from(maintenanceSchedules)
    .where(and(eq(maintenanceSchedules.active, true), lte(maintenanceSchedules.nextDueAt, now)));
  let created = 0;
  for (const schedule of due) {
    let next = addMonths(schedule.nextDueAt, schedule.intervalMonths);
    while (next <= now) next = addMonths(next, schedule.intervalMonths);
    const order = await db.transaction(async (tx) => {
      // Moving the schedule first, conditionally, makes a concurrent run create nothing.
      const [moved] = await tx
        .update(maintenanceSchedules)
        .set({ nextDueAt: next })
        .where(
          and(
            eq(maintenanceSchedules.id, schedule.id),
            eq(maintenanceSchedules.nextDueAt, schedule.nextDueAt),
          ),
        )
        .returning();
      if (!moved) return null;
      const policy = await loadMaintenancePolicy(tx, schedule.organisationId);
      const [row] = await tx
        .insert(workOrders)
        .values({
          organisationId: schedule.organisationId,
          stationId: schedule.stationId,
          scheduleId: schedule.id,
          kind: 'preventive',
          priority: schedule.priority,
          title: schedule.title,
          description: schedule.description,
          requiredCertifications: schedule.requiredCertifications,
          requiredSkills: schedule.requiredSkills,
          slaDueAt: slaDueAt(now, schedule.priority, policy.slaHours),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw new Error('insert returned no row');
      await addOrderEvent(tx, row.id, { kind: 'system' }, now, {
        kind: 'status',
        to: 'new',
        note: `Preventive maintenance every ${schedule.intervalMonths} months`,
      });
      // Automatic assignment applies to planned work as to faults.
      if (!policy.autoAssign) return row;
      return (await autoAssign(tx, row, await stationOf(tx, row.stationId), now)) ?? row;
    });
    if (!order) continue;
    created++;
    publish(orderEvent(await stationOf(db, order.stationId), order));
  }
  return created;
}
