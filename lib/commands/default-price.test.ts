import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/password';
import type { Db } from '@/lib/db';
import {
  chargingStations,
  stationCommands,
  tariffAssignments,
  tariffs,
  tariffVersions,
} from '@/lib/db/schema';
import type { TariffVersion } from '@/lib/domain/pricing/tariff';
import { setupOcppHarness, waitFor } from '@/lib/ocpp/testing';
import { publish } from '@/lib/realtime/bus';
import { aSite, anOrganisation } from '@/lib/services/testing';
import { SimulatedStation, type SimulatedStationOptions } from '@/lib/simulator/station';
import {
  defaultPriceKey,
  defaultPriceSetting,
  showDefaultPriceAfterBoot,
  startDefaultPrice,
  tariffFallbackMessageKey,
} from './default-price';
import type { CommandDeps } from './send';

function aVersion(overrides: Partial<TariffVersion> = {}): TariffVersion {
  return {
    id: 'v1',
    tariffId: 't1',
    tariffName: 'Standard',
    validFrom: new Date('2026-01-01T00:00:00Z'),
    currency: 'USD',
    taxRateBp: 825,
    pricesIncludeTax: false,
    base: { energyPerKwh: 4500, timePerMinute: null, idlePerMinute: null },
    sessionFee: 100,
    idleGraceMinutes: 0,
    minPrice: null,
    maxPrice: null,
    bands: [
      {
        label: 'Peak',
        window: { days: [1, 2, 3, 4, 5], start: '17:00', end: '21:00' },
        prices: { energyPerKwh: 6000, timePerMinute: null, idlePerMinute: null },
      },
    ],
    ...overrides,
  };
}

const text = '$0.45/kWh, $1.00 per session, plus 8.25 % tax; Peak Mon–Fri 17:00–21:00: $0.60/kWh';

describe('defaultPriceSetting', () => {
  it('1.6: DefaultPrice as the OCA JSON, base prices with tax in major units', () => {
    const { key, value } = defaultPriceSetting('1.6', aVersion());
    expect(key).toBe('DefaultPrice');
    expect(JSON.parse(value)).toEqual({
      priceText: text,
      priceTextOffline: text,
      chargingPrice: { kWhPrice: 0.4871, hourPrice: 0, flatFee: 1.08 },
    });
  });

  it('2.0.1: TariffCostCtrlr.TariffFallbackMessage, the standing text', () => {
    expect(defaultPriceSetting('2.0.1', aVersion())).toEqual({
      key: 'TariffCostCtrlr.TariffFallbackMessage',
      value: text,
    });
  });

  it('fits ChangeConfiguration’s 500 and SetVariables’ 1000 characters, cutting whole periods', () => {
    const bands = Array.from({ length: 40 }, (_, i) => ({
      label: `"Band" ${i}`,
      window: { days: [i % 7], start: '10:00', end: '11:00' },
      prices: { energyPerKwh: 5000 + i, timePerMinute: null, idlePerMinute: null },
    }));
    const long = aVersion({ bands });
    const v16 = defaultPriceSetting('1.6', long).value;
    expect(v16.length).toBeLessThanOrEqual(500);
    const parsed = JSON.parse(v16) as { priceText: string; priceTextOffline: string };
    expect(parsed.priceText).toMatch(
      /^\$0\.45\/kWh, \$1\.00 per session, plus 8\.25 % tax; "Band" 0 .*: \$0\.50\/kWh; .* …$/,
    );
    expect(parsed.priceTextOffline).toBe(parsed.priceText);
    const v201 = defaultPriceSetting('2.0.1', long).value;
    expect(v201.length).toBeLessThanOrEqual(1000);
    expect(v201.length).toBeGreaterThan(900);
    expect(v201).toMatch(/\$0\.5\d{3}\/kWh …$/);
  });

  it('without a tariff: an empty text (1.6: and zero prices)', () => {
    expect(JSON.parse(defaultPriceSetting('1.6', null).value)).toEqual({
      priceText: '',
      priceTextOffline: '',
      chargingPrice: { kWhPrice: 0, hourPrice: 0, flatFee: 0 },
    });
    expect(defaultPriceSetting('2.0.1', null).value).toBe('');
  });
});

// Default prices reaching simulated chargers over real WebSockets, and their screens.
const h = setupOcppHarness();
let port: number;
let deps: CommandDeps;
let stop: () => Promise<void>;
let tariffId: string;
const chargers: SimulatedStation[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  const endpoint = await h.startEndpoint('off', { commandTimeoutMs: 2000 });
  port = endpoint.port;
  deps = { gateway: endpoint.ocpp.gateway, timeoutMs: 2000, now: () => new Date(), publicUrl: '' };
  stop = startDefaultPrice(h.db, deps, { checkMs: 100, settleMs: 50 });
  const [tariff] = await h.db
    .insert(tariffs)
    .values({ organisationId: h.scope.organisationId, name: 'Standard' })
    .returning();
  tariffId = tariff!.id;
  const { base, bands, ...version } = aVersion();
  await h.db.insert(tariffVersions).values({
    tariffId,
    validFrom: new Date(Date.now() - 86_400_000),
    currency: version.currency,
    taxRateBp: version.taxRateBp,
    sessionFee: version.sessionFee,
    energyPerKwh: base.energyPerKwh,
    bands,
  });
  // The test site only: a station elsewhere has no tariff.
  await h.db
    .insert(tariffAssignments)
    .values({ organisationId: h.scope.organisationId, tariffId, siteId: h.scope.siteId });
});

afterAll(async () => {
  // Its checks in flight finish before the chargers go and the database closes.
  await stop();
  await Promise.all(chargers.map((c) => c.stop()));
  expect(errors).toEqual([]);
});

/** A station of the organisation on `siteId`, with its simulated charger connected. */
async function aCharger(
  protocol: 'ocpp1.6' | 'ocpp2.0.1',
  options: { siteId?: string; californiaPricing?: boolean } & Partial<SimulatedStationOptions> = {},
) {
  const { siteId = h.scope.siteId, californiaPricing = false, ...simulator } = options;
  const identity = h.anIdentity('PRICE');
  const password = 'station-secret-1';
  const [row] = await h.db
    .insert(chargingStations)
    .values({
      organisationId: h.scope.organisationId,
      siteId,
      identity,
      passwordHash: await hashPassword(password),
      registrationStatus: 'accepted',
      californiaPricing,
    })
    .returning();
  const charger = new SimulatedStation({
    url: `ws://127.0.0.1:${port}/ocpp`,
    identity,
    protocol,
    password,
    connectors: 2,
    autoSessions: false,
    onError: (e) => errors.push(e),
    ...simulator,
  });
  chargers.push(charger);
  await charger.start();
  return { station: row!, charger };
}

/** The default price commands a station got, oldest first. */
function priceCommands(stationId: string) {
  return h.db
    .select()
    .from(stationCommands)
    .where(and(eq(stationCommands.stationId, stationId), eq(stationCommands.kind, 'change-configuration')))
    .orderBy(asc(stationCommands.createdAt));
}

/** Resolves once the station's boot (and its follow-ups) had time to run. */
async function booted(stationId: string): Promise<void> {
  await waitFor(
    async () => (await h.stationRow((await stationById(stationId)).identity))?.lastBootAt,
    (at) => at !== null && at !== undefined,
  );
  await new Promise((r) => setTimeout(r, 400));
}

async function stationById(id: string) {
  const [row] = await h.db.select().from(chargingStations).where(eq(chargingStations.id, id));
  return row!;
}

async function screen(charger: SimulatedStation, expected: string | null) {
  return waitFor(
    async () => [charger.display(1).priceText, charger.display(2).priceText],
    (shown) => shown.every((t) => t === expected),
  );
}

function tariffUpdated() {
  publish({ type: 'tariff:updated', organisationId: h.scope.organisationId, tariffId });
}

describe('default prices on chargers', () => {
  let v16: Awaited<ReturnType<typeof aCharger>>;
  let v201: Awaited<ReturnType<typeof aCharger>>;

  it('after boot, a 1.6 charger with California pricing gets DefaultPrice, a 2.0.1 one TariffFallbackMessage', async () => {
    v16 = await aCharger('ocpp1.6', { californiaPricing: true });
    v201 = await aCharger('ocpp2.0.1');
    expect(await screen(v16.charger, text)).toEqual([text, text]);
    expect(await screen(v201.charger, text)).toEqual([text, text]);

    // The screen shows the price as soon as the charger took it; the log records the answer after.
    const answered = (rows: Awaited<ReturnType<typeof priceCommands>>) =>
      rows.length === 1 && rows[0]!.status !== 'pending';
    const [c16] = await waitFor(() => priceCommands(v16.station.id), answered);
    expect(c16).toMatchObject({
      status: 'accepted',
      ocppAction: 'ChangeConfiguration',
      requestedByUserId: null,
      requestedByLabel: 'ChargeOps (price display)',
      params: { key: defaultPriceKey, value: defaultPriceSetting('1.6', aVersion()).value },
    });
    const [c201] = await waitFor(() => priceCommands(v201.station.id), answered);
    expect(c201).toMatchObject({
      status: 'accepted',
      ocppAction: 'SetVariables',
      requestedByLabel: 'ChargeOps (price display)',
      params: { key: tariffFallbackMessageKey, value: text },
    });
  });

  it('a new price is sent when the tariff changes; the screens follow', async () => {
    await h.db.insert(tariffVersions).values({
      tariffId,
      validFrom: new Date(Date.now() - 1000),
      currency: 'USD',
      taxRateBp: 825,
      sessionFee: 100,
      energyPerKwh: 5000,
    });
    tariffUpdated();
    const newText = '$0.50/kWh, $1.00 per session, plus 8.25 % tax';
    await screen(v16.charger, newText);
    await screen(v201.charger, newText);
    expect((await priceCommands(v16.station.id)).map((c) => c.params.value)).toEqual([
      defaultPriceSetting('1.6', aVersion()).value,
      JSON.stringify({
        priceText: newText,
        priceTextOffline: newText,
        chargingPrice: { kWhPrice: 0.5413, hourPrice: 0, flatFee: 1.08 },
      }),
    ]);
    expect((await priceCommands(v201.station.id)).map((c) => c.params.value)).toEqual([text, newText]);
  });

  it('a second boot with nothing changed sends nothing, nor does another tariff event', async () => {
    await v16.charger.triggerBoot();
    await v201.charger.triggerBoot();
    tariffUpdated();
    await new Promise((r) => setTimeout(r, 400));
    expect(await priceCommands(v16.station.id)).toHaveLength(2);
    expect(await priceCommands(v201.station.id)).toHaveLength(2);
  });

  it('a version entered ahead is sent when it comes into force', async () => {
    await h.db.insert(tariffVersions).values({
      tariffId,
      validFrom: new Date(Date.now() + 600),
      currency: 'USD',
      taxRateBp: 825,
      energyPerKwh: 5500,
    });
    tariffUpdated();
    await new Promise((r) => setTimeout(r, 300));
    // Announced, but not in force yet: nothing new.
    expect(await priceCommands(v201.station.id)).toHaveLength(2);
    const later = '$0.55/kWh, plus 8.25 % tax';
    await screen(v201.charger, later);
    await screen(v16.charger, later);
    expect(await priceCommands(v201.station.id)).toHaveLength(3);
  });

  it('a 1.6 station without California pricing gets nothing until the setting is switched on', async () => {
    const { station, charger } = await aCharger('ocpp1.6');
    await booted(station.id);
    expect(await priceCommands(station.id)).toEqual([]);
    expect(charger.display(1).priceText).toBeNull();
    await h.db
      .update(chargingStations)
      .set({ californiaPricing: true })
      .where(eq(chargingStations.id, station.id));
    publish({
      type: 'station:changed',
      organisationId: h.scope.organisationId,
      siteId: station.siteId,
      stationId: station.id,
    });
    await screen(charger, '$0.55/kWh, plus 8.25 % tax');
    expect(await priceCommands(station.id)).toHaveLength(1);
  });

  it('a station without a tariff gets nothing; once it has had one, losing it clears the screen', async () => {
    const elsewhere = await aSite(h.db, h.scope.organisationId);
    const { station, charger } = await aCharger('ocpp2.0.1', { siteId: elsewhere.id });
    await booted(station.id);
    expect(await priceCommands(station.id)).toEqual([]);

    const [assignment] = await h.db
      .insert(tariffAssignments)
      .values({ organisationId: h.scope.organisationId, tariffId, stationId: station.id })
      .returning();
    tariffUpdated();
    await screen(charger, '$0.55/kWh, plus 8.25 % tax');
    await h.db.delete(tariffAssignments).where(eq(tariffAssignments.id, assignment!.id));
    tariffUpdated();
    await screen(charger, null);
    const log = await waitFor(
      () => priceCommands(station.id),
      (rows) => rows.every((c) => c.status !== 'pending'),
    );
    expect(log.map((c) => [c.status, c.params.value])).toEqual([
      ['accepted', '$0.55/kWh, plus 8.25 % tax'],
      ['accepted', ''],
    ]);
  });

  it('a 2.0.1 station without the variable is recorded as such and not asked again for the same price', async () => {
    const { station, charger } = await aCharger('ocpp2.0.1', { displayCostAndPrice: false });
    const [refused] = await waitFor(
      () => priceCommands(station.id),
      (rows) => rows.length === 1 && rows[0]!.status === 'rejected',
    );
    expect(refused).toMatchObject({ status: 'rejected', detail: 'UnknownComponent' });
    await charger.triggerBoot();
    publish({
      type: 'station:changed',
      organisationId: h.scope.organisationId,
      siteId: station.siteId,
      stationId: station.id,
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(await priceCommands(station.id)).toHaveLength(1);
  });

  it('costs a network without tariffs at most one query for all its boots', async () => {
    const org = await anOrganisation(h.db);
    const site = await aSite(h.db, org.id);
    const [station] = await h.db
      .insert(chargingStations)
      .values({
        organisationId: org.id,
        siteId: site.id,
        identity: h.anIdentity('NOPRICE'),
        registrationStatus: 'accepted',
        ocppVersion: '2.0.1',
        online: true,
      })
      .returning();
    let calls = 0;
    const counting = new Proxy(h.db, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        calls++;
        return (value as (...args: unknown[]) => unknown).bind(target);
      },
    }) as Db;
    const link = {
      stationId: station!.id,
      organisationId: org.id,
      siteId: site.id,
      identity: station!.identity,
      registrationStatus: 'accepted' as const,
    };
    for (let i = 0; i < 3; i++) await showDefaultPriceAfterBoot(counting, link, deps);
    expect(calls).toBe(1);
    expect(await priceCommands(station!.id)).toEqual([]);
  });
});
