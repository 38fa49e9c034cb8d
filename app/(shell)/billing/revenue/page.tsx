import type { Metadata } from 'next';
import { RevenueCharts } from '@/components/billing/revenue-chart';
import { RevenueFilters } from '@/components/billing/revenue-filters';
import { Alert } from '@/components/ui/alert';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { addDays } from '@/lib/domain/pricing/local-time';
import { formatMoney } from '@/lib/domain/pricing/money';
import { AppError } from '@/lib/errors';
import {
  revenueGranularities,
  revenueSeries,
  type RevenueBucket,
  type RevenueGranularity,
} from '@/lib/services/revenue';
import { listSites } from '@/lib/services/sites';

export const metadata: Metadata = { title: 'Revenue' };

type Params = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** Today's date (YYYY-MM-DD) in the zone; UTC when the zone is unknown. */
function todayIn(timeZone: string): string {
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-CA', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      timeZone: zone,
    }).format(new Date());
  try {
    return format(timeZone);
  } catch {
    return format('UTC');
  }
}

function bucketOf(day: string, granularity: RevenueGranularity): string {
  if (granularity === 'month') return `${day.slice(0, 8)}01`;
  if (granularity === 'week') return addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
  return day;
}

/** Every bucket from the one holding `from` to the one holding `to` (capped, for absurd periods). */
function bucketsBetween(from: string, to: string, granularity: RevenueGranularity): string[] {
  const out: string[] = [];
  const last = bucketOf(to, granularity);
  for (let b = bucketOf(from, granularity); b <= last && out.length < 1500;) {
    out.push(b);
    if (granularity === 'month') {
      const d = new Date(`${b}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + 1);
      b = d.toISOString().slice(0, 10);
    } else {
      b = addDays(b, granularity === 'week' ? 7 : 1);
    }
  }
  return out;
}

const kwh = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US');

function Totals({ buckets }: { buckets: readonly RevenueBucket[] }) {
  const revenue = new Map<string, number>();
  let energyWh = 0;
  let sessions = 0;
  for (const b of buckets) {
    revenue.set(b.currency, (revenue.get(b.currency) ?? 0) + b.revenue);
    energyWh += b.energyWh;
    sessions += b.sessions;
  }
  const items = [
    {
      label: 'Revenue',
      value: [...revenue]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([currency, amount]) => formatMoney(amount, currency))
        .join(' · '),
    },
    { label: 'Energy', value: `${kwh.format(energyWh / 1000)} kWh` },
    { label: 'Sessions', value: whole.format(sessions) },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" aria-label="Totals">
      {items.map((item) => (
        <div
          key={item.label}
          className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-xs first:col-span-2 sm:first:col-span-1"
        >
          <dt className="text-xs font-medium text-slate-500">{item.label}</dt>
          <dd className="mt-1 text-lg font-semibold break-words text-slate-900 tabular-nums">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function RevenuePage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requirePermission('billing:view');
  const params = await searchParams;
  const db = getDb();
  const sites = roleCan(user.role, 'sites:view') ? await listSites(db, user) : [];
  const tz = first(params.tz) ?? sites[0]?.timezone ?? 'UTC';
  const today = todayIn(tz);
  const values = {
    from: first(params.from) ?? addDays(today, -29),
    to: first(params.to) ?? today,
    granularity: first(params.granularity) ?? 'day',
    by: first(params.by) ?? 'total',
    tz,
  };
  const timeZones = [...new Set([...sites.map((s) => s.timezone), 'UTC', tz])];

  let buckets: RevenueBucket[] = [];
  let error: AppError | null = null;
  try {
    buckets = await revenueSeries(db, user, { ...values, timeZone: tz });
  } catch (e) {
    if (!(e instanceof AppError) || e.kind !== 'validation') throw e;
    error = e;
  }
  const granularity = (revenueGranularities as readonly string[]).includes(values.granularity)
    ? (values.granularity as RevenueGranularity)
    : 'day';

  return (
    <div className="space-y-6">
      <RevenueFilters values={values} timeZones={timeZones} errors={error?.fieldErrors} />
      {error ? (
        <Alert tone="error">{error.message}</Alert>
      ) : buckets.length === 0 ? (
        <EmptyState title="No charge records in this period">
          Pick another period, or check back once sessions have ended.
        </EmptyState>
      ) : (
        <>
          <Totals buckets={buckets} />
          <RevenueCharts
            buckets={buckets}
            days={bucketsBetween(values.from, values.to, granularity)}
            granularity={granularity}
          />
        </>
      )}
    </div>
  );
}
