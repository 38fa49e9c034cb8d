import {
  and,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import { chargingStations, meterValues, sites, transactions, users, type Transaction } from '@/lib/db/schema';
import { stationSiteScope } from './scope';
import { conflict, notFound } from '@/lib/errors';
import { assertCan } from './authorize';
import { publish } from '@/lib/realtime/bus';
import { parseInput } from '@/lib/validation/fields';
import { recordAudit } from './audit';
import { actorOf, type SessionUser } from './users';
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
  /** Flagged sessions: `open` awaits review, `reviewed` has been looked into. */
  review: z.enum(['open', 'reviewed']).optional(),
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

/** Flagged sessions awaiting review, or those someone has reviewed. */
function reviewCondition(review: 'open' | 'reviewed'): SQL {
  const flagged = sql`${transactions.flags} <> '[]'::jsonb`;
  return and(
    flagged,
    review === 'open' ? isNull(transactions.reviewedAt) : isNotNull(transactions.reviewedAt),
  )!;
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
        filters.review ? reviewCondition(filters.review) : undefined,
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

/**
 * A session's peak power in W: its highest total (phase-less) Power.Active.Import sample, null
 * without one. One rule for the session page and the NEVI session report (EV-ChART power_kw).
 */
export function peakPowerSql(transactionId: SQLWrapper) {
  return sql<number | string | null>`(select max(${meterValues.value}) from ${meterValues}
    where ${meterValues.transactionId} = ${transactionId}
      and ${meterValues.measurand} = 'Power.Active.Import' and ${meterValues.phase} = ''
      and ${meterValues.unit} = 'W')`;
}

/** The row of one session the user may see, with where it happened; not found otherwise. */
async function loadSessionRow(db: Db, actor: SessionUser, id: string) {
  assertCan(actor, 'stations:view');
  const scoped = stationSiteScope(actor);
  if (!isUuid(id) || scoped === null) throw notFound('Session');
  const [row] = await db
    .select({ ...columns, peakPowerW: peakPowerSql(transactions.id) })
    .from(transactions)
    .innerJoin(chargingStations, eq(chargingStations.id, transactions.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(and(eq(transactions.id, id), eq(transactions.organisationId, actor.organisationId), scoped));
  if (!row) throw notFound('Session');
  const { peakPowerW, ...summary } = row;
  return { session: toSummary(summary), peakPowerW: peakPowerW === null ? null : Number(peakPowerW) };
}

/** One session the user may see, with its power, energy and SoC samples (oldest first). */
export async function getSession(db: Db, actor: SessionUser, id: string) {
  const { session, peakPowerW } = await loadSessionRow(db, actor, id);
  const samples = await chartSamples(db, id);
  const [reviewer] = session.reviewedBy
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, session.reviewedBy))
    : [];
  return {
    session,
    samples,
    peakPowerW,
    /** Who closed the review, when there was one (null also when their account is gone). */
    reviewerName: reviewer?.name ?? null,
  };
}

export const reviewInput = z.object({
  note: z
    .string()
    .trim()
    .min(1, 'Say what you found or did, e.g. "card was blocked after the session; driver invoiced"')
    .max(500, 'At most 500 characters'),
});

/**
 * Closes the review of a flagged session (a start with a refused token, a stop ChargeOps never saw
 * start …) with what the reviewer concluded. The session's records stay as the charger reported
 * them; the review is audited and shown on the session.
 */
export async function reviewSession(
  db: Db,
  actor: SessionUser,
  id: string,
  /** The form's fields; `note` is checked here (z.input<typeof reviewInput>). */
  raw: unknown,
): Promise<SessionSummary> {
  assertCan(actor, 'stations:manage');
  const input = parseInput(reviewInput, raw);
  const { session } = await loadSessionRow(db, actor, id);
  if (session.flags.length === 0) throw conflict('This session has nothing to review');
  if (session.reviewedAt) throw conflict('This session has been reviewed already');
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(transactions)
      .set({ reviewedAt: now, reviewedBy: actor.id, reviewNote: input.note, updatedAt: now })
      .where(and(eq(transactions.id, session.id), isNull(transactions.reviewedAt)));
    await recordAudit(tx, actorOf(actor), {
      action: 'session.review',
      targetType: 'session',
      targetId: session.id,
      details: { flags: session.flags, note: input.note },
    });
  });
  publish({
    type: 'session:updated',
    organisationId: actor.organisationId,
    siteId: session.siteId,
    stationId: session.stationId,
    transactionId: session.id,
    evseId: session.evseId,
    status: session.status,
  });
  return { ...session, reviewedAt: now, reviewedBy: actor.id, reviewNote: input.note };
}
