'use client';

import { useActionState } from 'react';
import { fieldCommandAction } from '@/lib/actions/maintenance';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { submitWithoutReset, resilient } from '@/components/ui/form-state';

// A lost connection comes back as an error next to the form, keeping what was typed.
const safeFieldCommandAction = resilient(fieldCommandAction);

const commands = [
  { kind: 'trigger-status', label: 'Ask for status' },
  { kind: 'unlock', label: 'Unlock connector' },
  { kind: 'soft-reset', label: 'Soft reset' },
] as const;

/** The remote commands a technician may send to the station they are working on. */
export function FieldCommands({ workOrderId, evseIds }: { workOrderId: string; evseIds: number[] }) {
  const [state, action, pending] = useActionState(safeFieldCommandAction, null);
  return (
    <form onSubmit={submitWithoutReset(action)} className="space-y-3">
      <input type="hidden" name="id" value={workOrderId} />
      {evseIds.length > 1 ? (
        <label className="block text-sm">
          <span className="font-medium text-slate-700">EVSE</span>
          <select
            name="evseId"
            className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 px-3 text-base"
          >
            {evseIds.map((id) => (
              <option key={id} value={id}>
                EVSE {id}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        {commands.map((c) => (
          <Button
            key={c.kind}
            type="submit"
            name="kind"
            value={c.kind}
            variant="secondary"
            className="min-h-11"
            disabled={pending}
          >
            {c.label}
          </Button>
        ))}
      </div>
      {pending ? <p className="text-sm text-slate-600">Waiting for the station…</p> : null}
      {state && !pending ? (
        <Alert tone={state.ok && state.data?.status === 'accepted' ? 'success' : 'error'}>
          {state.ok ? state.message : state.error}
        </Alert>
      ) : null}
    </form>
  );
}
