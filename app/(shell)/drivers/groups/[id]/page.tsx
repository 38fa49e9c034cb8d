import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { GrantSummary } from '@/components/drivers/grant-summary';
import { GroupDialog } from '@/components/drivers/group-dialog';
import { GroupMembers } from '@/components/drivers/group-members';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError } from '@/lib/errors';
import { getGroup } from '@/lib/services/driver-groups';
import { listDrivers } from '@/lib/services/drivers';

export const metadata: Metadata = { title: 'Group' };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('drivers:view');
  const { id } = await params;
  const db = getDb();
  const group = await getGroup(db, user, id).catch((error: unknown) => {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  });
  const drivers = await listDrivers(db, user);
  const canManage = roleCan(user.role, 'drivers:manage');
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/drivers/groups" className="hover:underline">
              Groups
            </Link>
          </p>
          <h2 className="mt-1 text-xl font-semibold text-slate-900">{group.name}</h2>
          {group.description ? <p className="text-sm text-slate-600">{group.description}</p> : null}
        </div>
        {canManage ? <GroupDialog group={group} /> : null}
      </div>
      <Card title="May charge at">
        <GrantSummary grants={group.grants} />
      </Card>
      <Card title={`Members (${group.members.length})`}>
        <GroupMembers
          groupId={group.id}
          groupName={group.name}
          drivers={drivers.map((d) => ({ id: d.id, name: d.name, email: d.email }))}
          memberIds={group.members.map((m) => m.id)}
          canEdit={canManage}
        />
      </Card>
    </div>
  );
}
