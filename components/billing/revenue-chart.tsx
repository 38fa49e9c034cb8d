'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { formatMoney, minorDigits } from '@/lib/domain/pricing/money';
import type { RevenueBucket, RevenueGranularity } from '@/lib/services/revenue';

/** Bar colours of the sites or groups, in order; they repeat past the last. */
const palette = ['#059669', '#0284c7', '#d97706', '#7c3aed', '#db2777', '#0d9488', '#65a30d', '#dc2626'];
const tick = { fontSize: 12, fill: '#64748b' };

interface Series {
  key: string;
  label: string;
  /** The row field holding this series' value. */
  field: string;
  color: string;
}

type Row = { bucket: string } & Record<string, number | string>;

function bucketFormat(granularity: RevenueGranularity): (bucket: string) => string {
  const format = new Intl.DateTimeFormat(
    'en-US',
    granularity === 'month'
      ? { month: 'short', year: 'numeric', timeZone: 'UTC' }
      : { month: 'short', day: 'numeric', timeZone: 'UTC' },
  );
  return (bucket) => format.format(new Date(`${bucket}T00:00:00Z`));
}

function tooltipLabel(granularity: RevenueGranularity, bucket: string): string {
  if (granularity === 'month') return bucketFormat('month')(bucket);
  const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
  const text = day.format(new Date(`${bucket}T00:00:00Z`));
  return granularity === 'week' ? `Week of ${text}` : text;
}

/** One row per bucket (all of `days`, gaps at zero) with a field per series of `value`. */
function pivot(
  buckets: readonly RevenueBucket[],
  days: readonly string[],
  series: readonly Series[],
  value: (b: RevenueBucket) => number,
): Row[] {
  const fieldOf = new Map(series.map((s) => [s.key, s.field]));
  const rows = new Map<string, Row>();
  for (const day of [...new Set([...days, ...buckets.map((b) => b.bucket)])].sort()) {
    const row: Row = { bucket: day };
    for (const s of series) row[s.field] = 0;
    rows.set(day, row);
  }
  for (const b of buckets) {
    const row = rows.get(b.bucket)!;
    const field = fieldOf.get(b.key)!;
    row[field] = Number(row[field]) + value(b);
  }
  return [...rows.values()];
}

function StackedBars({
  rows,
  series,
  granularity,
  axisFormat,
  valueFormat,
  axisWidth,
  testId,
}: {
  rows: Row[];
  series: readonly Series[];
  granularity: RevenueGranularity;
  axisFormat: (v: number) => string;
  valueFormat: (v: number) => string;
  axisWidth: number;
  testId: string;
}) {
  const xFormat = bucketFormat(granularity);
  return (
    <div className="h-64 w-full overflow-hidden sm:h-72" data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" tickFormatter={xFormat} tick={tick} minTickGap={12} />
          <YAxis tick={tick} tickFormatter={axisFormat} width={axisWidth} />
          {series.length > 1 ? (
            <Legend verticalAlign="top" iconType="square" wrapperStyle={{ fontSize: 12, paddingBottom: 8 }} />
          ) : null}
          <Tooltip
            cursor={{ fill: '#f1f5f9' }}
            labelFormatter={(bucket) => tooltipLabel(granularity, String(bucket))}
            formatter={(value, name) => [
              typeof value === 'number' ? valueFormat(value) : String(value),
              name,
            ]}
          />
          {series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.field}
              name={s.label}
              stackId="stack"
              fill={s.color}
              maxBarSize={48}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

const kwhFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/**
 * Revenue per bucket (one chart per currency) and energy per bucket, stacked per site or group
 * when split; takes its data as props. `days` lists every bucket of the period so gaps show as zero.
 */
export function RevenueCharts({
  buckets,
  days,
  granularity,
}: {
  buckets: readonly RevenueBucket[];
  days: readonly string[];
  granularity: RevenueGranularity;
}) {
  const labels = new Map<string, string>();
  for (const b of buckets) if (!labels.has(b.key)) labels.set(b.key, b.label);
  const series: Series[] = [...labels]
    .sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]))
    .map(([key, label], i) => ({ key, label, field: `s${i}`, color: palette[i % palette.length]! }));
  const currencies = [...new Set(buckets.map((b) => b.currency))].sort();
  const energy = pivot(buckets, days, series, (b) => b.energyWh / 1000);

  return (
    <div className="space-y-6">
      {currencies.map((currency) => {
        const inCurrency = buckets.filter((b) => b.currency === currency);
        const used = new Set(inCurrency.map((b) => b.key));
        const compact = new Intl.NumberFormat('en-US', {
          style: 'currency',
          currency,
          notation: 'compact',
          maximumFractionDigits: 1,
        });
        return (
          <section
            key={currency}
            aria-label={`Revenue in ${currency}`}
            className="rounded-xl border border-slate-200 bg-white shadow-xs"
          >
            <h2 className="border-b border-slate-100 px-4 py-3 font-semibold text-slate-900 sm:px-5">
              Revenue{currencies.length > 1 ? ` (${currency})` : ''}
            </h2>
            <div className="p-2 sm:p-4">
              <StackedBars
                rows={pivot(inCurrency, days, series, (b) => b.revenue)}
                series={series.filter((s) => used.has(s.key))}
                granularity={granularity}
                axisFormat={(v) => compact.format(v / 10 ** minorDigits(currency))}
                valueFormat={(v) => formatMoney(v, currency)}
                axisWidth={64}
                testId="revenue-chart"
              />
            </div>
          </section>
        );
      })}
      <section aria-label="Energy" className="rounded-xl border border-slate-200 bg-white shadow-xs">
        <h2 className="border-b border-slate-100 px-4 py-3 font-semibold text-slate-900 sm:px-5">Energy</h2>
        <div className="p-2 sm:p-4">
          <StackedBars
            rows={energy}
            series={series}
            granularity={granularity}
            axisFormat={(v) => `${kwhFormat.format(v)} kWh`}
            valueFormat={(v) => `${kwhFormat.format(v)} kWh`}
            axisWidth={72}
            testId="energy-chart"
          />
        </div>
      </section>
    </div>
  );
}
