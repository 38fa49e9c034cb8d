import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import {
  stockLocations,
  technicianCertifications,
  technicianProfiles,
  userSites,
  users,
  workOrders,
  type TechnicianCertification,
  type TechnicianProfile,
} from '@/lib/db/schema';
import type { DispatchCandidate } from '@/lib/domain/maintenance/dispatch';
import { activeStatuses } from '@/lib/domain/maintenance/work-orders';
import { notFound } from '@/lib/errors';
import { isUuid } from '@/lib/validation/ids';
import { certificationInput, locationInput, technicianProfileInput } from '@/lib/validation/technicians';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { actorOf, type SessionUser } from './users';

/**
 * Technicians as dispatch sees them: certifications with their expiry, skills, home base, working
 * hours, the location they last shared from their phone, and how many work orders they hold.
 */

export interface TechnicianView {
  id: string;
  name: string;
  email: string;
  active: boolean;
  siteIds: string[];
  profile: TechnicianProfile | null;
  certifications: TechnicianCertification[];
  /** Work orders on their plate now (assigned to accepted-and-working). */
  openOrders: number;
  vanId: string | null;
}

async function gather(db: DbOrTx, organisationId: string, userIds?: string[]): Promise<TechnicianView[]> {
  const people = await db
    .select({ id: users.id, name: users.name, email: users.email, active: users.active })
    .from(users)
    .where(
      and(
        eq(users.organisationId, organisationId),
        eq(users.role, 'technician'),
        userIds ? inArray(users.id, userIds) : undefined,
      ),
    )
    .orderBy(asc(users.name));
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const [profiles, certifications, sites, loads, vans] = await Promise.all([
    db.select().from(technicianProfiles).where(inArray(technicianProfiles.userId, ids)),
    db
      .select()
      .from(technicianCertifications)
      .where(inArray(technicianCertifications.userId, ids))
      .orderBy(asc(technicianCertifications.name)),
    db.select().from(userSites).where(inArray(userSites.userId, ids)),
    db
      .select({ userId: workOrders.assigneeId, n: sql<number>`count(*)::int` })
      .from(workOrders)
      .where(and(inArray(workOrders.assigneeId, ids), inArray(workOrders.status, [...activeStatuses])))
      .groupBy(workOrders.assigneeId),
    db
      .select({ id: stockLocations.id, technicianId: stockLocations.technicianId })
      .from(stockLocations)
      .where(inArray(stockLocations.technicianId, ids)),
  ]);
  return people.map((person) => ({
    ...person,
    siteIds: sites.filter((s) => s.userId === person.id).map((s) => s.siteId),
    profile: profiles.find((p) => p.userId === person.id) ?? null,
    certifications: certifications.filter((c) => c.userId === person.id),
    openOrders: loads.find((l) => l.userId === person.id)?.n ?? 0,
    vanId: vans.find((v) => v.technicianId === person.id)?.id ?? null,
  }));
}

/** The organisation's technicians (managers dispatch across the organisation's field team). */
export async function listTechnicians(db: Db, actor: SessionUser): Promise<TechnicianView[]> {
  assertCan(actor, 'maintenance:view');
  return gather(db, actor.organisationId);
}

/** One technician; a technician may read their own profile. */
export async function getTechnician(db: Db, actor: SessionUser, userId: string): Promise<TechnicianView> {
  if (actor.id !== userId) assertCan(actor, 'maintenance:view');
  if (!isUuid(userId)) throw notFound('Technician');
  const [view] = await gather(db, actor.organisationId, [userId]);
  if (!view) throw notFound('Technician');
  return view;
}

/** Saves a technician's skills, home base and working hours. */
export async function saveTechnicianProfile(
  db: Db,
  actor: SessionUser,
  userId: string,
  raw: z.input<typeof technicianProfileInput>,
): Promise<void> {
  assertCan(actor, 'maintenance:manage');
  const input = technicianProfileInput.parse(raw);
  const technician = await getTechnician(db, actor, userId);
  const values = {
    phone: input.phone ?? null,
    skills: input.skills,
    homeBase: input.homeBase,
    homeLatitude: input.homeLatitude ?? null,
    homeLongitude: input.homeLongitude ?? null,
    workDays: input.workDays,
    workStart: input.workStart,
    workEnd: input.workEnd,
    timezone: input.timezone,
    updatedAt: new Date(),
  };
  await db.transaction(async (tx) => {
    await tx
      .insert(technicianProfiles)
      .values({ userId: technician.id, organisationId: actor.organisationId, ...values })
      .onConflictDoUpdate({ target: technicianProfiles.userId, set: values });
    await recordAudit(tx, actorOf(actor), {
      action: 'technician.profile',
      targetType: 'user',
      targetId: technician.id,
      details: { ...values, updatedAt: undefined },
    });
  });
}

/** Adds a certification (with its expiry) to a technician. */
export async function addCertification(
  db: Db,
  actor: SessionUser,
  userId: string,
  raw: z.input<typeof certificationInput>,
): Promise<void> {
  assertCan(actor, 'maintenance:manage');
  const input = certificationInput.parse(raw);
  const technician = await getTechnician(db, actor, userId);
  await db.transaction(async (tx) => {
    await tx.insert(technicianCertifications).values({
      userId: technician.id,
      name: input.name,
      reference: input.reference ?? null,
      expiresOn: input.expiresOn ? new Date(`${input.expiresOn}T00:00:00Z`) : null,
    });
    await recordAudit(tx, actorOf(actor), {
      action: 'technician.certification.add',
      targetType: 'user',
      targetId: technician.id,
      details: input,
    });
  });
}

/** Removes one of a technician's certifications. */
export async function removeCertification(
  db: Db,
  actor: SessionUser,
  certificationId: string,
): Promise<void> {
  assertCan(actor, 'maintenance:manage');
  if (!isUuid(certificationId)) throw notFound('Certification');
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(technicianCertifications)
      .where(
        and(
          eq(technicianCertifications.id, certificationId),
          inArray(
            technicianCertifications.userId,
            tx.select({ id: users.id }).from(users).where(eq(users.organisationId, actor.organisationId)),
          ),
        ),
      )
      .returning();
    if (!removed) throw notFound('Certification');
    await recordAudit(tx, actorOf(actor), {
      action: 'technician.certification.remove',
      targetType: 'user',
      targetId: removed.userId,
      details: { name: removed.name, expiresOn: removed.expiresOn },
    });
  });
}

/** A technician shares where they are now (from the phone), for dispatch. */
export async function shareLocation(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof locationInput>,
  now: Date,
): Promise<void> {
  assertCan(actor, 'work-orders:work');
  const input = locationInput.parse(raw);
  const values = { lastLatitude: input.latitude, lastLongitude: input.longitude, lastLocationAt: now };
  await db
    .insert(technicianProfiles)
    .values({ userId: actor.id, organisationId: actor.organisationId, ...values })
    .onConflictDoUpdate({ target: technicianProfiles.userId, set: values });
}

/** Dispatch's view of one technician (internal). */
export function toCandidate(view: TechnicianView): DispatchCandidate {
  const p = view.profile;
  return {
    userId: view.id,
    name: view.name,
    certifications: view.certifications.map((c) => ({ name: c.name, expiresAt: c.expiresOn })),
    skills: p?.skills ?? [],
    homeBase:
      p?.homeLatitude != null && p.homeLongitude != null
        ? { lat: p.homeLatitude, lng: p.homeLongitude }
        : null,
    lastLocation:
      p?.lastLatitude != null && p.lastLongitude != null && p.lastLocationAt
        ? { lat: p.lastLatitude, lng: p.lastLongitude, at: p.lastLocationAt }
        : null,
    workingHours:
      p && p.workDays.length > 0
        ? { days: p.workDays, start: p.workStart, end: p.workEnd, timeZone: p.timezone }
        : null,
    openOrders: view.openOrders,
  };
}

/** Active technicians who work at a site: the people a work order there may go to (internal). */
export async function techniciansOfSite(db: DbOrTx, organisationId: string, siteId: string | null) {
  const views = await gather(db, organisationId);
  return views.filter((v) => v.active && (siteId === null || v.siteIds.includes(siteId)));
}
