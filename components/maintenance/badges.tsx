import { Badge, type BadgeTone } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { incidentKindLabels, type IncidentKind } from '@/lib/domain/maintenance/incidents';
import {
  isOverdue,
  priorityLabels,
  statusLabels,
  type WorkOrderPriority,
  type WorkOrderStatus,
} from '@/lib/domain/maintenance/work-orders';

/** Colours of work order statuses: waiting (amber), moving (blue), done (green), stopped (red/grey). */
const statusTones: Record<WorkOrderStatus, BadgeTone> = {
  new: 'amber',
  assigned: 'amber',
  accepted: 'blue',
  en_route: 'blue',
  on_site: 'blue',
  in_progress: 'blue',
  resolved: 'green',
  cannot_fix: 'red',
  verified: 'green',
  closed: 'slate',
  cancelled: 'slate',
};

export function WorkOrderStatusBadge({ status }: { status: WorkOrderStatus }) {
  return <Badge tone={statusTones[status]}>{statusLabels[status]}</Badge>;
}

const priorityTones: Record<WorkOrderPriority, BadgeTone> = {
  critical: 'red',
  high: 'amber',
  normal: 'slate',
  low: 'slate',
};

export function PriorityBadge({ priority }: { priority: WorkOrderPriority }) {
  return <Badge tone={priorityTones[priority]}>{priorityLabels[priority]}</Badge>;
}

/** The SLA due time, red once it has passed while the order is still open. */
export function SlaText({
  status,
  slaDueAt,
  now,
}: {
  status: WorkOrderStatus;
  slaDueAt: Date | null;
  now: Date;
}) {
  if (!slaDueAt) return <span className="text-slate-500">No SLA</span>;
  const overdue = isOverdue({ status, slaDueAt }, now);
  return (
    <span
      className={overdue ? 'font-medium text-rose-700' : 'text-slate-700'}
      data-overdue={overdue || undefined}
    >
      {overdue ? 'Overdue since ' : 'Due '}
      <LocalTime iso={slaDueAt.toISOString()} />
    </span>
  );
}

export function IncidentBadge({ kind, state }: { kind: IncidentKind; state: string }) {
  return (
    <Badge tone={state === 'open' ? 'red' : 'green'}>
      {state === 'open' ? incidentKindLabels[kind] : 'Cleared'}
    </Badge>
  );
}

/** Minutes as "2 h 05 min" (outages), keeping partial minutes out of sight. */
export function formatMinutes(minutes: number): string {
  const whole = Math.round(minutes);
  if (whole < 60) return `${whole} min`;
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (hours < 48) return `${hours} h ${String(rest).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
