import { beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import {
  incidentEvents,
  incidents,
  outages,
  stationCommands,
  workOrderEvents,
  workOrders,
} from '@/lib/db/schema';
import { setupOcppHarness, waitFor } from '@/lib/ocpp/testing';
import { setMaintenancePolicy } from '@/lib/services/maintenance-settings';
import { addCertification } from '@/lib/services/technicians';
import { aUser } from '@/lib/services/testing';
import type { SessionUser } from '@/lib/services/users';
import { askStationToConfirmRepair, confirmChecklistStep } from '@/lib/services/work-order-field';
import { transitionWorkOrder } from '@/lib/services/work-orders';
import { SimulatedStation } from '@/lib/simulator/station';
import { runDueRemediation } from './remediation';
import type { CommandDeps } from './send';

// From a fault to a verified repair over real WebSockets: a simulated charger (each OCPP version)
// reports Faulted, ChargeOps opens an incident, resets the station by its remediation plan, gives
// up and creates a work order assigned to the only certified technician, who works it on site;
// the charger's own report after the repair verifies it (or reopens it).
const h = setupOcppHarness();
let port: number;
let gateway: CommandDeps['gateway'];
let admin: SessionUser;
let technician: SessionUser;
let uncertified: SessionUser;
// The remediation clock runs ahead of real time to skip the plan's waits.
let aheadMs = 0;
const deps = (): CommandDeps => ({
  gateway,
  timeoutMs: 3000,
  now: () => new Date(Date.now() + aheadMs),
  publicUrl: '',
});

beforeAll(async () => {
  const endpoint = await h.startEndpoint('off', { commandTimeoutMs: 3000 });
  port = endpoint.port;
  gateway = endpoint.ocpp.gateway;
  admin = await aUser(h.db, h.scope.organisationId, { role: 'admin' });
  technician = await aUser(h.db, h.scope.organisationId, { role: 'technician', siteIds: [h.scope.siteId] });
  uncertified = await aUser(h.db, h.scope.organisationId, { role: 'technician', siteIds: [h.scope.siteId] });
  await addCertification(h.db, admin, technician.id, { name: 'EVITP', expiresOn: '2099-01-01' });
  await addCertification(h.db, admin, uncertified.id, { name: 'EVITP', expiresOn: '2020-01-01' });
  await setMaintenancePolicy(h.db, admin, {
    offlineAfterMinutes: '10',
    failedStartsInARow: '3',
    minSessionWh: '50',
    remediationEnabled: 'on',
    remediationPlan: 'soft-reset, wait 1',
    autoWorkOrder: 'on',
    autoAssign: 'on',
    slaCritical: '4',
    slaHigh: '24',
    slaNormal: '72',
    slaLow: '168',
    checklist: 'Lock out the supply\nWear PPE',
    defaultCertifications: 'EVITP',
  });
});

async function openIncidentOf(stationId: string) {
  const [row] = await h.db
    .select()
    .from(incidents)
    .where(and(eq(incidents.stationId, stationId), eq(incidents.state, 'open')));
  return row;
}

async function orderOf(incidentId: string) {
  const [row] = await h.db.select().from(workOrders).where(eq(workOrders.incidentId, incidentId));
  return row;
}

describe.each(['ocpp1.6', 'ocpp2.0.1'] as const)('a fault on a %s charger', (protocol) => {
  it('is remediated, dispatched, repaired on site and verified by the charger', async () => {
    const known = await h.aKnownStation();
    const station = new SimulatedStation({
      url: `ws://127.0.0.1:${port}/ocpp`,
      identity: known.identity,
      protocol,
      password: known.password,
      connectors: 2,
      autoSessions: false,
      rebootDelayMs: 100,
    });
    try {
      await station.start();
      aheadMs = 0;
      await station.setFaulted(1, true);
      const incident = await waitFor(
        () => openIncidentOf(known.id),
        (row) => row !== undefined,
      );
      expect(incident).toMatchObject({ kind: 'connector_faulted', evseId: 1, remediationState: 'running' });
      const [outage] = await h.db.select().from(outages).where(eq(outages.incidentId, incident!.id));
      expect(outage).toMatchObject({ evseId: 1, endedAt: null });

      // Step 1: a soft reset reaches the charger; it reboots with the fault still there.
      expect(await runDueRemediation(h.db, deps())).toBe(1);
      const [reset] = await h.db
        .select()
        .from(stationCommands)
        .where(eq(stationCommands.stationId, known.id))
        .orderBy(desc(stationCommands.createdAt));
      expect(reset).toMatchObject({
        kind: 'reset',
        status: 'accepted',
        requestedByLabel: 'ChargeOps remediation',
      });
      // Step 2 waits a minute: nothing is due until the clock passes it.
      expect(await runDueRemediation(h.db, deps())).toBe(1);
      expect(await runDueRemediation(h.db, deps())).toBe(0);
      aheadMs = 61_000;
      // The plan is spent with the fault still reported: the work order goes to the certified technician.
      expect(await runDueRemediation(h.db, deps())).toBe(1);
      aheadMs = 0;
      const order = await orderOf(incident!.id);
      expect(order).toMatchObject({ status: 'assigned', assigneeId: technician.id, priority: 'high' });
      const timeline = await h.db
        .select()
        .from(incidentEvents)
        .where(eq(incidentEvents.incidentId, incident!.id))
        .orderBy(incidentEvents.id);
      expect(timeline.map((e) => e.kind)).toEqual(
        expect.arrayContaining(['detected', 'remediation', 'evidence', 'work-order']),
      );
      expect(timeline.some((e) => e.summary.includes('Soft reset — accepted'))).toBe(true);
      expect((await openIncidentOf(known.id))?.remediationState).toBe('exhausted');

      // On site: the checklist comes before the work.
      for (const to of ['accepted', 'en_route', 'on_site'] as const)
        await transitionWorkOrder(h.db, technician, order!.id, { to });
      await expect(transitionWorkOrder(h.db, technician, order!.id, { to: 'in_progress' })).rejects.toThrow(
        /safety checklist/,
      );
      await confirmChecklistStep(h.db, technician, order!.id, 0);
      await confirmChecklistStep(h.db, technician, order!.id, 1);
      await transitionWorkOrder(h.db, technician, order!.id, { to: 'in_progress' });

      // Resolved while the connector still faults: the charger's answer reopens the order.
      await transitionWorkOrder(h.db, technician, order!.id, { to: 'resolved' });
      await askStationToConfirmRepair(h.db, order!, deps());
      const reopened = await waitFor(
        () => orderOf(incident!.id),
        (row) => row?.status === 'accepted',
      );
      expect(reopened?.status).toBe('accepted');

      // The real repair: the connector reports Available, the incident and its outage end.
      await station.setFaulted(1, false);
      await waitFor(
        () => openIncidentOf(known.id),
        (row) => row === undefined,
      );
      const [ended] = await h.db.select().from(outages).where(eq(outages.incidentId, incident!.id));
      expect(ended?.endedAt).toBeInstanceOf(Date);
      await transitionWorkOrder(h.db, technician, order!.id, { to: 'on_site' });
      await confirmChecklistStep(h.db, technician, order!.id, 0);
      await confirmChecklistStep(h.db, technician, order!.id, 1);
      await transitionWorkOrder(h.db, technician, order!.id, { to: 'in_progress' });
      await transitionWorkOrder(h.db, technician, order!.id, { to: 'resolved' });
      await askStationToConfirmRepair(h.db, order!, deps());
      const verified = await waitFor(
        () => orderOf(incident!.id),
        (row) => row?.status === 'verified',
      );
      expect(verified?.verifiedAt).toBeInstanceOf(Date);
      const events = await h.db
        .select()
        .from(workOrderEvents)
        .where(eq(workOrderEvents.workOrderId, order!.id))
        .orderBy(workOrderEvents.id);
      const statuses = events.filter((e) => e.toStatus).map((e) => [e.toStatus, e.actorLabel]);
      expect(statuses).toEqual([
        ['new', 'ChargeOps'],
        ['assigned', 'ChargeOps'],
        ['accepted', technician.name],
        ['en_route', technician.name],
        ['on_site', technician.name],
        ['in_progress', technician.name],
        ['resolved', technician.name],
        ['accepted', 'ChargeOps'],
        ['on_site', technician.name],
        ['in_progress', technician.name],
        ['resolved', technician.name],
        ['verified', 'ChargeOps'],
      ]);
      expect(events.find((e) => e.toStatus === 'verified')?.note).toMatch(/EVSE 1 reported Available/);
    } finally {
      await station.stop();
    }
  });
});

it('a fault that a reset clears ends the plan as recovered, with no work order', async () => {
  const known = await h.aKnownStation();
  const station = new SimulatedStation({
    url: `ws://127.0.0.1:${port}/ocpp`,
    identity: known.identity,
    protocol: 'ocpp1.6',
    password: known.password,
    connectors: 1,
    autoSessions: false,
    rebootDelayMs: 100,
  });
  try {
    await station.start();
    aheadMs = 0;
    await station.setFaulted(1, true);
    const incident = await waitFor(
      () => openIncidentOf(known.id),
      (row) => row !== undefined,
    );
    await runDueRemediation(h.db, deps());
    // The station reboots for the reset and comes back; then its fault goes.
    await waitFor(
      async () => station.accepted,
      (accepted) => !accepted,
    );
    await waitFor(
      async () => station.accepted,
      (accepted) => accepted,
    );
    await station.setFaulted(1, false);
    const [cleared] = await waitFor(
      () => h.db.select().from(incidents).where(eq(incidents.id, incident!.id)),
      ([row]) => row?.state === 'resolved',
    );
    expect(cleared).toMatchObject({ state: 'resolved', remediationState: 'recovered' });
    aheadMs = 120_000;
    await runDueRemediation(h.db, deps());
    aheadMs = 0;
    expect(await orderOf(incident!.id)).toBeUndefined();
  } finally {
    await station.stop();
  }
});
