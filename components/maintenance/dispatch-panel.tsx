'use client';

import { useActionState } from 'react';
import { assignWorkOrderAction } from '@/lib/actions/maintenance';
import type { RankedCandidate } from '@/lib/domain/maintenance/dispatch';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { submitWithoutReset } from '@/components/ui/form-state';

/**
 * The ranked technicians for a work order, each with the reasons for their place, and one click to
 * assign. Ineligible people stay in the list (with what they lack) so the manager sees why.
 */
export function DispatchPanel({
  workOrderId,
  candidates,
  assigneeId,
}: {
  workOrderId: string;
  candidates: RankedCandidate[];
  assigneeId: string | null;
}) {
  if (candidates.length === 0)
    return (
      <p className="text-sm text-slate-600">
        No technician works at this station&apos;s site. Add one under Settings → Users (role Technician, with
        this site).
      </p>
    );
  return (
    <ol className="divide-y divide-slate-100" aria-label="Suggested technicians">
      {candidates.map((c) => (
        <li
          key={c.userId}
          className="flex flex-wrap items-start justify-between gap-3 py-3"
          data-testid="candidate"
        >
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
              <span className="text-slate-500">#{c.rank}</span> {c.name}
              {!c.eligible ? <Badge tone="red">Not eligible</Badge> : null}
              {c.eligible && !c.availableNow ? <Badge tone="amber">Off duty</Badge> : null}
              {c.userId === assigneeId ? <Badge tone="blue">Assigned</Badge> : null}
            </p>
            <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
              {c.missing.map((m) => (
                <li key={m} className="text-rose-700">
                  {m}
                </li>
              ))}
              {c.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </div>
          {c.userId !== assigneeId && c.eligible ? (
            <AssignButton workOrderId={workOrderId} candidate={c} />
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function AssignButton({ workOrderId, candidate }: { workOrderId: string; candidate: RankedCandidate }) {
  const [state, action, pending] = useActionState(assignWorkOrderAction, null);
  return (
    <form onSubmit={submitWithoutReset(action)} className="text-right">
      <input type="hidden" name="id" value={workOrderId} />
      <input type="hidden" name="technicianId" value={candidate.userId} />
      <Button
        type="submit"
        variant={candidate.rank === 1 && candidate.eligible ? 'primary' : 'secondary'}
        disabled={pending}
        aria-label={`Assign to ${candidate.name}`}
      >
        {pending ? 'Assigning…' : 'Assign'}
      </Button>
      {state && !state.ok ? (
        <p className="mt-1 max-w-56 text-xs text-rose-600" role="alert">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
