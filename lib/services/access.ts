import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import {
  accessGrants,
  accessPolicies,
  authorizationAttempts,
  driverGroupMembers,
  driverGroups,
  idTokens,
  sites,
  type IdToken,
} from '@/lib/db/schema';
import {
  decideAuthorization,
  groupTagOf,
  type ParentTokenFacts,
  parseTimeWindow,
  type AccessPolicy,
  type AuthorizationDecision,
  type TimeWindow,
} from '@/lib/domain/access/authorization';
import type { StationLink } from './charger-link';

/**
 * Who may charge where, as the stations ask it: loads the token, its driver's groups, the
 * station's and site's access policies and the site's time zone, lets the pure decision
 * (lib/domain/access/authorization.ts) answer, and keeps the attempt with its reason.
 */

/** Where an authorisation question came from. */
export type AuthorizationSource =
  'Authorize' | 'StartTransaction' | 'StopTransaction' | 'TransactionEvent' | 'RemoteStart';

export interface AccessAnswer extends AuthorizationDecision {
  /** The token's record, when ChargeOps knows it. */
  token: Pick<IdToken, 'id' | 'driverId' | 'parentIdTag' | 'expiresAt'> | null;
}

/** The policies of a station and of its site, grants and group names included. */
async function loadAccessPolicies(
  db: DbOrTx,
  link: Pick<StationLink, 'stationId' | 'siteId'>,
): Promise<{ station: AccessPolicy | null; site: AccessPolicy | null }> {
  const policies = await db
    .select()
    .from(accessPolicies)
    .where(
      or(
        eq(accessPolicies.stationId, link.stationId),
        link.siteId ? eq(accessPolicies.siteId, link.siteId) : undefined,
      ),
    );
  const grants =
    policies.length === 0
      ? []
      : await db
          .select({
            policyId: accessGrants.policyId,
            groupId: accessGrants.groupId,
            groupName: driverGroups.name,
            windows: accessGrants.windows,
            maxPowerW: accessGrants.maxPowerW,
          })
          .from(accessGrants)
          .innerJoin(driverGroups, eq(driverGroups.id, accessGrants.groupId))
          .where(
            inArray(
              accessGrants.policyId,
              policies.map((p) => p.id),
            ),
          );
  const toPolicy = (row: (typeof policies)[number] | undefined): AccessPolicy | null => {
    if (!row) return null;
    if (row.mode === 'public') return { mode: 'public' };
    return {
      mode: 'restricted',
      grants: grants
        .filter((g) => g.policyId === row.id)
        .map((g) => ({
          groupId: g.groupId,
          groupName: g.groupName,
          // Stored windows were checked when saved; a damaged one is dropped rather than trusted.
          windows: (g.windows as unknown[]).map(parseTimeWindow).filter((w): w is TimeWindow => w !== null),
          maxPowerW: g.maxPowerW,
        })),
    };
  };
  return {
    station: toPolicy(policies.find((p) => p.stationId === link.stationId)),
    site: toPolicy(policies.find((p) => p.siteId !== null && p.siteId === link.siteId)),
  };
}

/** The rules of one station: its own and its site's access policies, and the site's time zone. */
export async function loadStationRules(db: DbOrTx, station: { id: string; siteId: string | null }) {
  const [policies, site] = await Promise.all([
    loadAccessPolicies(db, { stationId: station.id, siteId: station.siteId }),
    station.siteId
      ? db
          .select({ timezone: sites.timezone })
          .from(sites)
          .where(eq(sites.id, station.siteId))
          .then((rows) => rows[0])
      : Promise.resolve(undefined),
  ]);
  return { stationPolicy: policies.station, sitePolicy: policies.site, timeZone: site?.timezone ?? 'UTC' };
}

/**
 * The token a token's group tag names, when ChargeOps knows it as a token too (a fleet's master
 * card): its block or expiry applies to the whole group. A tag naming the token itself is no group.
 */
async function groupTagToken(
  db: Db,
  organisationId: string,
  token: Pick<IdToken, 'idToken' | 'parentIdTag'>,
): Promise<ParentTokenFacts | null> {
  const tag = groupTagOf(token);
  if (!tag) return null;
  const [parent] = await db
    .select({
      idToken: idTokens.idToken,
      status: idTokens.status,
      expiresAt: idTokens.expiresAt,
      blockedReason: idTokens.blockedReason,
    })
    .from(idTokens)
    .where(and(eq(idTokens.organisationId, organisationId), sql`upper(${idTokens.idToken}) = upper(${tag})`));
  return parent ?? null;
}

/** Decides whether a token may charge at a station now, and records the attempt. */
export async function decideAccess(
  db: Db,
  link: StationLink,
  question: { idToken: string; source: AuthorizationSource; transactionId?: string | null },
  now: Date,
): Promise<AccessAnswer> {
  const [token] = await db
    .select()
    .from(idTokens)
    .where(
      and(
        eq(idTokens.organisationId, link.organisationId),
        sql`upper(${idTokens.idToken}) = upper(${question.idToken})`,
      ),
    );
  const parent = token?.parentIdTag ? await groupTagToken(db, link.organisationId, token) : null;
  const groups = token?.driverId
    ? await db
        .select({ groupId: driverGroupMembers.groupId })
        .from(driverGroupMembers)
        .where(eq(driverGroupMembers.driverId, token.driverId))
    : [];
  const rules = await loadStationRules(db, { id: link.stationId, siteId: link.siteId });
  const decision = decideAuthorization({
    token: token
      ? {
          idToken: token.idToken,
          status: token.status,
          expiresAt: token.expiresAt,
          driverId: token.driverId,
          blockedReason: token.blockedReason,
        }
      : null,
    parent,
    driverGroupIds: groups.map((g) => g.groupId),
    ...rules,
    now,
  });
  await db.insert(authorizationAttempts).values({
    organisationId: link.organisationId,
    stationId: link.stationId,
    idToken: question.idToken,
    tokenId: token?.id ?? null,
    driverId: token?.driverId ?? null,
    source: question.source,
    status: decision.status,
    reason: decision.reason,
    groupId: decision.groupId,
    transactionId: question.transactionId ?? null,
    at: now,
  });
  return {
    ...decision,
    token: token
      ? { id: token.id, driverId: token.driverId, parentIdTag: token.parentIdTag, expiresAt: token.expiresAt }
      : null,
  };
}
