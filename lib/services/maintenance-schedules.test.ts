import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { setupTestDatabase } from '@/lib/db/testing';
import { chargingStations, maintenanceSchedules, workOrderEvents, workOrders } from '@/lib/db/schema';
import {
  createDueScheduledOrders,
  createSchedule,
  listSchedules,
  setScheduleActive,
} from './maintenance-schedules';
import { setMaintenancePolicy } from './maintenance-settings';
import { addCertification } from './technicians';
import { aSite, aUser, anOrganisation, expectError } from './testing';

// Preventive maintenance schedules over the real database: who may plan them, and the orders they
// create when due (once, however often the job runs, and assigned automatically where the
// organisation wants it).
const testDb = setupTestDatabase();
const db = () => testDb.db;

let n = 0;
async function aNetwork() {
  const org = await anOrganisation(db());
  const site = await aSite(db(), org.id);
  const [station] = await db()
    .insert(chargingStations)
    .values({ organisationId: org.id, siteId: site.id, identity: `PM-${n++}-${Date.now()}` })
    .returning();
  const admin = await aUser(db(), org.id, { role: 'admin' });
  return { org, site, station: station!, admin };
}

const schedule = (stationId: string, firstDueOn = '2026-06-01') => ({
  stationId,
  title: 'Six-monthly inspection',
  intervalMonths: '6',
  priority: 'low' as const,
  firstDueOn,
  requiredCertifications: 'EVITP',
  requiredSkills: '',
});

const ordersOf = (scheduleId: string) =>
  db().select().from(workOrders).where(eq(workOrders.scheduleId, scheduleId));

describe('maintenance schedules', () => {
  it('are planned by managers at their own sites, not by technicians, and audited', async () => {
    const { org, site, station } = await aNetwork();
    const other = await aSite(db(), org.id);
    const manager = await aUser(db(), org.id, { role: 'manager', siteIds: [other.id] });
    const technician = await aUser(db(), org.id, { role: 'technician', siteIds: [site.id] });
    await expectError(createSchedule(db(), technician, schedule(station.id)), 'forbidden');
    // A station at another manager's site is not one they can choose.
    await expectError(createSchedule(db(), manager, schedule(station.id)), 'validation');
    const own = await aUser(db(), org.id, { role: 'manager', siteIds: [site.id] });
    const created = await createSchedule(db(), own, schedule(station.id));
    expect(created).toMatchObject({ intervalMonths: 6, active: true, requiredCertifications: ['EVITP'] });
    expect(created.nextDueAt.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect((await listSchedules(db(), own)).map((s) => s.id)).toEqual([created.id]);
    expect(await listSchedules(db(), manager)).toEqual([]);
  });

  it('create one order when due, move on by the interval past today, and skip paused ones', async () => {
    const { station, admin } = await aNetwork();
    const due = await createSchedule(db(), admin, {
      ...schedule(station.id, '2026-01-10'),
      requiredSkills: 'DC fast, ABB',
    });
    expect(due.requiredSkills).toEqual(['DC fast', 'ABB']);
    const paused = await createSchedule(db(), admin, schedule(station.id, '2026-01-10'));
    await setScheduleActive(db(), admin, paused.id, false);
    const now = new Date('2026-11-29T12:00:00Z');

    await createDueScheduledOrders(db(), now);
    await createDueScheduledOrders(db(), now);
    const [order, ...more] = await ordersOf(due.id);
    expect(more).toEqual([]);
    expect(order).toMatchObject({
      kind: 'preventive',
      priority: 'low',
      status: 'new',
      stationId: station.id,
      requiredCertifications: ['EVITP'],
      requiredSkills: ['DC fast', 'ABB'],
    });
    // Two intervals were missed (July, and January 2027 is still ahead): one order, next due January.
    const [moved] = await db().select().from(maintenanceSchedules).where(eq(maintenanceSchedules.id, due.id));
    expect(moved!.nextDueAt.toISOString()).toBe('2027-01-10T00:00:00.000Z');
    expect(await ordersOf(paused.id)).toEqual([]);
  });

  it('assign the order to the top eligible technician when the organisation assigns automatically', async () => {
    const { site, station, admin } = await aNetwork();
    const technician = await aUser(db(), admin.organisationId, { role: 'technician', siteIds: [site.id] });
    await addCertification(db(), admin, technician.id, { name: 'EVITP', expiresOn: '2099-01-01' });
    await setMaintenancePolicy(db(), admin, {
      offlineAfterMinutes: '10',
      failedStartsInARow: '3',
      minSessionWh: '50',
      remediationEnabled: '',
      remediationPlan: '',
      autoWorkOrder: 'on',
      autoAssign: 'on',
      slaCritical: '4',
      slaHigh: '24',
      slaNormal: '72',
      slaLow: '168',
      checklist: 'Lock out the supply',
      defaultCertifications: 'EVITP',
    });
    const planned = await createSchedule(db(), admin, schedule(station.id, '2026-11-01'));
    await createDueScheduledOrders(db(), new Date());
    const [order] = await ordersOf(planned.id);
    expect(order).toMatchObject({ status: 'assigned', assigneeId: technician.id });
    const events = await db()
      .select()
      .from(workOrderEvents)
      .where(eq(workOrderEvents.workOrderId, order!.id));
    expect(events.map((e) => e.toStatus)).toEqual(['new', 'assigned']);
  });
});
