import { and, count, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import {
  chargingStations,
  configurationDefaults,
  connectors,
  driverGroupMembers,
  driverGroups,
  billingAccounts,
  billingSettings,
  ledgerEntries,
  tariffAssignments,
  tariffs,
  tariffVersions,
  drivers,
  idTokens,
  evses,
  loadNodes,
  stationLoadSettings,
  maintenanceSettings,
  organisations,
  parts,
  sites,
  stockLevels,
  stockLocations,
  stockMovements,
  technicianCertifications,
  technicianProfiles,
  users,
  userSites,
} from '@/lib/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { defaultRemediationPlan } from '@/lib/domain/maintenance/incidents';
import { defaultSlaHours } from '@/lib/domain/maintenance/work-orders';
import { recordAudit } from './audit';
import { defaultChecklist } from './maintenance-settings';

/** Password of every demo station (OCPP security profile 1) and of the demo manager and technician. */
export const demoStationPassword = 'demo-station-secret';
export const demoUserPassword = 'chargeops-demo';

/** The demo drivers and their RFID cards; the demo chargers present these cards. */
const demoDrivers = [
  {
    name: 'Alex Rivera',
    email: 'alex.rivera@example.com',
    company: 'Union Logistics',
    card: '04A1B2C3D4E501',
    fleet: true,
  },
  {
    name: 'Sam Chen',
    email: 'sam.chen@example.com',
    company: 'Union Logistics',
    card: '04A1B2C3D4E502',
    fleet: true,
  },
  {
    name: 'Priya Natarajan',
    email: 'priya.n@example.com',
    company: 'Tech Center Tenants',
    card: '04A1B2C3D4E503',
    fleet: false,
  },
  {
    name: 'Jordan Blake',
    email: 'jordan.blake@example.com',
    company: null,
    card: '04A1B2C3D4E504',
    fleet: false,
  },
  {
    name: 'Maria Lopez',
    email: 'maria.lopez@example.com',
    company: 'State of California',
    card: '04A1B2C3D4E505',
    fleet: true,
  },
  {
    name: 'Chris Okafor',
    email: 'chris.okafor@example.com',
    company: null,
    card: '04A1B2C3D4E506',
    fleet: false,
  },
] as const;

/** The RFID UIDs of the demo drivers' cards. */
export function demoIdTokens(): string[] {
  return demoDrivers.map((d) => d.card);
}

interface DemoStation {
  identity: string;
  vendor: string;
  model: string;
  /** One entry per EVSE: connector type and max power in W. */
  ports: [type: string, maxPowerW: number][];
}

interface DemoSite {
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  timezone: string;
  gridCapacityW: number;
  stations: DemoStation[];
}

const dcFast = (identity: string): DemoStation => ({
  identity,
  vendor: 'ABB',
  model: 'Terra 184',
  ports: [
    ['cCCS1', 180_000],
    ['cCCS1', 180_000],
  ],
});
const level2 = (identity: string): DemoStation => ({
  identity,
  vendor: 'Wallbox',
  model: 'Commander 2',
  ports: [['cType1', 11_500]],
});

// Three sites at real places in three US time zones; stations have never connected, so their
// connectors start Unknown until a charger (or the simulator) reports.
const demoSites: DemoSite[] = [
  {
    name: 'Chicago Union Station Garage',
    address: '210 S Canal St, Chicago, IL 60606',
    latitude: 41.8787,
    longitude: -87.6403,
    timezone: 'America/Chicago',
    gridCapacityW: 600_000,
    stations: [dcFast('CHI-DC-01'), dcFast('CHI-DC-02'), level2('CHI-L2-01'), level2('CHI-L2-02')],
  },
  {
    name: 'Denver Tech Center Workplace',
    address: '7900 E Union Ave, Denver, CO 80237',
    latitude: 39.6155,
    longitude: -104.8956,
    timezone: 'America/Denver',
    gridCapacityW: 150_000,
    stations: [
      level2('DEN-L2-01'),
      level2('DEN-L2-02'),
      level2('DEN-L2-03'),
      level2('DEN-L2-04'),
      level2('DEN-L2-05'),
    ],
  },
  {
    name: 'Sacramento Capitol Mall',
    address: '1315 10th St, Sacramento, CA 95814',
    latitude: 38.5766,
    longitude: -121.4934,
    timezone: 'America/Los_Angeles',
    gridCapacityW: 400_000,
    stations: [dcFast('SAC-DC-01'), dcFast('SAC-DC-02'), level2('SAC-L2-01')],
  },
];

/** The demo stations as the live demo's simulated chargers need them. */
export function demoStations(): { identity: string; ports: number; maxPowerW: number; dc: boolean }[] {
  return demoSites.flatMap((site) =>
    site.stations.map((station) => ({
      identity: station.identity,
      ports: station.ports.length,
      maxPowerW: station.ports[0]?.[1] ?? 11_000,
      dc: station.ports.some(([type]) => type.startsWith('cCCS')),
    })),
  );
}

/**
 * Seeds the demo network into an organisation that has no sites yet: three sites, a dozen
 * stations, and a demo site manager and technician. Returns false when there was something already.
 */
export async function seedDemo(db: Db, organisationId: string): Promise<boolean> {
  const [existing] = await db
    .select({ n: count() })
    .from(sites)
    .where(eq(sites.organisationId, organisationId));
  if ((existing?.n ?? 0) > 0) return false;
  const stationHash = await hashPassword(demoStationPassword);
  const userHash = await hashPassword(demoUserPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(organisations)
      .set({ name: 'Demo Charging Network' })
      .where(eq(organisations.id, organisationId));
    // The live demo samples every 15 s so charts move while someone watches.
    for (const [ocppVersion, key] of [
      ['1.6', 'MeterValueSampleInterval'],
      ['2.0.1', 'SampledDataCtrlr.TxUpdatedInterval'],
    ] as const) {
      await tx
        .insert(configurationDefaults)
        .values({ organisationId, ocppVersion, key, value: '15' })
        .onConflictDoUpdate({
          target: [
            configurationDefaults.organisationId,
            configurationDefaults.ocppVersion,
            configurationDefaults.key,
            configurationDefaults.siteId,
          ],
          set: { value: '15' },
        });
    }
    const siteIds: string[] = [];
    const stationIdsOf = new Map<string, string[]>();
    for (const demoSite of demoSites) {
      const { stations, ...siteColumns } = demoSite;
      const [site] = await tx
        .insert(sites)
        .values({ organisationId, ...siteColumns })
        .returning();
      if (!site) throw new Error('insert returned no row');
      siteIds.push(site.id);
      for (const demoStation of stations) {
        const [station] = await tx
          .insert(chargingStations)
          .values({
            organisationId,
            siteId: site.id,
            identity: demoStation.identity,
            vendor: demoStation.vendor,
            model: demoStation.model,
            passwordHash: stationHash,
            registrationStatus: 'accepted',
          })
          .returning();
        if (!station) throw new Error('insert returned no row');
        stationIdsOf.set(demoStation.identity, [site.id, station.id]);
        for (const [index, [connectorType, maxPowerW]] of demoStation.ports.entries()) {
          const [evse] = await tx
            .insert(evses)
            .values({ stationId: station.id, evseId: index + 1 })
            .returning();
          if (!evse) throw new Error('insert returned no row');
          await tx.insert(connectors).values({ evseId: evse.id, connectorId: 1, connectorType, maxPowerW });
        }
      }
    }
    const demoPeople = [
      {
        email: 'manager@demo.chargeops.local',
        name: 'Dana Manager',
        role: 'manager' as const,
        sites: siteIds.slice(0, 2),
      },
      {
        email: 'tech@demo.chargeops.local',
        name: 'Theo Technician',
        role: 'technician' as const,
        sites: siteIds,
      },
    ];
    for (const person of demoPeople) {
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, person.email));
      if (taken) continue;
      const [user] = await tx
        .insert(users)
        .values({
          organisationId,
          email: person.email,
          name: person.name,
          role: person.role,
          passwordHash: userHash,
        })
        .returning();
      if (!user) throw new Error('insert returned no row');
      await tx.insert(userSites).values(person.sites.map((siteId) => ({ userId: user.id, siteId })));
    }
    await seedMaintenance(tx, organisationId);
    await seedLoad(tx, organisationId, stationIdsOf);
    // Drivers with cards, and a fleet group; every demo site is public, so each card charges anywhere.
    const [fleet] = await tx
      .insert(driverGroups)
      .values({ organisationId, name: 'Fleet', description: 'Company vehicles' })
      .returning();
    const driverIds: { id: string; fleet: boolean }[] = [];
    for (const person of demoDrivers) {
      const [driver] = await tx
        .insert(drivers)
        .values({ organisationId, name: person.name, email: person.email, company: person.company })
        .returning();
      if (!driver) throw new Error('insert returned no row');
      driverIds.push({ id: driver.id, fleet: person.fleet });
      await tx
        .insert(idTokens)
        .values({ organisationId, driverId: driver.id, idToken: person.card, label: 'Badge' });
      if (person.fleet && fleet)
        await tx.insert(driverGroupMembers).values({ groupId: fleet.id, driverId: driver.id });
    }
    await seedBilling(tx, organisationId, fleet?.id ?? null, driverIds);
    await recordAudit(
      tx,
      { kind: 'system', label: 'system', organisationId },
      {
        action: 'demo.seed',
        targetType: 'organisation',
        targetId: organisationId,
        details: { sites: demoSites.length, stations: demoSites.reduce((n, s) => n + s.stations.length, 0) },
      },
    );
  });
  return true;
}

/**
 * Load management at the Sacramento site: a 400 kW grid connection held to 250 kW in the utility's
 * 16:00–21:00 weekday peak, with its two DC fast chargers (four 180 kW ports) behind a 300 kW
 * cabinet, so the live demo shares power between cars as they come and go.
 */
async function seedLoad(
  tx: DbOrTx,
  organisationId: string,
  stationIdsOf: Map<string, string[]>,
): Promise<void> {
  const [siteId] = stationIdsOf.get('SAC-DC-01') ?? [];
  if (!siteId) return;
  const [root] = await tx
    .insert(loadNodes)
    .values({
      organisationId,
      siteId,
      kind: 'site',
      name: 'Grid connection',
      voltage: 230,
      phases: 3,
      limitUnit: 'W',
      limitValue: 400_000,
      safetyMarginPercent: 5,
      schedule: [
        {
          days: [1, 2, 3, 4, 5],
          start: '16:00',
          end: '21:00',
          label: 'Utility peak',
          limit: { unit: 'W', value: 250_000 },
        },
      ],
    })
    .returning();
  if (!root) throw new Error('insert returned no row');
  const [cabinet] = await tx
    .insert(loadNodes)
    .values({
      organisationId,
      siteId,
      parentId: root.id,
      kind: 'panel',
      name: 'DC cabinet',
      voltage: 230,
      phases: 3,
      limitUnit: 'W',
      limitValue: 300_000,
    })
    .returning();
  if (!cabinet) throw new Error('insert returned no row');
  for (const identity of ['SAC-DC-01', 'SAC-DC-02']) {
    const [, stationId] = stationIdsOf.get(identity) ?? [];
    if (stationId) await tx.insert(stationLoadSettings).values({ stationId, nodeId: cabinet.id });
  }
}

/**
 * Demo prices: a public AC tariff with an evening peak and an idle fee (the organisation's
 * default), a DC fast tariff on the DC stations, and a lower fleet price. Fleet drivers are billed
 * on account; the others pay from a prepaid balance topped up with $50.
 */
async function seedBilling(
  tx: DbOrTx,
  organisationId: string,
  fleetGroupId: string | null,
  people: { id: string; fleet: boolean }[],
): Promise<void> {
  const validFrom = new Date('2026-01-01T00:00:00Z');
  const tariff = async (
    name: string,
    description: string,
    version: Partial<typeof tariffVersions.$inferInsert>,
  ) => {
    const [row] = await tx.insert(tariffs).values({ organisationId, name, description }).returning();
    if (!row) throw new Error('insert returned no row');
    await tx.insert(tariffVersions).values({ tariffId: row.id, validFrom, currency: 'USD', ...version });
    return row.id;
  };
  const publicAc = await tariff('Public AC', 'Level 2 charging for everyone', {
    energyPerKwh: 3500,
    idlePerMinute: 1000,
    idleGraceMinutes: 15,
    bands: [
      {
        label: 'Evening peak',
        window: { days: [1, 2, 3, 4, 5], start: '16:00', end: '21:00' },
        prices: { energyPerKwh: 4500, timePerMinute: null, idlePerMinute: null },
      },
    ],
  });
  const dcFast = await tariff('DC fast', 'DC fast charging', {
    energyPerKwh: 4800,
    sessionFee: 100,
    idlePerMinute: 4000,
    idleGraceMinutes: 10,
  });
  const fleetTariff = await tariff('Fleet', 'Company vehicles, billed monthly', { energyPerKwh: 2200 });
  const dcStations = await tx
    .select({ id: chargingStations.id, identity: chargingStations.identity })
    .from(chargingStations)
    .where(eq(chargingStations.organisationId, organisationId));
  await tx
    .insert(tariffAssignments)
    .values([
      { organisationId, tariffId: publicAc },
      ...dcStations
        .filter((s) => s.identity.includes('-DC-'))
        .map((s) => ({ organisationId, tariffId: dcFast, stationId: s.id })),
      ...(fleetGroupId ? [{ organisationId, tariffId: fleetTariff, groupId: fleetGroupId }] : []),
    ]);
  await tx.insert(billingSettings).values({
    organisationId,
    legalName: 'ChargeOps Demo Networks LLC',
    address: '210 S Canal St, Chicago, IL 60606',
    invoicePrefix: 'DEMO',
  });
  for (const person of people) {
    await tx
      .insert(billingAccounts)
      .values({ driverId: person.id, method: person.fleet ? 'account' : 'prepaid', currency: 'USD' });
    if (!person.fleet)
      await tx.insert(ledgerEntries).values({
        organisationId,
        driverId: person.id,
        kind: 'top-up',
        amount: -5000,
        currency: 'USD',
        description: 'Prepaid top-up',
        reference: 'Welcome credit',
      });
  }
}

/** Demo spare parts: what a Chicago field team keeps in the warehouse and in the van. */
const demoParts = [
  {
    sku: 'WB-CBL-T2-32A',
    name: 'Type 2 cable 32 A, 5 m',
    models: ['Wallbox Commander 2'],
    cost: 18900,
    warehouse: 3,
    van: 1,
    minimum: 4,
  },
  {
    sku: 'ABB-PM-25KW',
    name: 'Power module 25 kW',
    models: ['ABB Terra 184'],
    cost: 145000,
    warehouse: 2,
    van: 0,
    minimum: 1,
  },
  { sku: 'RCD-B-30MA', name: 'RCD type B 30 mA', models: [], cost: 12950, warehouse: 6, van: 2, minimum: 2 },
  {
    sku: 'CTR-63A-4P',
    name: 'Contactor 63 A 4-pole',
    models: [],
    cost: 8900,
    warehouse: 8,
    van: 3,
    minimum: 3,
  },
  { sku: 'FUSE-10A-GG', name: 'Fuse 10 A gG', models: [], cost: 240, warehouse: 50, van: 10, minimum: 20 },
];

/**
 * The demo technician's profile (EVITP-certified, based in Chicago), the maintenance policy asking
 * EVITP for corrective work, and a warehouse and a van stocked with parts.
 */
async function seedMaintenance(tx: DbOrTx, organisationId: string): Promise<void> {
  const [theo] = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.email, 'tech@demo.chargeops.local'), eq(users.organisationId, organisationId)));
  await tx
    .insert(maintenanceSettings)
    .values({
      organisationId,
      remediationPlan: defaultRemediationPlan,
      slaHours: defaultSlaHours,
      checklist: defaultChecklist,
      defaultCertifications: ['EVITP'],
    })
    .onConflictDoNothing();
  const [warehouse] = await tx
    .insert(stockLocations)
    .values({ organisationId, kind: 'warehouse', name: 'Chicago warehouse' })
    .returning();
  let van: { id: string } | undefined;
  if (theo) {
    await tx.insert(technicianProfiles).values({
      userId: theo.id,
      organisationId,
      skills: ['AC', 'DC fast'],
      homeBase: 'West Loop, Chicago',
      homeLatitude: 41.8826,
      homeLongitude: -87.6476,
      workDays: [1, 2, 3, 4, 5, 6],
      workStart: '07:00',
      workEnd: '19:00',
      timezone: 'America/Chicago',
    });
    const expires = new Date();
    expires.setUTCFullYear(expires.getUTCFullYear() + 2);
    await tx.insert(technicianCertifications).values([
      { userId: theo.id, name: 'EVITP', reference: 'EVITP-DEMO-0427', expiresOn: expires },
      { userId: theo.id, name: 'ABB Terra DC service', reference: null, expiresOn: expires },
    ]);
    [van] = await tx
      .insert(stockLocations)
      .values({ organisationId, kind: 'van', name: `Van – ${theo.name}`, technicianId: theo.id })
      .returning();
  }
  for (const demoPart of demoParts) {
    const [part] = await tx
      .insert(parts)
      .values({
        organisationId,
        sku: demoPart.sku,
        name: demoPart.name,
        compatibleModels: demoPart.models,
        unitCostMinor: demoPart.cost,
      })
      .returning();
    if (!part || !warehouse) continue;
    const places = [
      { location: warehouse.id, quantity: demoPart.warehouse, minimum: demoPart.minimum },
      ...(van ? [{ location: van.id, quantity: demoPart.van, minimum: 0 }] : []),
    ].filter((p) => p.quantity > 0);
    for (const place of places) {
      await tx.insert(stockLevels).values({
        locationId: place.location,
        partId: part.id,
        quantity: place.quantity,
        minimum: place.minimum,
      });
      await tx.insert(stockMovements).values({
        organisationId,
        partId: part.id,
        kind: 'received',
        toLocationId: place.location,
        quantity: place.quantity,
        note: 'Demo stock',
      });
    }
  }
}
