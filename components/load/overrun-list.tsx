import type { LoadSiteView } from '@/lib/services/load-views';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatClock, formatKw, formatWhen, zoneName } from './format';

function amount(unit: 'A' | 'W', value: number): string {
  return unit === 'A' ? `${Math.round(value * 10) / 10} A per phase` : formatKw(value);
}

function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));
}

function duration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 120 ? `${min} min` : `${Math.round(min / 6) / 10} h`;
}

/** "Mar 4, 2:05 PM – 2:17 PM MST (12 min)"; the end's date only when it differs. */
function period(o: { startedAt: string; endedAt: string | null }, timeZone: string): string {
  if (!o.endedAt) return `Since ${formatWhen(o.startedAt, timeZone)}, ongoing`;
  const sameDay = localDate(o.startedAt, timeZone) === localDate(o.endedAt, timeZone);
  const start = sameDay
    ? new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone }).format(
        new Date(o.startedAt),
      ) + `, ${formatClock(o.startedAt, timeZone)}`
    : formatWhen(o.startedAt, timeZone);
  const end = sameDay
    ? `${formatClock(o.endedAt, timeZone)} ${zoneName(timeZone, o.endedAt)}`
    : formatWhen(o.endedAt, timeZone);
  return `${start} – ${end} (${duration(Date.parse(o.endedAt) - Date.parse(o.startedAt))})`;
}

/** Times a node carried more than its limit, newest first; open ones are still going on. */
export function OverrunList({
  overruns,
  timeZone,
}: {
  overruns: LoadSiteView['overruns'];
  timeZone: string;
}) {
  if (overruns.length === 0)
    return (
      <EmptyState title="No overruns in the last 30 days">
        An overrun is recorded when a node measures more than its limit (without the margin).
      </EmptyState>
    );
  const sorted = [...overruns].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (
    <ul aria-label="Overruns" className="divide-y divide-slate-100">
      {sorted.map((o) => (
        <li
          key={o.id}
          className="flex flex-wrap items-start justify-between gap-2 py-3 text-sm"
          data-testid="overrun"
        >
          <div className="min-w-0">
            <p className="font-medium break-words text-slate-900">{o.nodeName}</p>
            <p className="text-slate-600">{period(o, timeZone)}</p>
            <p className="text-slate-600">
              Limit {amount(o.unit, o.limit)}, peak measured{' '}
              <strong className="text-rose-700">{amount(o.unit, o.peakMeasured)}</strong>
            </p>
          </div>
          {o.endedAt ? <Badge>Ended</Badge> : <Badge tone="red">Ongoing</Badge>}
        </li>
      ))}
    </ul>
  );
}
