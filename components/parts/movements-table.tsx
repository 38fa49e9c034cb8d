import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import type { MovementView } from '@/lib/services/parts';
import { formatChange } from './format';

const locationLink = (location: { id: string; name: string } | null) =>
  location ? (
    <Link href={`/maintenance/parts/locations/${location.id}`} className="hover:underline">
      {location.name}
    </Link>
  ) : (
    <span className="text-slate-400">a removed location</span>
  );

function describe(movement: MovementView) {
  switch (movement.kind) {
    case 'received':
      return <>Received into {locationLink(movement.toLocation)}</>;
    case 'transferred':
      return (
        <>
          Moved from {locationLink(movement.fromLocation)} to {locationLink(movement.toLocation)}
        </>
      );
    case 'used':
      return (
        <>
          Used on{' '}
          {movement.workOrder ? (
            <Link href={`/maintenance/work-orders/${movement.workOrder.id}`} className="hover:underline">
              WO-{movement.workOrder.number}
            </Link>
          ) : (
            'a work order'
          )}{' '}
          from {locationLink(movement.fromLocation)}
        </>
      );
    case 'adjusted':
      return <>Count adjusted at {locationLink(movement.toLocation ?? movement.fromLocation)}</>;
  }
}

/**
 * The change a movement made, signed: seen from `locationId` when given (a transfer out of it is
 * negative), else from the whole organisation (a transfer changes no total).
 */
function changeOf(movement: MovementView, locationId?: string): { text: string; tone: string } {
  let change: number | null;
  switch (movement.kind) {
    case 'received':
      change = movement.quantity;
      break;
    case 'used':
      change = -movement.quantity;
      break;
    case 'adjusted':
      change = movement.quantity;
      break;
    case 'transferred':
      change = !locationId
        ? null
        : movement.fromLocation?.id === locationId
          ? -movement.quantity
          : movement.quantity;
      break;
  }
  if (change === null) return { text: String(movement.quantity), tone: 'text-slate-700' };
  return {
    text: formatChange(change),
    tone: change > 0 ? 'text-emerald-700' : change < 0 ? 'text-rose-700' : 'text-slate-700',
  };
}

/** Stock history, newest first; `locationId` signs transfers as seen from that location. */
export function MovementsTable({
  movements,
  locationId,
  showPart = false,
}: {
  movements: MovementView[];
  locationId?: string;
  showPart?: boolean;
}) {
  if (movements.length === 0)
    return (
      <EmptyState title="No movements yet">
        Receipts, transfers, use on work orders and counts show here.
      </EmptyState>
    );
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
          <tr>
            <th className="hidden px-4 py-2.5 md:table-cell">When</th>
            <th className="px-4 py-2.5">Movement</th>
            <th className="px-4 py-2.5 text-right">Units</th>
            <th className="hidden px-4 py-2.5 md:table-cell">By</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {movements.map((m) => {
            const change = changeOf(m, locationId);
            return (
              <tr key={m.id} data-testid="movement-row" className="align-top">
                <td className="hidden px-4 py-3 whitespace-nowrap text-slate-600 md:table-cell">
                  <LocalTime iso={m.at.toISOString()} />
                </td>
                <td className="px-4 py-3">
                  {showPart ? (
                    <Link
                      href={`/maintenance/parts/${m.partId}`}
                      className="block font-medium text-slate-900 hover:underline"
                    >
                      {m.partName} <span className="font-mono text-xs text-slate-500">{m.sku}</span>
                    </Link>
                  ) : null}
                  <span className="text-slate-800">{describe(m)}</span>
                  {m.note ? <span className="block text-xs text-slate-500">{m.note}</span> : null}
                  {/* Phones: when and who under the movement instead of in columns. */}
                  <span className="mt-1 block text-xs text-slate-500 md:hidden">
                    <LocalTime iso={m.at.toISOString()} />
                    {m.actorName ? ` · ${m.actorName}` : ''}
                  </span>
                </td>
                <td
                  className={`px-4 py-3 text-right font-medium whitespace-nowrap tabular-nums ${change.tone}`}
                >
                  {change.text}
                </td>
                <td className="hidden px-4 py-3 text-slate-600 md:table-cell">
                  {m.actorName ?? <span className="text-slate-400">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
