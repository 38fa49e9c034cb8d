import type { Metadata } from 'next';
import { SettingsForm } from '@/components/maintenance/settings-form';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { formatRemediationPlan } from '@/lib/domain/maintenance/incidents';
import { getMaintenancePolicy } from '@/lib/services/maintenance-settings';

export const metadata: Metadata = { title: 'Maintenance settings' };

export default async function MaintenanceSettingsPage() {
  const user = await requirePermission('maintenance:view');
  const policy = await getMaintenancePolicy(getDb(), user);
  return (
    <div className="max-w-4xl space-y-5">
      <p className="text-sm text-slate-600">
        How incidents open from what the chargers report, what is tried remotely before a technician is sent,
        and how work orders are created, assigned and timed.
      </p>
      <SettingsForm
        canEdit={roleCan(user.role, 'maintenance:configure')}
        values={{
          offlineAfterMinutes: policy.rules.offlineAfterMinutes,
          failedStartsInARow: policy.rules.failedStartsInARow,
          minSessionWh: policy.rules.minSessionWh,
          remediationEnabled: policy.remediationEnabled,
          remediationPlan: formatRemediationPlan(policy.remediationPlan),
          autoWorkOrder: policy.autoWorkOrder,
          autoAssign: policy.autoAssign,
          slaCritical: policy.slaHours.critical,
          slaHigh: policy.slaHours.high,
          slaNormal: policy.slaHours.normal,
          slaLow: policy.slaHours.low,
          checklist: policy.checklist.join('\n'),
          defaultCertifications: policy.defaultCertifications.join(', '),
        }}
      />
    </div>
  );
}
