'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { createPartAction, updatePartAction } from '@/lib/actions/parts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

export interface PartFormValues {
  id: string;
  sku: string;
  name: string;
  description: string;
  compatibleModels: string[];
  unitCostMinor: number | null;
  currency: string;
}

/** Adds a part to the catalogue (then opens it) or edits one. */
export function PartDialog({ part }: { part?: PartFormValues }) {
  const router = useRouter();
  const [state, action, pending] = useActionState(part ? updatePartAction : createPartAction, null);
  const { open, setOpen } = useFormDialog(state);
  useEffect(() => {
    if (!part && state?.ok && state.data && typeof state.data === 'object' && 'id' in state.data)
      router.push(`/maintenance/parts/${String(state.data.id)}`);
  }, [state, part, router]);
  return (
    <>
      <Button variant={part ? 'secondary' : 'primary'} onClick={() => setOpen(true)}>
        {part ? 'Edit part' : 'Add part'}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={part ? `Edit ${part.name}` : 'Add part'}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          {part ? <input type="hidden" name="id" value={part.id} /> : null}
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-[1fr_2fr]">
            <TextField
              name="sku"
              label="SKU"
              placeholder="ABB-CT-32A"
              autoComplete="off"
              defaultValue={part?.sku}
              error={fieldError(state, 'sku')}
            />
            <TextField
              name="name"
              label="Name"
              placeholder="Type 2 cable 32 A"
              defaultValue={part?.name}
              error={fieldError(state, 'name')}
            />
          </div>
          <TextField
            name="description"
            label="Description (optional)"
            defaultValue={part?.description ?? ''}
            error={fieldError(state, 'description')}
          />
          <TextField
            name="compatibleModels"
            label="Fits these charger models (optional)"
            placeholder="ABB Terra 184, Wallbox Commander 2"
            defaultValue={part?.compatibleModels.join(', ') ?? ''}
            hint="Separate models with commas; leave blank if it fits any charger."
            error={fieldError(state, 'compatibleModels')}
          />
          <div className="grid grid-cols-[2fr_1fr] gap-4">
            <TextField
              name="unitCostMinor"
              label="Unit cost (optional)"
              inputMode="decimal"
              placeholder="129.50"
              defaultValue={
                part?.unitCostMinor === null || part?.unitCostMinor === undefined
                  ? ''
                  : (part.unitCostMinor / 100).toFixed(2)
              }
              error={fieldError(state, 'unitCostMinor')}
            />
            <TextField
              name="currency"
              label="Currency"
              maxLength={3}
              autoCapitalize="characters"
              defaultValue={part?.currency ?? 'USD'}
              error={fieldError(state, 'currency')}
            />
          </div>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            {part ? 'Save' : 'Add part'}
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
