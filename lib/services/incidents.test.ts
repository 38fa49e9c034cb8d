import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  chargingStations,
  incidentEvents,
  incidents,
  outages,
  stockLevels,
  stockMovements,
  transactions,
  workOrderEvents,
  workOrders,
} from '@/lib/db/schema';
import { auditPacketOf } from './audit-packet';
import { recordStatus, setOnline, type StationLink } from './charger-link';
import {
  closeIncident,
  detectOfflineStations,
  listIncidents,
  noteBoot,
  noteFirmwareStatus,
  noteSecurityEvent,
  noteSessionEnded,
} from './incidents';
import { listOutages, setOutageExclusion } from './outages';
import { createPart, createStockLocation, receiveStock } from './parts';
import { addCertification } from './technicians';
import { aSite, aUser, anOrganisation } from './testing';
import { confirmChecklistStep, recordPartUse } from './work-order-field';
import { listWorkOrders } from './work-order-views';
import {
  assignWorkOrder,
  createWorkOrder,
  reopenUnverified,
  suggestTechnicians,
  transitionWorkOrder,
} from './work-orders';

// Incident rules over the real services and database: what opens an incident, what adds evidence
// instead of a duplicate, what clears it, and the outage minutes per port in between.
const testDb = setupTestDatabase();
const db = () => testDb.db;

let counter = 0;
async function aStation(siteId?: string) {
  const org = await anOrganisation(db());
  const site = siteId ? { id: siteId } : await aSite(db(), org.id);
  const [row] = await db()
    .insert(chargingStations)
    .values({
      organisationId: org.id,
      siteId: site.id,
      identity: `INC-${Date.now().toString(36)}-${counter++}`,
      registrationStatus: 'accepted',
    })
    .returning();
  const link: StationLink = {
    stationId: row!.id,
    organisationId: org.id,
    siteId: site.id,
    identity: row!.identity,
    registrationStatus: 'accepted',
  };
  return { org, siteId: site.id, link };
}

const at = (iso: string) => new Date(iso);
const report = (evseId: number, status: string, errorCode: string | null = null) => ({
  evseId,
  connectorId: evseId === 0 ? 0 : 1,
  status,
  errorCode,
});

async function incidentsOf(stationId: string) {
  return db().select().from(incidents).where(eq(incidents.stationId, stationId)).orderBy(incidents.createdAt);
}

describe('a faulted connector', () => {
  it('opens one incident with its evidence and an outage, and clears when the connector is Available', async () => {
    const { link } = await aStation();
    await recordStatus(db(), link, report(1, 'Available'), at('2026-11-02T10:00:00Z'));
    await recordStatus(db(), link, report(2, 'Available'), at('2026-11-02T10:00:00Z'));
    await recordStatus(db(), link, report(1, 'Faulted', 'GroundFailure'), at('2026-11-02T10:05:00Z'));
    await recordStatus(db(), link, report(1, 'Faulted', 'GroundFailure'), at('2026-11-02T10:06:00Z'));
    const [incident, ...more] = await incidentsOf(link.stationId);
    expect(more).toEqual([]);
    expect(incident).toMatchObject({
      kind: 'connector_faulted',
      evseId: 1,
      state: 'open',
      errorCode: 'GroundFailure',
      title: expect.stringContaining('GroundFailure'),
    });
    const timeline = await db()
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, incident!.id))
      .orderBy(incidentEvents.id);
    expect(timeline.map((e) => e.kind)).toEqual(['detected', 'work-order', 'evidence']);
    // The default policy: no remediation, a work order at once.
    const [order] = await db().select().from(workOrders).where(eq(workOrders.incidentId, incident!.id));
    expect(order).toMatchObject({ status: 'new', priority: 'high', evseId: 1, kind: 'corrective' });

    // A healthy report of the other EVSE changes nothing; this one's clears it.
    await recordStatus(db(), link, report(2, 'Charging'), at('2026-11-02T10:20:00Z'));
    expect((await incidentsOf(link.stationId))[0]?.state).toBe('open');
    await recordStatus(db(), link, report(1, 'Available'), at('2026-11-02T10:35:30Z'));
    const [cleared] = await incidentsOf(link.stationId);
    expect(cleared).toMatchObject({ state: 'resolved', resolution: 'EVSE 1 reported Available' });
    const [outage] = await db().select().from(outages).where(eq(outages.incidentId, incident!.id));
    expect(outage).toMatchObject({ evseId: 1 });
    expect((outage!.endedAt!.getTime() - outage!.startedAt.getTime()) / 60_000).toBeCloseTo(30.5, 5);
    const notes = await db().select().from(workOrderEvents).where(eq(workOrderEvents.workOrderId, order!.id));
    expect(notes.some((n) => n.note === 'The incident cleared: EVSE 1 reported Available')).toBe(true);
  });

  it('of the whole station takes every port out of service', async () => {
    const { link } = await aStation();
    for (const evse of [1, 2, 3])
      await recordStatus(db(), link, report(evse, 'Available'), at('2026-11-02T09:00:00Z'));
    await recordStatus(db(), link, report(0, 'Faulted', 'PowerSwitchFailure'), at('2026-11-02T10:00:00Z'));
    const [incident] = await incidentsOf(link.stationId);
    expect(incident).toMatchObject({ evseId: 0, title: expect.stringMatching(/^Station faulted/) });
    const ports = await db().select().from(outages).where(eq(outages.incidentId, incident!.id));
    expect(ports.map((p) => p.evseId).sort()).toEqual([1, 2, 3]);
  });
});

describe('a station gone quiet', () => {
  it('becomes an offline incident from its last sign of life, once, and ends at reconnection', async () => {
    const { link } = await aStation();
    await recordStatus(db(), link, report(1, 'Available'), at('2026-11-02T09:00:00Z'));
    await db()
      .update(chargingStations)
      .set({ online: false, lastSeenAt: at('2026-11-02T10:00:00Z') })
      .where(eq(chargingStations.id, link.stationId));
    // Nine minutes is within the default ten.
    await detectOfflineStations(db(), at('2026-11-02T10:09:00Z'));
    expect(await incidentsOf(link.stationId)).toEqual([]);
    await detectOfflineStations(db(), at('2026-11-02T10:11:00Z'));
    await detectOfflineStations(db(), at('2026-11-02T10:12:00Z'));
    const [incident, ...more] = await incidentsOf(link.stationId);
    expect(more).toEqual([]);
    expect(incident).toMatchObject({
      kind: 'station_offline',
      evseId: 0,
      startedAt: at('2026-11-02T10:00:00Z'),
    });
    await setOnline(db(), link, true, at('2026-11-02T10:45:00Z'));
    expect((await incidentsOf(link.stationId))[0]).toMatchObject({ state: 'resolved' });
    const user = await aUser(db(), link.organisationId, { role: 'admin' });
    const list = await listOutages(db(), user, {
      from: at('2026-11-01T00:00:00Z'),
      to: at('2026-11-03T00:00:00Z'),
    });
    expect(list).toMatchObject([
      { evseId: 1, minutes: 45, incidentKind: 'station_offline', excludedReason: null },
    ]);

    // A utility cut is outside the operator's control: excluded, with the evidence, and audited.
    await expect(
      setOutageExclusion(db(), user, list[0]!.id, { reason: 'utility_interruption' }),
    ).rejects.toThrow(/outside your control/);
    const technician = await aUser(db(), link.organisationId, {
      role: 'technician',
      siteIds: [link.siteId!],
    });
    await expect(
      setOutageExclusion(db(), technician, list[0]!.id, { reason: 'vandalism', notes: 'x' }),
    ).rejects.toThrow(/not allowed/);
    await setOutageExclusion(db(), user, list[0]!.id, {
      reason: 'utility_interruption',
      notes: 'Xcel notice 4411',
    });
    const [excluded] = await listOutages(db(), user, {
      from: at('2026-11-01T00:00:00Z'),
      to: at('2026-11-03T00:00:00Z'),
    });
    expect(excluded).toMatchObject({
      excludedReason: 'utility_interruption',
      excludedNotes: 'Xcel notice 4411',
    });

    // The work order's audit packet says so too, with the evidence: it is what an auditor reads.
    const [order] = await db().select().from(workOrders).where(eq(workOrders.incidentId, incident!.id));
    const packet = await auditPacketOf(db(), user, order!.id);
    expect(packet.outages).toEqual([
      expect.objectContaining({
        evseId: 1,
        minutes: 45,
        excluded: true,
        excludedReason: 'Utility power interruption',
        excludedNotes: 'Xcel notice 4411',
      }),
    ]);
  });
});

describe('sessions that never deliver', () => {
  it('open an incident at the third in a row, and a good session clears it', async () => {
    const { link } = await aStation();
    const session = async (energyWh: number, minute: number) => {
      const [row] = await db()
        .insert(transactions)
        .values({
          organisationId: link.organisationId,
          stationId: link.stationId,
          chargerTransactionId: `T${counter++}`,
          ocppVersion: '1.6',
          evseId: 1,
          status: 'completed',
          startedAt: new Date(Date.UTC(2026, 10, 2, 10, minute)),
          stoppedAt: new Date(Date.UTC(2026, 10, 2, 10, minute + 1)),
          energyWh,
        })
        .returning();
      await noteSessionEnded(db(), link, row!, new Date(Date.UTC(2026, 10, 2, 10, minute + 1)));
    };
    await session(0, 0);
    await session(12, 5);
    expect(await incidentsOf(link.stationId)).toEqual([]);
    await session(0, 10);
    const [incident] = await incidentsOf(link.stationId);
    expect(incident).toMatchObject({ kind: 'failed_starts', evseId: 1, state: 'open' });
    expect(incident!.startedAt).toEqual(new Date(Date.UTC(2026, 10, 2, 10, 0)));
    await session(8200, 20);
    expect((await incidentsOf(link.stationId))[0]).toMatchObject({
      state: 'resolved',
      resolution: 'A session delivered 8.20 kWh',
    });
  });
});

describe('boot, firmware and security', () => {
  it('open the incidents the rules name and clear those that can clear', async () => {
    const { link } = await aStation();
    await noteBoot(db(), link, 'rejected', at('2026-11-02T10:00:00Z'));
    await noteFirmwareStatus(db(), link, 'Downloading', at('2026-11-02T10:01:00Z'));
    await noteFirmwareStatus(db(), link, 'InstallationFailed', at('2026-11-02T10:02:00Z'));
    await noteSecurityEvent(
      db(),
      link,
      { type: 'StartupOfTheDevice', at: null, ocppVersion: '2.0.1' },
      at('2026-11-02T10:03:00Z'),
    );
    await noteSecurityEvent(
      db(),
      link,
      { type: 'TamperDetectionActivated', techInfo: 'cabinet door', at: null, ocppVersion: '2.0.1' },
      at('2026-11-02T10:04:00Z'),
    );
    expect((await incidentsOf(link.stationId)).map((i) => [i.kind, i.state])).toEqual([
      ['boot_rejected', 'open'],
      ['firmware_failed', 'open'],
      ['security_event', 'open'],
    ]);
    // Only a rejected boot takes ports out of service.
    const withOutages = await db().select().from(outages).where(eq(outages.stationId, link.stationId));
    expect(withOutages).toEqual([]);
    await noteBoot(db(), link, 'accepted', at('2026-11-02T10:10:00Z'));
    await noteFirmwareStatus(db(), link, 'Installed', at('2026-11-02T10:11:00Z'));
    expect((await incidentsOf(link.stationId)).map((i) => i.state)).toEqual(['resolved', 'resolved', 'open']);
    // The security event waits for a person.
    const admin = await aUser(db(), link.organisationId, { role: 'admin' });
    const [security] = await listIncidents(db(), admin, { state: 'open', stationId: link.stationId });
    await closeIncident(db(), admin, security!.id, 'door was opened by our own contractor');
    expect((await incidentsOf(link.stationId)).every((i) => i.state === 'resolved')).toBe(true);
  });
});

describe('work orders', () => {
  it('go only to eligible technicians of the site, use parts from the van and reopen unverified', async () => {
    const { link, siteId, org } = await aStation();
    const admin = await aUser(db(), org.id, { role: 'admin' });
    const certified = await aUser(db(), org.id, { role: 'technician', siteIds: [siteId] });
    const lapsed = await aUser(db(), org.id, { role: 'technician', siteIds: [siteId] });
    const elsewhere = await aUser(db(), org.id, {
      role: 'technician',
      siteIds: [(await aSite(db(), org.id)).id],
    });
    await addCertification(db(), admin, certified.id, { name: 'EVITP', expiresOn: '2099-12-31' });
    await addCertification(db(), admin, lapsed.id, { name: 'EVITP', expiresOn: '2020-12-31' });
    await db()
      .insert(chargingStations)
      .values({ organisationId: org.id, identity: `OTHER-${counter++}` });
    await recordStatus(db(), link, report(1, 'Faulted', 'OverCurrentFailure'), at('2026-11-02T10:00:00Z'));
    const [order] = await listWorkOrders(db(), admin, { stationId: link.stationId });
    await db()
      .update(workOrders)
      .set({ requiredCertifications: ['EVITP'] })
      .where(eq(workOrders.id, order!.id));

    const ranked = await suggestTechnicians(db(), admin, order!.id, at('2026-11-02T10:30:00Z'));
    expect(ranked.map((r) => [r.userId, r.eligible])).toEqual([
      [certified.id, true],
      [lapsed.id, false],
    ]);
    await expect(assignWorkOrder(db(), admin, order!.id, { technicianId: lapsed.id })).rejects.toThrow(
      /EVITP/,
    );
    await expect(assignWorkOrder(db(), admin, order!.id, { technicianId: elsewhere.id })).rejects.toThrow(
      /works at this site/,
    );
    await assignWorkOrder(db(), admin, order!.id, { technicianId: certified.id });
    // The other technician cannot see it at all.
    await expect(transitionWorkOrder(db(), lapsed, order!.id, { to: 'accepted' })).rejects.toThrow(
      /not found/,
    );

    const part = await createPart(db(), admin, { sku: 'CT-1', name: 'Contactor', unitCostMinor: '89.00' });
    const van = await createStockLocation(db(), admin, { kind: 'van', technicianId: certified.id });
    await receiveStock(db(), admin, { partId: part.id, locationId: van.id, quantity: 2 });
    for (const to of ['accepted', 'on_site'] as const)
      await transitionWorkOrder(db(), certified, order!.id, { to });
    const { checklist } = (await db().select().from(workOrders).where(eq(workOrders.id, order!.id)))[0]!;
    for (let i = 0; i < checklist.length; i++) await confirmChecklistStep(db(), certified, order!.id, i);
    await transitionWorkOrder(db(), certified, order!.id, { to: 'in_progress' });
    await expect(recordPartUse(db(), certified, order!.id, { partId: part.id, quantity: 3 })).rejects.toThrow(
      /holds 2/,
    );
    await recordPartUse(db(), certified, order!.id, { partId: part.id, quantity: 2 });
    await transitionWorkOrder(db(), certified, order!.id, { to: 'resolved' }, at('2026-11-02T12:00:00Z'));
    const [level] = await db()
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.locationId, van.id), eq(stockLevels.partId, part.id)));
    expect(level?.quantity).toBe(0);
    const used = await db().select().from(stockMovements).where(eq(stockMovements.workOrderId, order!.id));
    expect(used).toMatchObject([{ kind: 'used', quantity: 2, fromLocationId: van.id }]);

    // Nothing healthy from the station within the window: the repair is not taken on trust.
    expect(await reopenUnverified(db(), at('2026-11-02T12:20:00Z'), 30)).toBe(0);
    expect(await reopenUnverified(db(), at('2026-11-02T12:31:00Z'), 30)).toBe(1);
    const [reopened] = await db().select().from(workOrders).where(eq(workOrders.id, order!.id));
    expect(reopened).toMatchObject({ status: 'accepted', resolvedAt: null });
  });
});

describe('a healthy report after a repair', () => {
  it('verifies a resolved work order even at a station whose reports had nothing to clear', async () => {
    const { link, siteId, org } = await aStation();
    const admin = await aUser(db(), org.id, { role: 'admin' });
    const technician = await aUser(db(), org.id, { role: 'technician', siteIds: [siteId] });
    // Healthy reports with nothing open: the station's reports skip the clearing from here on.
    for (let i = 0; i < 3; i++) await recordStatus(db(), link, report(1, 'Available'), new Date());
    const order = await createWorkOrder(db(), admin, {
      stationId: link.stationId,
      kind: 'preventive',
      priority: 'low',
      title: 'Six-monthly inspection',
      requiredCertifications: '',
      requiredSkills: '',
    });
    await assignWorkOrder(db(), admin, order.id, { technicianId: technician.id });
    for (const to of ['accepted', 'on_site'] as const)
      await transitionWorkOrder(db(), technician, order.id, { to });
    const { checklist } = (await db().select().from(workOrders).where(eq(workOrders.id, order.id)))[0]!;
    for (let i = 0; i < checklist.length; i++) await confirmChecklistStep(db(), technician, order.id, i);
    for (const to of ['in_progress', 'resolved'] as const)
      await transitionWorkOrder(db(), technician, order.id, { to });
    // The resolution made the station worth clearing again: its next healthy report verifies.
    await recordStatus(db(), link, report(1, 'Available'), new Date());
    const [verified] = await db().select().from(workOrders).where(eq(workOrders.id, order.id));
    expect(verified).toMatchObject({ status: 'verified' });
  });
});

describe('scheduled maintenance', () => {
  it('excludes an outage that begins while a preventive work order is on site, and counts others', async () => {
    const { link, siteId, org } = await aStation();
    const admin = await aUser(db(), org.id, { role: 'admin' });
    const technician = await aUser(db(), org.id, { role: 'technician', siteIds: [siteId] });
    await recordStatus(db(), link, report(1, 'Available'), new Date());
    const order = await createWorkOrder(db(), admin, {
      stationId: link.stationId,
      kind: 'preventive',
      priority: 'low',
      title: 'Six-monthly inspection',
      requiredCertifications: '',
      requiredSkills: '',
    });
    await assignWorkOrder(db(), admin, order.id, { technicianId: technician.id });
    for (const to of ['accepted', 'on_site'] as const)
      await transitionWorkOrder(db(), technician, order.id, { to });

    // Lock-out for the inspection: the connector goes out of service.
    await recordStatus(db(), link, report(1, 'Faulted', 'OtherError'), new Date());
    const period = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) };
    const [outage] = await listOutages(db(), admin, period);
    expect(outage).toMatchObject({
      evseId: 1,
      excludedReason: 'scheduled_maintenance',
      excludedNotes: `Preventive work order WO-${order.number} was in progress at the station`,
    });
    const [incident] = await incidentsOf(link.stationId);
    const timeline = await db()
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, incident!.id));
    expect(timeline.map((e) => e.summary)).toContainEqual(expect.stringMatching(/scheduled maintenance/));

    // Once the order has left the site, a new fault counts against uptime.
    await recordStatus(db(), link, report(1, 'Available'), new Date());
    await db().update(workOrders).set({ status: 'resolved' }).where(eq(workOrders.id, order.id));
    await recordStatus(db(), link, report(1, 'Faulted', 'GroundFailure'), new Date());
    const counted = (await listOutages(db(), admin, period)).filter((o) => o.excludedReason === null);
    expect(counted).toHaveLength(1);
  });
});
