import { and, count, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import { chargeDetailRecords, creditNotes, driverGroups, sites } from '@/lib/db/schema';
import { assertCan } from './authorize';
import { cdrSiteScope } from './cdrs';
import { periodForm } from './invoices';
import type { SessionUser } from './users';
import { parseInput } from '@/lib/validation/fields';
import { isValidTimeZone } from '@/lib/domain/access/authorization';

/**
 * Revenue over time for the charts: CDR totals by the local day, ISO week or month they ended in,
 * less the credit notes issued in that bucket, per site, driver group or overall, per currency.
 * Bucketing happens in SQL (date_trunc on the local time), so DST days are 23 or 25 hours long as
 * they should be. Buckets without sessions or credit notes are left out; charts fill the gaps.
 */

export const revenueGranularities = ['day', 'week', 'month'] as const;
export type RevenueGranularity = (typeof revenueGranularities)[number];
export const revenueGroupings = ['total', 'site', 'group'] as const;
export type RevenueGrouping = (typeof revenueGroupings)[number];

const revenueForm = periodForm.and(
  z.object({
    granularity: z.enum(revenueGranularities, 'Choose day, week or month'),
    by: z.enum(revenueGroupings, 'Choose total, site or group'),
    timeZone: z.string('Choose a time zone').trim().refine(isValidTimeZone, 'Unknown time zone'),
  }),
);

export interface RevenueBucket {
  /** First local day of the bucket: the day, the ISO week's Monday, or the 1st of the month. */
  bucket: string;
  /** The site or group id ('none' for CDRs without one), or 'all'. */
  key: string;
  label: string;
  currency: string;
  /** CDR totals (gross, minor units) less the credit notes issued in the bucket. */
  revenue: number;
  energyWh: number;
  sessions: number;
}

/**
 * Revenue of the CDRs the caller may see that ended in the local days `from` to `to` (both
 * included) in `timeZone`, bucketed by `granularity` and split `by` site, group or not at all.
 * Sorted by bucket, label and currency.
 */
export async function revenueSeries(
  db: Db,
  actor: SessionUser,
  raw: { from?: unknown; to?: unknown; granularity?: unknown; by?: unknown; timeZone?: unknown },
): Promise<RevenueBucket[]> {
  assertCan(actor, 'billing:view');
  const { from, to, granularity, by, timeZone } = parseInput(revenueForm, raw, 'Check the chart settings');
  const c = chargeDetailRecords;
  // The unit is one of three known words; the zone and the days are parameters.
  const unit = sql.raw(`'${granularity}'`);
  const zone = sql`${timeZone}::text`;
  const start = sql`(${from}::date)::timestamp at time zone ${zone}`;
  const end = sql`(${to}::date + 1)::timestamp at time zone ${zone}`;
  const bucketOf = (at: SQLWrapper) =>
    sql<string>`to_char(date_trunc(${unit}, ${at} at time zone ${zone}), 'YYYY-MM-DD')`;
  const key: SQL<string> =
    by === 'site'
      ? sql`coalesce(${c.siteId}::text, 'none')`
      : by === 'group'
        ? sql`coalesce(${c.groupId}::text, 'none')`
        : sql`'all'::text`;
  const label: SQL<string> =
    by === 'site'
      ? sql`coalesce(${sites.name}, 'No site')`
      : by === 'group'
        ? sql`coalesce(${driverGroups.name}, 'No group')`
        : sql`'All'::text`;
  const groupKeys = [sql`1`, sql`2`, sql`3`, sql`4`];

  const [charged, credited] = await Promise.all([
    db
      .select({
        bucket: bucketOf(c.endedAt),
        key,
        label,
        currency: c.currency,
        total: sql<string>`sum(${c.total})`,
        energyWh: sql<string>`sum(${c.energyWh})`,
        sessions: count(),
      })
      .from(c)
      .leftJoin(sites, eq(sites.id, c.siteId))
      .leftJoin(driverGroups, eq(driverGroups.id, c.groupId))
      .where(
        and(
          eq(c.organisationId, actor.organisationId),
          cdrSiteScope(actor),
          sql`${c.endedAt} >= ${start}`,
          sql`${c.endedAt} < ${end}`,
        ),
      )
      .groupBy(...groupKeys),
    db
      .select({
        bucket: bucketOf(creditNotes.createdAt),
        key,
        label,
        currency: creditNotes.currency,
        amount: sql<string>`sum(${creditNotes.amount})`,
      })
      .from(creditNotes)
      .innerJoin(c, eq(c.id, creditNotes.cdrId))
      .leftJoin(sites, eq(sites.id, c.siteId))
      .leftJoin(driverGroups, eq(driverGroups.id, c.groupId))
      .where(
        and(
          eq(creditNotes.organisationId, actor.organisationId),
          cdrSiteScope(actor),
          sql`${creditNotes.createdAt} >= ${start}`,
          sql`${creditNotes.createdAt} < ${end}`,
        ),
      )
      .groupBy(...groupKeys),
  ]);

  const buckets = new Map<string, RevenueBucket>();
  const at = (row: { bucket: string; key: string; label: string; currency: string }) => {
    const id = `${row.bucket}|${row.key}|${row.currency}`;
    let b = buckets.get(id);
    if (!b) {
      const { bucket, key, label, currency } = row;
      b = { bucket, key, label, currency, revenue: 0, energyWh: 0, sessions: 0 };
      buckets.set(id, b);
    }
    return b;
  };
  for (const row of charged) {
    const b = at(row);
    b.revenue += Number(row.total);
    b.energyWh += Number(row.energyWh);
    b.sessions += Number(row.sessions);
  }
  for (const row of credited) at(row).revenue -= Number(row.amount);
  return [...buckets.values()].sort(
    (a, b) =>
      a.bucket.localeCompare(b.bucket) ||
      a.label.localeCompare(b.label) ||
      a.key.localeCompare(b.key) ||
      a.currency.localeCompare(b.currency),
  );
}
