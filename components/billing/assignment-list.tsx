'use client';

import { startTransition, useActionState, useState } from 'react';
import { unassignTariffAction } from '@/lib/actions/tariffs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { resilient } from '@/components/ui/form-state';

const safeUnassignTariffAction = resilient(unassignTariffAction);

export interface AssignmentRow {
  id: string;
  /** describeAssignment's words: "Employees at site Chicago Loop". */
  where: string;
  isGroup: boolean;
  canRemove: boolean;
}

/** Where a tariff applies, each with a Remove that asks first. */
export function AssignmentList({ tariffName, rows }: { tariffName: string; rows: AssignmentRow[] }) {
  const [state, remove, removing] = useActionState(safeUnassignTariffAction, null);
  const [confirming, setConfirming] = useState<AssignmentRow | null>(null);
  return (
    <div className="space-y-3">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">
          Not assigned anywhere yet: no session is priced with this tariff. Assign it below.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {rows.map((row) => (
            <li
              key={row.id}
              className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm"
              data-testid="assignment-row"
            >
              <span className="min-w-0">
                {row.where}
                {row.isGroup ? <span className="ml-2 text-xs text-slate-500">group</span> : null}
              </span>
              {row.canRemove ? (
                <Button
                  variant="ghost"
                  onClick={() => setConfirming(row)}
                  aria-label={`Remove ${tariffName} from ${row.where}`}
                >
                  Remove
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {state ? (
        <Alert tone={state.ok ? 'success' : 'error'}>{state.ok ? state.message : state.error}</Alert>
      ) : null}
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={`Stop applying ${tariffName}?`}
      >
        <p className="text-sm text-slate-700">
          {tariffName} no longer applies to <strong>{confirming?.where}</strong>. Sessions that start from now
          on get the next less specific tariff there, or none (then they cost nothing). Sessions already
          running keep their price.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={removing}
            onClick={() => {
              if (!confirming) return;
              const formData = new FormData();
              formData.set('id', confirming.id);
              setConfirming(null);
              startTransition(() => remove(formData));
            }}
          >
            Remove
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
