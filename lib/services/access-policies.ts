import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import {
  accessGrants,
  accessPolicies,
  chargingStations,
  driverGroups,
  sites,
  type AccessMode,
  type AccessPolicyRow,
} from '@/lib/db/schema';
import { parseTimeWindow, type TimeWindow } from '@/lib/domain/access/authorization';
import { canAccessSite } from '@/lib/domain/access/roles';
import { AppError, forbiddenError, notFound } from '@/lib/errors';
import { policyInput } from '@/lib/validation/drivers';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { inAccessChange } from './local-lists';
import { actorOf, type SessionUser } from './users';
import { isUuid } from '@/lib/validation/ids';

/**
 * Who may charge at a site or at one station: public, or restricted to driver groups (with
 * weekly windows and a power cap). A station's own policy wins over its site's; no policy at all
 * is public. The decision itself is lib/domain/access/authorization.ts, asked by access.ts.
 */

/** What a policy is set on. */
export type AccessTarget = { siteId: string } | { stationId: string };

/** A policy as the operator sees it. */
export interface PolicyView {
  mode: AccessMode;
  /** True for a station without its own policy: what is shown is its site's (or the default, public). */
  inherited: boolean;
  grants: { groupId: string; groupName: string; windows: TimeWindow[]; maxPowerW: number | null }[];
}

type ResolvedTarget =
  | { kind: 'site'; siteId: string; label: string }
  | { kind: 'station'; stationId: string; siteId: string | null; label: string };

/**
 * Checks the target belongs to the caller's organisation and scope. Mirrors the rest of the app:
 * a site outside a manager's scope is forbidden (as getSite), a station outside it is not found
 * (as the station pages), and stations on no site are the admins' alone.
 */
async function resolveTarget(db: DbOrTx, actor: SessionUser, target: AccessTarget): Promise<ResolvedTarget> {
  if ('siteId' in target) {
    if (!isUuid(target.siteId)) throw notFound('Site');
    const [site] = await db
      .select({ id: sites.id, name: sites.name })
      .from(sites)
      .where(and(eq(sites.id, target.siteId), eq(sites.organisationId, actor.organisationId)));
    if (!site) throw notFound('Site');
    if (!canAccessSite(actor, site.id)) throw forbiddenError();
    return { kind: 'site', siteId: site.id, label: site.name };
  }
  if (!isUuid(target.stationId)) throw notFound('Station');
  const [station] = await db
    .select({ id: chargingStations.id, siteId: chargingStations.siteId, identity: chargingStations.identity })
    .from(chargingStations)
    .where(
      and(
        eq(chargingStations.id, target.stationId),
        eq(chargingStations.organisationId, actor.organisationId),
      ),
    );
  if (!station) throw notFound('Station');
  const visible = station.siteId ? canAccessSite(actor, station.siteId) : actor.role === 'admin';
  if (!visible) throw notFound('Station');
  return { kind: 'station', stationId: station.id, siteId: station.siteId, label: station.identity };
}

async function policyOf(
  db: DbOrTx,
  where: { siteId: string } | { stationId: string },
): Promise<AccessPolicyRow | undefined> {
  const [row] = await db
    .select()
    .from(accessPolicies)
    .where(
      'siteId' in where
        ? eq(accessPolicies.siteId, where.siteId)
        : eq(accessPolicies.stationId, where.stationId),
    );
  return row;
}

async function grantsOf(db: DbOrTx, policyId: string): Promise<PolicyView['grants']> {
  const rows = await db
    .select({
      groupId: accessGrants.groupId,
      groupName: driverGroups.name,
      windows: accessGrants.windows,
      maxPowerW: accessGrants.maxPowerW,
    })
    .from(accessGrants)
    .innerJoin(driverGroups, eq(driverGroups.id, accessGrants.groupId))
    .where(eq(accessGrants.policyId, policyId))
    .orderBy(asc(driverGroups.name));
  return rows.map((r) => ({
    groupId: r.groupId,
    groupName: r.groupName,
    // Stored windows were checked when saved; a damaged one is dropped rather than shown as valid.
    windows: (Array.isArray(r.windows) ? (r.windows as unknown[]) : [])
      .map(parseTimeWindow)
      .filter((w): w is TimeWindow => w !== null),
    maxPowerW: r.maxPowerW,
  }));
}

async function viewOf(
  db: DbOrTx,
  policy: AccessPolicyRow | undefined,
  inherited: boolean,
): Promise<PolicyView> {
  if (!policy) return { mode: 'public', inherited, grants: [] };
  // A public policy keeps no grants (setAccessPolicy removes them); show none either way.
  const grants = policy.mode === 'restricted' ? await grantsOf(db, policy.id) : [];
  return { mode: policy.mode, inherited, grants };
}

/** The policy in force at a site, or at a station (its own, else its site's, else public). */
export async function getAccessPolicy(db: Db, actor: SessionUser, target: AccessTarget): Promise<PolicyView> {
  assertCan(actor, 'stations:view');
  const resolved = await resolveTarget(db, actor, target);
  if (resolved.kind === 'site') return viewOf(db, await policyOf(db, { siteId: resolved.siteId }), false);
  const own = await policyOf(db, { stationId: resolved.stationId });
  if (own) return viewOf(db, own, false);
  const ofSite = resolved.siteId ? await policyOf(db, { siteId: resolved.siteId }) : undefined;
  return viewOf(db, ofSite, true);
}

function describeTarget(resolved: ResolvedTarget) {
  return resolved.kind === 'site'
    ? { targetType: 'site', targetId: resolved.siteId }
    : { targetType: 'station', targetId: resolved.stationId };
}

/** Sets the policy of a site or station: mode and the full list of group grants, replacing the old ones. */
export async function setAccessPolicy(
  db: Db,
  actor: SessionUser,
  target: AccessTarget,
  raw: z.input<typeof policyInput>,
): Promise<void> {
  assertCan(actor, 'stations:manage');
  const input = policyInput.parse(raw);
  // Ids outside the organisation mark nothing: the scope is checked against it too.
  await inAccessChange(db, { organisationId: actor.organisationId, ...target }, async (tx) => {
    const resolved = await resolveTarget(tx, actor, target);
    const groupIds = input.grants.map((g) => g.groupId);
    if (groupIds.length > 0) {
      const [found] = await tx
        .select({ n: count() })
        .from(driverGroups)
        .where(
          and(eq(driverGroups.organisationId, actor.organisationId), inArray(driverGroups.id, groupIds)),
        );
      if ((found?.n ?? 0) !== groupIds.length) {
        throw new AppError('not_found', 'One of the chosen groups does not exist', {
          grants: 'Choose groups of your organisation',
        });
      }
    }
    const where = resolved.kind === 'site' ? { siteId: resolved.siteId } : { stationId: resolved.stationId };
    const before = await policyOf(tx, where);
    const previous = before ? await viewOf(tx, before, false) : null;
    // An upsert, so that two operators saving the first policy of a target at once both succeed
    // (the later one wins) instead of one failing on the unique index.
    const [policy] = await tx
      .insert(accessPolicies)
      .values({ organisationId: actor.organisationId, mode: input.mode, ...where })
      .onConflictDoUpdate({
        target: 'siteId' in where ? accessPolicies.siteId : accessPolicies.stationId,
        set: { mode: input.mode, updatedAt: new Date() },
      })
      .returning({ id: accessPolicies.id });
    if (!policy) throw new Error('upsert returned no row');
    const policyId = policy.id;
    await tx.delete(accessGrants).where(eq(accessGrants.policyId, policyId));
    if (input.grants.length > 0) {
      await tx.insert(accessGrants).values(
        input.grants.map((g) => ({
          policyId,
          groupId: g.groupId,
          windows: g.windows,
          maxPowerW: g.maxPowerW,
        })),
      );
    }
    await recordAudit(tx, actorOf(actor), {
      action: 'access-policy.set',
      ...describeTarget(resolved),
      details: {
        target: resolved.label,
        from: previous && {
          mode: previous.mode,
          grants: previous.grants.map(({ groupId, windows, maxPowerW }) => ({ groupId, windows, maxPowerW })),
        },
        to: { mode: input.mode, grants: input.grants },
      },
    });
  });
}

/** Removes a station's own policy: from then on its site's policy (or public) applies. */
export async function clearStationPolicy(db: Db, actor: SessionUser, stationId: string): Promise<void> {
  assertCan(actor, 'stations:manage');
  await inAccessChange(db, { organisationId: actor.organisationId, stationId }, async (tx) => {
    const resolved = await resolveTarget(tx, actor, { stationId });
    const before = await policyOf(tx, { stationId });
    if (!before) return;
    const previous = await viewOf(tx, before, false);
    await tx.delete(accessPolicies).where(eq(accessPolicies.id, before.id));
    await recordAudit(tx, actorOf(actor), {
      action: 'access-policy.clear',
      ...describeTarget(resolved),
      details: {
        target: resolved.label,
        from: {
          mode: previous.mode,
          grants: previous.grants.map(({ groupId, windows, maxPowerW }) => ({ groupId, windows, maxPowerW })),
        },
      },
    });
  });
}
