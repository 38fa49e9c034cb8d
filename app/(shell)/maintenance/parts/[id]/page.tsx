import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatMoney, formatUnits, StockBadge } from '@/components/parts/format';
import { PartDialog } from '@/components/parts/part-dialog';
import { ReceiveDialog, TransferDialog } from '@/components/parts/stock-dialogs';
import {
  MinimumOnPhones,
  MovementsSection,
  StockLevelCells,
  StockLevelsTable,
} from '@/components/parts/stock-levels';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError } from '@/lib/errors';
import { getPartStock } from '@/lib/services/parts';
import { stockLocationKindLabels } from '@/lib/validation/parts';

export const metadata: Metadata = { title: 'Spare part' };

export default async function PartPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('maintenance:view');
  const { id } = await params;
  const { part, levels, movements } = await getPartStock(getDb(), user, id).catch((error: unknown) => {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  });
  const canManage = roleCan(user.role, 'parts:manage');
  const ref = { id: part.id, label: `${part.name} (${part.sku})` };
  const options = levels.map((l) => ({ id: l.locationId, name: l.locationName, quantity: l.quantity }));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm text-slate-500">
            <Link href="/maintenance/parts" className="hover:underline">
              Spare parts
            </Link>
          </p>
          <h2 className="mt-1 text-xl font-semibold break-words text-slate-900">{part.name}</h2>
          <p className="font-mono text-sm text-slate-500">{part.sku}</p>
          {part.description ? <p className="mt-1 text-sm text-slate-600">{part.description}</p> : null}
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            <ReceiveDialog part={ref} locations={options} />
            <TransferDialog part={ref} locations={options} />
            <PartDialog
              part={{
                id: part.id,
                sku: part.sku,
                name: part.name,
                description: part.description,
                compatibleModels: part.compatibleModels,
                unitCostMinor: part.unitCostMinor,
                currency: part.currency,
              }}
            />
          </div>
        ) : null}
      </div>

      <dl className="grid grid-cols-2 gap-4 rounded-xl border border-slate-200 bg-white p-5 text-sm shadow-xs sm:grid-cols-3">
        <div>
          <dt className="text-slate-500">In stock</dt>
          <dd className="mt-1 flex flex-wrap items-center gap-2 font-medium text-slate-900 tabular-nums">
            {formatUnits(part.totalQuantity)}
            <StockBadge quantity={part.totalQuantity} low={part.lowStock} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Unit cost</dt>
          <dd className="mt-1 font-medium text-slate-900 tabular-nums">
            {formatMoney(part.unitCostMinor, part.currency)}
          </dd>
        </div>
        <div className="col-span-2 sm:col-span-1">
          <dt className="text-slate-500">Fits</dt>
          <dd className="mt-1 flex flex-wrap gap-1">
            {part.compatibleModels.length === 0 ? (
              <span className="text-slate-600">Any charger</span>
            ) : (
              part.compatibleModels.map((m) => <Badge key={m}>{m}</Badge>)
            )}
          </dd>
        </div>
      </dl>

      <Card title="Stock by location">
        {levels.length === 0 ? (
          <p className="text-sm text-slate-600">
            No warehouse or van yet: add one on the{' '}
            <Link href="/maintenance/parts" className="underline">
              Spare parts
            </Link>{' '}
            page first.
          </p>
        ) : (
          <StockLevelsTable first="Location" canManage={canManage}>
            {levels.map((l) => (
              <tr key={l.locationId} data-testid="level-row" className="align-top">
                <td className="px-4 py-3">
                  <Link
                    href={`/maintenance/parts/locations/${l.locationId}`}
                    className="font-medium text-slate-900 hover:underline"
                  >
                    {l.locationName}
                  </Link>
                  <span className="block text-xs text-slate-500">
                    {l.kind === 'van' && l.technicianName
                      ? l.technicianName
                      : stockLocationKindLabels[l.kind]}
                  </span>
                  <MinimumOnPhones minimum={l.minimum} />
                </td>
                <StockLevelCells
                  part={ref}
                  location={{ id: l.locationId, name: l.locationName }}
                  level={l}
                  canManage={canManage}
                />
              </tr>
            ))}
          </StockLevelsTable>
        )}
      </Card>

      <MovementsSection movements={movements} />
    </div>
  );
}
