import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatMinutes, IncidentBadge } from '@/components/maintenance/badges';
import { CloseIncidentDialog } from '@/components/maintenance/close-incident-dialog';
import { incidentDuration, RemediationBadge } from '@/components/maintenance/incident-format';
import { WorkOrderDialog } from '@/components/maintenance/work-order-dialog';
import { formatInZone } from '@/components/stations/format';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import type { IncidentEvent } from '@/lib/db/schema';
import { roleCan } from '@/lib/domain/access/roles';
import {
  countsAsOutage,
  formatRemediationPlan,
  incidentKindLabels,
  outageMinutes,
} from '@/lib/domain/maintenance/incidents';
import { AppError } from '@/lib/errors';
import { getIncident, type IncidentDetail } from '@/lib/services/incidents';
import { getMaintenancePolicy } from '@/lib/services/maintenance-settings';
import type { SessionUser } from '@/lib/services/users';

export const metadata: Metadata = { title: 'Incident' };

/** The incident, or the 404 page when it does not exist or is outside the user's sites. */
async function loadIncident(user: SessionUser, id: string): Promise<IncidentDetail> {
  try {
    return await getIncident(getDb(), user, id);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  }
}

/** How each kind of timeline line looks: a glyph in a coloured dot, and what it is called. */
const eventStyles: Record<string, { glyph: string; dot: string; label: string }> = {
  detected: { glyph: '!', dot: 'bg-rose-100 text-rose-700 ring-rose-200', label: 'Detected' },
  evidence: { glyph: '+', dot: 'bg-amber-100 text-amber-800 ring-amber-200', label: 'Reported again' },
  remediation: { glyph: '↻', dot: 'bg-sky-100 text-sky-700 ring-sky-200', label: 'Remediation' },
  'work-order': { glyph: 'W', dot: 'bg-slate-100 text-slate-700 ring-slate-300', label: 'Work order' },
  resolved: { glyph: '✓', dot: 'bg-emerald-100 text-emerald-700 ring-emerald-200', label: 'Cleared' },
  note: { glyph: '✎', dot: 'bg-slate-100 text-slate-700 ring-slate-300', label: 'Note' },
};
const otherEvent = { glyph: '•', dot: 'bg-slate-100 text-slate-700 ring-slate-300', label: 'Event' };

function Timeline({ events, zone }: { events: IncidentEvent[]; zone: string | null }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">Nothing recorded yet.</p>;
  return (
    <ol className="space-y-4">
      {events.map((event) => {
        const style = eventStyles[event.kind] ?? otherEvent;
        return (
          <li key={event.id} className="flex gap-3" data-testid="incident-event">
            <span
              aria-hidden="true"
              className={`flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold ring-1 ${style.dot}`}
            >
              {style.glyph}
            </span>
            <div className="min-w-0 flex-1 text-sm">
              <p className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium text-slate-900">{style.label}</span>
                <time dateTime={event.at.toISOString()} className="text-xs text-slate-500">
                  {formatInZone(event.at, zone)}
                </time>
              </p>
              <p className="break-words text-slate-700">{event.summary}</p>
              {event.details !== null && event.details !== undefined ? (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-slate-500 hover:text-slate-700">
                    What the charger sent
                  </summary>
                  <pre className="mt-1 max-h-60 overflow-auto rounded-md bg-slate-50 p-2 text-xs text-slate-700">
                    {JSON.stringify(event.details, null, 2)}
                  </pre>
                </details>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('maintenance:view');
  const { id } = await params;
  const incident = await loadIncident(user, id);
  const db = getDb();
  const canManage = roleCan(user.role, 'maintenance:manage');
  const policy = canManage ? await getMaintenancePolicy(db, user) : null;
  const zone = incident.siteTimezone;
  const open = incident.state === 'open';
  const now = new Date();
  // A cancelled work order may be replaced by a new one while the problem lasts.
  const showCreate = canManage && open && (!incident.workOrderId || incident.workOrderStatus === 'cancelled');

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <Link href="/maintenance/incidents" className="text-sm text-slate-600 hover:underline">
            ← Incidents
          </Link>
          <h2 className="mt-1 text-xl font-semibold break-words text-slate-900">{incident.title}</h2>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <IncidentBadge kind={incident.kind} state={incident.state} />
            <Link
              href={`/stations/${incident.stationId}`}
              className="font-medium text-slate-900 hover:underline"
            >
              {incident.stationIdentity}
            </Link>
            <span>{incident.evseId > 0 ? `EVSE ${incident.evseId}` : 'Whole station'}</span>
            <span>· {incident.siteName ?? 'No site'}</span>
          </p>
        </div>
        <div className="flex flex-wrap items-start gap-2">
          {incident.workOrderId ? (
            <Link
              href={`/maintenance/work-orders/${incident.workOrderId}`}
              className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-xs hover:bg-slate-50"
            >
              {`Work order WO-${incident.workOrderNumber}`}
            </Link>
          ) : null}
          {showCreate ? (
            <WorkOrderDialog
              stations={[
                { id: incident.stationId, identity: incident.stationIdentity, siteName: incident.siteName },
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
          ) : null}
          {canManage && open ? <CloseIncidentDialog incidentId={incident.id} /> : null}
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Details">
          <dl className="grid grid-cols-[7.5rem_minmax(0,1fr)] gap-y-2 text-sm">
            <dt className="text-slate-500">State</dt>
            <dd>{open ? 'Open' : 'Cleared'}</dd>
            <dt className="text-slate-500">Kind</dt>
            <dd>{incidentKindLabels[incident.kind]}</dd>
            <dt className="text-slate-500">Started</dt>
            <dd>{formatInZone(incident.startedAt, zone)}</dd>
            <dt className="text-slate-500">Detected</dt>
            <dd>{formatInZone(incident.detectedAt, zone)}</dd>
            <dt className="text-slate-500">Cleared</dt>
            <dd>{incident.resolvedAt ? formatInZone(incident.resolvedAt, zone) : 'Not yet'}</dd>
            <dt className="text-slate-500">Duration</dt>
            <dd className="tabular-nums">{incidentDuration(incident, now)}</dd>
            <dt className="text-slate-500">Error code</dt>
            <dd className="break-all">{incident.errorCode ?? '—'}</dd>
            <dt className="text-slate-500">Vendor code</dt>
            <dd className="break-all">{incident.vendorErrorCode ?? '—'}</dd>
            <dt className="text-slate-500">Info</dt>
            <dd className="break-words">{incident.info ?? '—'}</dd>
            <dt className="text-slate-500">Remediation</dt>
            <dd className="space-y-1">
              <RemediationBadge
                state={incident.remediationState}
                step={incident.remediationStep}
                steps={incident.remediationPlan.length}
              />
              {incident.remediationPlan.length > 0 ? (
                <span className="block text-xs text-slate-500">
                  {formatRemediationPlan(incident.remediationPlan)}
                </span>
              ) : null}
            </dd>
            {incident.resolution ? (
              <>
                <dt className="text-slate-500">Resolution</dt>
                <dd className="break-words">{incident.resolution}</dd>
              </>
            ) : null}
          </dl>
          <p className="mt-4 text-xs text-slate-500">
            Times in the site’s time zone{zone ? '' : ' (UTC: no site)'}.
          </p>
        </Card>
        <div className="lg:col-span-2">
          <Card title="Timeline">
            <Timeline events={incident.timeline} zone={zone} />
          </Card>
        </div>
      </div>

      <Card title="Outages">
        {incident.outages.length === 0 ? (
          <p className="text-sm text-slate-600">
            {countsAsOutage(incident.kind)
              ? 'None recorded: the station had not reported its ports (EVSEs) yet.'
              : `None: ${incidentKindLabels[incident.kind].toLowerCase()} does not stop drivers from charging, so it does not count against uptime.`}
          </p>
        ) : (
          <div className="-mx-5 -my-5 overflow-x-auto">
            <table className="w-full min-w-[32rem] text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-2.5">Port</th>
                  <th className="px-4 py-2.5">From</th>
                  <th className="px-4 py-2.5">Until</th>
                  <th className="px-4 py-2.5 text-right">Minutes</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {incident.outages.map((outage) => {
                  const minutes = outageMinutes(outage.startedAt, outage.endedAt ?? now);
                  return (
                    <tr key={outage.evseId} data-testid="outage-row">
                      <td className="px-4 py-3">EVSE {outage.evseId}</td>
                      <td className="px-4 py-3 whitespace-nowrap">{formatInZone(outage.startedAt, zone)}</td>
                      <td className="px-4 py-3 whitespace-nowrap">
                        {outage.endedAt ? (
                          formatInZone(outage.endedAt, zone)
                        ) : (
                          <span className="font-medium text-rose-700">Ongoing</span>
                        )}
                      </td>
                      <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums">
                        {minutes.toFixed(2)} min
                        <span className="block text-xs text-slate-500">{formatMinutes(minutes)}</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
