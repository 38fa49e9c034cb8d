'use client';

import { useActionState } from 'react';
import { createStockLocationAction } from '@/lib/actions/parts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

/** Adds a warehouse, or a van for a technician who has none yet. */
export function LocationDialog({
  kind,
  technicians = [],
}: {
  kind: 'warehouse' | 'van';
  /** For a van: technicians of the organisation without one. */
  technicians?: { id: string; name: string }[];
}) {
  const [state, action, pending] = useActionState(createStockLocationAction, null);
  const { open, setOpen } = useFormDialog(state);
  const title = kind === 'van' ? 'Add van' : 'Add warehouse';
  const noTechnician = kind === 'van' && technicians.length === 0;
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {title}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={title}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="kind" value={kind} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          {noTechnician ? (
            <Alert tone="info">
              Every technician has a van already. A technician added later can get one here, or gets one by
              itself the first time they record a part on a work order.
            </Alert>
          ) : null}
          {kind === 'van' ? (
            <SelectField
              name="technicianId"
              label="Technician"
              defaultValue=""
              disabled={noTechnician}
              error={fieldError(state, 'technicianId')}
            >
              <option value="" disabled>
                Choose a technician
              </option>
              {technicians.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          <TextField
            name="name"
            label={kind === 'van' ? 'Name (optional)' : 'Name'}
            placeholder={kind === 'van' ? 'Van – the technician’s name' : 'Main warehouse'}
            disabled={noTechnician}
            error={fieldError(state, 'name')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending || noTechnician}>
            {title}
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
