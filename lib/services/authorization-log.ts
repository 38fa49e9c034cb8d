import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  authorizationAttempts,
  chargingStations,
  drivers,
  sites,
  type AuthorizationAttempt,
} from '@/lib/db/schema';
import { siteScope } from '@/lib/domain/access/roles';
import { assertCan } from './authorize';
import type { SessionUser } from './users';
import { isUuid } from '@/lib/validation/ids';

/** One line of the authorisation log: the attempt, where it happened and whose token it was. */
export interface AuthorizationAttemptRow extends AuthorizationAttempt {
  stationIdentity: string;
  siteId: string | null;
  /** The site's IANA zone, for showing the time as the site lives it; null for a station on no site. */
  siteTimezone: string | null;
  driverName: string | null;
}

/** Filters of the authorisation log; all optional. `before` is the id of the last row seen. */
export interface AuthorizationLogFilter {
  stationId?: string;
  /** Exact token value, any case ("why was this card refused?"). */
  idToken?: string;
  /** Accepted, Blocked, Expired, Invalid, NotAtThisLocation, NotAtThisTime. */
  status?: string;
  /** The attempts that belong to one session (its start, its stop). */
  transactionId?: string;
  /** Attempts at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
  before?: number;
  limit?: number;
}

/**
 * One page of authorisation attempts, newest first. Attempts are about stations, so this follows
 * station visibility: managers see the attempts at the stations of their sites, admins all of them.
 * Filters come from the URL; one that can match nothing (a malformed station id) gives an empty page.
 */
export async function listAuthorizationAttempts(
  db: Db,
  actor: SessionUser,
  filter: AuthorizationLogFilter = {},
): Promise<{ attempts: AuthorizationAttemptRow[]; nextBefore: number | null }> {
  assertCan(actor, 'stations:view');
  const empty = { attempts: [], nextBefore: null };
  const scope = siteScope(actor);
  if (scope !== 'all' && scope.length === 0) return empty;
  if (filter.stationId !== undefined && !isUuid(filter.stationId)) return empty;
  if (filter.transactionId !== undefined && !isUuid(filter.transactionId)) return empty;
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 50), 1), 200);
  const idToken = filter.idToken?.trim();
  const status = filter.status?.trim();
  const rows = await db
    .select({
      attempt: authorizationAttempts,
      stationIdentity: chargingStations.identity,
      siteId: chargingStations.siteId,
      siteTimezone: sites.timezone,
      driverName: drivers.name,
    })
    .from(authorizationAttempts)
    .innerJoin(chargingStations, eq(chargingStations.id, authorizationAttempts.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .leftJoin(drivers, eq(drivers.id, authorizationAttempts.driverId))
    .where(
      and(
        eq(authorizationAttempts.organisationId, actor.organisationId),
        // Stations on no site are visible to admins only, as on the stations pages.
        scope === 'all' ? undefined : inArray(chargingStations.siteId, [...scope]),
        filter.stationId ? eq(authorizationAttempts.stationId, filter.stationId) : undefined,
        idToken ? sql`upper(${authorizationAttempts.idToken}) = upper(${idToken})` : undefined,
        status ? eq(authorizationAttempts.status, status) : undefined,
        filter.transactionId ? eq(authorizationAttempts.transactionId, filter.transactionId) : undefined,
        filter.from ? gte(authorizationAttempts.at, filter.from) : undefined,
        filter.to ? lt(authorizationAttempts.at, filter.to) : undefined,
        filter.before === undefined || !Number.isFinite(filter.before)
          ? undefined
          : lt(authorizationAttempts.id, filter.before),
      ),
    )
    .orderBy(desc(authorizationAttempts.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map((r) => ({
    ...r.attempt,
    stationIdentity: r.stationIdentity,
    siteId: r.siteId,
    siteTimezone: r.siteTimezone,
    driverName: r.driverName,
  }));
  return { attempts: page, nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
