import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '@/lib/db';
import {
  chargeDetailRecords,
  chargingStations,
  drivers,
  idTokens,
  ledgerEntries,
  organisations,
  sites,
  transactions,
  users,
  userSites,
  type ChargeDetailRecord,
  type ChargingStation,
} from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { nextDocumentNumber } from './billing';
import { hashPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/domain/access/roles';
import type { SessionUser } from './users';
import { documentNumber } from '@/lib/domain/pricing/display';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Test builder: a new organisation. */
export async function anOrganisation(db: Db, name = `Org ${unique()}`) {
  const [org] = await db.insert(organisations).values({ name }).returning();
  if (!org) throw new Error('no org');
  return org;
}

/** Test builder: a site in an organisation. */
export async function aSite(
  db: Db,
  organisationId: string,
  overrides: Partial<typeof sites.$inferInsert> = {},
) {
  const [site] = await db
    .insert(sites)
    .values({
      organisationId,
      name: `Site ${unique()}`,
      latitude: 41.88,
      longitude: -87.63,
      timezone: 'America/Chicago',
      ...overrides,
    })
    .returning();
  if (!site) throw new Error('no site');
  return site;
}

// Hashing is slow on purpose; tests share one hash of this password.
export const testPassword = 'correct horse battery';
let sharedHash: Promise<string> | undefined;

/** Test builder: a user (password `testPassword`), returned as the session sees them. */
export async function aUser(
  db: Db,
  organisationId: string,
  options: { role?: Role; siteIds?: string[]; active?: boolean; email?: string } = {},
): Promise<SessionUser> {
  sharedHash ??= hashPassword(testPassword);
  const role = options.role ?? 'admin';
  const [user] = await db
    .insert(users)
    .values({
      organisationId,
      email: options.email ?? `${role}-${unique()}@example.test`,
      name: `${role} ${unique()}`,
      role,
      passwordHash: await sharedHash,
      active: options.active ?? true,
    })
    .returning();
  if (!user) throw new Error('no user');
  const siteIds = options.siteIds ?? [];
  if (siteIds.length > 0)
    await db.insert(userSites).values(siteIds.map((siteId) => ({ userId: user.id, siteId })));
  return {
    id: user.id,
    organisationId,
    email: user.email,
    name: user.name,
    role,
    siteIds,
    mustChangePassword: user.mustChangePassword,
    sessionVersion: user.sessionVersion,
  };
}

/** Reads a user row (for assertions). */
export async function userRow(db: Db, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Test builder: an active id token of a new driver (so stations accept it on public sites). */
export async function aDriverToken(db: Db, organisationId: string, idToken: string) {
  const [driver] = await db
    .insert(drivers)
    .values({ organisationId, name: `Driver ${idToken}` })
    .returning();
  if (!driver) throw new Error('no driver');
  const [token] = await db
    .insert(idTokens)
    .values({ organisationId, driverId: driver.id, idToken })
    .onConflictDoNothing()
    .returning();
  return { driver, token };
}

/**
 * Test builder: the billing tests' network. An organisation with two sites (Paris Odéon and Lyon
 * Part-Dieu, Europe/Paris) and a station at each (PAR-…, LYO-…), a driver with a token, an admin, a
 * manager per site and a technician at Paris.
 */
export async function aTwoSiteNetwork(db: Db, options: { organisationName?: string } = {}) {
  const org = await anOrganisation(db, options.organisationName);
  const paris = await aSite(db, org.id, { name: 'Paris Odéon', timezone: 'Europe/Paris' });
  const lyon = await aSite(db, org.id, { name: 'Lyon Part-Dieu', timezone: 'Europe/Paris' });
  const { driver } = await aDriverToken(db, org.id, `TOK-${unique()}`);
  return {
    org,
    paris,
    lyon,
    inParis: await aStation(db, org.id, paris.id, 'PAR'),
    inLyon: await aStation(db, org.id, lyon.id, 'LYO'),
    driver,
    admin: await aUser(db, org.id),
    parisManager: await aUser(db, org.id, { role: 'manager', siteIds: [paris.id] }),
    lyonManager: await aUser(db, org.id, { role: 'manager', siteIds: [lyon.id] }),
    technician: await aUser(db, org.id, { role: 'technician', siteIds: [paris.id] }),
  };
}

/** Expects the promise to fail with an AppError of this kind, and returns the error. */
export async function expectError(promise: Promise<unknown>, kind: AppError['kind']): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).kind).toBe(kind);
  return error as AppError;
}

/** Test builder: an accepted station of an organisation, on a site or not; its identity starts with `prefix`. */
export async function aStation(
  db: Db,
  organisationId: string,
  siteId: string | null,
  prefix = 'CP',
): Promise<ChargingStation> {
  const [station] = await db
    .insert(chargingStations)
    .values({ organisationId, siteId, identity: `${prefix}-${unique()}`, registrationStatus: 'accepted' })
    .returning();
  if (!station) throw new Error('no station');
  return station;
}

/**
 * Test builder: an ended session at a station and its charge detail record, numbered as billing
 * numbers them: an hour ending 2026-03-05 12:00 UTC, 10 kWh at €0.35 plus 20 % tax, unless
 * overridden (the tax follows an overridden net).
 */
export async function aChargeDetailRecord(
  db: Db,
  station: Pick<ChargingStation, 'id' | 'organisationId' | 'siteId'>,
  overrides: Partial<typeof chargeDetailRecords.$inferInsert> = {},
): Promise<ChargeDetailRecord> {
  const endedAt = overrides.endedAt ?? new Date('2026-03-05T12:00:00Z');
  const startedAt = overrides.startedAt ?? new Date(endedAt.getTime() - 3_600_000);
  const [session] = await db
    .insert(transactions)
    .values({
      organisationId: station.organisationId,
      stationId: station.id,
      chargerTransactionId: `T${unique()}`,
      ocppVersion: '2.0.1',
      evseId: overrides.evseId ?? 1,
      status: 'completed',
      startedAt,
      stoppedAt: endedAt,
    })
    .returning();
  if (!session) throw new Error('no session');
  const energyWh = overrides.energyWh ?? 10_000;
  const net = overrides.net ?? 350;
  const tax = overrides.tax ?? Math.round(net * 0.2);
  const [cdr] = await db
    .insert(chargeDetailRecords)
    .values({
      organisationId: station.organisationId,
      number: await nextDocumentNumber(db, station.organisationId, 'cdr'),
      transactionId: session.id,
      stationId: station.id,
      siteId: station.siteId,
      evseId: 1,
      tariffName: 'Standard',
      tariffReason: 'Organisation default',
      currency: 'EUR',
      startedAt,
      endedAt,
      energyWh,
      chargingSeconds: 3000,
      idleSeconds: 600,
      lines: [{ kind: 'energy', band: null, quantity: energyWh, rate: 3500, amount: net }],
      net,
      tax,
      total: net + tax,
      taxRateBp: 2000,
      pricesIncludeTax: false,
      paymentStatus: 'unpaid',
      ...overrides,
    })
    .returning();
  if (!cdr) throw new Error('no CDR');
  return cdr;
}

/** The driver's ledger entry billing writes for a CDR ("Charging", reference "CDR-00000n", at its end unless told). */
export async function aSessionEntry(
  db: Db,
  cdr: ChargeDetailRecord,
  entry: { description?: string; createdAt?: Date } = {},
): Promise<void> {
  if (!cdr.driverId) throw new Error('a session entry needs the CDR of a driver');
  await db.insert(ledgerEntries).values({
    organisationId: cdr.organisationId,
    driverId: cdr.driverId,
    kind: 'session',
    amount: cdr.total,
    currency: cdr.currency,
    cdrId: cdr.id,
    description: entry.description ?? 'Charging',
    reference: documentNumber('CDR', cdr.number),
    createdAt: entry.createdAt ?? cdr.endedAt,
  });
}
