import { PageHeader } from '@/components/ui/page-header';
import { Tabs } from '@/components/ui/tabs';
import { requirePermission } from '@/lib/auth/session';

/** Tariffs and where they apply, the priced record of every session, and the money they bring in. */
export default async function BillingLayout({ children }: { children: React.ReactNode }) {
  await requirePermission('billing:view');
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="Billing"
        description="What drivers pay where: tariffs and their versions, the charge record of each session, and revenue."
      />
      <Tabs
        label="Billing"
        tabs={[
          { href: '/billing/tariffs', label: 'Tariffs' },
          { href: '/billing/cdrs', label: 'Charge records' },
          { href: '/billing/revenue', label: 'Revenue' },
        ]}
      />
      {children}
    </div>
  );
}
