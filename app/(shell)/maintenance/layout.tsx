import { PageHeader } from '@/components/ui/page-header';
import { Tabs } from '@/components/ui/tabs';
import { requirePermission } from '@/lib/auth/session';

/** Incidents, the work orders that repair them, the field team, spare parts and outage minutes. */
export default async function MaintenanceLayout({ children }: { children: React.ReactNode }) {
  await requirePermission('maintenance:view');
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="Maintenance"
        description="Problems the chargers report, the technicians sent to fix them, the parts they use and the outage minutes each repair covers."
      />
      <Tabs
        label="Maintenance"
        tabs={[
          { href: '/maintenance', label: 'Work orders', exact: true, covers: ['/maintenance/work-orders/'] },
          { href: '/maintenance/incidents', label: 'Incidents' },
          { href: '/maintenance/outages', label: 'Outages' },
          { href: '/maintenance/nevi', label: 'NEVI reports' },
          { href: '/maintenance/technicians', label: 'Technicians' },
          { href: '/maintenance/parts', label: 'Spare parts' },
          { href: '/maintenance/schedules', label: 'Schedules' },
          { href: '/maintenance/settings', label: 'Settings' },
        ]}
      />
      {children}
    </div>
  );
}
