import type { Metadata } from 'next';
import Link from 'next/link';
import { PolicyEditor } from '@/components/drivers/policy-editor';
import { LocalListPanel } from '@/components/stations/local-list-panel';
import { Card } from '@/components/ui/card';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { getAccessPolicy } from '@/lib/services/access-policies';
import { listGroups } from '@/lib/services/driver-groups';
import { getStationLocalList } from '@/lib/services/local-lists';
import { loadStation } from '../load-station';

export const metadata: Metadata = { title: 'Station access' };

/** Who may charge at this station (its site's rules, or its own), and the local list it holds. */
export default async function StationAccessPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('stations:view');
  const { id } = await params;
  const station = await loadStation(user, id);
  const db = getDb();
  const [policy, groups, localList] = await Promise.all([
    getAccessPolicy(db, user, { stationId: station.id }),
    roleCan(user.role, 'drivers:view') ? listGroups(db, user) : [],
    getStationLocalList(db, user, station.id),
  ]);
  return (
    <div className="space-y-6">
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
      <Card title="Local list on the station">
        <LocalListPanel
          stationId={station.id}
          view={localList}
          online={station.online}
          timeZone={station.siteTimezone}
          canResend={roleCan(user.role, 'stations:command')}
        />
      </Card>
    </div>
  );
}
