import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import {
  accessGrants,
  accessPolicies,
  chargingStations,
  driverGroupMembers,
  driverGroups,
  drivers,
  sites,
  type DriverGroup,
} from '@/lib/db/schema';
import { parseTimeWindow, type TimeWindow } from '@/lib/domain/access/authorization';
import { canAccessSite } from '@/lib/domain/access/roles';
import { AppError, conflict, notFound } from '@/lib/errors';
import { groupInput } from '@/lib/validation/drivers';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { inAccessChange } from './local-lists';
import { actorOf, type SessionUser } from './users';
import { isUniqueViolation } from '@/lib/db/errors';
import { isUuid } from '@/lib/validation/ids';

/**
 * Driver groups ("Employees", "Fleet A"): named sets of drivers that access policies grant
 * charging to. Groups belong to the organisation; the grants shown with them are limited to the
 * sites and stations the caller may see.
 */

/** Where a group may charge: a site's or a station's restricted policy that names it. */
export interface GroupGrantView {
  policyId: string;
  target: { kind: 'site'; id: string; name: string } | { kind: 'station'; id: string; identity: string };
  windows: TimeWindow[];
  maxPowerW: number | null;
}

/** A row of the groups list. */
export interface GroupSummary {
  id: string;
  name: string;
  description: string | null;
  memberCount: number;
  grants: GroupGrantView[];
}

/** A group with its members, by name. */
export interface GroupDetail extends GroupSummary {
  members: { id: string; name: string; email: string | null }[];
}

const nameTaken = () =>
  conflict('A group with this name exists already', { name: 'A group with this name exists already' });

/** Stored windows were checked when saved; a damaged one is dropped rather than shown as valid. */
const storedWindows = (value: unknown): TimeWindow[] =>
  Array.isArray(value) ? value.map(parseTimeWindow).filter((w): w is TimeWindow => w !== null) : [];

async function summarise(db: DbOrTx, actor: SessionUser, groups: DriverGroup[]): Promise<GroupSummary[]> {
  const ids = groups.map((g) => g.id);
  if (ids.length === 0) return [];
  const [counts, grants] = await Promise.all([
    db
      .select({ groupId: driverGroupMembers.groupId, n: count() })
      .from(driverGroupMembers)
      .where(inArray(driverGroupMembers.groupId, ids))
      .groupBy(driverGroupMembers.groupId),
    db
      .select({
        groupId: accessGrants.groupId,
        policyId: accessGrants.policyId,
        windows: accessGrants.windows,
        maxPowerW: accessGrants.maxPowerW,
        siteId: sites.id,
        siteName: sites.name,
        stationId: chargingStations.id,
        stationIdentity: chargingStations.identity,
        stationSiteId: chargingStations.siteId,
      })
      .from(accessGrants)
      .innerJoin(accessPolicies, eq(accessPolicies.id, accessGrants.policyId))
      .leftJoin(sites, eq(sites.id, accessPolicies.siteId))
      .leftJoin(chargingStations, eq(chargingStations.id, accessPolicies.stationId))
      .where(inArray(accessGrants.groupId, ids))
      .orderBy(asc(sites.name), asc(chargingStations.identity)),
  ]);
  const memberCounts = new Map(counts.map((c) => [c.groupId, c.n]));
  const views = new Map<string, GroupGrantView[]>(ids.map((id) => [id, []]));
  for (const grant of grants) {
    let target: GroupGrantView['target'] | null = null;
    if (grant.siteId !== null && grant.siteName !== null) {
      if (canAccessSite(actor, grant.siteId))
        target = { kind: 'site', id: grant.siteId, name: grant.siteName };
    } else if (grant.stationId !== null && grant.stationIdentity !== null) {
      // Stations on no site are the admins' alone, as everywhere else.
      const visible = grant.stationSiteId
        ? canAccessSite(actor, grant.stationSiteId)
        : actor.role === 'admin';
      if (visible) target = { kind: 'station', id: grant.stationId, identity: grant.stationIdentity };
    }
    if (!target) continue;
    views.get(grant.groupId)?.push({
      policyId: grant.policyId,
      target,
      windows: storedWindows(grant.windows),
      maxPowerW: grant.maxPowerW,
    });
  }
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    memberCount: memberCounts.get(g.id) ?? 0,
    grants: views.get(g.id) ?? [],
  }));
}

/** Driver groups of the organisation by name, with member counts and where they may charge. */
export async function listGroups(db: Db, actor: SessionUser): Promise<GroupSummary[]> {
  assertCan(actor, 'drivers:view');
  const groups = await db
    .select()
    .from(driverGroups)
    .where(eq(driverGroups.organisationId, actor.organisationId))
    .orderBy(asc(driverGroups.name));
  return summarise(db, actor, groups);
}

async function loadGroup(db: DbOrTx, actor: SessionUser, id: string): Promise<DriverGroup> {
  if (!isUuid(id)) throw notFound('Group');
  const [group] = await db
    .select()
    .from(driverGroups)
    .where(and(eq(driverGroups.id, id), eq(driverGroups.organisationId, actor.organisationId)));
  if (!group) throw notFound('Group');
  return group;
}

/** One group with its members. */
export async function getGroup(db: Db, actor: SessionUser, id: string): Promise<GroupDetail> {
  assertCan(actor, 'drivers:view');
  const group = await loadGroup(db, actor, id);
  const [[summary], members] = await Promise.all([
    summarise(db, actor, [group]),
    db
      .select({ id: drivers.id, name: drivers.name, email: drivers.email })
      .from(driverGroupMembers)
      .innerJoin(drivers, eq(drivers.id, driverGroupMembers.driverId))
      .where(eq(driverGroupMembers.groupId, group.id))
      .orderBy(asc(drivers.name), asc(drivers.id)),
  ]);
  if (!summary) throw notFound('Group');
  return { ...summary, members };
}

/**
 * Refuses a name already used in the organisation. The database only refuses the exact same
 * spelling; "Employees" and "employees" side by side would confuse people choosing a group.
 */
async function assertNameFree(db: DbOrTx, actor: SessionUser, name: string, exceptId?: string) {
  const [taken] = await db
    .select({ id: driverGroups.id })
    .from(driverGroups)
    .where(
      and(
        eq(driverGroups.organisationId, actor.organisationId),
        sql`lower(${driverGroups.name}) = lower(${name})`,
        exceptId ? ne(driverGroups.id, exceptId) : undefined,
      ),
    );
  if (taken) throw nameTaken();
}

async function mapNameRace<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Two operators creating the same group at once: the unique constraint decides.
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

/** Creates a driver group. */
export async function createGroup(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof groupInput>,
): Promise<DriverGroup> {
  assertCan(actor, 'drivers:manage');
  const input = groupInput.parse(raw);
  return mapNameRace(() =>
    db.transaction(async (tx) => {
      await assertNameFree(tx, actor, input.name);
      const [created] = await tx
        .insert(driverGroups)
        .values({
          organisationId: actor.organisationId,
          name: input.name,
          description: input.description ?? null,
        })
        .returning();
      if (!created) throw new Error('insert returned no row');
      await recordAudit(tx, actorOf(actor), {
        action: 'driver-group.create',
        targetType: 'driver-group',
        targetId: created.id,
        details: { name: created.name, description: created.description },
      });
      return created;
    }),
  );
}

/** Renames a group or changes its description. */
export async function updateGroup(
  db: Db,
  actor: SessionUser,
  id: string,
  raw: z.input<typeof groupInput>,
): Promise<DriverGroup> {
  assertCan(actor, 'drivers:manage');
  const input = groupInput.parse(raw);
  return mapNameRace(() =>
    db.transaction(async (tx) => {
      const before = await loadGroup(tx, actor, id);
      await assertNameFree(tx, actor, input.name, before.id);
      const [updated] = await tx
        .update(driverGroups)
        .set({ name: input.name, description: input.description ?? null })
        .where(eq(driverGroups.id, before.id))
        .returning();
      if (!updated) throw notFound('Group');
      await recordAudit(tx, actorOf(actor), {
        action: 'driver-group.update',
        targetType: 'driver-group',
        targetId: before.id,
        details: {
          from: { name: before.name, description: before.description },
          to: { name: updated.name, description: updated.description },
        },
      });
      return updated;
    }),
  );
}

/**
 * Deletes a group; its memberships and its grants go with it. A restricted policy whose only
 * grant was this group then lets nobody charge: the audit row keeps which policies lost a grant.
 */
export async function deleteGroup(db: Db, actor: SessionUser, id: string): Promise<void> {
  assertCan(actor, 'drivers:manage');
  await inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
    const group = await loadGroup(tx, actor, id);
    const [members] = await tx
      .select({ n: count() })
      .from(driverGroupMembers)
      .where(eq(driverGroupMembers.groupId, group.id));
    const grants = await tx
      .select({ policyId: accessGrants.policyId })
      .from(accessGrants)
      .where(eq(accessGrants.groupId, group.id));
    await tx.delete(driverGroups).where(eq(driverGroups.id, group.id));
    await recordAudit(tx, actorOf(actor), {
      action: 'driver-group.delete',
      targetType: 'driver-group',
      targetId: group.id,
      details: {
        name: group.name,
        memberCount: members?.n ?? 0,
        policyIds: grants.map((g) => g.policyId),
      },
    });
  });
}

const membersInput = z.object({
  driverIds: z.array(z.uuid('Choose drivers of your organisation')).max(10_000, 'At most 10,000 members'),
});

/** Replaces a group's members with the given drivers (all of the organisation). */
export async function setGroupMembers(
  db: Db,
  actor: SessionUser,
  groupId: string,
  rawDriverIds: string[],
): Promise<{ added: number; removed: number }> {
  assertCan(actor, 'drivers:manage');
  const wanted = [...new Set(membersInput.parse({ driverIds: rawDriverIds }).driverIds)];
  return inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
    const group = await loadGroup(tx, actor, groupId);
    if (wanted.length > 0) {
      const [found] = await tx
        .select({ n: count() })
        .from(drivers)
        .where(and(eq(drivers.organisationId, actor.organisationId), inArray(drivers.id, wanted)));
      if ((found?.n ?? 0) !== wanted.length) {
        throw new AppError('not_found', 'One of the chosen drivers does not exist', {
          driverIds: 'Choose drivers of your organisation',
        });
      }
    }
    const current = await tx
      .select({ driverId: driverGroupMembers.driverId })
      .from(driverGroupMembers)
      .where(eq(driverGroupMembers.groupId, group.id));
    const have = new Set(current.map((m) => m.driverId));
    const keep = new Set(wanted);
    const added = wanted.filter((id) => !have.has(id));
    const removed = [...have].filter((id) => !keep.has(id));
    if (removed.length > 0) {
      await tx
        .delete(driverGroupMembers)
        .where(and(eq(driverGroupMembers.groupId, group.id), inArray(driverGroupMembers.driverId, removed)));
    }
    if (added.length > 0) {
      await tx
        .insert(driverGroupMembers)
        .values(added.map((driverId) => ({ groupId: group.id, driverId })))
        .onConflictDoNothing();
    }
    await recordAudit(tx, actorOf(actor), {
      action: 'driver-group.set-members',
      targetType: 'driver-group',
      targetId: group.id,
      details: { name: group.name, added: added.length, removed: removed.length, memberCount: wanted.length },
    });
    return { added: added.length, removed: removed.length };
  });
}
