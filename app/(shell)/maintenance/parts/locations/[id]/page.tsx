import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatUnits, StockBadge } from '@/components/parts/format';
import { MovementsTable } from '@/components/parts/movements-table';
import { AdjustDialog, MinimumDialog } from '@/components/parts/stock-dialogs';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError } from '@/lib/errors';
import { getStockLocation } from '@/lib/services/parts';
import { stockLocationKindLabels } from '@/lib/validation/parts';

export const metadata: Metadata = { title: 'Stock location' };

export default async function StockLocationPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('maintenance:view');
  const { id } = await params;
  const { location, levels, movements } = await getStockLocation(getDb(), user, id).catch(
    (error: unknown) => {
      if (error instanceof AppError && error.kind === 'not_found') notFound();
      throw error;
    },
  );
  const canManage = roleCan(user.role, 'parts:manage');
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link href="/maintenance/parts" className="hover:underline">
            Spare parts
          </Link>
        </p>
        <h2 className="mt-1 text-xl font-semibold break-words text-slate-900">{location.name}</h2>
        <p className="text-sm text-slate-600">
          {stockLocationKindLabels[location.kind]}
          {location.kind === 'van' ? ` of ${location.technicianName ?? 'no technician'}` : ''} ·{' '}
          {formatUnits(location.totalQuantity)} of{' '}
          {location.partCount === 1 ? '1 part' : `${location.partCount} parts`}
        </p>
      </div>

      <Card title="Stock">
        {levels.length === 0 ? (
          <p className="text-sm text-slate-600">
            Nothing here yet. Receive or transfer stock into it from a part’s page.
          </p>
        ) : (
          <div className="-mx-5 -my-5 overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-2.5">Part</th>
                  <th className="px-4 py-2.5 text-right">Holds</th>
                  <th className="hidden px-4 py-2.5 text-right sm:table-cell">Minimum</th>
                  {canManage ? (
                    <th className="px-4 py-2.5">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {levels.map((l) => {
                  const ref = { id: l.partId, label: `${l.name} (${l.sku})` };
                  return (
                    <tr key={l.partId} data-testid="level-row" className="align-top">
                      <td className="px-4 py-3">
                        <Link
                          href={`/maintenance/parts/${l.partId}`}
                          className="font-medium text-slate-900 hover:underline"
                        >
                          {l.name}
                        </Link>
                        <span className="block font-mono text-xs text-slate-500">{l.sku}</span>
                        {l.minimum > 0 ? (
                          <span className="block text-xs text-slate-500 sm:hidden">Minimum {l.minimum}</span>
                        ) : null}
                      </td>
                      <td className="px-4 py-3 text-right">
                        <span className="block whitespace-nowrap tabular-nums">
                          {formatUnits(l.quantity)}
                        </span>
                        {l.low ? (
                          <span className="mt-1 inline-block">
                            <StockBadge quantity={l.quantity} low />
                          </span>
                        ) : null}
                      </td>
                      <td className="hidden px-4 py-3 text-right tabular-nums sm:table-cell">
                        {l.minimum > 0 ? l.minimum : <span className="text-slate-400">—</span>}
                      </td>
                      {canManage ? (
                        <td className="px-2 py-1.5">
                          <div className="flex flex-wrap justify-end gap-1">
                            <AdjustDialog
                              part={ref}
                              location={{ id: location.id, name: location.name, quantity: l.quantity }}
                            />
                            <MinimumDialog
                              part={ref}
                              location={{ id: location.id, name: location.name, minimum: l.minimum }}
                            />
                          </div>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <section aria-labelledby="movements-heading" className="space-y-3">
        <h2 id="movements-heading" className="font-semibold text-slate-900">
          Movements
          {movements.length === 100 ? (
            <span className="ml-2 text-sm font-normal text-slate-500">the last 100</span>
          ) : null}
        </h2>
        <MovementsTable movements={movements} locationId={location.id} showPart />
      </section>
    </div>
  );
}
