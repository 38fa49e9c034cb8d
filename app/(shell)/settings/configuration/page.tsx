import type { Metadata } from 'next';
import { ConfigurationDefaults } from '@/components/settings/configuration-defaults';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listConfigurationDefaults } from '@/lib/services/configuration';

export const metadata: Metadata = { title: 'Charger configuration' };

export default async function ConfigurationSettingsPage() {
  const user = await requirePermission('configuration:manage');
  const view = await listConfigurationDefaults(getDb(), user);
  const row = (d: (typeof view.organisation)[number]) => ({
    id: d.id,
    ocppVersion: d.ocppVersion,
    key: d.key,
    value: d.value,
  });
  return (
    <ConfigurationDefaults
      organisation={view.organisation.map(row)}
      sites={view.sites.map((s) => ({ id: s.id, name: s.name, defaults: s.defaults.map(row) }))}
    />
  );
}
