import type { Metadata } from 'next';
import { TokenDialog } from '@/components/drivers/token-dialog';
import { TokenImport } from '@/components/drivers/token-import';
import { TokensTable } from '@/components/drivers/tokens-table';
import { Button, buttonClass } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField, TextField } from '@/components/ui/field';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { idTokenStatuses, type IdTokenStatus } from '@/lib/db/schema';
import { roleCan } from '@/lib/domain/access/roles';
import { listDrivers, listTokens } from '@/lib/services/drivers';

export const metadata: Metadata = { title: 'Tokens' };

export default async function TokensPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; status?: string }>;
}) {
  const user = await requirePermission('drivers:view');
  const { q, status } = await searchParams;
  const db = getDb();
  const statusFilter = idTokenStatuses.includes(status as IdTokenStatus)
    ? (status as IdTokenStatus)
    : undefined;
  const canManage = roleCan(user.role, 'drivers:manage');
  const [tokens, drivers] = await Promise.all([
    listTokens(db, user, { q, status: statusFilter }),
    canManage ? listDrivers(db, user) : Promise.resolve([]),
  ]);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <form method="get" role="search" className="flex flex-wrap items-end gap-3">
          <div className="w-56">
            <TextField
              label="Search tokens"
              name="q"
              defaultValue={q ?? ''}
              placeholder="Value, label, driver"
            />
          </div>
          <div className="w-40">
            <SelectField label="Status" name="status" defaultValue={statusFilter ?? ''}>
              <option value="">Any status</option>
              {idTokenStatuses.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </SelectField>
          </div>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </form>
        <div className="flex gap-2">
          <a href="/api/drivers/tokens.csv" className={buttonClass('secondary')} download>
            Export CSV
          </a>
          {canManage ? <TokenImport /> : null}
          {canManage ? <TokenDialog drivers={drivers.map((d) => ({ id: d.id, name: d.name }))} /> : null}
        </div>
      </div>
      {tokens.length === 0 ? (
        <EmptyState title={q || statusFilter ? 'No token matches' : 'No tokens yet'} />
      ) : (
        <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-xs">
          <TokensTable
            tokens={tokens}
            canManage={canManage}
            drivers={drivers.map((d) => ({ id: d.id, name: d.name }))}
          />
        </div>
      )}
    </div>
  );
}
