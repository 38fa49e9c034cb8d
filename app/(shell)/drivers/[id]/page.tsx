import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DriverDialog } from '@/components/drivers/driver-dialog';
import { TokenDialog } from '@/components/drivers/token-dialog';
import { TokensTable } from '@/components/drivers/tokens-table';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError } from '@/lib/errors';
import { getDriver, listTokens } from '@/lib/services/drivers';

export const metadata: Metadata = { title: 'Driver' };

export default async function DriverPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('drivers:view');
  const { id } = await params;
  const db = getDb();
  const driver = await getDriver(db, user, id).catch((error: unknown) => {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  });
  const tokens = (await listTokens(db, user, {})).filter((t) => t.driverId === driver.id);
  const canManage = roleCan(user.role, 'drivers:manage');
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/drivers" className="hover:underline">
              Drivers
            </Link>
          </p>
          <h2 className="mt-1 text-xl font-semibold text-slate-900">{driver.name}</h2>
          <p className="text-sm text-slate-600">
            {[driver.email, driver.phone, driver.company].filter(Boolean).join(' · ') || 'No contact details'}
          </p>
        </div>
        {canManage ? <DriverDialog driver={driver} /> : null}
      </div>
      <Card title="Tokens" actions={canManage ? <TokenDialog driverId={driver.id} /> : null}>
        {tokens.length === 0 ? (
          <p className="text-sm text-slate-600">No token yet: this driver cannot start a session.</p>
        ) : (
          <TokensTable tokens={tokens.map(({ driverName: _driverName, ...t }) => t)} canManage={canManage} />
        )}
      </Card>
      <Card
        title="Groups"
        actions={
          <Link href="/drivers/groups" className="text-brand-700 text-sm hover:underline">
            Manage groups
          </Link>
        }
      >
        {driver.groups.length === 0 ? (
          <p className="text-sm text-slate-600">
            In no group: this driver may charge only at public stations.
          </p>
        ) : (
          <span className="flex flex-wrap gap-2">
            {driver.groups.map((g) => (
              <Link key={g.id} href={`/drivers/groups/${g.id}`}>
                <Badge tone="blue">{g.name}</Badge>
              </Link>
            ))}
          </span>
        )}
      </Card>
    </div>
  );
}
