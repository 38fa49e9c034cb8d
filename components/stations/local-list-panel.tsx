import {
  describeLocalListState,
  LocalListBadge,
  localListProblem,
} from '@/components/drivers/local-list-state';
import { formatInZone } from '@/components/stations/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import type { LocalListView } from '@/lib/services/local-lists';
import { ResendLocalList } from './resend-local-list';

/** Entries shown before the rest folds away under "Show all". */
const shownFirst = 12;

/** A station's local authorisation list: its state, what the station holds, and what could not go on it. */
export function LocalListPanel({
  stationId,
  view,
  online,
  timeZone,
  canResend,
}: {
  stationId: string;
  view: LocalListView;
  online: boolean;
  timeZone: string | null;
  canResend: boolean;
}) {
  const facts: [string, React.ReactNode][] = [
    ['Version on the station', view.chargerVersion ?? '—'],
    ['Entries', view.held.length],
    ['Last in sync', formatInZone(view.syncedAt, timeZone)],
  ];
  if (view.state === 'failed' && view.nextAttemptAt)
    facts.push(['Next try', formatInZone(view.nextAttemptAt, timeZone)]);
  const problem = localListProblem(view.state, view.lastError);
  if (view.reviewAt) facts.push(['Changes by itself', formatInZone(view.reviewAt, timeZone)]);
  return (
    <div className="space-y-4" data-testid="local-list" data-state={view.state ?? 'none'}>
      <div className="flex flex-wrap items-center gap-3">
        <LocalListBadge state={view.state} />
        <p className="text-sm text-slate-600">{describeLocalListState(view.state, online)}</p>
      </div>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      {view.leftOut.length > 0 ? (
        <Alert tone="info">
          {view.leftOut.length === 1 ? 'One token' : `${view.leftOut.length} tokens`} could not go on this
          list:{' '}
          {view.leftOut
            .slice(0, 5)
            .map((t) => `${t.idToken} (${t.reason})`)
            .join('; ')}
          {view.leftOut.length > 5 ? ` and ${view.leftOut.length - 5} more` : ''}.
        </Alert>
      ) : null}
      {view.held.length > 0 ? (
        <EntriesTable entries={view.held} timeZone={timeZone} />
      ) : (
        <p className="text-sm text-slate-500">The station holds no entries.</p>
      )}
      {canResend ? <ResendLocalList stationId={stationId} again={view.state !== null} /> : null}
    </div>
  );
}

function EntriesTable({ entries, timeZone }: { entries: LocalListView['held']; timeZone: string | null }) {
  const table = (rows: LocalListView['held']) => (
    <div className="overflow-x-auto rounded-lg border border-slate-200">
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
          <tr>
            <th className="px-3 py-2">Token</th>
            <th className="hidden px-3 py-2 md:table-cell">Driver</th>
            <th className="px-3 py-2">Status</th>
            <th className="hidden px-3 py-2 sm:table-cell">Valid until</th>
            <th className="hidden px-3 py-2 sm:table-cell">Parent tag</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((e) => (
            <tr key={e.idToken} data-testid="local-list-entry" data-token={e.idToken} data-status={e.status}>
              <td className="px-3 py-2">
                <span className="font-mono text-xs">{e.idToken}</span>
                {/* Phones: the driver under the token instead of in a column. */}
                <span className="block text-xs text-slate-500 md:hidden">{e.driverName ?? 'No driver'}</span>
              </td>
              <td className="hidden px-3 py-2 text-slate-700 md:table-cell">
                {e.driverName ?? <span className="text-slate-400">No driver</span>}
              </td>
              <td className="px-3 py-2">
                <Badge tone={e.status === 'Accepted' ? 'green' : 'red'}>{e.status}</Badge>
              </td>
              <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">
                {e.expiresAt ? formatInZone(new Date(e.expiresAt), timeZone) : 'No end'}
              </td>
              <td className="hidden px-3 py-2 font-mono text-xs text-slate-600 sm:table-cell">
                {e.parentIdTag ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  if (entries.length <= shownFirst) return table(entries);
  return (
    <div className="space-y-2">
      {table(entries.slice(0, shownFirst))}
      <details>
        <summary className="text-brand-700 cursor-pointer text-sm hover:underline">
          Show all {entries.length} entries
        </summary>
        <div className="mt-2">{table(entries.slice(shownFirst))}</div>
      </details>
    </div>
  );
}
