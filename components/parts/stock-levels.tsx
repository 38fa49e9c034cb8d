import type { MovementView } from '@/lib/services/parts';
import { formatUnits, StockBadge } from './format';
import { MovementsTable } from './movements-table';
import { AdjustDialog, MinimumDialog, type PartRef } from './stock-dialogs';

/**
 * The stock-level table of a part's page (one row per location) and of a location's page (one row
 * per part): the same frame and the same holds, minimum and count/minimum cells; only the first
 * column differs, which each page renders itself.
 */
export function StockLevelsTable({
  first,
  canManage,
  children,
}: {
  /** Heading of the first column ("Location" or "Part"). */
  first: string;
  canManage: boolean;
  children: React.ReactNode;
}) {
  return (
    <div className="-mx-5 -my-5 overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
          <tr>
            <th className="px-4 py-2.5">{first}</th>
            <th className="px-4 py-2.5 text-right">Holds</th>
            <th className="hidden px-4 py-2.5 text-right sm:table-cell">Minimum</th>
            {canManage ? (
              <th className="px-4 py-2.5">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** Phones: the minimum under the name instead of in its own column. */
export function MinimumOnPhones({ minimum }: { minimum: number }) {
  return minimum > 0 ? (
    <span className="block text-xs text-slate-500 sm:hidden">Minimum {minimum}</span>
  ) : null;
}

/** The holds, minimum and (for managers) count and minimum cells of one stock level. */
export function StockLevelCells({
  part,
  location,
  level,
  canManage,
}: {
  part: PartRef;
  location: { id: string; name: string };
  level: { quantity: number; minimum: number; low: boolean };
  canManage: boolean;
}) {
  return (
    <>
      <td className="px-4 py-3 text-right">
        <span className="block whitespace-nowrap tabular-nums">{formatUnits(level.quantity)}</span>
        {level.low ? (
          <span className="mt-1 inline-block">
            <StockBadge quantity={level.quantity} low />
          </span>
        ) : null}
      </td>
      <td className="hidden px-4 py-3 text-right tabular-nums sm:table-cell">
        {level.minimum > 0 ? level.minimum : <span className="text-slate-400">—</span>}
      </td>
      {canManage ? (
        <td className="px-2 py-1.5">
          <div className="flex flex-wrap justify-end gap-1">
            <AdjustDialog part={part} location={{ ...location, quantity: level.quantity }} />
            <MinimumDialog part={part} location={{ ...location, minimum: level.minimum }} />
          </div>
        </td>
      ) : null}
    </>
  );
}

/** The movements section under a stock table (the service returns at most the last 100). */
export function MovementsSection({
  movements,
  locationId,
  showPart,
}: {
  movements: MovementView[];
  locationId?: string;
  showPart?: boolean;
}) {
  return (
    <section aria-labelledby="movements-heading" className="space-y-3">
      <h2 id="movements-heading" className="font-semibold text-slate-900">
        Movements
        {movements.length === 100 ? (
          <span className="ml-2 text-sm font-normal text-slate-500">the last 100</span>
        ) : null}
      </h2>
      <MovementsTable movements={movements} locationId={locationId} showPart={showPart} />
    </section>
  );
}
