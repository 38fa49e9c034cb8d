import { SettingsTabs } from '@/components/settings/settings-tabs';
import { PageHeader } from '@/components/ui/page-header';
import { requirePermission } from '@/lib/auth/session';

/** Settings are for administrators: everyone else gets the 403 page. */
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requirePermission('users:manage');
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        title="Settings"
        description="Who can sign in, what they may do, and the sites of your charging network."
      />
      <SettingsTabs />
      {children}
    </div>
  );
}
