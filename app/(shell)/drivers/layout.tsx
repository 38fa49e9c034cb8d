import { PageHeader } from '@/components/ui/page-header';
import { Tabs } from '@/components/ui/tabs';
import { requirePermission } from '@/lib/auth/session';

/** Drivers, their tokens and groups, who may charge where, and every authorisation decision. */
export default async function DriversLayout({ children }: { children: React.ReactNode }) {
  await requirePermission('drivers:view');
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="Drivers"
        description="Who charges with which token, the groups they belong to, and where and when each group may charge."
      />
      <Tabs
        label="Drivers"
        tabs={[
          { href: '/drivers', label: 'Drivers', exact: true },
          { href: '/drivers/tokens', label: 'Tokens' },
          { href: '/drivers/groups', label: 'Groups' },
          { href: '/drivers/access', label: 'Access rules' },
          { href: '/drivers/local-lists', label: 'Local lists' },
          { href: '/drivers/log', label: 'Authorisation log' },
        ]}
      />
      {children}
    </div>
  );
}
