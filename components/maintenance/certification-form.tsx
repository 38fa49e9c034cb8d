'use client';

import { startTransition, useActionState, useState } from 'react';
import { addCertificationAction, removeCertificationAction } from '@/lib/actions/maintenance';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

/** Adds a certification (EVITP, high voltage, a vendor's training) with its expiry to a technician. */
export function AddCertificationDialog({ technicianId, name }: { technicianId: string; name: string }) {
  const [state, action, pending] = useActionState(addCertificationAction, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Add certification
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Add a certification of ${name}`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="id" value={technicianId} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <TextField
            label="Certification"
            name="name"
            autoComplete="off"
            placeholder="EVITP"
            error={fieldError(state, 'name')}
            hint="The name work orders require, spelled the same way (case does not matter)"
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Reference (optional)"
              name="reference"
              autoComplete="off"
              placeholder="Card or certificate number"
              error={fieldError(state, 'reference')}
            />
            <TextField
              label="Expires on (optional)"
              name="expiresOn"
              type="date"
              error={fieldError(state, 'expiresOn')}
              hint="Expired from that day on; empty: does not expire"
            />
          </div>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Add certification
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

/** Removes a certification after asking: dispatch stops counting it at once. */
export function RemoveCertificationButton({
  certificationId,
  label,
  technicianName,
}: {
  certificationId: string;
  label: string;
  technicianName: string;
}) {
  const [state, remove, pending] = useActionState(removeCertificationAction, null);
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setConfirming(true)}
        disabled={pending}
        aria-label={`Remove ${label}`}
        className="rounded px-1 text-xs text-slate-500 hover:bg-slate-100 hover:text-rose-700"
      >
        Remove
      </button>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-rose-700">
          {state.error}
        </span>
      ) : null}
      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`Remove ${label}?`}>
        <p className="text-sm text-slate-700">
          {technicianName} will no longer be suggested for work orders that require {label}. Work orders
          already assigned stay with them.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={pending}
            onClick={() => {
              setConfirming(false);
              const formData = new FormData();
              formData.set('id', certificationId);
              startTransition(() => remove(formData));
            }}
          >
            Remove
          </Button>
        </div>
      </Dialog>
    </>
  );
}
