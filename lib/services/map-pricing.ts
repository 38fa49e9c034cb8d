import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { transactions } from '@/lib/db/schema';
import { assertCan } from './authorize';
import { priceTextFor, priceTransaction } from './billing';
import { getStation } from './stations';
import type { SessionUser } from './users';

/** What a station's map popup shows of its prices, for people who see billing. */
export interface StationPricing {
  /** The price a driver without a group pays here now, in words; null when no tariff applies. */
  priceText: string | null;
  /** The cost so far of each session in progress that has a tariff (minor units of its currency). */
  sessions: { evseId: number; connectorId: number | null; total: number; currency: string }[];
}

/**
 * The price and the running costs of one station the caller may see, asked for when its popup
 * opens (and again while it is open, as its sessions update). Pricing every station of the map on
 * every session update would cost a few queries per station and per running session, for popups
 * nobody opened.
 */
export async function stationPricing(
  db: Db,
  actor: SessionUser,
  stationId: string,
  now: Date,
): Promise<StationPricing> {
  assertCan(actor, 'billing:view');
  // getStation applies the organisation and site scope: a station outside it is "not found".
  const station = await getStation(db, actor, stationId);
  const priceText = await priceTextFor(
    db,
    {
      stationId: station.id,
      organisationId: actor.organisationId,
      siteId: station.siteId,
      identity: station.identity,
      registrationStatus: station.registrationStatus,
    },
    { evseId: null, idToken: null },
    now,
  );
  // A session without a pinned tariff has no running cost: left out in the query.
  const active = await db
    .select()
    .from(transactions)
    .where(
      and(
        eq(transactions.stationId, station.id),
        eq(transactions.status, 'active'),
        isNotNull(transactions.pricing),
      ),
    );
  const sessions: StationPricing['sessions'] = [];
  for (const transaction of active) {
    const priced = await priceTransaction(db, transaction, station.siteId, now);
    if (priced)
      sessions.push({
        evseId: transaction.evseId,
        connectorId: transaction.connectorId,
        total: priced.cost.total,
        currency: priced.cost.currency,
      });
  }
  sessions.sort((a, b) => a.evseId - b.evseId || (a.connectorId ?? 0) - (b.connectorId ?? 0));
  return { priceText, sessions };
}
