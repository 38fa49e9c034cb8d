'use client';

import { useActionState } from 'react';
import { renameTariffAction } from '@/lib/actions/tariffs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

const safeRenameTariffAction = resilient(renameTariffAction);

/** Renames a tariff or changes its description; prices change through new versions only. */
export function RenameDialog({
  tariff,
}: {
  tariff: { id: string; name: string; description: string | null };
}) {
  const [state, action, pending] = useActionState(safeRenameTariffAction, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Rename
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Rename ${tariff.name}`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="id" value={tariff.id} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <TextField name="name" label="Name" defaultValue={tariff.name} error={fieldError(state, 'name')} />
          <TextField
            name="description"
            label="Description (optional)"
            defaultValue={tariff.description ?? ''}
            error={fieldError(state, 'description')}
          />
          <p className="text-xs text-slate-500">Past charge records keep the name they were priced under.</p>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Save
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
