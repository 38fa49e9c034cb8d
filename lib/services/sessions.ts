import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import { chargingStations, meterValues, sites, transactions, type Transaction } from '@/lib/db/schema';
import { stationSiteScope } from './scope';
import { notFound } from '@/lib/errors';
import { assertCan } from './authorize';
import type { SessionUser } from './users';
import { isUuid } from '@/lib/validation/ids';

/** A charging session with where it happened. */
export interface SessionSummary extends Transaction {
  stationIdentity: string;
  siteId: string | null;
  siteName: string | null;
  siteTimezone: string | null;
}

export const sessionFilters = z.object({
  siteId: z.uuid().optional(),
  stationId: z.uuid().optional(),
  status: z.enum(['active', 'completed']).optional(),
  /** Sessions that started at or after / before these instants. */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Cursor: the localId of the last row of the previous page. */
  before: z.coerce.number().int().positive().optional(),
});
export type SessionFilters = z.infer<typeof sessionFilters>;

const columns = {
  transaction: transactions,
  stationIdentity: chargingStations.identity,
  siteId: chargingStations.siteId,
  siteName: sites.name,
  siteTimezone: sites.timezone,
};

function toSummary(row: {
  transaction: Transaction;
  stationIdentity: string;
  siteId: string | null;
  siteName: string | null;
  siteTimezone: string | null;
}): SessionSummary {
  const { transaction, ...where } = row;
  return { ...transaction, ...where };
}

/** Sessions the user may see, newest first, 50 a page. */
export async function listSessions(
  db: Db,
  actor: SessionUser,
  filters: SessionFilters,
): Promise<{ sessions: SessionSummary[]; nextBefore: number | null }> {
  assertCan(actor, 'stations:view');
  const scoped = stationSiteScope(actor);
  if (scoped === null) return { sessions: [], nextBefore: null };
  const limit = 50;
  const rows = await db
    .select(columns)
    .from(transactions)
    .innerJoin(chargingStations, eq(chargingStations.id, transactions.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(
      and(
        eq(transactions.organisationId, actor.organisationId),
        scoped,
        filters.siteId ? eq(chargingStations.siteId, filters.siteId) : undefined,
        filters.stationId ? eq(transactions.stationId, filters.stationId) : undefined,
        filters.status ? eq(transactions.status, filters.status) : undefined,
        filters.from ? gte(transactions.startedAt, filters.from) : undefined,
        filters.to ? lt(transactions.startedAt, filters.to) : undefined,
        filters.before ? lt(transactions.localId, filters.before) : undefined,
      ),
    )
    // localId grows with arrival: newest first, and a stable cursor for paging.
    .orderBy(desc(transactions.localId))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(toSummary);
  return { sessions: page, nextBefore: rows.length > limit ? (page.at(-1)?.localId ?? null) : null };
}

/**
 * The power, energy and SoC samples (totals, not per phase) of one session, oldest first, for its
 * charts. Internal: callers check that the user may see the session.
 */
export function chartSamples(db: Db, transactionId: string) {
  return db
    .select({
      sampledAt: meterValues.sampledAt,
      measurand: meterValues.measurand,
      value: meterValues.value,
      unit: meterValues.unit,
    })
    .from(meterValues)
    .where(
      and(
        eq(meterValues.transactionId, transactionId),
        eq(meterValues.phase, ''),
        inArray(meterValues.measurand, ['Power.Active.Import', 'Energy.Active.Import.Register', 'SoC']),
      ),
    )
    .orderBy(asc(meterValues.sampledAt))
    .limit(5000);
}

/** One session the user may see, with its power, energy and SoC samples (oldest first). */
export async function getSession(db: Db, actor: SessionUser, id: string) {
  assertCan(actor, 'stations:view');
  const scoped = stationSiteScope(actor);
  if (!isUuid(id) || scoped === null) throw notFound('Session');
  const [row] = await db
    .select(columns)
    .from(transactions)
    .innerJoin(chargingStations, eq(chargingStations.id, transactions.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(
      and(
        eq(transactions.id, id),
        eq(transactions.organisationId, actor.organisationId),
        stationSiteScope(actor),
      ),
    );
  if (!row) throw notFound('Session');
  const samples = await chartSamples(db, id);
  const [peak] = await db
    .select({ w: sql<number | null>`max(${meterValues.value})` })
    .from(meterValues)
    .where(
      and(
        eq(meterValues.transactionId, id),
        eq(meterValues.measurand, 'Power.Active.Import'),
        eq(meterValues.phase, ''),
      ),
    );
  return { session: toSummary(row), samples, peakPowerW: peak?.w ?? null };
}
