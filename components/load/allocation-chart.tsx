'use client';

import { useId, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartSeries } from './chart-data';

const tick = { fontSize: 12, fill: '#64748b' };
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/**
 * Limit (steps), allocated and measured load of one node of the site over the last hours, in the
 * node's own unit, with a picker for the node. Takes its data as props; the page refreshes it live.
 * The container carries the latest values as data attributes for tests and tools.
 */
export function AllocationChart({
  series,
  defaultNodeId,
  from,
  to,
  timeZone,
}: {
  series: ChartSeries[];
  defaultNodeId: string;
  from: number;
  to: number;
  timeZone: string;
}) {
  const [nodeId, setNodeId] = useState(defaultNodeId);
  const pickerId = useId();
  const shown = series.find((s) => s.nodeId === nodeId) ?? series[0];
  if (!shown) return null;
  const latest = shown.points.at(-1);
  // The axis starts where the records do (a site set up minutes ago), and shows seconds on a short span.
  const first = shown.points[0]?.t ?? from;
  const start = Math.min(Math.max(from, first), to - 30_000);
  const time = new Intl.DateTimeFormat('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    ...(to - start < 15 * 60_000 ? { second: '2-digit' } : {}),
    timeZone,
  });
  const unitText = shown.unit === 'A' ? 'A per phase' : 'kW';
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="space-y-1">
          <label htmlFor={pickerId} className="block text-sm font-medium text-slate-700">
            Node
          </label>
          <select
            id={pickerId}
            value={shown.nodeId}
            onChange={(e) => setNodeId(e.target.value)}
            className="focus:outline-brand-600 block w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus:outline-2 focus:-outline-offset-1"
          >
            {series.map((s) => (
              <option key={s.nodeId} value={s.nodeId}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <p className="text-sm text-slate-600" aria-live="polite">
          {latest ? (
            <>
              Now: <strong className="text-slate-900">{number.format(latest.allocated)}</strong> allocated
              {latest.limit !== null ? ` of ${number.format(latest.limit)}` : ' (no limit)'}
              {latest.measured !== null ? `, ${number.format(latest.measured)} measured` : ''} ({unitText})
            </>
          ) : (
            'No allocation yet'
          )}
        </p>
      </div>
      <div
        role="img"
        aria-label={`Limit, allocated and measured load of ${shown.name}`}
        data-testid="allocation-chart"
        data-node-id={shown.nodeId}
        data-unit={shown.unit}
        data-latest-allocated={latest ? String(latest.allocated) : ''}
        data-latest-limit={latest?.limit != null ? String(latest.limit) : ''}
        data-latest-measured={latest?.measured != null ? String(latest.measured) : ''}
        className="h-64 w-full overflow-hidden sm:h-72"
      >
        {shown.points.length === 0 ? (
          <div className="flex h-full items-center justify-center rounded-lg border border-dashed border-slate-300 text-sm text-slate-500">
            Nothing recorded in the last 3 hours: the chart starts with the next allocation.
          </div>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={shown.points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[start, to]}
                ticks={[0, 1, 2, 3, 4].map((i) => Math.round(start + ((to - start) * i) / 4))}
                allowDataOverflow
                tickFormatter={(t: number) => time.format(t)}
                tick={tick}
                minTickGap={24}
              />
              <YAxis
                tick={tick}
                width={64}
                tickFormatter={(v: number) => `${number.format(v)} ${shown.unit}`}
                domain={[0, 'auto']}
              />
              <Legend verticalAlign="top" height={28} iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
              <Tooltip
                labelFormatter={(t) => time.format(Number(t))}
                formatter={(value, name) => [
                  typeof value === 'number' ? `${number.format(value)} ${shown.unit}` : String(value),
                  name,
                ]}
              />
              <Line
                type="stepAfter"
                dataKey="limit"
                name="Limit"
                stroke="#e11d48"
                strokeWidth={2}
                strokeDasharray="6 3"
                dot={false}
                isAnimationActive={false}
              />
              <Line
                type="stepAfter"
                dataKey="allocated"
                name="Allocated"
                stroke="#059669"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
              <Line
                type="monotone"
                dataKey="measured"
                name="Measured"
                stroke="#0284c7"
                strokeWidth={2}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </div>
  );
}
