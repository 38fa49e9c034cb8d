import { Tabs } from '@/components/ui/tabs';

/** The tab bar of the settings pages. */
export function SettingsTabs() {
  return (
    <Tabs
      label="Settings"
      tabs={[
        { href: '/settings/users', label: 'Users' },
        { href: '/settings/sites', label: 'Sites' },
        { href: '/settings/configuration', label: 'Charger configuration' },
        { href: '/settings/audit', label: 'Audit log' },
      ]}
    />
  );
}
