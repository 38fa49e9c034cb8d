import Link from 'next/link';
import { formatInZone } from '@/components/stations/format';
import { Card } from '@/components/ui/card';
import type { IncidentSummary } from '@/lib/services/incidents';
import type { WorkOrderRow } from '@/lib/services/work-order-views';
import { IncidentBadge, WorkOrderStatusBadge } from './badges';
import { WorkOrderDialog } from './work-order-dialog';

/** A station's open incidents and work orders, on its page, with a way to send someone. */
export function StationMaintenance({
  station,
  incidents,
  orders,
  canManage,
  timeZone,
}: {
  station: { id: string; identity: string; siteName: string | null };
  incidents: IncidentSummary[];
  orders: WorkOrderRow[];
  canManage: boolean;
  timeZone: string;
}) {
  return (
    <Card
      title="Maintenance"
      actions={
        canManage ? (
          <WorkOrderDialog
            stations={[station]}
            preset={{ stationId: station.id, kind: 'corrective', priority: 'normal' }}
            triggerLabel="New work order"
          />
        ) : null
      }
    >
      {incidents.length === 0 && orders.length === 0 ? (
        <p className="text-sm text-slate-600">No open incident or work order.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="station-maintenance-list">
          {incidents.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <Link
                href={`/maintenance/incidents/${i.id}`}
                className="flex items-center gap-2 hover:underline"
              >
                <IncidentBadge kind={i.kind} state={i.state} />
                <span>{i.title}</span>
              </Link>
              <span className="text-xs text-slate-500">since {formatInZone(i.startedAt, timeZone)}</span>
            </li>
          ))}
          {orders.map((o) => (
            <li key={o.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <Link
                href={`/maintenance/work-orders/${o.id}`}
                className="flex items-center gap-2 hover:underline"
              >
                <span className="font-medium">WO-{o.number}</span>
                <span>{o.title}</span>
              </Link>
              <span className="flex items-center gap-2 text-xs text-slate-500">
                {o.assigneeName ?? 'Unassigned'}
                <WorkOrderStatusBadge status={o.status} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
