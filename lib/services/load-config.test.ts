import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  accessGrants,
  accessPolicies,
  auditLog,
  authorizationAttempts,
  driverGroupMembers,
  driverGroups,
  evses,
  loadNodes,
  meterValues,
  stationLoadSettings,
  transactions,
} from '@/lib/db/schema';
import { subscribe } from '@/lib/realtime/bus';
import type { DomainEvent } from '@/lib/realtime/events';
import {
  deleteLoadNode,
  overrideSession,
  recordBuildingLoad,
  saveEvseLoad,
  saveLoadNode,
  saveSiteLoadSettings,
  saveStationLoad,
  setGroupPriority,
} from './load-config';
import { loadSiteModel } from './load-inputs';
import { getSiteLoadView, listLoadSites } from './load-views';
import { aDriverToken, aSite, aStation, aUser, anOrganisation, expectError } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

const gridConnection = (siteId: string) => ({
  siteId,
  kind: 'site' as 'site' | 'feeder' | 'panel' | 'circuit',
  name: 'Grid connection',
  voltage: '230',
  phases: '3',
  limitUnit: 'A' as 'A' | 'kW',
  limitValue: '63',
  safetyMarginPercent: '10',
  schedule: JSON.stringify([{ days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', unit: 'kW', value: 30 }]),
});

async function aManagedSite() {
  const org = await anOrganisation(db);
  const site = await aSite(db, org.id, { gridCapacityW: 100_000 });
  const admin = await aUser(db, org.id);
  const root = await saveLoadNode(db, admin, gridConnection(site.id));
  return { org, site, admin, root };
}

describe('the electrical tree', () => {
  it('starts with the grid connection, audits each change and reruns the site', async () => {
    const events: DomainEvent[] = [];
    const stop = subscribe((e) => events.push(e));
    const { site, admin, root } = await aManagedSite();
    stop();
    expect(root).toMatchObject({
      kind: 'site',
      parentId: null,
      limitUnit: 'A',
      limitValue: 63,
      safetyMarginPercent: 10,
    });
    expect(root.schedule).toEqual([
      { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', limit: { unit: 'W', value: 30_000 } },
    ]);
    expect(events).toContainEqual({
      type: 'load:changed',
      organisationId: admin.organisationId,
      siteId: site.id,
    });
    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, site.id));
    expect(audit.map((a) => a.action)).toContain('load.node.create');

    const panel = await saveLoadNode(db, admin, {
      ...gridConnection(site.id),
      kind: 'panel',
      name: 'Garage panel',
      limitValue: '40',
      schedule: '[]',
    });
    expect(panel).toMatchObject({ parentId: root.id, kind: 'panel' });
  });

  it('refuses a child that could never use its limit, next to the field', async () => {
    const { site, admin } = await aManagedSite();
    const error = await expectError(
      saveLoadNode(db, admin, {
        ...gridConnection(site.id),
        kind: 'circuit',
        name: 'Too big',
        limitValue: '80',
      }),
      'validation',
    );
    expect(error.fieldErrors?.limitValue).toMatch(
      /Above what “Grid connection” can ever give \(63 A per phase\)/,
    );
  });

  it('refuses a grid connection above the site’s capacity', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id, { gridCapacityW: 20_000 });
    const admin = await aUser(db, org.id);
    const error = await expectError(saveLoadNode(db, admin, gridConnection(site.id)), 'validation');
    expect(error.fieldErrors?.limitValue).toMatch(/grid connection \(20 kW/);
  });

  it('reads a bad schedule and a missing unit as field errors', async () => {
    const { site, admin } = await aManagedSite();
    const error = await expectError(
      saveLoadNode(db, admin, {
        ...gridConnection(site.id),
        kind: 'circuit',
        name: 'C',
        limitValue: '10',
        schedule: JSON.stringify([{ days: [], start: '08:00', end: '08:00', unit: 'A', value: 5 }]),
      }),
      'validation',
    );
    expect(error.fieldErrors?.schedule).toMatch(/choose at least one day/);
  });

  it('keeps a scheduled limit’s name and refuses one without a value', async () => {
    const { site, admin, root } = await aManagedSite();
    const named = [
      { days: [1, 2, 3, 4, 5], start: '16:00', end: '21:00', unit: 'A', value: 40, label: ' Utility peak ' },
    ];
    const saved = await saveLoadNode(db, admin, {
      ...gridConnection(site.id),
      id: root.id,
      schedule: JSON.stringify(named),
    });
    expect(saved.schedule).toEqual([
      {
        days: [1, 2, 3, 4, 5],
        start: '16:00',
        end: '21:00',
        label: 'Utility peak',
        limit: { unit: 'A', value: 40 },
      },
    ]);
    const blank = [{ ...named[0], value: '' }];
    const error = await expectError(
      saveLoadNode(db, admin, { ...gridConnection(site.id), id: root.id, schedule: JSON.stringify(blank) }),
      'validation',
    );
    expect(error.fieldErrors?.schedule).toBe('Scheduled limit 1: enter a limit in A or kW');
  });

  it('moves a node to another parent, but not under itself', async () => {
    const { site, admin, root } = await aManagedSite();
    const node = (name: string, parentId: string) =>
      saveLoadNode(db, admin, {
        ...gridConnection(site.id),
        kind: 'panel',
        name,
        parentId,
        limitValue: '30',
        schedule: '[]',
      });
    const a = await node('A', root.id);
    const b = await node('B', root.id);
    const moved = await saveLoadNode(db, admin, {
      ...gridConnection(site.id),
      id: b.id,
      kind: 'panel',
      name: 'B',
      parentId: a.id,
      limitValue: '30',
      schedule: '[]',
    });
    expect(moved.parentId).toBe(a.id);
    const error = await expectError(
      saveLoadNode(db, admin, {
        ...gridConnection(site.id),
        id: a.id,
        kind: 'panel',
        name: 'A',
        parentId: b.id,
        limitValue: '30',
        schedule: '[]',
      }),
      'validation',
    );
    expect(error.fieldErrors?.parentId).toBe('Choose a node outside this branch');
  });

  it('keeps the grid connection and nodes that have children', async () => {
    const { site, admin, root } = await aManagedSite();
    await expectError(deleteLoadNode(db, admin, root.id), 'precondition_failed');
    const panel = await saveLoadNode(db, admin, {
      ...gridConnection(site.id),
      kind: 'panel',
      name: 'P',
      limitValue: '40',
      schedule: '[]',
    });
    const circuit = await saveLoadNode(db, admin, {
      ...gridConnection(site.id),
      kind: 'circuit',
      parentId: panel.id,
      name: 'C',
      limitValue: '20',
      schedule: '[]',
    });
    await expectError(deleteLoadNode(db, admin, panel.id), 'precondition_failed');
    await deleteLoadNode(db, admin, circuit.id);
    await deleteLoadNode(db, admin, panel.id);
    expect(await db.select().from(loadNodes).where(eq(loadNodes.siteId, site.id))).toHaveLength(1);
  });
});

describe('permissions and scope', () => {
  it('refuses technicians and managers of other sites', async () => {
    const { org, site } = await aManagedSite();
    const technician = await aUser(db, org.id, { role: 'technician', siteIds: [site.id] });
    await expectError(saveLoadNode(db, technician, gridConnection(site.id)), 'forbidden');
    await expectError(getSiteLoadView(db, technician, site.id, new Date()), 'forbidden');
    const other = await aSite(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [other.id] });
    await expectError(saveLoadNode(db, manager, { ...gridConnection(site.id), name: 'X' }), 'forbidden');
    expect((await listLoadSites(db, manager)).map((s) => s.id)).toEqual([other.id]);
  });
});

describe('stations, EVSEs, sessions and groups', () => {
  it('places a station, pins its maximum, and sets what an EVSE may draw', async () => {
    const { org, site, admin, root } = await aManagedSite();
    const station = await aStation(db, org.id, site.id);
    await db.insert(evses).values({ stationId: station.id, evseId: 1 });
    await saveStationLoad(db, admin, { stationId: station.id, nodeId: root.id, pinnedMaxA: '16' });
    const [settings] = await db
      .select()
      .from(stationLoadSettings)
      .where(eq(stationLoadSettings.stationId, station.id));
    expect(settings).toMatchObject({ nodeId: root.id, pinnedMaxA: 16, pinnedByUserId: admin.id });
    const error = await expectError(
      saveEvseLoad(db, admin, {
        stationId: station.id,
        evseId: '1',
        minCurrentA: '10',
        maxCurrentA: '8',
        phases: '3',
      }),
      'validation',
    );
    expect(error.fieldErrors?.maxCurrentA).toBe('The maximum cannot be below the minimum');
    await saveEvseLoad(db, admin, {
      stationId: station.id,
      evseId: '1',
      minCurrentA: '8',
      maxCurrentA: '',
      phases: '1',
      line: '2',
    });
    const model = await loadSiteModel(db, site.id, new Date());
    expect(model?.stations[0]).toMatchObject({
      pinnedMaxA: 16,
      evses: [{ evseId: 1, minA: 8, maxA: null, phases: 1, line: 2 }],
    });
  });

  it('pauses, caps and releases a running session; an ended one cannot be', async () => {
    const { org, site, admin } = await aManagedSite();
    const station = await aStation(db, org.id, site.id);
    const [session] = await db
      .insert(transactions)
      .values({
        organisationId: org.id,
        stationId: station.id,
        chargerTransactionId: 'T1',
        ocppVersion: '1.6',
        evseId: 1,
      })
      .returning();
    const id = session!.id;
    await overrideSession(db, admin, { transactionId: id, action: 'cap', capA: '10' });
    expect((await loadSiteModel(db, site.id, new Date()))?.sessions[0]?.override).toEqual({
      paused: false,
      capA: 10,
    });
    await overrideSession(db, admin, { transactionId: id, action: 'pause' });
    expect((await loadSiteModel(db, site.id, new Date()))?.sessions[0]?.override).toEqual({
      paused: true,
      capA: null,
    });
    await overrideSession(db, admin, { transactionId: id, action: 'release' });
    expect((await loadSiteModel(db, site.id, new Date()))?.sessions[0]?.override).toBeNull();
    await db.update(transactions).set({ status: 'completed' }).where(eq(transactions.id, id));
    await expectError(
      overrideSession(db, admin, { transactionId: id, action: 'pause' }),
      'precondition_failed',
    );
  });

  it('gives a session its driver’s highest group priority and the power cap of the grant it charges under', async () => {
    const { org, site } = await aManagedSite();
    const station = await aStation(db, org.id, site.id);
    const { driver } = await aDriverToken(db, org.id, 'CARD-FLEET');
    const [fleet, visitors] = await db
      .insert(driverGroups)
      .values([
        { organisationId: org.id, name: 'Fleet', loadPriority: 5 },
        { organisationId: org.id, name: 'Visitors', loadPriority: 1 },
      ])
      .returning();
    await db.insert(driverGroupMembers).values([
      { groupId: fleet!.id, driverId: driver.id },
      { groupId: visitors!.id, driverId: driver.id },
    ]);
    const [policy] = await db
      .insert(accessPolicies)
      .values({ organisationId: org.id, siteId: site.id, mode: 'restricted' })
      .returning();
    await db.insert(accessGrants).values({ policyId: policy!.id, groupId: fleet!.id, maxPowerW: 7_400 });
    const [session] = await db
      .insert(transactions)
      .values({
        organisationId: org.id,
        stationId: station.id,
        chargerTransactionId: 'T9',
        ocppVersion: '1.6',
        evseId: 1,
        idToken: 'card-fleet',
      })
      .returning();
    await db.insert(authorizationAttempts).values({
      organisationId: org.id,
      stationId: station.id,
      idToken: 'CARD-FLEET',
      source: 'StartTransaction',
      status: 'Accepted',
      reason: 'Allowed for Fleet',
      groupId: fleet!.id,
      transactionId: session!.id,
    });
    const model = await loadSiteModel(db, site.id, new Date());
    expect(model?.sessions[0]).toMatchObject({ priority: 5, groupMaxPowerW: 7_400, driverName: driver.name });
  });

  it('sets a group’s priority between 1 and 5', async () => {
    const { org, admin } = await aManagedSite();
    const [group] = await db
      .insert(driverGroups)
      .values({ organisationId: org.id, name: 'Fleet' })
      .returning();
    await setGroupPriority(db, admin, { groupId: group!.id, loadPriority: '5' });
    const [row] = await db.select().from(driverGroups).where(eq(driverGroups.id, group!.id));
    expect(row?.loadPriority).toBe(5);
    const error = await expectError(
      setGroupPriority(db, admin, { groupId: group!.id, loadPriority: '9' }),
      'validation',
    );
    expect(error.fieldErrors?.loadPriority).toBe('From 1 (low) to 5 (high)');
  });
});

describe('the building load', () => {
  it('takes readings from the API only where the site says so, and falls back when they go stale', async () => {
    const { site, admin } = await aManagedSite();
    const now = new Date('2026-11-28T12:00:00Z');
    await expectError(recordBuildingLoad(db, admin, site.id, { watts: 5_000 }, now), 'precondition_failed');
    await saveSiteLoadSettings(db, admin, {
      siteId: site.id,
      enabled: 'on',
      nonEvSource: 'api',
      nonEvStaleSeconds: '120',
      fallbackUnit: 'A',
      fallbackValue: '20',
    });
    await recordBuildingLoad(db, admin, site.id, { amps: [10, 12, 8] }, now);
    const fresh = await loadSiteModel(db, site.id, new Date(now.getTime() + 60_000));
    expect(fresh?.nonEv?.reading).toMatchObject({ amps: [10, 12, 8] });
    const view = await getSiteLoadView(db, admin, site.id, now);
    expect(view.root).toMatchObject({ nonEvSource: 'api', fallbackUnit: 'A', fallbackValue: 20 });
  });

  it('reads the building from a station meter on connector 0, per phase', async () => {
    const { org, site, admin } = await aManagedSite();
    const meter = await aStation(db, org.id, site.id, 'METER');
    await saveSiteLoadSettings(db, admin, {
      siteId: site.id,
      enabled: 'on',
      nonEvSource: 'meter',
      nonEvStationId: meter.id,
      fallbackUnit: 'kW',
      fallbackValue: '10',
    });
    const at = new Date();
    await db.insert(meterValues).values(
      (['L1', 'L2', 'L3'] as const).map((phase, i) => ({
        stationId: meter.id,
        evseId: 0,
        sampledAt: at,
        measurand: 'Current.Import',
        phase,
        value: 20 + i,
        unit: 'A',
      })),
    );
    const model = await loadSiteModel(db, site.id, new Date(at.getTime() + 1000));
    expect(model?.nonEv).toMatchObject({
      reading: { amps: [20, 21, 22], at: at.getTime() },
      fallbackLimit: { unit: 'W', value: 10_000 },
    });
  });

  it('refuses a reading for a site that is not there or not the caller’s', async () => {
    const { admin } = await aManagedSite();
    await expectError(recordBuildingLoad(db, admin, 'not-a-site', { watts: 1 }, new Date()), 'not_found');
  });

  it('needs a meter station and a fallback when the building is measured', async () => {
    const { site, admin } = await aManagedSite();
    const error = await expectError(
      saveSiteLoadSettings(db, admin, { siteId: site.id, enabled: 'on', nonEvSource: 'meter' }),
      'validation',
    );
    expect(error.fieldErrors).toMatchObject({
      nonEvStationId: 'Choose the station whose meter measures the building',
      fallbackValue: 'Set the limit chargers get while the building reading is missing or stale',
    });
  });

  it('a site switched off is not managed', async () => {
    const { site, admin } = await aManagedSite();
    expect(await loadSiteModel(db, site.id, new Date())).not.toBeNull();
    await saveSiteLoadSettings(db, admin, { siteId: site.id, enabled: '', nonEvSource: 'none' });
    expect(await loadSiteModel(db, site.id, new Date())).toBeNull();
  });
});
