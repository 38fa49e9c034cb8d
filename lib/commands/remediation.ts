import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { incidents, type Incident } from '@/lib/db/schema';
import { publish } from '@/lib/realtime/bus';
import type { DomainEvent } from '@/lib/realtime/events';
import { addIncidentEvent } from '@/lib/services/incidents';
import { loadMaintenancePolicy } from '@/lib/services/maintenance-settings';
import { createOrderForIncident, stationOf } from '@/lib/services/work-orders';
import { runCommand, type CommandDeps } from './send';

/**
 * Automatic remote remediation: before anyone drives out, ChargeOps works through the
 * organisation's plan for a new incident (e.g. soft reset, wait 5 minutes, hard reset, wait 10),
 * one step per turn, each on the incident's timeline. The incident clearing at any point ends the
 * plan ("recovered"); a plan that runs out with the fault still there creates the work order.
 */

const actionLabels = { 'soft-reset': 'Soft reset', 'hard-reset': 'Hard reset' } as const;

/** Runs every remediation step that is due; returns how many ran. */
export async function runDueRemediation(db: Db, deps: CommandDeps): Promise<number> {
  const now = deps.now();
  const due = await db
    .select()
    .from(incidents)
    .where(and(eq(incidents.remediationState, 'running'), lte(incidents.remediationDueAt, now)))
    .orderBy(asc(incidents.remediationDueAt))
    .limit(50);
  let ran = 0;
  for (const incident of due) {
    if (await runStep(db, incident, deps)) ran++;
  }
  return ran;
}

async function runStep(db: Db, incident: Incident, deps: CommandDeps): Promise<boolean> {
  const now = deps.now();
  // Claim the step: another instance (or a slow previous turn) may have taken it.
  const [claimed] = await db
    .update(incidents)
    .set({ remediationDueAt: null, updatedAt: now })
    .where(
      and(
        eq(incidents.id, incident.id),
        eq(incidents.state, 'open'),
        eq(incidents.remediationState, 'running'),
        lte(incidents.remediationDueAt, now),
      ),
    )
    .returning();
  if (!claimed) return false;
  const station = await stationOf(db, claimed.stationId);
  const ref = { organisationId: station.organisationId, siteId: station.siteId, stationId: station.id };
  const events: DomainEvent[] = [
    { type: 'incident:updated', ...ref, incidentId: claimed.id, state: claimed.state },
  ];
  const step = claimed.remediationPlan[claimed.remediationStep];
  if (!step) {
    await db.transaction(async (tx) => {
      const [exhausted] = await tx
        .update(incidents)
        .set({ remediationState: 'exhausted', updatedAt: now })
        .where(and(eq(incidents.id, claimed.id), eq(incidents.remediationState, 'running')))
        .returning();
      if (!exhausted) return;
      await addIncidentEvent(
        tx,
        claimed.id,
        now,
        'remediation',
        'Remote remediation did not clear the fault',
      );
      const policy = await loadMaintenancePolicy(tx, claimed.organisationId);
      if (policy.autoWorkOrder) events.push(...(await createOrderForIncident(tx, exhausted, policy, now)));
    });
    for (const event of events) publish(event);
    return true;
  }
  const number = `Step ${claimed.remediationStep + 1} of ${claimed.remediationPlan.length}`;
  let summary: string;
  let dueAt = now;
  if (step.action === 'wait') {
    const minutes = step.minutes ?? 1;
    summary = `${number}: waiting ${minutes} min for the station to report healthy`;
    dueAt = new Date(now.getTime() + minutes * 60_000);
  } else {
    const command = await runCommand(
      db,
      { kind: 'system', label: 'ChargeOps remediation', organisationId: station.organisationId },
      station,
      { kind: 'reset', mode: step.action === 'soft-reset' ? 'soft' : 'hard' },
      deps,
    );
    summary = `${number}: ${actionLabels[step.action]} — ${command.status}${command.detail && command.detail !== 'Accepted' ? ` (${command.detail})` : ''}`;
  }
  await db.transaction(async (tx) => {
    await addIncidentEvent(tx, claimed.id, now, 'remediation', summary, { step });
    // Moves on only while the plan still runs: the incident may have cleared during the reset.
    await tx
      .update(incidents)
      .set({ remediationStep: claimed.remediationStep + 1, remediationDueAt: dueAt })
      .where(and(eq(incidents.id, claimed.id), eq(incidents.remediationState, 'running')));
  });
  for (const event of events) publish(event);
  return true;
}
