import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { RemediationState } from '@/lib/db/schema';
import { outageMinutes } from '@/lib/domain/maintenance/incidents';
import { formatMinutes } from './badges';

const remediationText: Record<RemediationState, { label: string; tone: BadgeTone }> = {
  none: { label: 'Not tried', tone: 'slate' },
  running: { label: 'Resetting', tone: 'blue' },
  recovered: { label: 'Recovered', tone: 'green' },
  exhausted: { label: 'Did not help', tone: 'amber' },
};

/** Where automatic remote remediation (resets) of an incident stands; the step while it runs. */
export function RemediationBadge({
  state,
  step,
  steps,
}: {
  state: RemediationState;
  step: number;
  steps: number;
}) {
  const { label, tone } = remediationText[state];
  return (
    <Badge tone={tone}>
      {label}
      {state === 'running' && steps > 0 ? ` · step ${Math.min(step + 1, steps)} of ${steps}` : ''}
    </Badge>
  );
}

/** How long an incident has lasted: "2 h 05 min so far" while open, "2 h 05 min" once cleared. */
export function incidentDuration(incident: { startedAt: Date; resolvedAt: Date | null }, now: Date): string {
  const minutes = formatMinutes(outageMinutes(incident.startedAt, incident.resolvedAt ?? now));
  return incident.resolvedAt ? minutes : `${minutes} so far`;
}
