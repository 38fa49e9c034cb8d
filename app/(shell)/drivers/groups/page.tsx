import type { Metadata } from 'next';
import Link from 'next/link';
import { GrantSummary } from '@/components/drivers/grant-summary';
import { GroupDialog } from '@/components/drivers/group-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listGroups } from '@/lib/services/driver-groups';

export const metadata: Metadata = { title: 'Groups' };

export default async function GroupsPage() {
  const user = await requirePermission('drivers:view');
  const groups = await listGroups(getDb(), user);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-2xl text-sm text-slate-600">
          Groups are what access rules name: a restricted site or station lets in only the groups it lists.
        </p>
        {roleCan(user.role, 'drivers:manage') ? <GroupDialog /> : null}
      </div>
      {groups.length === 0 ? (
        <EmptyState title="No groups yet">
          Make one per kind of driver: Employees, Fleet A, Visitors …
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="w-full min-w-[36rem] text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
              <tr>
                <th className="px-4 py-2.5">Group</th>
                <th className="px-4 py-2.5">Members</th>
                <th className="px-4 py-2.5">May charge at</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {groups.map((g) => (
                <tr key={g.id} data-testid="group-row">
                  <td className="px-4 py-3">
                    <Link
                      href={`/drivers/groups/${g.id}`}
                      className="font-medium text-slate-900 hover:underline"
                    >
                      {g.name}
                    </Link>
                    {g.description ? (
                      <span className="block text-xs text-slate-500">{g.description}</span>
                    ) : null}
                  </td>
                  <td className="px-4 py-3">{g.memberCount}</td>
                  <td className="px-4 py-3">
                    <GrantSummary grants={g.grants} />
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
