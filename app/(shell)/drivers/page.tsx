import type { Metadata } from 'next';
import Link from 'next/link';
import { DriverDialog } from '@/components/drivers/driver-dialog';
import { DriverImport } from '@/components/drivers/driver-import';
import { TokenStatus } from '@/components/drivers/token-status';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClass } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { TextField } from '@/components/ui/field';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listDrivers } from '@/lib/services/drivers';

export const metadata: Metadata = { title: 'Drivers' };

export default async function DriversPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requirePermission('drivers:view');
  const { q } = await searchParams;
  const drivers = await listDrivers(getDb(), user, { q });
  const canManage = roleCan(user.role, 'drivers:manage');
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <form method="get" role="search" className="flex items-end gap-3">
          <div className="w-64">
            <TextField
              label="Search drivers"
              name="q"
              defaultValue={q ?? ''}
              placeholder="Name, email, company, token"
            />
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </form>
        <div className="flex flex-wrap gap-2">
          <a href="/api/drivers/drivers.csv" className={buttonClass('secondary')} download>
            Export CSV
          </a>
          {canManage ? <DriverImport /> : null}
          {canManage ? <DriverDialog /> : null}
        </div>
      </div>
      {drivers.length === 0 ? (
        q ? (
          <EmptyState title="No driver matches" />
        ) : (
          <EmptyState title="No drivers yet">
            Add the people who charge, then give them tokens and groups.
          </EmptyState>
        )
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
              <tr>
                <th className="px-4 py-2.5">Driver</th>
                <th className="hidden px-4 py-2.5 md:table-cell">Groups</th>
                <th className="hidden px-4 py-2.5 md:table-cell">Tokens</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {drivers.map((d) => (
                <tr key={d.id} data-testid="driver-row">
                  <td className="px-4 py-3">
                    <Link href={`/drivers/${d.id}`} className="font-medium text-slate-900 hover:underline">
                      {d.name}
                    </Link>
                    <span className="block text-xs text-slate-500">
                      {[d.email, d.company].filter(Boolean).join(' · ') || '—'}
                    </span>
                    {/* Phones: groups and tokens under the name instead of in columns. */}
                    <span className="mt-1 block text-xs text-slate-600 md:hidden">
                      {[
                        d.groups.map((g) => g.name).join(', '),
                        `${d.tokens.length} token${d.tokens.length === 1 ? '' : 's'}`,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  </td>
                  <td className="hidden px-4 py-3 md:table-cell">
                    <span className="flex flex-wrap gap-1">
                      {d.groups.length === 0 ? <span className="text-slate-400">—</span> : null}
                      {d.groups.map((g) => (
                        <Badge key={g.id} tone="blue">
                          {g.name}
                        </Badge>
                      ))}
                    </span>
                  </td>
                  <td className="hidden px-4 py-3 md:table-cell">
                    <ul className="space-y-1">
                      {d.tokens.length === 0 ? <li className="text-slate-400">No token</li> : null}
                      {d.tokens.map((t) => (
                        <li key={t.id} className="flex items-center gap-2">
                          <span className="font-mono text-xs">{t.idToken}</span>
                          <TokenStatus status={t.status} expiresAt={t.expiresAt} />
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
