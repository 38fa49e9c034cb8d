import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatUnits } from '@/components/parts/format';
import {
  MinimumOnPhones,
  MovementsSection,
  StockLevelCells,
  StockLevelsTable,
} from '@/components/parts/stock-levels';
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
          <StockLevelsTable first="Part" canManage={canManage}>
            {levels.map((l) => (
              <tr key={l.partId} data-testid="level-row" className="align-top">
                <td className="px-4 py-3">
                  <Link
                    href={`/maintenance/parts/${l.partId}`}
                    className="font-medium text-slate-900 hover:underline"
                  >
                    {l.name}
                  </Link>
                  <span className="block font-mono text-xs text-slate-500">{l.sku}</span>
                  <MinimumOnPhones minimum={l.minimum} />
                </td>
                <StockLevelCells
                  part={{ id: l.partId, label: `${l.name} (${l.sku})` }}
                  location={{ id: location.id, name: location.name }}
                  level={l}
                  canManage={canManage}
                />
              </tr>
            ))}
          </StockLevelsTable>
        )}
      </Card>

      <MovementsSection movements={movements} locationId={location.id} showPart />
    </div>
  );
}
