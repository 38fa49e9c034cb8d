import type { Metadata } from 'next';
import Link from 'next/link';
import { PriorityBadge, SlaText, WorkOrderStatusBadge } from '@/components/maintenance/badges';
import { OrdersMapLoader } from '@/components/tech/orders-map-loader';
import { ShareLocation } from '@/components/tech/share-location';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { myRecentWorkOrders, myWorkOrders, type WorkOrderRow } from '@/lib/services/work-order-views';

export const metadata: Metadata = { title: 'My work orders' };

function OrderCard({ order, now }: { order: WorkOrderRow; now: Date }) {
  return (
    <Link
      href={`/tech/work-orders/${order.id}`}
      className="block rounded-xl border border-slate-200 bg-white p-4 shadow-xs active:bg-slate-50"
      data-testid="my-work-order"
    >
      <div className="flex items-center justify-between gap-2">
        <span className="font-semibold text-slate-900">WO-{order.number}</span>
        <span className="flex gap-1.5">
          <PriorityBadge priority={order.priority} />
          <WorkOrderStatusBadge status={order.status} />
        </span>
      </div>
      <p className="mt-1 text-sm text-slate-800">{order.title}</p>
      <p className="mt-1 text-sm text-slate-600">
        {order.stationIdentity}
        {order.evseId ? ` · EVSE ${order.evseId}` : ''}
        {order.siteName ? ` · ${order.siteName}` : ''}
      </p>
      {order.siteAddress ? <p className="text-xs text-slate-500">{order.siteAddress}</p> : null}
      <p className="mt-2 text-xs">
        <SlaText status={order.status} slaDueAt={order.slaDueAt} now={now} />
      </p>
    </Link>
  );
}

/** The technician's phone home: their work orders by priority and SLA, as a list or on a map. */
export default async function MyWorkOrdersPage({
  searchParams,
}: {
  searchParams: Promise<{ view?: string }>;
}) {
  const user = await requirePermission('work-orders:work');
  const { view } = await searchParams;
  const db = getDb();
  const [orders, recent] = await Promise.all([myWorkOrders(db, user), myRecentWorkOrders(db, user)]);
  const now = new Date();
  const onMap = view === 'map';
  const mapped = orders.flatMap((o) =>
    o.latitude !== null && o.longitude !== null
      ? [
          {
            id: o.id,
            number: o.number,
            title: o.title,
            priority: o.priority,
            stationIdentity: o.stationIdentity,
            siteName: o.siteName,
            latitude: o.latitude,
            longitude: o.longitude,
          },
        ]
      : [],
  );
  return (
    <div className="mx-auto max-w-2xl space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">My work orders</h1>
          <p className="text-sm text-slate-600">Most urgent first: priority, then SLA.</p>
        </div>
        <nav aria-label="List or map" className="flex gap-1 rounded-lg bg-slate-100 p-1 text-sm">
          {[
            { href: '/tech', label: 'List', current: !onMap },
            { href: '/tech?view=map', label: 'Map', current: onMap },
          ].map((tab) => (
            <Link
              key={tab.href}
              href={tab.href}
              aria-current={tab.current ? 'page' : undefined}
              className={`rounded-md px-4 py-2 font-medium ${tab.current ? 'bg-white text-slate-900 shadow-xs' : 'text-slate-600'}`}
            >
              {tab.label}
            </Link>
          ))}
        </nav>
      </div>
      <ShareLocation />
      {orders.length === 0 ? (
        <EmptyState title="Nothing assigned to you">
          New work orders appear here the moment they are assigned.
        </EmptyState>
      ) : onMap ? (
        mapped.length > 0 ? (
          <OrdersMapLoader orders={mapped} tileUrl={getEnv().MAP_TILE_URL} />
        ) : (
          <EmptyState title="No locations">None of your work orders is at a placed site.</EmptyState>
        )
      ) : (
        <ul className="space-y-3">
          {orders.map((o) => (
            <li key={o.id}>
              <OrderCard order={o} now={now} />
            </li>
          ))}
        </ul>
      )}
      {recent.length > 0 && !onMap ? (
        <section aria-label="Recently finished" className="space-y-2">
          <h2 className="text-sm font-semibold text-slate-700">Recently finished</h2>
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
            {recent.map((o) => (
              <li key={o.id}>
                <Link
                  href={`/tech/work-orders/${o.id}`}
                  className="flex items-center justify-between gap-2 px-4 py-3 text-sm"
                >
                  <span>
                    WO-{o.number} · {o.stationIdentity}
                  </span>
                  <WorkOrderStatusBadge status={o.status} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
