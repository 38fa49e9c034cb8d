import { beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { createRPCError } from 'ocpp-rpc';
import { auditLog, configurationDefaults, stationCommands } from '@/lib/db/schema';
import { setupOcppHarness, waitFor } from '@/lib/ocpp/testing';
import { getStationConfiguration } from '@/lib/services/configuration';
import { aSite, aUser, anOrganisation } from '@/lib/services/testing';
import type { SessionUser } from '@/lib/services/users';
import { applyConfigurationDefaults } from './configuration-defaults';
import type { CommandDeps } from './send';

// After an accepted BootNotification ChargeOps reads the keys it has defaults for and changes the
// ones that differ, over real WebSockets in both OCPP versions.
const h = setupOcppHarness();
const label = 'ChargeOps (configuration defaults)';
let port: number;
let admin: SessionUser;
let deps: CommandDeps;

beforeAll(async () => {
  const endpoint = await h.startEndpoint('off', { commandTimeoutMs: 2000 });
  port = endpoint.port;
  deps = { gateway: endpoint.ocpp.gateway, timeoutMs: 2000, now: () => new Date(), publicUrl: '' };
  admin = await aUser(h.db, h.scope.organisationId, { role: 'admin' });
  const otherSite = await aSite(h.db, h.scope.organisationId);
  const org = (ocppVersion: string, key: string, value: string, siteId: string | null = null) => ({
    organisationId: h.scope.organisationId,
    siteId,
    ocppVersion,
    key,
    value,
  });
  await h.db.insert(configurationDefaults).values([
    org('1.6', 'ConnectionTimeOut', '90'),
    org('1.6', 'HeartbeatInterval', '300'),
    org('1.6', 'MeterValueSampleInterval', '60'),
    org('1.6', 'StopTransactionOnEVSideDisconnect', 'true'),
    org('1.6', 'VendorSpecificKey', '1'),
    org('1.6', 'WebSocketPingInterval', '60'),
    // The station's site overrides the organisation; another site's values do not apply.
    org('1.6', 'HeartbeatInterval', '120', h.scope.siteId),
    org('1.6', 'HeartbeatInterval', '999', otherSite.id),
    org('1.6', 'MeterValueSampleInterval', '5', otherSite.id),
    org('2.0.1', 'OCPPCommCtrlr.HeartbeatInterval', '300'),
    org('2.0.1', 'SampledDataCtrlr.TxUpdatedInterval', '60'),
    org('2.0.1', 'TxCtrlr.EVConnectionTimeOut', '90'),
    org('2.0.1', 'TxCtrlr.StopTxOnEVSideDisconnect', 'true'),
    org('2.0.1', 'OCPPCommCtrlr.HeartbeatInterval', '120', h.scope.siteId),
    org('2.0.1', 'SampledDataCtrlr.TxUpdatedInterval', '1', otherSite.id),
  ]);
});

type Params = Record<string, unknown>;

/** A connected charger that records the CALLs it receives. */
async function aCharger(protocol: 'ocpp1.6' | 'ocpp2.0.1') {
  const { station, charger } = await h.aConnectedCharger(port, protocol);
  const received: { action: string; params: Params }[] = [];
  charger.on(
    'call',
    ({ outbound, payload }: { outbound: boolean; payload: [number, string, string, Params] }) => {
      if (!outbound) received.push({ action: payload[2], params: payload[3] });
    },
  );
  const link = {
    stationId: station.id,
    organisationId: h.scope.organisationId,
    siteId: h.scope.siteId,
    identity: station.identity,
    registrationStatus: 'accepted' as const,
  };
  return { station, charger, received, link };
}

const commandsOf = (stationId: string) =>
  h.db
    .select()
    .from(stationCommands)
    .where(eq(stationCommands.stationId, stationId))
    .orderBy(asc(stationCommands.requestId));

/** 1.6 GetConfiguration answered from a table of keys; keys not in it are unknown. */
const v16Keys: Record<string, { value: string; readonly?: boolean }> = {
  ConnectionTimeOut: { value: '60', readonly: true },
  HeartbeatInterval: { value: '300' },
  MeterValueSampleInterval: { value: '30' },
  StopTransactionOnEVSideDisconnect: { value: 'True' },
  WebSocketPingInterval: { value: '0' },
};
function answerGetConfiguration(keys: Record<string, { value: string; readonly?: boolean }>) {
  return async ({ params }: { params?: Params }) => {
    const asked = (params?.key as string[] | undefined) ?? Object.keys(keys);
    return {
      configurationKey: asked
        .filter((k) => keys[k])
        .map((k) => ({ key: k, value: keys[k]?.value, readonly: keys[k]?.readonly ?? false })),
      unknownKey: asked.filter((k) => !keys[k]),
    };
  };
}

describe('configuration defaults after boot, OCPP 1.6', () => {
  it('reads the wanted keys, changes only those that differ (the site’s value wins), as ChargeOps', async () => {
    const c = await aCharger('ocpp1.6');
    c.charger.handle('GetConfiguration', answerGetConfiguration(v16Keys));
    c.charger.handle('ChangeConfiguration', async ({ params }) => ({
      status: params?.key === 'MeterValueSampleInterval' ? 'Rejected' : 'Accepted',
    }));

    const boot = (await c.charger.call('BootNotification', {
      chargePointVendor: 'ACME',
      chargePointModel: 'X1',
    })) as { status: string };
    expect(boot.status).toBe('Accepted');

    // Keys are handled in order; the last one differs, so its change marks the end.
    const commands = await waitFor(
      () => commandsOf(c.station.id),
      (rows) => rows.some((r) => r.params.key === 'WebSocketPingInterval' && r.status !== 'pending'),
    );
    expect(c.received).toEqual([
      {
        action: 'GetConfiguration',
        params: {
          key: [
            'ConnectionTimeOut',
            'HeartbeatInterval',
            'MeterValueSampleInterval',
            'StopTransactionOnEVSideDisconnect',
            'VendorSpecificKey',
            'WebSocketPingInterval',
          ],
        },
      },
      { action: 'ChangeConfiguration', params: { key: 'HeartbeatInterval', value: '120' } },
      { action: 'ChangeConfiguration', params: { key: 'MeterValueSampleInterval', value: '60' } },
      { action: 'ChangeConfiguration', params: { key: 'WebSocketPingInterval', value: '60' } },
    ]);
    expect(commands.map((r) => [r.kind, r.params.key ?? null, r.status])).toEqual([
      ['get-configuration', null, 'accepted'],
      ['change-configuration', 'HeartbeatInterval', 'accepted'],
      ['change-configuration', 'MeterValueSampleInterval', 'rejected'],
      ['change-configuration', 'WebSocketPingInterval', 'accepted'],
    ]);
    for (const row of commands)
      expect(row).toMatchObject({
        requestedByUserId: null,
        requestedByLabel: label,
        organisationId: h.scope.organisationId,
      });
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.targetId, c.station.id));
    // ChargeOps's own read changes nothing and is not audited; its changes are.
    expect(audit.map((a) => [a.action, a.actorUserId, a.actorLabel, a.result])).toEqual([
      ['station.command.change-configuration', null, label, 'ok'],
      ['station.command.change-configuration', null, label, 'error'],
      ['station.command.change-configuration', null, label, 'ok'],
    ]);

    const { ocppVersion, drift } = await getStationConfiguration(h.db, admin, c.station.id);
    expect(ocppVersion).toBe('1.6');
    expect(drift).toEqual([
      { key: 'ConnectionTimeOut', wanted: '90', actual: '60', state: 'read-only' },
      { key: 'HeartbeatInterval', wanted: '120', actual: '120', state: 'in-sync' },
      { key: 'MeterValueSampleInterval', wanted: '60', actual: '30', state: 'drift' },
      { key: 'StopTransactionOnEVSideDisconnect', wanted: 'true', actual: 'True', state: 'in-sync' },
      { key: 'VendorSpecificKey', wanted: '1', actual: null, state: 'not-reported' },
      { key: 'WebSocketPingInterval', wanted: '60', actual: '60', state: 'in-sync' },
    ]);
  });
});

describe('configuration defaults after boot, OCPP 2.0.1', () => {
  it('reads the wanted variables with GetVariables and sets only those that differ', async () => {
    const c = await aCharger('ocpp2.0.1');
    const reported: Record<string, string> = {
      'OCPPCommCtrlr.HeartbeatInterval': '300',
      'SampledDataCtrlr.TxUpdatedInterval': '60',
      'TxCtrlr.StopTxOnEVSideDisconnect': 'false',
    };
    type Address = { component: { name: string }; variable: { name: string } };
    c.charger.handle('GetVariables', async ({ params }) => ({
      getVariableResult: (params?.getVariableData as Address[]).map(({ component, variable }) => {
        const value = reported[`${component.name}.${variable.name}`];
        return value === undefined
          ? { attributeStatus: 'UnknownVariable', component, variable }
          : { attributeStatus: 'Accepted', attributeValue: value, component, variable };
      }),
    }));
    c.charger.handle('SetVariables', async ({ params }) => ({
      setVariableResult: (params?.setVariableData as Address[]).map(({ component, variable }) => ({
        attributeStatus: variable.name === 'StopTxOnEVSideDisconnect' ? 'Rejected' : 'Accepted',
        component,
        variable,
      })),
    }));

    const boot = (await c.charger.call('BootNotification', {
      chargingStation: { model: 'X2', vendorName: 'ACME' },
      reason: 'PowerUp',
    })) as { status: string };
    expect(boot.status).toBe('Accepted');

    const commands = await waitFor(
      () => commandsOf(c.station.id),
      (rows) =>
        rows.some((r) => r.params.key === 'TxCtrlr.StopTxOnEVSideDisconnect' && r.status !== 'pending'),
    );
    const set = (component: string, variable: string, value: string) => ({
      action: 'SetVariables',
      params: {
        setVariableData: [
          { attributeValue: value, component: { name: component }, variable: { name: variable } },
        ],
      },
    });
    expect(c.received).toEqual([
      {
        action: 'GetVariables',
        params: {
          getVariableData: [
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
            { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } },
            { component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' } },
            { component: { name: 'TxCtrlr' }, variable: { name: 'StopTxOnEVSideDisconnect' } },
          ],
        },
      },
      set('OCPPCommCtrlr', 'HeartbeatInterval', '120'),
      set('TxCtrlr', 'StopTxOnEVSideDisconnect', 'true'),
    ]);
    expect(commands.map((r) => [r.kind, r.status, r.requestedByUserId, r.requestedByLabel])).toEqual([
      ['get-configuration', 'accepted', null, label],
      ['change-configuration', 'accepted', null, label],
      ['change-configuration', 'rejected', null, label],
    ]);

    const { drift } = await getStationConfiguration(h.db, admin, c.station.id);
    expect(drift).toEqual([
      { key: 'OCPPCommCtrlr.HeartbeatInterval', wanted: '120', actual: '120', state: 'in-sync' },
      { key: 'SampledDataCtrlr.TxUpdatedInterval', wanted: '60', actual: '60', state: 'in-sync' },
      { key: 'TxCtrlr.EVConnectionTimeOut', wanted: '90', actual: null, state: 'not-reported' },
      { key: 'TxCtrlr.StopTxOnEVSideDisconnect', wanted: 'true', actual: 'false', state: 'drift' },
    ]);
  });
});

describe('applyConfigurationDefaults', () => {
  it('sends nothing but the read when every value already matches', async () => {
    const c = await aCharger('ocpp1.6');
    c.charger.handle(
      'GetConfiguration',
      answerGetConfiguration({
        HeartbeatInterval: { value: '120' },
        MeterValueSampleInterval: { value: '060' },
        StopTransactionOnEVSideDisconnect: { value: 'TRUE' },
        WebSocketPingInterval: { value: '60' },
        ConnectionTimeOut: { value: '90' },
      }),
    );
    await applyConfigurationDefaults(h.db, c.link, '1.6', deps);
    expect(c.received.map((r) => r.action)).toEqual(['GetConfiguration']);
  });

  it('stops after a read the charger refuses', async () => {
    const c = await aCharger('ocpp1.6');
    c.charger.handle('GetConfiguration', async () => {
      throw createRPCError('NotSupported');
    });
    await applyConfigurationDefaults(h.db, c.link, '1.6', deps);
    expect(c.received.map((r) => r.action)).toEqual(['GetConfiguration']);
    expect((await commandsOf(c.station.id)).map((r) => [r.kind, r.status, r.errorCode])).toEqual([
      ['get-configuration', 'failed', 'NotSupported'],
    ]);
  });

  it('records one offline read for a station that is not connected', async () => {
    const station = await h.aKnownStation();
    const link = {
      stationId: station.id,
      organisationId: h.scope.organisationId,
      siteId: h.scope.siteId,
      identity: station.identity,
      registrationStatus: 'accepted' as const,
    };
    await applyConfigurationDefaults(h.db, link, '2.0.1', deps);
    expect((await commandsOf(station.id)).map((r) => [r.kind, r.status])).toEqual([
      ['get-configuration', 'offline'],
    ]);
  });

  it('does nothing for an organisation without defaults for the version', async () => {
    const c = await aCharger('ocpp1.6');
    const org = await anOrganisation(h.db);
    await applyConfigurationDefaults(h.db, { ...c.link, organisationId: org.id, siteId: null }, '1.6', deps);
    expect(c.received).toEqual([]);
    expect(await commandsOf(c.station.id)).toEqual([]);
  });
});
