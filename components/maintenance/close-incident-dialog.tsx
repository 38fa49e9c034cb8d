'use client';

import { useActionState, useId } from 'react';
import { closeIncidentAction } from '@/lib/actions/maintenance';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { FieldFrame } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

/**
 * Closes an open incident by hand, with the reason on its timeline: for a security event someone
 * checked, or a fault the charger will not report cleared. Its outages end now.
 */
export function CloseIncidentDialog({ incidentId }: { incidentId: string }) {
  const [state, action, pending] = useActionState(closeIncidentAction, null);
  const { open, setOpen } = useFormDialog(state);
  const noteId = useId();
  const noteError = fieldError(state, 'note');
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Close incident
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Close this incident?">
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="id" value={incidentId} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <p className="text-sm text-slate-700">
            Its outages end now and it leaves the open list. If the charger reports the same problem again, a
            new incident opens.
          </p>
          <FieldFrame label="Why can it be closed?" id={noteId} error={noteError}>
            <textarea
              id={noteId}
              name="note"
              rows={3}
              maxLength={500}
              placeholder="Checked on site: the tamper alarm was a cleaning crew"
              aria-invalid={noteError ? true : undefined}
              aria-describedby={noteError ? `${noteId}-error` : undefined}
              className={`block w-full rounded-md border px-3 py-2 text-sm shadow-xs ${
                noteError ? 'border-rose-400' : 'border-slate-300'
              }`}
            />
          </FieldFrame>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending} variant="danger">
            Close incident
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
