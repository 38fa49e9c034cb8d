import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import { maintenanceSettings, type MaintenanceSettings } from '@/lib/db/schema';
import {
  defaultIncidentRules,
  defaultRemediationPlan,
  type IncidentRules,
} from '@/lib/domain/maintenance/incidents';
import {
  defaultSlaHours,
  workOrderPriorities,
  type WorkOrderPriority,
} from '@/lib/domain/maintenance/work-orders';
import { maintenanceSettingsInput } from '@/lib/validation/maintenance';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { actorOf, type SessionUser } from './users';

/**
 * How an organisation runs maintenance: incident thresholds, automatic remediation, work-order
 * creation and assignment, SLA hours and the safety checklist. An organisation without a row uses
 * the defaults below, so nothing needs seeding.
 */

/** Lock-out/tag-out and PPE steps a technician confirms before touching high-voltage equipment. */
export const defaultChecklist = [
  'Tell the site contact, and cordon off the work area',
  'Wear PPE: arc-rated clothing, class 0 insulated gloves, safety glasses and boots',
  'Switch off and lock the supply breaker; attach your personal tag (lock-out/tag-out)',
  'Prove zero voltage with a tested meter (live-dead-live)',
  "Wait the manufacturer's discharge time for DC capacitors",
  'Inspect for damage, water and exposed conductors before touching',
];

/** The settings as services use them. */
export interface MaintenancePolicy {
  rules: IncidentRules;
  remediationEnabled: boolean;
  remediationPlan: MaintenanceSettings['remediationPlan'];
  autoWorkOrder: boolean;
  autoAssign: boolean;
  slaHours: Record<WorkOrderPriority, number>;
  checklist: string[];
  defaultCertifications: string[];
}

export const defaultMaintenancePolicy: MaintenancePolicy = {
  rules: defaultIncidentRules,
  remediationEnabled: false,
  remediationPlan: defaultRemediationPlan,
  autoWorkOrder: true,
  autoAssign: false,
  slaHours: defaultSlaHours,
  checklist: defaultChecklist,
  defaultCertifications: [],
};

function policyOf(row: MaintenanceSettings | undefined): MaintenancePolicy {
  if (!row) return defaultMaintenancePolicy;
  const slaHours = { ...defaultSlaHours };
  for (const priority of workOrderPriorities) {
    const hours = row.slaHours[priority];
    if (typeof hours === 'number' && hours > 0) slaHours[priority] = hours;
  }
  return {
    rules: {
      offlineAfterMinutes: row.offlineAfterMinutes,
      failedStartsInARow: row.failedStartsInARow,
      minSessionWh: row.minSessionWh,
    },
    remediationEnabled: row.remediationEnabled,
    remediationPlan: row.remediationPlan,
    autoWorkOrder: row.autoWorkOrder,
    autoAssign: row.autoAssign,
    slaHours,
    checklist: row.checklist.length > 0 ? row.checklist : defaultChecklist,
    defaultCertifications: row.defaultCertifications,
  };
}

/** The organisation's maintenance policy (internal: no permission check). */
export async function loadMaintenancePolicy(db: DbOrTx, organisationId: string): Promise<MaintenancePolicy> {
  const [row] = await db
    .select()
    .from(maintenanceSettings)
    .where(eq(maintenanceSettings.organisationId, organisationId));
  return policyOf(row);
}

/** The policy for the settings page. */
export async function getMaintenancePolicy(db: Db, actor: SessionUser): Promise<MaintenancePolicy> {
  assertCan(actor, 'maintenance:view');
  return loadMaintenancePolicy(db, actor.organisationId);
}

/** Saves the organisation's maintenance policy. */
export async function setMaintenancePolicy(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof maintenanceSettingsInput>,
): Promise<MaintenancePolicy> {
  assertCan(actor, 'maintenance:configure');
  const input = maintenanceSettingsInput.parse(raw);
  const values = {
    offlineAfterMinutes: input.offlineAfterMinutes,
    failedStartsInARow: input.failedStartsInARow,
    minSessionWh: input.minSessionWh,
    remediationEnabled: input.remediationEnabled,
    remediationPlan: input.remediationPlan,
    autoWorkOrder: input.autoWorkOrder,
    autoAssign: input.autoAssign,
    slaHours: {
      critical: input.slaCritical,
      high: input.slaHigh,
      normal: input.slaNormal,
      low: input.slaLow,
    },
    checklist: input.checklist,
    defaultCertifications: input.defaultCertifications,
    updatedAt: new Date(),
  };
  return db.transaction(async (tx) => {
    const before = await loadMaintenancePolicy(tx, actor.organisationId);
    const [row] = await tx
      .insert(maintenanceSettings)
      .values({ organisationId: actor.organisationId, ...values })
      .onConflictDoUpdate({ target: maintenanceSettings.organisationId, set: values })
      .returning();
    const after = policyOf(row);
    await recordAudit(tx, actorOf(actor), {
      action: 'maintenance.settings',
      targetType: 'organisation',
      targetId: actor.organisationId,
      details: { from: before, to: after },
    });
    return after;
  });
}
