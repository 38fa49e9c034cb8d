import { and, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import { chargeDetailRecords, chargingStations, sites, type ChargingStation } from '@/lib/db/schema';
import { canAccessSite } from '@/lib/domain/access/roles';
import { conflict, forbiddenError, invalid, notFound } from '@/lib/errors';
import { generatePassword, hashPassword } from '@/lib/auth/password';
import { publish } from '@/lib/realtime/bus';
import { identityFromPath } from '@/lib/ocpp/identity';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { inAccessChange } from './local-lists';
import { actorOf, type SessionUser } from './users';
import { isUuid } from '@/lib/validation/ids';

/**
 * Registration of stations by operators: add one, accept a pending one, place it on a site, set or
 * rotate its OCPP password, delete it. Managers act on stations of their sites; only admins see
 * and place stations that are on no site yet, and only admins delete.
 */

export const createStationInput = z.object({
  identity: z
    .string()
    .trim()
    .refine((v) => identityFromPath(`/ocpp/${encodeURIComponent(v)}`) === v, {
      message: 'Up to 48 printable characters, without spaces, ":" or "/"',
    }),
  siteId: z.uuid('Choose a site'),
  /** Empty: generate one and show it once. */
  password: z
    .union([z.literal(''), z.string().min(16, 'Use at least 16 characters').max(40, 'At most 40 characters')])
    .default(''),
});

async function loadStation(db: Db, actor: SessionUser, id: string): Promise<ChargingStation> {
  if (!isUuid(id)) throw notFound('Station');
  const [station] = await db
    .select()
    .from(chargingStations)
    .where(and(eq(chargingStations.id, id), eq(chargingStations.organisationId, actor.organisationId)));
  if (!station) throw notFound('Station');
  const visible = station.siteId ? canAccessSite(actor, station.siteId) : actor.role === 'admin';
  if (!visible) throw notFound('Station');
  return station;
}

async function assertSiteInScope(db: Db, actor: SessionUser, siteId: string): Promise<void> {
  const [site] = await db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.id, siteId), eq(sites.organisationId, actor.organisationId)));
  if (!site || !canAccessSite(actor, site.id))
    throw invalid('Choose one of your sites', { siteId: 'Choose one of your sites' });
}

function announce(station: ChargingStation): void {
  publish({
    type: 'station:changed',
    organisationId: station.organisationId,
    siteId: station.siteId,
    stationId: station.id,
  });
}

/** Adds a station (accepted) on a site, with a password for OCPP Basic auth; returns the password once. */
export async function createStation(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof createStationInput>,
): Promise<{ station: ChargingStation; password: string }> {
  assertCan(actor, 'stations:manage');
  const input = createStationInput.parse(raw);
  await assertSiteInScope(db, actor, input.siteId);
  const password = input.password || generatePassword();
  const passwordHash = await hashPassword(password);
  const station = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(chargingStations)
      .values({
        organisationId: actor.organisationId,
        siteId: input.siteId,
        identity: input.identity,
        passwordHash,
        registrationStatus: 'accepted',
      })
      .onConflictDoNothing({ target: chargingStations.identity })
      .returning();
    if (!created) {
      throw conflict('A station with this identity exists already', {
        identity: 'A station with this identity exists already',
      });
    }
    await recordAudit(tx, actorOf(actor), {
      action: 'station.create',
      targetType: 'station',
      targetId: created.id,
      details: { identity: created.identity, siteId: input.siteId },
    });
    return created;
  });
  announce(station);
  return { station, password };
}

/** Changes a station's own settings in one transaction with the audit row, then tells live views. */
async function changeStation(
  db: Db,
  actor: SessionUser,
  before: ChargingStation,
  set: Partial<Pick<ChargingStation, 'registrationStatus' | 'californiaPricing'>>,
  audit: { action: string; details: Record<string, unknown> },
): Promise<ChargingStation> {
  const station = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(chargingStations)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(chargingStations.id, before.id))
      .returning();
    if (!updated) throw notFound('Station');
    await recordAudit(tx, actorOf(actor), { ...audit, targetType: 'station', targetId: before.id });
    return updated;
  });
  announce(station);
  return station;
}

/** Accepts a pending (or rejected) station; the charger is told at its next BootNotification. */
export async function setRegistration(
  db: Db,
  actor: SessionUser,
  id: string,
  status: 'accepted' | 'rejected',
): Promise<ChargingStation> {
  assertCan(actor, 'stations:manage');
  const before = await loadStation(db, actor, id);
  return changeStation(
    db,
    actor,
    before,
    { registrationStatus: status },
    {
      action: status === 'accepted' ? 'station.accept' : 'station.reject',
      details: { identity: before.identity, from: before.registrationStatus },
    },
  );
}

/**
 * Switches the OCA California pricing messages (OCPP 1.6 DataTransfer: the price after Authorize,
 * running and final costs) on or off for a station; only chargers whose firmware supports them
 * should have it on.
 */
export async function setCaliforniaPricing(
  db: Db,
  actor: SessionUser,
  id: string,
  enabled: boolean,
): Promise<ChargingStation> {
  assertCan(actor, 'stations:manage');
  const before = await loadStation(db, actor, id);
  return changeStation(
    db,
    actor,
    before,
    { californiaPricing: enabled },
    {
      action: 'station.california-pricing',
      details: { identity: before.identity, enabled },
    },
  );
}

/** Places a station on a site (auto-registered stations start on none). */
export async function placeStation(
  db: Db,
  actor: SessionUser,
  id: string,
  siteId: string,
): Promise<ChargingStation> {
  assertCan(actor, 'stations:manage');
  const before = await loadStation(db, actor, id);
  await assertSiteInScope(db, actor, siteId);
  // Another site has other access rules: the station's local list follows.
  const station = await inAccessChange(
    db,
    { organisationId: actor.organisationId, stationId: before.id },
    async (tx) => {
      const [updated] = await tx
        .update(chargingStations)
        .set({ siteId, updatedAt: new Date() })
        .where(eq(chargingStations.id, before.id))
        .returning();
      if (!updated) throw notFound('Station');
      await recordAudit(tx, actorOf(actor), {
        action: 'station.place',
        targetType: 'station',
        targetId: before.id,
        details: { identity: before.identity, from: before.siteId, to: siteId },
      });
      return updated;
    },
  );
  announce(station);
  return station;
}

/**
 * Sets a new OCPP password (generated when none is given) and returns it once. The charger must be
 * given the same password (1.6 AuthorizationKey / 2.0.1 BasicAuthPassword) before it reconnects.
 */
export async function setStationPassword(
  db: Db,
  actor: SessionUser,
  id: string,
  chosen = '',
): Promise<string> {
  assertCan(actor, 'stations:manage');
  const before = await loadStation(db, actor, id);
  if (chosen && (chosen.length < 16 || chosen.length > 40)) {
    throw invalid('Use 16 to 40 characters', { password: 'Use 16 to 40 characters' });
  }
  const password = chosen || generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await tx
      .update(chargingStations)
      .set({ passwordHash, updatedAt: new Date() })
      .where(eq(chargingStations.id, before.id));
    await recordAudit(tx, actorOf(actor), {
      action: before.passwordHash ? 'station.rotate-password' : 'station.set-password',
      targetType: 'station',
      targetId: before.id,
      details: { identity: before.identity },
    });
  });
  return password;
}

/** Deletes a station and its history (admins only); a connected charger is refused from then on. */
export async function deleteStation(db: Db, actor: SessionUser, id: string): Promise<void> {
  if (actor.role !== 'admin') throw forbiddenError('Only administrators delete stations');
  const station = await loadStation(db, actor, id);
  // Billing records are kept for audits and tax: a station that billed sessions stays.
  const [billed] = await db
    .select({ n: count() })
    .from(chargeDetailRecords)
    .where(eq(chargeDetailRecords.stationId, station.id));
  if ((billed?.n ?? 0) > 0)
    throw conflict(
      `${station.identity} has ${billed?.n} charge detail records, which are kept for audits; take it off its site or reject it instead`,
    );
  await db.transaction(async (tx) => {
    await tx.delete(chargingStations).where(eq(chargingStations.id, station.id));
    await recordAudit(tx, actorOf(actor), {
      action: 'station.delete',
      targetType: 'station',
      targetId: station.id,
      details: { identity: station.identity, siteId: station.siteId },
    });
  });
  announce(station);
}
