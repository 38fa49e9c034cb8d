import type { Metadata } from 'next';
import Link from 'next/link';
import {
  describeLocalListState,
  LocalListBadge,
  localListProblem,
} from '@/components/drivers/local-list-state';
import { formatInZone } from '@/components/stations/format';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import type { LocalListState } from '@/lib/db/schema';
import { listLocalLists } from '@/lib/services/local-lists';

export const metadata: Metadata = { title: 'Local lists' };

const order: (LocalListState | 'none')[] = ['failed', 'pending', 'unsupported', 'none', 'in_sync'];
const summaryLabels: Record<LocalListState | 'none', string> = {
  in_sync: 'in sync',
  pending: 'pending',
  failed: 'failed',
  unsupported: 'without a local list',
  none: 'not synced yet',
};

/** Every station's local authorisation list: whether it holds what the access rules say. */
export default async function LocalListsPage() {
  const user = await requirePermission('stations:view');
  const rows = await listLocalLists(getDb(), user);
  if (rows.length === 0) return <EmptyState title="No stations yet" />;
  const counts = new Map<LocalListState | 'none', number>();
  for (const r of rows) counts.set(r.state ?? 'none', (counts.get(r.state ?? 'none') ?? 0) + 1);
  // Problems first, so they are what a manager sees.
  const sorted = [...rows].sort(
    (a, b) => order.indexOf(a.state ?? 'none') - order.indexOf(b.state ?? 'none'),
  );
  return (
    <div className="space-y-5">
      <p className="max-w-3xl text-sm text-slate-600">
        Each station keeps a list of the tokens the access rules let charge there, so it can decide without
        asking ChargeOps (when offline, or with local pre-authorisation). ChargeOps sends the whole list after
        a station boots and only the changes afterwards, within seconds of a change to tokens, groups or
        rules.
      </p>
      <p className="text-sm text-slate-700" data-testid="local-list-summary">
        {order
          .filter((state) => counts.has(state))
          .map((state) => `${counts.get(state)} ${summaryLabels[state]}`)
          .join(' · ')}
      </p>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
        <table className="w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
            <tr>
              <th className="px-4 py-2.5">Station</th>
              <th className="px-4 py-2.5">List</th>
              <th className="hidden px-4 py-2.5 text-right md:table-cell">Entries</th>
              <th className="hidden px-4 py-2.5 text-right md:table-cell">Version</th>
              <th className="hidden px-4 py-2.5 lg:table-cell">Last in sync</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sorted.map((r) => (
              <tr key={r.stationId} data-testid="local-list-row" data-state={r.state ?? 'none'}>
                <td className="px-4 py-3">
                  <Link
                    href={`/stations/${r.stationId}/access`}
                    className="font-medium text-slate-900 hover:underline"
                  >
                    {r.identity}
                  </Link>
                  <span className="block text-xs text-slate-500">
                    {r.siteName ?? 'No site'}
                    {r.online ? '' : ' · offline'}
                  </span>
                </td>
                <td className="px-4 py-3">
                  <LocalListBadge state={r.state} />
                  <span className="mt-1 block max-w-md text-xs text-slate-600">
                    {localListProblem(r.state, r.lastError) ?? describeLocalListState(r.state, r.online)}
                  </span>
                  {/* Phones: the numbers under the state instead of in columns. */}
                  <span className="mt-1 block text-xs text-slate-500 md:hidden">
                    {r.entries} {r.entries === 1 ? 'entry' : 'entries'}
                    {r.chargerVersion !== null ? ` · version ${r.chargerVersion}` : ''}
                  </span>
                </td>
                <td className="hidden px-4 py-3 text-right tabular-nums md:table-cell">{r.entries}</td>
                <td className="hidden px-4 py-3 text-right tabular-nums md:table-cell">
                  {r.chargerVersion ?? <span className="text-slate-400">—</span>}
                </td>
                <td className="hidden px-4 py-3 whitespace-nowrap text-slate-600 lg:table-cell">
                  {formatInZone(r.syncedAt, r.siteTimezone)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
