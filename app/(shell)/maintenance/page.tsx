import type { Metadata } from 'next';
import Link from 'next/link';
import { PriorityBadge, SlaText, WorkOrderStatusBadge } from '@/components/maintenance/badges';
import { WorkOrderDialog } from '@/components/maintenance/work-order-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listStations } from '@/lib/services/stations';
import { listWorkOrders } from '@/lib/services/work-order-views';

export const metadata: Metadata = { title: 'Work orders' };

const views = [
  { key: 'open', label: 'Open' },
  { key: 'done', label: 'Done' },
  { key: 'all', label: 'All' },
] as const;

export default async function WorkOrdersPage({ searchParams }: { searchParams: Promise<{ view?: string }> }) {
  const user = await requirePermission('maintenance:view');
  const { view: asked } = await searchParams;
  const view = views.find((v) => v.key === asked)?.key ?? 'open';
  const db = getDb();
  const [orders, stations] = await Promise.all([listWorkOrders(db, user, { view }), listStations(db, user)]);
  const now = new Date();
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Which work orders" className="flex gap-1 rounded-lg bg-slate-100 p-1 text-sm">
          {views.map((v) => (
            <Link
              key={v.key}
              href={v.key === 'open' ? '/maintenance' : `/maintenance?view=${v.key}`}
              aria-current={v.key === view ? 'page' : undefined}
              className={`rounded-md px-3 py-1.5 font-medium ${
                v.key === view ? 'bg-white text-slate-900 shadow-xs' : 'text-slate-600 hover:text-slate-900'
              }`}
            >
              {v.label}
            </Link>
          ))}
        </nav>
        {roleCan(user.role, 'maintenance:manage') ? (
          <WorkOrderDialog
            stations={stations.map((s) => ({ id: s.id, identity: s.identity, siteName: s.siteName }))}
            triggerLabel="New work order"
          />
        ) : null}
      </div>
      {orders.length === 0 ? (
        <EmptyState title={view === 'open' ? 'No open work orders' : 'No work orders here'}>
          Work orders open by themselves when a charger faults, goes offline or fails to start sessions (see
          the Settings tab), come from preventive schedules, or are created by hand.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="w-full min-w-[52rem] text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
              <tr>
                <th className="px-4 py-2.5">Work order</th>
                <th className="px-4 py-2.5">Station</th>
                <th className="px-4 py-2.5">Priority</th>
                <th className="px-4 py-2.5">Status</th>
                <th className="px-4 py-2.5">Technician</th>
                <th className="px-4 py-2.5">SLA</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {orders.map((o) => (
                <tr key={o.id} data-testid="work-order-row">
                  <td className="px-4 py-3">
                    <Link
                      href={`/maintenance/work-orders/${o.id}`}
                      className="font-medium text-slate-900 hover:underline"
                    >
                      WO-{o.number}
                    </Link>
                    <span className="block max-w-xs truncate text-xs text-slate-500" title={o.title}>
                      {o.kind === 'preventive' ? 'Preventive · ' : ''}
                      {o.title}
                    </span>
                  </td>
                  <td className="px-4 py-3">
                    <Link href={`/stations/${o.stationId}`} className="hover:underline">
                      {o.stationIdentity}
                    </Link>
                    {o.evseId ? <span className="text-slate-500"> · EVSE {o.evseId}</span> : null}
                    <span className="block text-xs text-slate-500">{o.siteName ?? 'No site'}</span>
                  </td>
                  <td className="px-4 py-3">
                    <PriorityBadge priority={o.priority} />
                  </td>
                  <td className="px-4 py-3">
                    <WorkOrderStatusBadge status={o.status} />
                  </td>
                  <td className="px-4 py-3">
                    {o.assigneeName ?? <span className="text-slate-500">Unassigned</span>}
                  </td>
                  <td className="px-4 py-3 text-xs">
                    <SlaText status={o.status} slaDueAt={o.slaDueAt} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
