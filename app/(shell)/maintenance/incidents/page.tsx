import type { Metadata } from 'next';
import Link from 'next/link';
import { IncidentBadge } from '@/components/maintenance/badges';
import { incidentDuration, RemediationBadge } from '@/components/maintenance/incident-format';
import { WorkOrderDialog } from '@/components/maintenance/work-order-dialog';
import { formatInZone } from '@/components/stations/format';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listIncidents } from '@/lib/services/incidents';
import { getMaintenancePolicy } from '@/lib/services/maintenance-settings';

export const metadata: Metadata = { title: 'Incidents' };

const views = [
  { key: 'open', label: 'Open' },
  { key: 'resolved', label: 'Cleared' },
  { key: 'all', label: 'All' },
] as const;

export default async function IncidentsPage({
  searchParams,
}: {
  searchParams: Promise<{ state?: string | string[] }>;
}) {
  const user = await requirePermission('maintenance:view');
  const { state: asked } = await searchParams;
  const view = views.find((v) => v.key === asked)?.key ?? 'open';
  const canManage = roleCan(user.role, 'maintenance:manage');
  const db = getDb();
  const [rows, policy] = await Promise.all([
    // Open incidents first, each group newest first.
    listIncidents(db, user, view === 'all' ? {} : { state: view }),
    canManage ? getMaintenancePolicy(db, user) : Promise.resolve(null),
  ]);
  const now = new Date();
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Which incidents" className="flex gap-1 rounded-lg bg-slate-100 p-1 text-sm">
          {views.map((v) => (
            <Link
              key={v.key}
              href={v.key === 'open' ? '/maintenance/incidents' : `/maintenance/incidents?state=${v.key}`}
              aria-current={v.key === view ? 'page' : undefined}
              className={`rounded-md px-3 py-1.5 font-medium ${
                v.key === view ? 'bg-white text-slate-900 shadow-xs' : 'text-slate-600 hover:text-slate-900'
              }`}
            >
              {v.label}
            </Link>
          ))}
        </nav>
        <p className="max-w-xl text-sm text-slate-600">
          Times are in each site’s time zone. An incident clears by itself when the charger reports it working
          again.
        </p>
      </div>
      {rows.length === 0 ? (
        <EmptyState title={view === 'open' ? 'No open incidents' : 'No incidents here'}>
          Incidents open by themselves from what the chargers report: a faulted connector, a station that goes
          quiet, sessions that deliver no energy, a rejected boot, a failed firmware update or a security
          event. The thresholds are on the Settings tab.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="w-full min-w-[60rem] text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
              <tr>
                <th className="px-4 py-2.5">Station</th>
                <th className="px-4 py-2.5">Site</th>
                <th className="px-4 py-2.5">What</th>
                <th className="px-4 py-2.5">Started</th>
                <th className="px-4 py-2.5">Duration</th>
                <th className="px-4 py-2.5">Remediation</th>
                <th className="px-4 py-2.5">Work order</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((incident) => (
                <tr key={incident.id} data-testid="incident-row" className="align-top">
                  <td className="px-4 py-3 whitespace-nowrap">
                    <Link
                      href={`/stations/${incident.stationId}`}
                      className="font-medium text-slate-900 hover:underline"
                    >
                      {incident.stationIdentity}
                    </Link>
                    <span className="block text-xs text-slate-500">
                      {incident.evseId > 0 ? `EVSE ${incident.evseId}` : 'Whole station'}
                    </span>
                  </td>
                  <td className="px-4 py-3">
                    {incident.siteName ?? <span className="text-slate-500">No site</span>}
                  </td>
                  <td className="px-4 py-3">
                    <IncidentBadge kind={incident.kind} state={incident.state} />
                    <Link
                      href={`/maintenance/incidents/${incident.id}`}
                      className="mt-1 block max-w-xs font-medium text-slate-900 hover:underline"
                    >
                      {incident.title}
                    </Link>
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap">
                    {formatInZone(incident.startedAt, incident.siteTimezone)}
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap tabular-nums">
                    {incidentDuration(incident, now)}
                  </td>
                  <td className="px-4 py-3">
                    <RemediationBadge
                      state={incident.remediationState}
                      step={incident.remediationStep}
                      steps={incident.remediationPlan.length}
                    />
                  </td>
                  <td className="px-4 py-3">
                    {incident.workOrderId && incident.workOrderStatus !== 'cancelled' ? (
                      <Link
                        href={`/maintenance/work-orders/${incident.workOrderId}`}
                        className="font-medium text-slate-900 hover:underline"
                      >
                        {`WO-${incident.workOrderNumber}`}
                      </Link>
                    ) : canManage && incident.state === 'open' ? (
                      <WorkOrderDialog
                        stations={[
                          {
                            id: incident.stationId,
                            identity: incident.stationIdentity,
                            siteName: incident.siteName,
                          },
                        ]}
                        preset={{
                          stationId: incident.stationId,
                          incidentId: incident.id,
                          evseId: incident.evseId > 0 ? incident.evseId : null,
                          title: incident.title,
                          kind: 'corrective',
                          priority: 'high',
                          requiredCertifications: policy?.defaultCertifications ?? [],
                        }}
                        triggerLabel="Create work order"
                      />
                    ) : (
                      <span className="text-slate-500">None</span>
                    )}
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
