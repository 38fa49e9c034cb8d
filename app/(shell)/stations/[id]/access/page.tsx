import type { Metadata } from 'next';
import Link from 'next/link';
import { PolicyEditor } from '@/components/drivers/policy-editor';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { getAccessPolicy } from '@/lib/services/access-policies';
import { listGroups } from '@/lib/services/driver-groups';
import { loadStation } from '../load-station';

export const metadata: Metadata = { title: 'Station access' };

/** Who may charge at this station: its site's rules, or its own. */
export default async function StationAccessPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('stations:view');
  const { id } = await params;
  const station = await loadStation(user, id);
  const db = getDb();
  const policy = await getAccessPolicy(db, user, { stationId: station.id });
  const groups = roleCan(user.role, 'drivers:view') ? await listGroups(db, user) : [];
  return (
    <Card
      title="Who may charge here"
      actions={
        <Link
          href={`/drivers/log?stationId=${station.id}`}
          className="text-brand-700 text-sm hover:underline"
        >
          Authorisation log
        </Link>
      }
    >
      <PolicyEditor
        target={{ kind: 'station', id: station.id }}
        groups={groups.map((g) => ({ id: g.id, name: g.name }))}
        mode={policy.mode}
        inherited={policy.inherited}
        grants={policy.grants}
        canEdit={roleCan(user.role, 'stations:manage')}
      />
    </Card>
  );
}
