import type { Metadata } from 'next';
import Link from 'next/link';
import { PriorityBadge, SlaText, WorkOrderStatusBadge } from '@/components/maintenance/badges';
import { DispatchPanel } from '@/components/maintenance/dispatch-panel';
import { NoteForm } from '@/components/maintenance/note-form';
import { TransitionButtons } from '@/components/maintenance/transition-buttons';
import {
  ChecklistView,
  OutageList,
  PartsTable,
  PhotoGrid,
  SignatureView,
  StationStatus,
  Timeline,
} from '@/components/maintenance/work-order-sections';
import { formatInZone } from '@/components/stations/format';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { workOrderKindLabels } from '@/lib/domain/maintenance/work-orders';
import { getWorkOrderDetail } from '@/lib/services/work-order-views';
import { suggestTechnicians } from '@/lib/services/work-orders';

export const metadata: Metadata = { title: 'Work order' };

export default async function WorkOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('maintenance:view');
  const { id } = await params;
  const db = getDb();
  const detail = await getWorkOrderDetail(db, user, id);
  const { order, station } = detail;
  const manage = roleCan(user.role, 'maintenance:manage');
  const dispatchable = manage && detail.moves.some((m) => m.needs.assignee);
  const candidates = dispatchable ? await suggestTechnicians(db, user, id) : [];
  const timeZone = station.site?.timezone ?? 'UTC';
  const checklistComplete = order.checklist.length > 0 && order.checklist.every((i) => i.confirmedAt);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="text-sm text-slate-500">
            <Link href="/maintenance" className="hover:underline">
              Work orders
            </Link>{' '}
            / WO-{order.number}
          </p>
          <h2 className="mt-1 text-xl font-semibold break-words text-slate-900">{order.title}</h2>
          <p className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            <WorkOrderStatusBadge status={order.status} />
            <PriorityBadge priority={order.priority} />
            <span className="text-slate-600">{workOrderKindLabels[order.kind]}</span>
            <span className="text-slate-400">·</span>
            <SlaText status={order.status} slaDueAt={order.slaDueAt} now={new Date()} />
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a href={`/api/work-orders/${order.id}/audit-packet`} className={buttonClass('secondary')} download>
            Download audit packet (PDF)
          </a>
          {manage ? (
            <TransitionButtons
              workOrderId={order.id}
              moves={detail.moves}
              checklistComplete={checklistComplete}
            />
          ) : null}
        </div>
      </div>

      <div className="grid gap-5 lg:grid-cols-3">
        <div className="space-y-5 lg:col-span-2">
          <Card title="Job">
            <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
              <div>
                <dt className="text-slate-500">Station</dt>
                <dd>
                  <Link href={`/stations/${station.id}`} className="font-medium hover:underline">
                    {station.identity}
                  </Link>
                  {order.evseId ? ` · EVSE ${order.evseId}` : ' · whole station'}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Site</dt>
                <dd>
                  {station.site
                    ? `${station.site.name}${station.site.address ? `, ${station.site.address}` : ''}`
                    : 'No site'}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Technician</dt>
                <dd>{detail.assignee?.name ?? 'Not assigned'}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Required certifications</dt>
                <dd>{order.requiredCertifications.join(', ') || 'None'}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Created</dt>
                <dd>{formatInZone(order.createdAt, timeZone)}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Incident</dt>
                <dd>
                  {detail.incident ? (
                    <Link href={`/maintenance/incidents/${detail.incident.id}`} className="hover:underline">
                      {detail.incident.title} ({detail.incident.state === 'open' ? 'open' : 'cleared'})
                    </Link>
                  ) : (
                    'None'
                  )}
                </dd>
              </div>
              {order.description ? (
                <div className="sm:col-span-2">
                  <dt className="text-slate-500">Description</dt>
                  <dd className="whitespace-pre-line">{order.description}</dd>
                </div>
              ) : null}
              {order.reason ? (
                <div className="sm:col-span-2">
                  <dt className="text-slate-500">Reason</dt>
                  <dd className="whitespace-pre-line">{order.reason}</dd>
                </div>
              ) : null}
            </dl>
          </Card>

          {dispatchable ? (
            <Card title="Dispatch">
              <DispatchPanel workOrderId={order.id} candidates={candidates} assigneeId={order.assigneeId} />
            </Card>
          ) : null}

          <Card title="Evidence of the repair">
            <div className="space-y-6">
              <section aria-label="Safety checklist">
                <h3 className="mb-2 text-sm font-semibold text-slate-800">Safety checklist</h3>
                <ChecklistView detail={detail} timeZone={timeZone} />
              </section>
              <section aria-label="Parts used">
                <h3 className="mb-2 text-sm font-semibold text-slate-800">Parts used</h3>
                <PartsTable detail={detail} />
              </section>
              <section aria-label="Photos">
                <h3 className="mb-2 text-sm font-semibold text-slate-800">Photos</h3>
                <PhotoGrid detail={detail} timeZone={timeZone} />
              </section>
              <section aria-label="Signature">
                <h3 className="mb-2 text-sm font-semibold text-slate-800">Site contact signature</h3>
                <SignatureView detail={detail} timeZone={timeZone} />
              </section>
              {order.notes ? (
                <section aria-label="Notes">
                  <h3 className="mb-2 text-sm font-semibold text-slate-800">Notes</h3>
                  <p className="text-sm whitespace-pre-line">{order.notes}</p>
                </section>
              ) : null}
            </div>
          </Card>
        </div>

        <div className="space-y-5">
          <Card title="Station now">
            <StationStatus detail={detail} timeZone={timeZone} />
          </Card>
          <Card title="Outage minutes">
            <OutageList detail={detail} timeZone={timeZone} />
          </Card>
          <Card title="Timeline">
            <Timeline detail={detail} timeZone={timeZone} />
            {manage ? (
              <div className="mt-4 border-t border-slate-100 pt-4">
                <NoteForm workOrderId={order.id} />
              </div>
            ) : null}
          </Card>
        </div>
      </div>
    </div>
  );
}
