import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { ReportedVariable } from '@/lib/commands/types';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  auditLog,
  chargingStations,
  configurationDefaults,
  stationCommands,
  stationVariables,
} from '@/lib/db/schema';
import { recommendedDefaults } from '@/lib/domain/configuration/defaults';
import {
  getStationConfiguration,
  hasConfigurationDefaults,
  listConfigurationDefaults,
  recordDeviceModelReport,
  removeConfigurationDefault,
  seedRecommendedDefaults,
  setConfigurationDefault,
  storeReportedVariables,
  wantedConfiguration,
} from './configuration';
import { aSite, aUser, anOrganisation } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

const now = new Date('2026-11-20T08:00:00.000Z');
let n = 0;

/** An organisation with two sites and a station (of the given version) on the first. */
async function aScope(ocppVersion: string | null = '1.6') {
  const org = await anOrganisation(db);
  const [site, otherSite] = [await aSite(db, org.id), await aSite(db, org.id)];
  const [station] = await db
    .insert(chargingStations)
    .values({
      organisationId: org.id,
      siteId: site.id,
      identity: `CFG-${Date.now().toString(36)}-${n++}`,
      ocppVersion,
      registrationStatus: 'accepted',
    })
    .returning();
  if (!station) throw new Error('no station');
  return { org, site, otherSite, station };
}

const v16 = (variable: string, value: string, readonly: boolean | null = false): ReportedVariable => ({
  component: '',
  componentInstance: '',
  evseId: 0,
  connectorId: 0,
  variable,
  variableInstance: '',
  attributeType: 'Actual',
  value,
  readonly,
});
const v201 = (
  component: string,
  variable: string,
  value: string,
  extra: Partial<ReportedVariable> = {},
): ReportedVariable => ({ ...v16(variable, value, null), component, ...extra });

const stored = async (stationId: string) =>
  (
    await db
      .select()
      .from(stationVariables)
      .where(eq(stationVariables.stationId, stationId))
      .orderBy(asc(stationVariables.component), asc(stationVariables.variable))
  ).map((v) => ({
    key: v.component ? `${v.component}.${v.variable}` : v.variable,
    value: v.value,
    readonly: v.readonly,
    mutability: v.mutability,
    dataType: v.dataType,
    unit: v.unit,
  }));

describe('storeReportedVariables', () => {
  it('upserts; an answer that does not state the read-only flag keeps the known one and the characteristics', async () => {
    const { station } = await aScope('2.0.1');
    await storeReportedVariables(
      db,
      station.id,
      [
        v201('OCPPCommCtrlr', 'HeartbeatInterval', '300', {
          readonly: true,
          mutability: 'ReadOnly',
          dataType: 'integer',
          unit: 's',
        }),
      ],
      now,
    );
    await storeReportedVariables(db, station.id, [v201('OCPPCommCtrlr', 'HeartbeatInterval', '60')], now);
    expect(await stored(station.id)).toEqual([
      {
        key: 'OCPPCommCtrlr.HeartbeatInterval',
        value: '60',
        readonly: true,
        mutability: 'ReadOnly',
        dataType: 'integer',
        unit: 's',
      },
    ]);
    // A stated flag replaces the known one; characteristics left out are kept.
    await storeReportedVariables(
      db,
      station.id,
      [v201('OCPPCommCtrlr', 'HeartbeatInterval', '90', { readonly: false, mutability: 'ReadWrite' })],
      now,
    );
    expect(await stored(station.id)).toEqual([
      {
        key: 'OCPPCommCtrlr.HeartbeatInterval',
        value: '90',
        readonly: false,
        mutability: 'ReadWrite',
        dataType: 'integer',
        unit: 's',
      },
    ]);
  });

  it('a full read replaces only its own kind: 1.6 keys or the device model', async () => {
    const { station } = await aScope();
    await storeReportedVariables(
      db,
      station.id,
      [v16('A', '1'), v16('B', '2'), v201('EVSE', 'Power', '1')],
      now,
    );
    await storeReportedVariables(db, station.id, [v16('B', '3')], now, { replaceKeys: true });
    expect((await stored(station.id)).map((v) => `${v.key}=${v.value}`)).toEqual(['B=3', 'EVSE.Power=1']);
    await storeReportedVariables(db, station.id, [v201('Connector', 'Type', 'cType2')], now, {
      replaceKeys: true,
    });
    expect((await stored(station.id)).map((v) => `${v.key}=${v.value}`)).toEqual([
      'B=3',
      'Connector.Type=cType2',
    ]);
  });

  it('stores a device model larger than one statement’s chunk', async () => {
    const { station } = await aScope('2.0.1');
    const many = Array.from({ length: 1234 }, (_, i) => v201('Vendor', `V${i}`, String(i)));
    await storeReportedVariables(db, station.id, many, now, { replaceKeys: true });
    expect(await stored(station.id)).toHaveLength(1234);
  });
});

describe('recordDeviceModelReport', () => {
  async function aBaseReportCommand(
    stationId: string,
    organisationId: string,
    report: 'full' | 'configuration',
  ) {
    const [row] = await db
      .insert(stationCommands)
      .values({
        organisationId,
        stationId,
        kind: 'get-base-report',
        params: { report },
        requestedByLabel: 'test',
      })
      .returning();
    if (!row) throw new Error('no command');
    return row.requestId;
  }

  it('the first part of a full base report ChargeOps asked for replaces the model; other parts and reports add', async () => {
    const { org, station } = await aScope('2.0.1');
    await storeReportedVariables(db, station.id, [v201('Old', 'Gone', 'x'), v16('LegacyKey', 'y')], now);
    const full = await aBaseReportCommand(station.id, org.id, 'full');
    await recordDeviceModelReport(
      db,
      station.id,
      { requestId: full, seqNo: 0, variables: [v201('A', 'One', '1')] },
      now,
    );
    await recordDeviceModelReport(
      db,
      station.id,
      { requestId: full, seqNo: 1, variables: [v201('B', 'Two', '2')] },
      now,
    );
    expect((await stored(station.id)).map((v) => v.key)).toEqual(['LegacyKey', 'A.One', 'B.Two']);

    const partial = await aBaseReportCommand(station.id, org.id, 'configuration');
    await recordDeviceModelReport(
      db,
      station.id,
      { requestId: partial, seqNo: 0, variables: [v201('C', 'Three', '3')] },
      now,
    );
    // A report nobody asked for (or another station's request id) adds too.
    await recordDeviceModelReport(
      db,
      station.id,
      { requestId: 2_000_000_000, seqNo: 0, variables: [v201('D', 'Four', '4')] },
      now,
    );
    expect((await stored(station.id)).map((v) => v.key)).toEqual([
      'LegacyKey',
      'A.One',
      'B.Two',
      'C.Three',
      'D.Four',
    ]);

    const other = await aScope('2.0.1');
    const foreign = await aBaseReportCommand(other.station.id, other.org.id, 'full');
    await recordDeviceModelReport(
      db,
      station.id,
      { requestId: foreign, seqNo: 0, variables: [v201('E', 'Five', '5')] },
      now,
    );
    expect(await stored(station.id)).toHaveLength(6);
  });
});

describe('wanted configuration and drift', () => {
  it('the site’s value overrides the organisation’s, per version; drift compares with reported values', async () => {
    const { org, site, otherSite, station } = await aScope('1.6');
    const row = (key: string, value: string, siteId: string | null = null, ocppVersion = '1.6') => ({
      organisationId: org.id,
      siteId,
      ocppVersion,
      key,
      value,
    });
    await db
      .insert(configurationDefaults)
      .values([
        row('HeartbeatInterval', '300'),
        row('HeartbeatInterval', '120', site.id),
        row('HeartbeatInterval', '999', otherSite.id),
        row('MeterValueSampleInterval', '60'),
        row('ConnectionTimeOut', '90'),
        row('LocalAuthorizeOffline', 'true'),
        row('OCPPCommCtrlr.HeartbeatInterval', '10', null, '2.0.1'),
      ]);
    expect(await wantedConfiguration(db, station)).toEqual([
      { key: 'ConnectionTimeOut', value: '90' },
      { key: 'HeartbeatInterval', value: '120' },
      { key: 'LocalAuthorizeOffline', value: 'true' },
      { key: 'MeterValueSampleInterval', value: '60' },
    ]);
    expect(await wantedConfiguration(db, { ...station, siteId: null })).toContainEqual({
      key: 'HeartbeatInterval',
      value: '300',
    });
    expect(await wantedConfiguration(db, { ...station, ocppVersion: null })).toEqual([]);

    await storeReportedVariables(
      db,
      station.id,
      [
        v16('HeartbeatInterval', '120'),
        v16('MeterValueSampleInterval', '30'),
        v16('ConnectionTimeOut', '60', true),
      ],
      now,
    );
    const admin = await aUser(db, org.id, { role: 'admin' });
    const configuration = await getStationConfiguration(db, admin, station.id);
    expect(configuration.variables.map((v) => v.key)).toEqual([
      'ConnectionTimeOut',
      'HeartbeatInterval',
      'MeterValueSampleInterval',
    ]);
    expect(configuration.drift).toEqual([
      { key: 'ConnectionTimeOut', wanted: '90', actual: '60', state: 'read-only' },
      { key: 'HeartbeatInterval', wanted: '120', actual: '120', state: 'in-sync' },
      { key: 'LocalAuthorizeOffline', wanted: 'true', actual: null, state: 'not-reported' },
      { key: 'MeterValueSampleInterval', wanted: '60', actual: '30', state: 'drift' },
    ]);
  });

  it('getStationConfiguration: a manager of another site does not find the station; a technician is refused', async () => {
    const { org, site, otherSite, station } = await aScope();
    const outsider = await aUser(db, org.id, { role: 'manager', siteIds: [otherSite.id] });
    await expect(getStationConfiguration(db, outsider, station.id)).rejects.toMatchObject({
      kind: 'not_found',
    });
    const technician = await aUser(db, org.id, { role: 'technician', siteIds: [site.id] });
    await expect(getStationConfiguration(db, technician, station.id)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const stranger = await aUser(db, (await anOrganisation(db)).id, { role: 'admin' });
    await expect(getStationConfiguration(db, stranger, station.id)).rejects.toMatchObject({
      kind: 'not_found',
    });
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    expect((await getStationConfiguration(db, manager, station.id)).ocppVersion).toBe('1.6');
  });
});

describe('editing defaults', () => {
  const defaultsOf = (organisationId: string) =>
    db
      .select()
      .from(configurationDefaults)
      .where(eq(configurationDefaults.organisationId, organisationId))
      .orderBy(asc(configurationDefaults.key));

  it('an admin sets organisation defaults (set again = changed) and each change is audited', async () => {
    const { org } = await aScope();
    const admin = await aUser(db, org.id, { role: 'admin' });
    const input = { siteId: null, ocppVersion: '1.6', key: 'HeartbeatInterval', value: '300' } as const;
    await setConfigurationDefault(db, admin, input);
    await setConfigurationDefault(db, admin, { ...input, value: '600' });
    expect((await defaultsOf(org.id)).map((d) => [d.siteId, d.key, d.value])).toEqual([
      [null, 'HeartbeatInterval', '600'],
    ]);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organisationId, org.id), eq(auditLog.action, 'configuration-default.set')));
    expect(audit.map((a) => [a.actorUserId, a.targetType, a.targetId, a.details.value])).toEqual([
      [admin.id, 'organisation', org.id, '300'],
      [admin.id, 'organisation', org.id, '600'],
    ]);
  });

  it.each([
    { version: '1.6' as const, key: 'OCPPCommCtrlr.HeartbeatInterval', problem: /no component/ },
    { version: '2.0.1' as const, key: 'HeartbeatInterval', problem: /name a component/ },
    { version: '1.6' as const, key: 'not a key', problem: /not a configuration key/ },
  ])('refuses the $version key $key', async ({ version, key, problem }) => {
    const { org } = await aScope();
    const admin = await aUser(db, org.id, { role: 'admin' });
    await expect(
      setConfigurationDefault(db, admin, { siteId: null, ocppVersion: version, key, value: '1' }),
    ).rejects.toMatchObject({ kind: 'validation', fieldErrors: { key: expect.stringMatching(problem) } });
    expect(await defaultsOf(org.id)).toEqual([]);
  });

  it('a manager sets and removes overrides of their own sites only; a technician nothing', async () => {
    const { org, site, otherSite } = await aScope();
    const admin = await aUser(db, org.id, { role: 'admin' });
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    const technician = await aUser(db, org.id, { role: 'technician', siteIds: [site.id] });
    const at = (siteId: string | null) => ({
      siteId,
      ocppVersion: '1.6' as const,
      key: 'HeartbeatInterval',
      value: '60',
    });

    await setConfigurationDefault(db, admin, { ...at(null), value: '300' });
    await setConfigurationDefault(db, manager, at(site.id));
    await expect(setConfigurationDefault(db, manager, at(null))).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(setConfigurationDefault(db, manager, at(otherSite.id))).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const foreignSite = await aSite(db, (await anOrganisation(db)).id);
    await expect(setConfigurationDefault(db, admin, at(foreignSite.id))).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(setConfigurationDefault(db, technician, at(site.id))).rejects.toMatchObject({
      kind: 'forbidden',
    });

    const rows = await defaultsOf(org.id);
    expect(rows.map((d) => [d.siteId, d.value])).toEqual(
      expect.arrayContaining([
        [null, '300'],
        [site.id, '60'],
      ]),
    );
    expect(rows).toHaveLength(2);
    const orgRow = rows.find((d) => d.siteId === null)!;
    const siteRow = rows.find((d) => d.siteId === site.id)!;

    // The manager sees the organisation's defaults and their own site's overrides.
    const view = await listConfigurationDefaults(db, manager);
    expect(view.organisation.map((d) => d.id)).toEqual([orgRow.id]);
    expect(view.sites.map((s) => [s.id, s.defaults.map((d) => d.id)])).toEqual([[site.id, [siteRow.id]]]);
    await expect(listConfigurationDefaults(db, technician)).rejects.toMatchObject({ kind: 'forbidden' });

    await expect(removeConfigurationDefault(db, manager, orgRow.id)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(removeConfigurationDefault(db, technician, siteRow.id)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const stranger = await aUser(db, foreignSite.organisationId, { role: 'admin' });
    await expect(removeConfigurationDefault(db, stranger, siteRow.id)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await removeConfigurationDefault(db, manager, siteRow.id);
    // Without the override the site falls back to the organisation's value.
    expect(
      await wantedConfiguration(db, { organisationId: org.id, siteId: site.id, ocppVersion: '1.6' }),
    ).toEqual([{ key: 'HeartbeatInterval', value: '300' }]);
    const removal = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organisationId, org.id), eq(auditLog.action, 'configuration-default.remove')));
    expect(removal.map((a) => [a.actorUserId, a.targetType, a.targetId])).toEqual([
      [manager.id, 'site', site.id],
    ]);
  });

  it('a new organisation gets the recommended defaults once', async () => {
    const org = await anOrganisation(db);
    expect(await hasConfigurationDefaults(db, org.id)).toBe(false);
    await seedRecommendedDefaults(db, org.id);
    await seedRecommendedDefaults(db, org.id);
    expect(await hasConfigurationDefaults(db, org.id)).toBe(true);
    expect(await defaultsOf(org.id)).toHaveLength(
      recommendedDefaults['1.6'].length + recommendedDefaults['2.0.1'].length,
    );
  });
});
