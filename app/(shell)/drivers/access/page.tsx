import type { Metadata } from 'next';
import { PolicyEditor } from '@/components/drivers/policy-editor';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { getAccessPolicy } from '@/lib/services/access-policies';
import { listGroups } from '@/lib/services/driver-groups';
import { listSites } from '@/lib/services/sites';

export const metadata: Metadata = { title: 'Access rules' };

/** Who may charge at each site (stations can have rules of their own, on their Access tab). */
export default async function AccessRulesPage() {
  const user = await requirePermission('drivers:view');
  const db = getDb();
  const [sites, groups] = await Promise.all([listSites(db, user), listGroups(db, user)]);
  const policies = await Promise.all(sites.map((s) => getAccessPolicy(db, user, { siteId: s.id })));
  const canEdit = roleCan(user.role, 'stations:manage');
  if (sites.length === 0) return <EmptyState title="No sites yet" />;
  return (
    <div className="space-y-6">
      <p className="max-w-3xl text-sm text-slate-600">
        A public site accepts any active token ChargeOps knows. A restricted site accepts only the groups
        listed, at the times given (in the site&apos;s time zone). A station can override its site on its own
        Access tab.
      </p>
      {sites.map((site, i) => {
        const policy = policies[i]!;
        return (
          <Card key={site.id} title={site.name}>
            <PolicyEditor
              target={{ kind: 'site', id: site.id }}
              groups={groups.map((g) => ({ id: g.id, name: g.name }))}
              mode={policy.mode}
              inherited={false}
              grants={policy.grants}
              canEdit={canEdit}
            />
          </Card>
        );
      })}
    </div>
  );
}
