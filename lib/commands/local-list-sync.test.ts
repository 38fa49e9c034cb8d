import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { createRPCError, type RPCClient } from 'ocpp-rpc';
import { hashPassword } from '@/lib/auth/password';
import {
  chargingStations,
  driverGroupMembers,
  driverGroups,
  stationCommands,
  stationLocalLists,
} from '@/lib/db/schema';
import { setupOcppHarness, waitFor } from '@/lib/ocpp/testing';
import { setAccessPolicy } from '@/lib/services/access-policies';
import { setGroupMembers } from '@/lib/services/driver-groups';
import { addToken, blockToken, updateToken } from '@/lib/services/drivers';
import {
  getStationLocalList,
  listDueStations,
  listLocalLists,
  requestFullLocalList,
} from '@/lib/services/local-lists';
import { aDriverToken, aSite, aUser, anOrganisation } from '@/lib/services/testing';
import { SimulatedStation } from '@/lib/simulator/station';
import { retryDelayMs, startLocalListSync, syncLocalList } from './local-list-sync';
import type { CommandDeps } from './send';

// Local authorisation lists reaching chargers over real WebSockets: the chargers here are plain
// OCPP-J clients that keep a list the way the specification says (1.6 §5.15, 2.0.1 D01), so each
// test can also make them misbehave. The simulator's own list is tested in lib/simulator.
const h = setupOcppHarness();
let port: number;
let deps: CommandDeps;
let sync: ReturnType<typeof startLocalListSync>;

beforeAll(async () => {
  const endpoint = await h.startEndpoint('off', { commandTimeoutMs: 1500 });
  port = endpoint.port;
  deps = { gateway: endpoint.ocpp.gateway, timeoutMs: 1500, now: () => new Date(), publicUrl: '' };
  sync = startLocalListSync({
    db: () => h.db,
    deps,
    log: pino({ level: 'silent' }),
    intervalMs: 60_000,
    debounceMs: 20,
  });
});
afterAll(() => sync.stop());

type Params = Record<string, unknown>;
type Item16 = { idTag: string; idTagInfo?: { status: string; expiryDate?: string; parentIdTag?: string } };
type Item201 = {
  idToken: { idToken: string; type: string };
  idTokenInfo?: { status: string; cacheExpiryDateTime?: string; groupIdToken?: { idToken: string } };
};

/** A list as a charger keeps it, with the rules both versions share. */
class ChargerList {
  version = 0;
  readonly entries = new Map<string, { status: string; raw: unknown }>();
  /** What the next SendLocalList is answered, instead of applying it. */
  answerNext: string | null = null;
  /** Every SendLocalList received. */
  readonly updates: { updateType: string; version: number; items: number }[] = [];

  apply(updateType: string, version: number, items: { key: string; status?: string; raw: unknown }[]) {
    this.updates.push({ updateType, version, items: items.length });
    if (this.answerNext) {
      const answer = this.answerNext;
      this.answerNext = null;
      return answer;
    }
    if (updateType === 'Differential' && version <= this.version) return 'VersionMismatch';
    if (updateType === 'Full') this.entries.clear();
    for (const item of items) {
      if (item.status === undefined) this.entries.delete(item.key);
      else this.entries.set(item.key, { status: item.status, raw: item.raw });
    }
    this.version = version;
    return 'Accepted';
  }

  statuses(): Record<string, string> {
    return Object.fromEntries([...this.entries].map(([k, v]) => [k, v.status]).sort());
  }
}

interface TestCharger {
  client: RPCClient;
  stationId: string;
  list: ChargerList;
  boot(): Promise<void>;
}

/** An organisation of its own (so tokens of other tests stay out of its lists) with one site. */
async function anOrganisationWithSite() {
  const org = await anOrganisation(h.db);
  const site = await aSite(h.db, org.id);
  const admin = await aUser(h.db, org.id, { role: 'admin' });
  return { org, site, admin };
}

/** An accepted station of the scope, with a password, not yet connected. */
async function aStationRow(scope: { organisationId: string; siteId: string }, prefix: string) {
  const identity = h.anIdentity(prefix);
  const password = 'station-secret-1';
  const [row] = await h.db
    .insert(chargingStations)
    .values({
      ...scope,
      identity,
      passwordHash: await hashPassword(password),
      registrationStatus: 'accepted',
    })
    .returning();
  return { row: row!, identity, password };
}

/** A group (with these drivers) that alone may charge at a site or station, optionally in windows. */
async function restrictTo(
  admin: Awaited<ReturnType<typeof aUser>>,
  target: { siteId: string } | { stationId: string },
  name: string,
  driverIds: string[] = [],
  windows: { days: number[]; start: string; end: string }[] = [],
) {
  const [group] = await h.db
    .insert(driverGroups)
    .values({ organisationId: admin.organisationId, name })
    .returning();
  for (const driverId of driverIds)
    await h.db.insert(driverGroupMembers).values({ groupId: group!.id, driverId });
  await setAccessPolicy(h.db, admin, target, {
    mode: 'restricted',
    grants: [{ groupId: group!.id, windows }],
  });
  return group!;
}

async function aListCharger(
  scope: { organisationId: string; siteId: string },
  protocol: 'ocpp1.6' | 'ocpp2.0.1',
  options: { itemsPerMessage?: number; listVersion?: number; noList?: boolean } = {},
): Promise<TestCharger> {
  const { row, identity, password } = await aStationRow(scope, 'LIST');
  const client = h.aCharger(port, identity, { protocols: [protocol], password });
  const list = new ChargerList();
  if (protocol === 'ocpp1.6') {
    client.handle('GetLocalListVersion', async () => ({ listVersion: options.noList ? -1 : list.version }));
    client.handle('SendLocalList', async ({ params = {} }: { params?: Params }) => {
      if (options.noList) return { status: 'NotSupported' };
      const items = ((params.localAuthorizationList ?? []) as Item16[]).map((i) => ({
        key: i.idTag.toUpperCase(),
        status: i.idTagInfo?.status,
        raw: i,
      }));
      return { status: list.apply(String(params.updateType), Number(params.listVersion), items) };
    });
    client.handle('GetConfiguration', async () => ({
      configurationKey: options.itemsPerMessage
        ? [{ key: 'SendLocalListMaxLength', readonly: true, value: String(options.itemsPerMessage) }]
        : [],
      unknownKey: ['LocalAuthListMaxLength'],
    }));
  } else {
    client.handle('GetLocalListVersion', async () => {
      if (options.noList) throw createRPCError('NotSupported');
      return { versionNumber: list.version };
    });
    client.handle('SendLocalList', async ({ params = {} }: { params?: Params }) => {
      const items = ((params.localAuthorizationList ?? []) as Item201[]).map((i) => ({
        key: i.idToken.idToken.toUpperCase(),
        status: i.idTokenInfo?.status,
        raw: i,
      }));
      return { status: list.apply(String(params.updateType), Number(params.versionNumber), items) };
    });
    client.handle('GetVariables', async ({ params = {} }: { params?: Params }) => ({
      getVariableResult: (
        params.getVariableData as { component: { name: string }; variable: { name: string } }[]
      ).map((d) => ({
        attributeStatus: 'Accepted',
        component: d.component,
        variable: d.variable,
        attributeValue:
          d.variable.name === 'ItemsPerMessage' ? String(options.itemsPerMessage ?? 100) : '4000',
      })),
    }));
  }
  if (options.listVersion !== undefined) list.version = options.listVersion;
  await client.connect();
  return {
    client,
    stationId: row!.id,
    list,
    async boot() {
      const answer = (await client.call(
        'BootNotification',
        protocol === 'ocpp1.6'
          ? { chargePointVendor: 'ACME', chargePointModel: 'L1' }
          : { reason: 'PowerUp', chargingStation: { vendorName: 'ACME', model: 'L2' } },
      )) as { status: string };
      expect(answer.status).toBe('Accepted');
    },
  };
}

const stateOf = async (stationId: string) => {
  const [row] = await h.db.select().from(stationLocalLists).where(eq(stationLocalLists.stationId, stationId));
  return row;
};
const untilState = (stationId: string, ok: (row: Awaited<ReturnType<typeof stateOf>>) => boolean) =>
  waitFor(() => stateOf(stationId), ok);
const commandsOf = (stationId: string) =>
  h.db
    .select()
    .from(stationCommands)
    .where(eq(stationCommands.stationId, stationId))
    .orderBy(asc(stationCommands.requestId));

describe('local lists, OCPP 1.6', () => {
  it('sends the full list after boot, then only the differences as tokens change', async () => {
    const { org, site, admin } = await anOrganisationWithSite();
    const { token: alice } = await aDriverToken(h.db, org.id, 'ALICE-1');
    await aDriverToken(h.db, org.id, 'BOB-1');
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6');
    await c.boot();

    const synced = await untilState(c.stationId, (s) => s?.state === 'in_sync');
    expect(synced).toMatchObject({ state: 'in_sync', chargerVersion: 1, needsFull: false });
    expect(c.list.updates).toEqual([{ updateType: 'Full', version: 1, items: 2 }]);
    expect(c.list.statuses()).toEqual({ 'ALICE-1': 'Accepted', 'BOB-1': 'Accepted' });
    // What operators see: each entry with its token's driver, and the count on the overview.
    const first = await getStationLocalList(h.db, admin, c.stationId);
    expect(first.held.map((e) => [e.idToken, e.driverName])).toEqual([
      ['ALICE-1', 'Driver ALICE-1'],
      ['BOB-1', 'Driver BOB-1'],
    ]);
    expect((await listLocalLists(h.db, admin))[0]).toMatchObject({ entries: 2, chargerVersion: 1 });
    const commands = await commandsOf(c.stationId);
    expect(commands.map((r) => [r.kind, r.ocppAction, r.status])).toEqual([
      ['get-local-list-version', 'GetLocalListVersion', 'accepted'],
      ['get-configuration', 'GetConfiguration', 'accepted'],
      ['send-local-list', 'SendLocalList', 'accepted'],
    ]);
    expect(commands.every((r) => r.requestedByLabel === 'ChargeOps (local list)')).toBe(true);

    // A manager blocks a card: the charger gets a Differential update with the card Blocked.
    await blockToken(h.db, admin, alice!.id, { reason: 'lost' });
    await waitFor(
      async () => c.list.statuses(),
      (s) => s['ALICE-1'] === 'Blocked',
    );
    expect(c.list.updates.at(-1)).toEqual({ updateType: 'Differential', version: 2, items: 1 });
    expect(c.list.entries.get('ALICE-1')?.raw).toEqual({
      idTag: 'ALICE-1',
      idTagInfo: { status: 'Blocked' },
    });

    // A new card with an expiry and a parent tag.
    await addToken(h.db, admin, {
      idToken: 'carol-1',
      kind: 'rfid',
      ocppType: 'ISO14443',
      expiresAt: '2030-01-01T00:00:00.000Z',
      parentIdTag: 'FLEET',
    });
    await waitFor(
      async () => c.list.statuses(),
      (s) => s['CAROL-1'] === 'Accepted',
    );
    expect(c.list.entries.get('CAROL-1')?.raw).toEqual({
      idTag: 'carol-1',
      idTagInfo: { status: 'Accepted', expiryDate: '2030-01-01T00:00:00.000Z', parentIdTag: 'FLEET' },
    });
    const after = await untilState(c.stationId, (s) => s?.state === 'in_sync' && s.chargerVersion === 3);
    expect(after?.reviewAt).toEqual(new Date('2030-01-01T00:00:00.000Z'));

    // The site becomes restricted to a group nobody is in: the accepted cards come off the list
    // (and the blocked one too: it would not be accepted here anyway).
    await restrictTo(admin, { siteId: site.id }, 'Fleet');
    await waitFor(
      async () => c.list.statuses(),
      (s) => Object.keys(s).length === 0,
    );
    expect(c.list.updates.at(-1)).toEqual({ updateType: 'Differential', version: 4, items: 3 });
    expect(c.list.entries.size).toBe(0);

    // The operator's view of the same station, once ChargeOps has recorded the answer.
    await untilState(c.stationId, (s) => s?.state === 'in_sync' && s.chargerVersion === 4);
    const view = await getStationLocalList(h.db, admin, c.stationId);
    expect(view).toMatchObject({ state: 'in_sync', chargerVersion: 4, held: [], lastError: null });
    const rows = await listLocalLists(h.db, admin);
    expect(rows).toEqual([expect.objectContaining({ stationId: c.stationId, state: 'in_sync', entries: 0 })]);
  });

  it('puts a group member on a restricted list and takes them off when they leave the group', async () => {
    const { org, site, admin } = await anOrganisationWithSite();
    const { driver } = await aDriverToken(h.db, org.id, 'MEMBER-1');
    await aDriverToken(h.db, org.id, 'OTHER-1');
    const group = await restrictTo(admin, { siteId: site.id }, 'Fleet', [driver!.id]);
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6');
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');
    expect(c.list.statuses()).toEqual({ 'MEMBER-1': 'Accepted' });

    await setGroupMembers(h.db, admin, group.id, []);
    await waitFor(
      async () => c.list.statuses(),
      (s) => Object.keys(s).length === 0,
    );
  });

  it('follows a time window: on the list while it is open, off at its end, due again at the next opening', async () => {
    const { org, site, admin } = await anOrganisationWithSite();
    const { driver } = await aDriverToken(h.db, org.id, 'DAYSHIFT-1');
    await restrictTo(
      admin,
      { siteId: site.id },
      'Day shift',
      [driver!.id],
      [{ days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' }],
    );
    // The site is in Chicago (CST in December): Wednesday 2026-12-02.
    const at = (iso: string) => ({ ...deps, now: () => new Date(iso) });
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6');
    await c.boot();
    await untilState(c.stationId, (s) => s !== undefined && s.syncedRevision === s.wantedRevision);

    expect(await syncLocalList(h.db, c.stationId, at('2026-12-02T16:00:00Z'))).toBe('in_sync');
    expect(c.list.statuses()).toEqual({ 'DAYSHIFT-1': 'Accepted' });
    expect((await stateOf(c.stationId))?.reviewAt).toEqual(new Date('2026-12-03T01:00:00Z')); // 19:00 CST

    const dueAt = async (iso: string) =>
      (await listDueStations(h.db, new Date(iso))).some((d) => d.id === c.stationId);
    expect(await dueAt('2026-12-03T00:59:00Z')).toBe(false);
    expect(await dueAt('2026-12-03T01:00:00Z')).toBe(true);

    expect(await syncLocalList(h.db, c.stationId, at('2026-12-03T01:00:00Z'))).toBe('in_sync');
    expect(c.list.statuses()).toEqual({});
    expect((await stateOf(c.stationId))?.reviewAt).toEqual(new Date('2026-12-03T13:00:00Z')); // 07:00 CST
  });

  it('replaces an entry whose value changed case, rather than keeping both', async () => {
    const { org, site, admin } = await anOrganisationWithSite();
    const { token } = await aDriverToken(h.db, org.id, 'case-card');
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6');
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');
    await updateToken(h.db, admin, token!.id, { idToken: 'CASE-CARD', driverId: token!.driverId ?? '' });
    await untilState(c.stationId, (s) => s?.state === 'in_sync' && s.chargerVersion === 2);
    expect(c.list.updates.at(-1)).toEqual({ updateType: 'Differential', version: 2, items: 1 });
    const view = await getStationLocalList(h.db, admin, c.stationId);
    expect(view.held.map((e) => e.idToken)).toEqual(['CASE-CARD']);
  });

  it('splits a long list into the message size the charger takes, with consecutive versions', async () => {
    const { org, site } = await anOrganisationWithSite();
    for (const t of ['T1', 'T2', 'T3', 'T4', 'T5']) await aDriverToken(h.db, org.id, t);
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6', {
      itemsPerMessage: 2,
    });
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');
    expect(c.list.updates).toEqual([
      { updateType: 'Full', version: 1, items: 2 },
      { updateType: 'Differential', version: 2, items: 2 },
      { updateType: 'Differential', version: 3, items: 1 },
    ]);
    expect(Object.keys(c.list.statuses())).toEqual(['T1', 'T2', 'T3', 'T4', 'T5']);
  });

  it('sends the whole list again to a charger that lost it, and after a version mismatch', async () => {
    const { org, site, admin } = await anOrganisationWithSite();
    await aDriverToken(h.db, org.id, 'KEEP-1');
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6');
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');

    // The charger's controller was replaced: it reports an empty list at its next boot.
    c.list.entries.clear();
    c.list.version = 0;
    await c.boot();
    await waitFor(
      async () => c.list.updates.length,
      (n) => n === 2,
    );
    expect(c.list.updates[1]).toEqual({ updateType: 'Full', version: 2, items: 1 });
    expect(c.list.statuses()).toEqual({ 'KEEP-1': 'Accepted' });
    await untilState(c.stationId, (s) => s?.state === 'in_sync' && s.chargerVersion === 2);

    // It refuses the next differential update: failed, retried later with the full list.
    c.list.answerNext = 'VersionMismatch';
    await addToken(h.db, admin, { idToken: 'NEW-1' });
    const failed = await untilState(c.stationId, (s) => s?.state === 'failed');
    expect(failed).toMatchObject({
      lastError: 'SendLocalList: VersionMismatch',
      needsFull: true,
      failures: 1,
    });
    expect(failed!.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(retryDelayMs(1) - 5000);
    const view = await getStationLocalList(h.db, admin, c.stationId);
    expect(view.state).toBe('failed');

    // The retry time comes: the whole list goes out again.
    await h.db
      .update(stationLocalLists)
      .set({ nextAttemptAt: new Date(0) })
      .where(eq(stationLocalLists.stationId, c.stationId));
    await sync.runOnce();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');
    expect(c.list.updates.at(-1)).toMatchObject({ updateType: 'Full', items: 2 });
    expect(c.list.statuses()).toEqual({ 'KEEP-1': 'Accepted', 'NEW-1': 'Accepted' });
  });

  it('marks a charger without a local list as unsupported and sends it nothing', async () => {
    const { org, site } = await anOrganisationWithSite();
    await aDriverToken(h.db, org.id, 'ANY-1');
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6', { noList: true });
    await c.boot();
    const row = await untilState(c.stationId, (s) => s?.state === 'unsupported');
    expect(row?.lastError).toBe('The station has no local authorisation list');
    expect(c.list.updates).toEqual([]);
    // A token change does not trouble it again.
    await aDriverToken(h.db, org.id, 'ANY-2');
    expect(await syncLocalList(h.db, c.stationId, deps)).toBe('unsupported');
    expect((await commandsOf(c.stationId)).map((r) => r.kind)).toEqual(['get-local-list-version']);
  });

  it('keeps a change for an offline station and sends it when it is back', async () => {
    const { org, site, admin } = await anOrganisationWithSite();
    const { token } = await aDriverToken(h.db, org.id, 'AWAY-1');
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6');
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');
    await c.client.close({ force: true });
    await waitFor(
      async () =>
        (await h.db.select().from(chargingStations).where(eq(chargingStations.id, c.stationId)))[0]?.online,
      (online) => online === false,
    );

    await blockToken(h.db, admin, token!.id, { reason: 'stolen' });
    const pending = await untilState(c.stationId, (s) => s?.state === 'pending');
    expect(pending!.wantedRevision).toBeGreaterThan(pending!.syncedRevision);
    expect(await syncLocalList(h.db, c.stationId, deps)).toBe('pending');

    await c.client.connect();
    await c.boot();
    await waitFor(
      async () => c.list.statuses(),
      (s) => s['AWAY-1'] === 'Blocked',
    );
    // The charger kept its list (version 1): a differential update was enough.
    expect(c.list.updates.at(-1)).toEqual({ updateType: 'Differential', version: 2, items: 1 });
  });

  it('sends the full list again when an operator asks, and audits the request', async () => {
    const { org, site, admin } = await anOrganisationWithSite();
    await aDriverToken(h.db, org.id, 'AGAIN-1');
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp1.6');
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');
    await requestFullLocalList(h.db, admin, c.stationId);
    await waitFor(
      async () => c.list.updates.length,
      (n) => n === 2,
    );
    expect(c.list.updates[1]).toEqual({ updateType: 'Full', version: 2, items: 1 });
    const technician = await aUser(h.db, org.id, { role: 'technician', siteIds: [site.id] });
    await expect(requestFullLocalList(h.db, technician, c.stationId)).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });
});

describe('local lists, OCPP 2.0.1', () => {
  it('sends typed id tokens with group and expiry, removes with the type, and clears with an empty Full update', async () => {
    const { org, site, admin } = await anOrganisationWithSite();
    await addToken(h.db, admin, {
      idToken: 'APP-0001',
      kind: 'app',
      ocppType: 'Central',
      expiresAt: '2031-06-01T00:00:00.000Z',
      parentIdTag: 'ACME-FLEET',
    });
    const { token } = await aDriverToken(h.db, org.id, 'CARD-0001');
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp2.0.1', {
      itemsPerMessage: 10,
    });
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');
    expect(c.list.updates).toEqual([{ updateType: 'Full', version: 1, items: 2 }]);
    expect(c.list.entries.get('APP-0001')?.raw).toEqual({
      idToken: { idToken: 'APP-0001', type: 'Central' },
      idTokenInfo: {
        status: 'Accepted',
        cacheExpiryDateTime: '2031-06-01T00:00:00.000Z',
        groupIdToken: { idToken: 'ACME-FLEET', type: 'Central' },
      },
    });
    // The limits were read from the device model.
    const commands = await commandsOf(c.stationId);
    expect(commands.find((r) => r.kind === 'get-configuration')?.params).toEqual({
      keys: ['LocalAuthListCtrlr.ItemsPerMessage', 'LocalAuthListCtrlr.BytesPerMessage'],
    });

    // Restricting the station itself to a group nobody is in: both go, each named with its type.
    await restrictTo(admin, { stationId: c.stationId }, 'None');
    await waitFor(
      async () => c.list.entries.size,
      (n) => n === 0,
    );
    const sent = (await commandsOf(c.stationId)).filter((r) => r.kind === 'send-local-list').at(-1);
    expect(sent?.params).toMatchObject({
      updateType: 'Differential',
      versionNumber: 2,
      changes: [
        { remove: 'APP-0001', type: 'Central' },
        { remove: 'CARD-0001', type: 'ISO14443' },
      ],
    });
    expect(token).toBeDefined();

    // A charger that lost its list while the list should be empty is sent an empty Full update.
    c.list.version = 7;
    await requestFullLocalList(h.db, admin, c.stationId);
    await waitFor(
      async () => c.list.updates.length,
      (n) => n === 3,
    );
    expect(c.list.updates[2]).toEqual({ updateType: 'Full', version: 8, items: 0 });
  });

  it('marks a 2.0.1 charger that answers NotSupported as unsupported', async () => {
    const { org, site } = await anOrganisationWithSite();
    await aDriverToken(h.db, org.id, 'X-1');
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp2.0.1', { noList: true });
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'unsupported');
    expect(c.list.updates).toEqual([]);
  });

  it('does not trouble a charger when there is nothing to list', async () => {
    const { org, site } = await anOrganisationWithSite();
    const c = await aListCharger({ organisationId: org.id, siteId: site.id }, 'ocpp2.0.1');
    await c.boot();
    await untilState(c.stationId, (s) => s?.state === 'in_sync');
    expect(await commandsOf(c.stationId)).toEqual([]);
  });
});

describe.each(['ocpp1.6', 'ocpp2.0.1'] as const)(
  'local lists reaching the charger simulator over %s',
  (protocol) => {
    it(
      'holds the allowed cards after boot, gets each change, and has the whole list again after losing it',
      { timeout: 20_000 },
      async () => {
        const { org, site, admin } = await anOrganisationWithSite();
        const { token: lost } = await aDriverToken(h.db, org.id, 'SIM-LOST');
        await aDriverToken(h.db, org.id, 'SIM-OK');
        const { row, identity, password } = await aStationRow(
          { organisationId: org.id, siteId: site.id },
          'SIMLIST',
        );
        const errors: unknown[] = [];
        const station = new SimulatedStation({
          url: `ws://127.0.0.1:${port}/ocpp`,
          identity,
          protocol,
          password,
          connectors: 1,
          autoSessions: false,
          sendLocalListMaxLength: 1,
          onError: (e) => errors.push(e),
        });
        const list = () =>
          Object.fromEntries((station.localAuthList?.entries() ?? []).map((e) => [e.idToken, e.status]));
        try {
          await station.start();
          await untilState(row!.id, (s) => s?.state === 'in_sync');
          // One entry per message, as the simulator said (SendLocalListMaxLength / ItemsPerMessage).
          expect(list()).toEqual({ 'SIM-LOST': 'Accepted', 'SIM-OK': 'Accepted' });
          expect(station.localAuthList?.version).toBe(2);

          await blockToken(h.db, admin, lost!.id, { reason: 'lost' });
          await waitFor(
            async () => list()['SIM-LOST'],
            (status) => status === 'Blocked',
          );
          expect(station.localAuthList?.version).toBe(3);
          await untilState(row!.id, (s) => s?.state === 'in_sync' && s.chargerVersion === 3);

          // A card presented at the charger: the list refuses it there, without asking ChargeOps.
          expect(station.localAuthList?.lookup('sim-lost', new Date())?.status).toBe('Blocked');

          // The simulator restarts with an empty memory: it reports version 0 and gets the whole list.
          station.clearLocalAuthList();
          await requestFullLocalList(h.db, admin, row!.id);
          await waitFor(
            async () => list(),
            (l) => Object.keys(l).length === 2,
          );
          expect(list()).toEqual({ 'SIM-LOST': 'Blocked', 'SIM-OK': 'Accepted' });
        } finally {
          await station.stop();
        }
        expect(errors).toEqual([]);
      },
    );
  },
);
