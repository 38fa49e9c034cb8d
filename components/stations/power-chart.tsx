'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import type { PowerPoint } from '@/lib/domain/metering/points';

const timeFormat = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone });

/** Power (kW) and delivered energy (kWh) of a session over time; takes its data as props. */
export function PowerChart({ points, timeZone }: { points: PowerPoint[]; timeZone: string }) {
  const format = timeFormat(timeZone);
  return (
    <div className="h-64 w-full" data-testid="power-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            domain={['dataMin', 'dataMax']}
            scale="time"
            tickFormatter={(t: number) => format.format(t)}
            tick={{ fontSize: 12, fill: '#64748b' }}
          />
          <YAxis yAxisId="kw" tick={{ fontSize: 12, fill: '#64748b' }} unit=" kW" width={64} />
          <YAxis
            yAxisId="kwh"
            orientation="right"
            tick={{ fontSize: 12, fill: '#64748b' }}
            unit=" kWh"
            width={72}
          />
          <Legend verticalAlign="top" height={28} iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
          <Tooltip
            labelFormatter={(t) => format.format(Number(t))}
            formatter={(value, name) => [
              typeof value === 'number' ? value.toFixed(name === 'Power' ? 1 : 2) : String(value),
              name,
            ]}
          />
          <Line
            yAxisId="kw"
            type="monotone"
            dataKey="kw"
            name="Power"
            unit=" kW"
            stroke="#0284c7"
            dot={false}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            yAxisId="kwh"
            type="monotone"
            dataKey="kwh"
            name="Energy"
            unit=" kWh"
            stroke="#059669"
            dot={false}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
