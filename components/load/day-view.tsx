import type { LoadNodeView } from '@/lib/services/load-views';
import { formatHourMinute, formatLimit } from './format';

const tones = ['bg-emerald-200', 'bg-amber-200', 'bg-sky-200', 'bg-violet-200', 'bg-rose-200', 'bg-teal-200'];
const swatches = [
  'bg-emerald-400',
  'bg-amber-400',
  'bg-sky-400',
  'bg-violet-400',
  'bg-rose-400',
  'bg-teal-400',
];

/**
 * Today's configured limits (before the safety margin) of every node with a schedule, as a bar from
 * local midnight to midnight with a marker at the current time. Times are the site's.
 */
export function DayView({
  nodes,
  day,
  now,
  timeZone,
}: {
  nodes: LoadNodeView[];
  day: { from: string; to: string };
  now: number;
  timeZone: string;
}) {
  const from = Date.parse(day.from);
  const to = Date.parse(day.to);
  const span = Math.max(1, to - from);
  const scheduled = nodes.filter((n) => n.schedule.length > 0);
  const dateText = new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    timeZone,
  }).format(new Date(from + span / 2));
  if (scheduled.length === 0)
    return (
      <p className="text-sm text-slate-600">
        No node has a scheduled limit: each keeps its limit all day. Add scheduled limits (peak hours, a
        utility&apos;s demand window) when editing a node.
      </p>
    );
  const nowPercent = now >= from && now < to ? ((now - from) / span) * 100 : null;
  const clock = (at: number) => (at >= to ? '24:00' : formatHourMinute(at, timeZone));
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        {dateText}, {timeZone} time
      </p>
      {scheduled.map((node) => {
        const labels = [...new Set(node.day.map((s) => s.label))];
        const toneOf = (label: string) => labels.indexOf(label) % tones.length;
        return (
          <section key={node.id} aria-label={`Today's limits of ${node.name}`} data-testid="day-view">
            <h3 className="mb-2 text-sm font-medium text-slate-800">{node.name}</h3>
            <div className="relative">
              <div className="flex h-8 w-full overflow-hidden rounded-md ring-1 ring-slate-200">
                {node.day.map((segment) => {
                  const width = ((segment.to - segment.from) / span) * 100;
                  return (
                    <div
                      key={segment.from}
                      className={`flex min-w-0 items-center justify-center border-r border-white text-xs font-medium text-slate-800 last:border-r-0 ${tones[toneOf(segment.label)]}`}
                      style={{ width: `${width}%` }}
                      title={`${clock(segment.from)}–${clock(segment.to)} ${segment.label}`}
                    >
                      <span className="truncate px-1">
                        {width > 12
                          ? formatLimit(segment.limit?.unit ?? null, segment.limit?.value ?? null)
                          : ''}
                      </span>
                    </div>
                  );
                })}
              </div>
              {nowPercent !== null ? (
                <div
                  className="absolute -top-1 -bottom-1 w-0.5 bg-slate-900"
                  style={{ left: `${nowPercent}%` }}
                  aria-hidden="true"
                />
              ) : null}
            </div>
            <div className="mt-1 flex justify-between text-[11px] text-slate-500" aria-hidden="true">
              <span>00:00</span>
              <span>06:00</span>
              <span>12:00</span>
              <span>18:00</span>
              <span>24:00</span>
            </div>
            <ul className="mt-2 space-y-1 text-sm text-slate-700">
              {node.day.map((segment) => (
                <li key={segment.from} className="flex items-start gap-2">
                  <span
                    className={`mt-1.5 inline-block h-2.5 w-2.5 shrink-0 rounded-sm ${swatches[toneOf(segment.label)]}`}
                    aria-hidden="true"
                  />
                  <span>
                    <span className="font-medium tabular-nums">
                      {clock(segment.from)}–{clock(segment.to)}
                    </span>{' '}
                    {segment.label}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
