import Link from 'next/link';
import { formatMoney } from '@/components/parts/format';
import { formatInZone } from '@/components/stations/format';
import { Badge } from '@/components/ui/badge';
import { statusLabels } from '@/lib/domain/maintenance/work-orders';
import { outageExclusionLabels } from '@/lib/services/outages';
import type { WorkOrderDetail } from '@/lib/services/work-order-views';
import { formatMinutes } from './badges';

/** Read-only parts of a work order, shared by the manager's page and the technician's phone view. */

const statusTone: Record<string, string> = {
  Faulted: 'text-rose-700',
  Unavailable: 'text-slate-500',
  Available: 'text-emerald-700',
  Charging: 'text-sky-700',
};

/** The station's connection and each connector's live status, and its latest error reports. */
export function StationStatus({ detail, timeZone }: { detail: WorkOrderDetail; timeZone: string }) {
  const { station, recentErrors } = detail;
  return (
    <div className="space-y-3 text-sm">
      <p>
        <Badge tone={station.online ? 'green' : 'red'}>{station.online ? 'Online' : 'Offline'}</Badge>{' '}
        <span className="text-slate-600">
          {[station.vendor, station.model].filter(Boolean).join(' ') || 'Unknown model'}
          {station.serialNumber ? ` · S/N ${station.serialNumber}` : ''}
        </span>
      </p>
      {station.connectors.length > 0 ? (
        <ul className="grid gap-1" aria-label="Connectors">
          {station.connectors.map((c) => (
            <li
              key={`${c.evseId}-${c.connectorId}`}
              className="flex justify-between gap-2 rounded-md bg-slate-50 px-3 py-2"
            >
              <span>EVSE {c.evseId}</span>
              <span
                className={`font-medium ${statusTone[c.status] ?? 'text-slate-800'}`}
                data-testid={`evse-${c.evseId}-status`}
              >
                {c.status}
                {c.errorCode ? ` · ${c.errorCode}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-500">No connector has reported yet.</p>
      )}
      <div>
        <h3 className="text-xs font-medium tracking-wide text-slate-500 uppercase">Recent OCPP errors</h3>
        {recentErrors.length === 0 ? (
          <p className="text-slate-500">None reported.</p>
        ) : (
          <ul className="mt-1 divide-y divide-slate-100">
            {recentErrors.map((e, i) => (
              <li key={i} className="py-1.5">
                <span className="font-medium">
                  EVSE {e.evseId}: {e.status}
                  {e.errorCode ? ` (${e.errorCode})` : ''}
                </span>
                {e.info ? <span className="text-slate-600"> — {e.info}</span> : null}
                <span className="block text-xs text-slate-500">{formatInZone(e.at, timeZone)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

const eventTone: Record<string, string> = {
  status: 'bg-brand-600',
  assignment: 'bg-amber-500',
  checklist: 'bg-emerald-500',
  part: 'bg-slate-500',
  photo: 'bg-slate-500',
  signature: 'bg-emerald-600',
  note: 'bg-slate-400',
  command: 'bg-sky-500',
};

/** Every change of the order, oldest first, with who and when. */
export function Timeline({ detail, timeZone }: { detail: WorkOrderDetail; timeZone: string }) {
  return (
    <ol className="space-y-3 text-sm" aria-label="Timeline">
      {detail.timeline.map((e) => (
        <li key={e.id} className="flex gap-3">
          <span
            className={`mt-1.5 size-2.5 shrink-0 rounded-full ${eventTone[e.kind] ?? 'bg-slate-400'}`}
            aria-hidden
          />
          <div className="min-w-0">
            <p className="font-medium text-slate-900">
              {e.toStatus ? statusLabels[e.toStatus] : e.note}
              <span className="font-normal text-slate-500"> · {e.actorLabel}</span>
            </p>
            {e.toStatus && e.note ? <p className="break-words text-slate-700">{e.note}</p> : null}
            <p className="text-xs text-slate-500">{formatInZone(e.at, timeZone)}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}

/** The safety checklist as confirmed (read-only). */
export function ChecklistView({ detail, timeZone }: { detail: WorkOrderDetail; timeZone: string }) {
  const items = detail.order.checklist;
  if (items.length === 0)
    return <p className="text-sm text-slate-500">Confirmed on site, when the technician arrives.</p>;
  return (
    <ul className="space-y-2 text-sm">
      {items.map((item, i) => (
        <li key={i} className="flex gap-2">
          <span aria-hidden className={item.confirmedAt ? 'text-emerald-600' : 'text-slate-400'}>
            {item.confirmedAt ? '✓' : '○'}
          </span>
          <span>
            {item.label}
            {item.confirmedAt ? (
              <span className="block text-xs text-slate-500">
                {item.confirmedBy} · {formatInZone(new Date(item.confirmedAt), timeZone)}
              </span>
            ) : (
              <span className="block text-xs text-slate-500">Not confirmed</span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Parts recorded on the order, with their cost where the catalogue knows it. */
export function PartsTable({ detail }: { detail: WorkOrderDetail }) {
  if (detail.parts.length === 0) return <p className="text-sm text-slate-500">No parts recorded.</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {detail.parts.map((p) => (
        <li key={p.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
          <span>
            <span className="font-medium">
              {p.quantity} × {p.name}
            </span>{' '}
            <span className="text-slate-500">{p.sku}</span>
          </span>
          <span className="text-xs text-slate-500">
            {p.unitCostMinor !== null ? formatMoney(p.unitCostMinor * p.quantity, p.currency) : 'No cost'}
            {p.consumedAt ? ' · taken from stock' : ' · leaves stock when resolved'}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Thumbnails linking to the full photos. */
export function PhotoGrid({ detail, timeZone }: { detail: WorkOrderDetail; timeZone: string }) {
  if (detail.photos.length === 0) return <p className="text-sm text-slate-500">No photos yet.</p>;
  return (
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
      {detail.photos.map((p) => (
        <li key={p.id}>
          <a href={`/api/work-orders/photos/${p.id}`} target="_blank" rel="noreferrer" className="block">
            {/* eslint-disable-next-line @next/next/no-img-element -- a private, already-compressed image */}
            <img
              src={`/api/work-orders/photos/${p.id}?size=thumbnail`}
              alt={`${p.kind} photo${p.caption ? `: ${p.caption}` : ''}`}
              className="aspect-[4/3] w-full rounded-md border border-slate-200 object-cover"
              loading="lazy"
            />
          </a>
          <p className="mt-1 text-xs text-slate-600">
            <span className="font-medium capitalize">{p.kind}</span>
            {p.caption ? ` · ${p.caption}` : ''}
            <span className="block text-slate-500">{formatInZone(p.takenAt, timeZone)}</span>
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The site contact's signature, if taken. */
export function SignatureView({ detail, timeZone }: { detail: WorkOrderDetail; timeZone: string }) {
  const { order } = detail;
  if (!order.hasSignature || !order.signedAt)
    return <p className="text-sm text-slate-500">The site contact has not signed yet.</p>;
  return (
    <figure className="space-y-1">
      {/* eslint-disable-next-line @next/next/no-img-element -- a private PNG served by our API */}
      <img
        src={`/api/work-orders/${order.id}/signature?v=${order.signedAt.getTime()}`}
        alt={`Signature of ${order.signatureName ?? 'the site contact'}`}
        className="h-28 w-full max-w-sm rounded-md border border-slate-200 bg-white object-contain"
      />
      <figcaption className="text-sm">
        <span className="font-medium">{order.signatureName}</span>
        <span className="block text-xs text-slate-500">{formatInZone(order.signedAt, timeZone)}</span>
      </figcaption>
    </figure>
  );
}

/** Outage minutes of the ports the order's incident took out of service. */
export function OutageList({ detail, timeZone }: { detail: WorkOrderDetail; timeZone: string }) {
  if (detail.outages.length === 0)
    return <p className="text-sm text-slate-500">No outage is linked to this work order.</p>;
  const total = detail.outages.reduce((sum, o) => sum + o.minutes, 0);
  return (
    <div className="space-y-2 text-sm">
      <ul className="divide-y divide-slate-100">
        {detail.outages.map((o) => (
          <li key={o.evseId} className="flex flex-wrap justify-between gap-2 py-1.5">
            <span>Port (EVSE) {o.evseId}</span>
            <span className="text-slate-600">
              {formatInZone(o.startedAt, timeZone)} →{' '}
              {o.endedAt ? formatInZone(o.endedAt, timeZone) : 'ongoing'} ·{' '}
              <span className="font-medium text-slate-900">{formatMinutes(o.minutes)}</span>
            </span>
            {o.excludedReason ? (
              <span className="w-full text-xs text-slate-600">
                Excluded from uptime: {outageExclusionLabels[o.excludedReason]}
                {o.excludedNotes ? ` (${o.excludedNotes})` : ''}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="text-slate-600">
        Total: <span className="font-medium text-slate-900">{formatMinutes(total)}</span> ({total.toFixed(2)}{' '}
        minutes)
        {detail.incident ? (
          <>
            {' '}
            ·{' '}
            <Link href={`/maintenance/incidents/${detail.incident.id}`} className="underline">
              incident
            </Link>
          </>
        ) : null}
      </p>
    </div>
  );
}
