import type { Metadata } from 'next';
import Link from 'next/link';
import { formatMoney, formatUnits, StockBadge } from '@/components/parts/format';
import { LocationDialog } from '@/components/parts/location-dialog';
import { PartDialog } from '@/components/parts/part-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TextField } from '@/components/ui/field';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listLowStock, listParts, listStockLocations, listVanCandidates } from '@/lib/services/parts';
import { stockLocationKindLabels } from '@/lib/validation/parts';

export const metadata: Metadata = { title: 'Spare parts' };

const locationsPhrase = (n: number) => (n === 1 ? '1 location' : `${n} locations`);

export default async function PartsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const user = await requirePermission('maintenance:view');
  const { q: rawQ } = await searchParams;
  // ?q=a&q=b arrives as an array; the form sends one.
  const q = typeof rawQ === 'string' ? rawQ : undefined;
  const db = getDb();
  const canManage = roleCan(user.role, 'parts:manage');
  const [catalogue, lowStock, locations, vanCandidates] = await Promise.all([
    listParts(db, user, { q }),
    listLowStock(db, user),
    listStockLocations(db, user),
    canManage ? listVanCandidates(db, user) : Promise.resolve([]),
  ]);
  return (
    <div className="space-y-8">
      <section aria-labelledby="catalogue-heading" className="space-y-4">
        <h2 id="catalogue-heading" className="sr-only">
          Catalogue
        </h2>
        <div className="flex flex-wrap items-end justify-between gap-3">
          <form method="get" role="search" className="flex w-full items-end gap-3 sm:w-auto">
            <div className="min-w-0 flex-1 sm:w-64 sm:flex-none">
              <TextField
                label="Search parts"
                name="q"
                defaultValue={q ?? ''}
                placeholder="SKU, name, model"
              />
            </div>
            <Button type="submit" variant="secondary">
              Search
            </Button>
          </form>
          {canManage ? <PartDialog /> : null}
        </div>
        {catalogue.length === 0 ? (
          q ? (
            <EmptyState title="No part matches">Try a SKU, part of a name or a charger model.</EmptyState>
          ) : (
            <EmptyState title="No parts yet">
              Add the parts your technicians fit: cables, contactors, RCDs, displays, card readers …
            </EmptyState>
          )
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-2.5">Part</th>
                  <th className="hidden px-4 py-2.5 md:table-cell">Fits</th>
                  <th className="hidden px-4 py-2.5 text-right sm:table-cell">Unit cost</th>
                  <th className="px-4 py-2.5 text-right">In stock</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {catalogue.map((p) => (
                  <tr key={p.id} data-testid="part-row" className="align-top">
                    <td className="px-4 py-3">
                      <Link
                        href={`/maintenance/parts/${p.id}`}
                        className="font-medium text-slate-900 hover:underline"
                      >
                        {p.name}
                      </Link>
                      <span className="block font-mono text-xs text-slate-500">{p.sku}</span>
                      {/* Phones: the models under the name instead of in a column. */}
                      {p.compatibleModels.length > 0 ? (
                        <span className="mt-1 block text-xs text-slate-600 md:hidden">
                          Fits {p.compatibleModels.join(', ')}
                        </span>
                      ) : null}
                    </td>
                    <td className="hidden px-4 py-3 md:table-cell">
                      {p.compatibleModels.length === 0 ? (
                        <span className="text-slate-400">Any charger</span>
                      ) : (
                        <span className="flex flex-wrap gap-1">
                          {p.compatibleModels.map((m) => (
                            <Badge key={m}>{m}</Badge>
                          ))}
                        </span>
                      )}
                    </td>
                    <td className="hidden px-4 py-3 text-right whitespace-nowrap tabular-nums sm:table-cell">
                      {formatMoney(p.unitCostMinor, p.currency)}
                    </td>
                    <td className="px-4 py-3 text-right">
                      <span className="block whitespace-nowrap tabular-nums">
                        {formatUnits(p.totalQuantity)}
                      </span>
                      {p.lowStock ? (
                        <span
                          className="mt-1 inline-block"
                          title={`Below the minimum at ${locationsPhrase(p.lowLocations)}`}
                        >
                          <StockBadge quantity={p.totalQuantity} low />
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <Card title={`Low stock (${lowStock.length})`}>
        {lowStock.length === 0 ? (
          <p className="text-sm text-slate-600">
            Every location holds at least its minimum. Set minimums on a part’s page to be told when to
            restock.
          </p>
        ) : (
          <div className="-mx-5 -my-5 overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-2.5">Location</th>
                  <th className="px-4 py-2.5">Part</th>
                  <th className="px-4 py-2.5 text-right">Holds / minimum</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {lowStock.map((row) => (
                  <tr
                    key={`${row.locationId}:${row.partId}`}
                    data-testid="low-stock-row"
                    className="align-top"
                  >
                    <td className="px-4 py-3">
                      <Link
                        href={`/maintenance/parts/locations/${row.locationId}`}
                        className="text-slate-900 hover:underline"
                      >
                        {row.locationName}
                      </Link>
                    </td>
                    <td className="px-4 py-3">
                      <Link
                        href={`/maintenance/parts/${row.partId}`}
                        className="text-slate-900 hover:underline"
                      >
                        {row.partName}
                      </Link>
                      <span className="block font-mono text-xs text-slate-500">{row.sku}</span>
                    </td>
                    <td className="px-4 py-3 text-right whitespace-nowrap tabular-nums">
                      {row.quantity} / {row.minimum}
                      <span className="block text-xs text-rose-700">{formatUnits(row.shortBy)} short</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card
        title="Stock locations"
        actions={
          canManage ? (
            <div className="flex flex-wrap gap-2">
              <LocationDialog kind="warehouse" />
              <LocationDialog kind="van" technicians={vanCandidates} />
            </div>
          ) : null
        }
      >
        {locations.length === 0 ? (
          <p className="text-sm text-slate-600">
            No warehouse or van yet. Add where you keep stock; each technician’s van is a location too.
          </p>
        ) : (
          <div className="-mx-5 -my-5 overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
                <tr>
                  <th className="px-4 py-2.5">Location</th>
                  <th className="hidden px-4 py-2.5 sm:table-cell">Kind</th>
                  <th className="px-4 py-2.5 text-right">Holds</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {locations.map((l) => (
                  <tr key={l.id} data-testid="location-row" className="align-top">
                    <td className="px-4 py-3">
                      <Link
                        href={`/maintenance/parts/locations/${l.id}`}
                        className="font-medium text-slate-900 hover:underline"
                      >
                        {l.name}
                      </Link>
                      <span className="block text-xs text-slate-500">
                        <span className="sm:hidden">{stockLocationKindLabels[l.kind]}</span>
                        {l.kind === 'van' ? (
                          <span>
                            <span className="sm:hidden"> · </span>
                            {l.technicianName ?? 'No technician'}
                          </span>
                        ) : null}
                      </span>
                    </td>
                    <td className="hidden px-4 py-3 sm:table-cell">
                      <Badge tone={l.kind === 'van' ? 'blue' : 'slate'}>
                        {stockLocationKindLabels[l.kind]}
                      </Badge>
                    </td>
                    <td className="px-4 py-3 text-right">
                      <span className="block whitespace-nowrap tabular-nums">
                        {formatUnits(l.totalQuantity)}
                      </span>
                      <span className="block text-xs text-slate-500">
                        {l.partCount === 1 ? '1 part' : `${l.partCount} parts`}
                      </span>
                      {l.lowCount > 0 ? (
                        <span className="mt-1 inline-block">
                          <Badge tone="amber">{l.lowCount} low</Badge>
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
