import type { StationCommand } from '@/lib/db/schema';
import type { Command } from '@/lib/commands/types';
import { formatInZone } from '@/components/stations/format';
import { Badge } from '@/components/ui/badge';
import { commandLabels, commandStatusLabels, commandStatusTones, describeParams } from './labels';

/**
 * The command log of a station, newest first; it follows live through the page refresh on command
 * events. Columns on wide screens, stacked entries on phones.
 */
export function CommandLog({
  commands,
  timeZone,
  compact = false,
}: {
  commands: StationCommand[];
  timeZone: string;
  /** Fewer details, for the overview. */
  compact?: boolean;
}) {
  if (commands.length === 0) return <p className="text-sm text-slate-600">No commands sent yet.</p>;
  const columns = compact ? 'md:grid-cols-[9.5rem_1fr_auto]' : 'md:grid-cols-[10.5rem_1fr_11rem_16rem]';
  return (
    <div data-testid="command-log" className="text-sm">
      <div className={`hidden gap-3 pb-2 text-xs font-medium text-slate-500 md:grid ${columns}`}>
        <span>Sent</span>
        <span>Command</span>
        {compact ? null : <span>By</span>}
        <span>Outcome</span>
      </div>
      <ul className="divide-y divide-slate-100">
        {commands.map((c) => (
          <li
            key={c.id}
            data-testid="command-row"
            data-kind={c.kind}
            data-status={c.status}
            className={`grid gap-x-3 gap-y-1 py-2.5 ${columns}`}
          >
            <span className="text-xs text-slate-600 md:text-sm">{formatInZone(c.createdAt, timeZone)}</span>
            <span className="min-w-0">
              <span className="font-medium text-slate-900">
                {commandLabels[c.kind as Command['kind']] ?? c.kind}
              </span>
              <span className="block text-xs [overflow-wrap:anywhere] text-slate-500">
                {[compact ? null : c.ocppAction, describeParams(c.kind, c.params)]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </span>
            {compact ? null : (
              <span className="text-xs [overflow-wrap:anywhere] text-slate-700 md:text-sm">
                {c.requestedByLabel}
              </span>
            )}
            <span className="min-w-0">
              <Badge tone={commandStatusTones[c.status]}>{commandStatusLabels[c.status]}</Badge>
              {c.detail && c.detail !== commandStatusLabels[c.status] ? (
                <span className="ml-2 [overflow-wrap:anywhere] text-slate-700">{c.detail}</span>
              ) : null}
              {!compact && c.respondedAt && c.sentAt ? (
                <span className="ml-2 text-xs text-slate-500">
                  {Math.max(0, c.respondedAt.getTime() - c.sentAt.getTime())} ms
                </span>
              ) : null}
              {c.lateResponseAt ? (
                <span className="mt-1 block text-xs text-amber-800">
                  Late answer at {formatInZone(c.lateResponseAt, timeZone)}:{' '}
                  {String((c.lateResponse as { detail?: string } | null)?.detail ?? '')}
                </span>
              ) : null}
              {!compact && c.response !== null && c.response !== undefined ? (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-slate-500">Response</summary>
                  <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">
                    {JSON.stringify(c.response, null, 2)}
                  </pre>
                </details>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
