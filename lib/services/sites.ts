import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import { chargingStations, sites, type Site } from '@/lib/db/schema';
import { canAccessSite, siteScope } from '@/lib/domain/access/roles';
import { forbiddenError, notFound } from '@/lib/errors';
import { publish } from '@/lib/realtime/bus';
import { isUuid } from '@/lib/validation/ids';
import { siteInput, updateSiteInput, type SiteInput } from '@/lib/validation/sites';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { inAccessChange } from './local-lists';
import { actorOf, type SessionUser } from './users';

/** A site with the number of stations on it. */
export interface SiteSummary extends Site {
  stationCount: number;
}

/** Sites the user may see, by name, with station counts. */
export async function listSites(db: Db, actor: SessionUser): Promise<SiteSummary[]> {
  assertCan(actor, 'sites:view');
  const scope = siteScope(actor);
  if (scope !== 'all' && scope.length === 0) return [];
  const rows = await db
    .select()
    .from(sites)
    .where(
      and(
        eq(sites.organisationId, actor.organisationId),
        scope === 'all' ? undefined : inArray(sites.id, [...scope]),
      ),
    )
    .orderBy(asc(sites.name));
  const counts = await db
    .select({ siteId: chargingStations.siteId, n: count() })
    .from(chargingStations)
    .where(eq(chargingStations.organisationId, actor.organisationId))
    .groupBy(chargingStations.siteId);
  const bySite = new Map(counts.map((c) => [c.siteId, c.n]));
  return rows.map((r) => ({ ...r, stationCount: bySite.get(r.id) ?? 0 }));
}

/** One site the user may see. */
export async function getSite(db: DbOrTx, actor: SessionUser, id: string): Promise<Site> {
  assertCan(actor, 'sites:view');
  if (!isUuid(id)) throw notFound('Site');
  const [site] = await db
    .select()
    .from(sites)
    .where(and(eq(sites.id, id), eq(sites.organisationId, actor.organisationId)));
  if (!site) throw notFound('Site');
  if (!canAccessSite(actor, site.id)) throw forbiddenError();
  return site;
}

function toColumns(input: ReturnType<typeof siteInput.parse>) {
  return {
    name: input.name,
    address: input.address,
    latitude: input.latitude,
    longitude: input.longitude,
    timezone: input.timezone,
    gridCapacityW: input.gridCapacityKw === undefined ? null : Math.round(input.gridCapacityKw * 1000),
  };
}

/** Creates a site in the admin's organisation. */
export async function createSite(db: Db, actor: SessionUser, raw: SiteInput): Promise<Site> {
  assertCan(actor, 'sites:manage');
  const input = siteInput.parse(raw);
  const site = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(sites)
      .values({ organisationId: actor.organisationId, ...toColumns(input) })
      .returning();
    if (!created) throw new Error('insert returned no row');
    await recordAudit(tx, actorOf(actor), {
      action: 'site.create',
      targetType: 'site',
      targetId: created.id,
      details: toColumns(input),
    });
    return created;
  });
  publish({ type: 'site:changed', organisationId: actor.organisationId, siteId: site.id });
  return site;
}

/** Edits a site of the admin's organisation. */
export async function updateSite(db: Db, actor: SessionUser, raw: SiteInput & { id: string }): Promise<Site> {
  assertCan(actor, 'sites:manage');
  const input = updateSiteInput.parse(raw);
  // A new time zone moves the site's time windows: its stations' local lists follow.
  const site = await inAccessChange(
    db,
    { organisationId: actor.organisationId, siteId: input.id },
    async (tx) => {
      const [before] = await tx
        .select()
        .from(sites)
        .where(and(eq(sites.id, input.id), eq(sites.organisationId, actor.organisationId)));
      if (!before) throw notFound('Site');
      const [updated] = await tx
        .update(sites)
        .set({ ...toColumns(input), updatedAt: new Date() })
        .where(eq(sites.id, before.id))
        .returning();
      if (!updated) throw new Error('update returned no row');
      await recordAudit(tx, actorOf(actor), {
        action: 'site.update',
        targetType: 'site',
        targetId: before.id,
        details: { to: toColumns(input) },
      });
      return updated;
    },
  );
  publish({ type: 'site:changed', organisationId: actor.organisationId, siteId: site.id });
  return site;
}

/** Names of the sites a user is scoped to (any role may see its own scope). */
export async function listOwnSiteNames(db: Db, actor: SessionUser): Promise<string[]> {
  const scope = siteScope(actor);
  if (scope === 'all') return [];
  if (scope.length === 0) return [];
  const rows = await db
    .select({ name: sites.name })
    .from(sites)
    .where(and(eq(sites.organisationId, actor.organisationId), inArray(sites.id, [...scope])))
    .orderBy(asc(sites.name));
  return rows.map((r) => r.name);
}
