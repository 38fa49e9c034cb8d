import type { Metadata } from 'next';
import Link from 'next/link';
import { PriorityBadge, SlaText, WorkOrderStatusBadge } from '@/components/maintenance/badges';
import { NoteForm } from '@/components/maintenance/note-form';
import { TransitionButtons } from '@/components/maintenance/transition-buttons';
import {
  ChecklistView,
  PhotoGrid,
  SignatureView,
  StationStatus,
  Timeline,
} from '@/components/maintenance/work-order-sections';
import { ChecklistForm } from '@/components/tech/checklist-form';
import { FieldCommands } from '@/components/tech/field-commands';
import { NavigateLinks } from '@/components/tech/navigate-link';
import { PartsPicker, RemovePartButton } from '@/components/tech/parts-picker';
import { PhotoUpload } from '@/components/tech/photo-upload';
import { SignatureForm } from '@/components/tech/signature-form';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { activeStatuses } from '@/lib/domain/maintenance/work-orders';
import { vanStock } from '@/lib/services/parts';
import { getWorkOrderDetail } from '@/lib/services/work-order-views';

export const metadata: Metadata = { title: 'Work order' };

function Section({ title, children, id }: { title: string; children: React.ReactNode; id?: string }) {
  return (
    <section aria-label={title} id={id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
      <h2 className="mb-3 font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  );
}

/** One work order on the technician's phone: one column, big buttons, everything they record. */
export default async function TechWorkOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('work-orders:work');
  const { id } = await params;
  const db = getDb();
  const detail = await getWorkOrderDetail(db, user, id);
  const { order, station } = detail;
  const working = activeStatuses.includes(order.status);
  const van = working ? await vanStock(db, user) : { location: null, items: [] };
  const timeZone = station.site?.timezone ?? 'UTC';
  const checklistComplete = order.checklist.length > 0 && order.checklist.every((i) => i.confirmedAt);
  const evseIds = [...new Set(station.connectors.map((c) => c.evseId))];
  return (
    <div className="mx-auto max-w-2xl space-y-4 pb-10">
      <p className="text-sm">
        <Link href="/tech" className="text-slate-600 hover:underline">
          ← My work orders
        </Link>
      </p>
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-xl font-semibold text-slate-900">WO-{order.number}</h1>
          <PriorityBadge priority={order.priority} />
          <WorkOrderStatusBadge status={order.status} />
        </div>
        <p className="text-slate-800">{order.title}</p>
        <p className="text-sm">
          <SlaText status={order.status} slaDueAt={order.slaDueAt} now={new Date()} />
        </p>
        {order.description ? (
          <p className="text-sm whitespace-pre-line text-slate-600">{order.description}</p>
        ) : null}
      </header>

      <TransitionButtons
        workOrderId={order.id}
        moves={detail.moves}
        checklistComplete={checklistComplete}
        size="large"
      />

      <Section title="Site">
        <p className="font-medium">
          {station.identity}
          {order.evseId ? ` · EVSE ${order.evseId}` : ' · whole station'}
        </p>
        {station.site ? (
          <div className="mt-1 space-y-3">
            <p className="text-sm text-slate-600">
              {station.site.name}
              {station.site.address ? `, ${station.site.address}` : ''}
            </p>
            <NavigateLinks
              latitude={station.site.latitude}
              longitude={station.site.longitude}
              label={`${station.site.name} ${station.identity}`}
            />
          </div>
        ) : (
          <p className="text-sm text-slate-600">The station is not placed on a site yet.</p>
        )}
      </Section>

      <Section title="Station now">
        <StationStatus detail={detail} timeZone={timeZone} />
        {working ? (
          <div className="mt-4 border-t border-slate-100 pt-4">
            <FieldCommands workOrderId={order.id} evseIds={evseIds} />
          </div>
        ) : null}
      </Section>

      <Section title="Safety checklist" id="checklist">
        {order.status === 'on_site' ? (
          <ChecklistForm workOrderId={order.id} items={order.checklist} />
        ) : (
          <ChecklistView detail={detail} timeZone={timeZone} />
        )}
      </Section>

      <Section title="Parts used">
        {detail.parts.length > 0 ? (
          <ul className="mb-3 divide-y divide-slate-100 text-sm">
            {detail.parts.map((p) => (
              <li key={p.id} className="flex items-center justify-between gap-2 py-1">
                <span>
                  <span className="font-medium">
                    {p.quantity} × {p.name}
                  </span>{' '}
                  <span className="text-slate-500">{p.sku}</span>
                </span>
                {working && !p.consumedAt ? <RemovePartButton workOrderId={order.id} lineId={p.id} /> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mb-3 text-sm text-slate-500">No parts recorded.</p>
        )}
        {working ? <PartsPicker workOrderId={order.id} van={van.items} model={station.model} /> : null}
      </Section>

      <Section title="Photos">
        <PhotoGrid detail={detail} timeZone={timeZone} />
        {working ? (
          <div className="mt-4 border-t border-slate-100 pt-4">
            <PhotoUpload workOrderId={order.id} />
          </div>
        ) : null}
      </Section>

      <Section title="Site contact signature">
        {working ? (
          <SignatureForm workOrderId={order.id} signedBy={order.hasSignature ? order.signatureName : null} />
        ) : (
          <SignatureView detail={detail} timeZone={timeZone} />
        )}
      </Section>

      <Section title="Notes">
        {order.notes ? <p className="mb-3 text-sm whitespace-pre-line">{order.notes}</p> : null}
        {working ? <NoteForm workOrderId={order.id} large /> : null}
      </Section>

      <details className="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
        <summary className="cursor-pointer font-semibold text-slate-900">Timeline</summary>
        <div className="mt-3">
          <Timeline detail={detail} timeZone={timeZone} />
        </div>
      </details>
    </div>
  );
}
