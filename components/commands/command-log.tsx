import type { StationCommand } from '@/lib/db/schema';
import { formatInZone } from '@/components/stations/format';
import { Badge } from '@/components/ui/badge';
import { commandLabels, commandStatusLabels, commandStatusTones, describeParams } from './labels';
import type { CommandKind } from '@/lib/commands/types';

/** The command log of a station, newest first; it follows live through the page refresh on command events. */
export function CommandLog({
  commands,
  timeZone,
  compact = false,
}: {
  commands: StationCommand[];
  timeZone: string;
  /** Fewer columns, for the overview. */
  compact?: boolean;
}) {
  if (commands.length === 0) return <p className="text-sm text-slate-600">No commands sent yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className={`w-full text-sm ${compact ? '' : 'min-w-[44rem]'}`} data-testid="command-log">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="pb-2 font-medium">Sent</th>
            <th className="pb-2 font-medium">Command</th>
            {compact ? null : <th className="pb-2 font-medium">By</th>}
            <th className="pb-2 font-medium">Outcome</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {commands.map((c) => (
            <tr key={c.id} data-testid="command-row" data-kind={c.kind} data-status={c.status}>
              <td className="py-2 pr-3 whitespace-nowrap text-slate-600">
                {formatInZone(c.createdAt, timeZone)}
              </td>
              <td className="py-2 pr-3">
                <span className="font-medium text-slate-900">
                  {commandLabels[c.kind as CommandKind] ?? c.kind}
                </span>
                <span className="block text-xs break-all text-slate-500">
                  {[c.ocppAction, describeParams(c.kind, c.params)].filter(Boolean).join(' · ')}
                </span>
              </td>
              {compact ? null : <td className="py-2 pr-3 text-slate-700">{c.requestedByLabel}</td>}
              <td className="py-2">
                <Badge tone={commandStatusTones[c.status]}>{commandStatusLabels[c.status]}</Badge>
                {c.detail ? <span className="ml-2 text-slate-700">{c.detail}</span> : null}
                {c.respondedAt && c.sentAt ? (
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
                    <pre className="mt-1 max-h-64 max-w-xl overflow-auto rounded bg-slate-50 p-2 text-xs">
                      {JSON.stringify(c.response, null, 2)}
                    </pre>
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
