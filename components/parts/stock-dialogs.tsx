'use client';

import { useActionState } from 'react';
import {
  adjustStockAction,
  receiveStockAction,
  setMinimumAction,
  transferStockAction,
} from '@/lib/actions/parts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';
import { formatUnits } from './format';

/** The part a dialog acts on, as people name it. */
export interface PartRef {
  id: string;
  label: string;
}

/** A location to choose, with what it holds of the part. */
export interface LocationOption {
  id: string;
  name: string;
  quantity: number;
}

function FormError({ state }: { state: { ok: boolean; error?: string; fieldErrors?: object } | null }) {
  return state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null;
}

const quantityProps = { type: 'number', inputMode: 'numeric', step: 1 } as const;

/** Records a delivery into a location. */
export function ReceiveDialog({ part, locations }: { part: PartRef; locations: LocationOption[] }) {
  const [state, action, pending] = useActionState(receiveStockAction, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button
        onClick={() => setOpen(true)}
        disabled={locations.length === 0}
        title={locations.length === 0 ? 'Add a warehouse or van first' : undefined}
      >
        Receive
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Receive ${part.label}`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="partId" value={part.id} />
          <FormError state={state} />
          <SelectField
            name="locationId"
            label="Into"
            defaultValue={locations[0]?.id}
            error={fieldError(state, 'locationId')}
          >
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({formatUnits(l.quantity)})
              </option>
            ))}
          </SelectField>
          <TextField
            name="quantity"
            label="Quantity received"
            min={1}
            {...quantityProps}
            error={fieldError(state, 'quantity')}
          />
          <TextField
            name="note"
            label="Note (optional)"
            placeholder="Purchase order 4711"
            error={fieldError(state, 'note')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Receive
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

/** Moves units of a part from one location to another. */
export function TransferDialog({ part, locations }: { part: PartRef; locations: LocationOption[] }) {
  const [state, action, pending] = useActionState(transferStockAction, null);
  const { open, setOpen } = useFormDialog(state);
  const sources = locations.filter((l) => l.quantity > 0);
  const firstSource = sources[0];
  const firstDestination = locations.find((l) => l.id !== firstSource?.id);
  return (
    <>
      <Button
        variant="secondary"
        onClick={() => setOpen(true)}
        disabled={sources.length === 0 || locations.length < 2}
        title={sources.length === 0 ? 'No location holds this part' : undefined}
      >
        Transfer
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Transfer ${part.label}`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="partId" value={part.id} />
          <FormError state={state} />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              name="fromLocationId"
              label="From"
              defaultValue={firstSource?.id}
              error={fieldError(state, 'fromLocationId')}
            >
              {sources.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name} ({formatUnits(l.quantity)})
                </option>
              ))}
            </SelectField>
            <SelectField
              name="toLocationId"
              label="To"
              defaultValue={firstDestination?.id}
              error={fieldError(state, 'toLocationId')}
            >
              {locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </SelectField>
          </div>
          <TextField
            name="quantity"
            label="Quantity"
            min={1}
            {...quantityProps}
            error={fieldError(state, 'quantity')}
          />
          <TextField
            name="note"
            label="Note (optional)"
            placeholder="Restock for the week"
            error={fieldError(state, 'note')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Transfer
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

/** Sets a location's quantity to what a stock count found. */
export function AdjustDialog({
  part,
  location,
}: {
  part: PartRef;
  location: { id: string; name: string; quantity: number };
}) {
  const [state, action, pending] = useActionState(adjustStockAction, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button
        variant="ghost"
        onClick={() => setOpen(true)}
        aria-label={`Adjust the count of ${part.label} at ${location.name}`}
      >
        Count
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Count ${part.label} at ${location.name}`}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="partId" value={part.id} />
          <input type="hidden" name="locationId" value={location.id} />
          <FormError state={state} />
          <p className="text-sm text-slate-600">
            ChargeOps has {formatUnits(location.quantity)} here. Enter what you counted: the difference is
            recorded as an adjustment.
          </p>
          <TextField
            name="countedQuantity"
            label="Quantity counted"
            min={0}
            defaultValue={location.quantity}
            {...quantityProps}
            error={fieldError(state, 'countedQuantity')}
          />
          <TextField
            name="note"
            label="Reason"
            placeholder="Quarterly count"
            error={fieldError(state, 'note')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Save count
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

/** Sets the level below which a location is restocked. */
export function MinimumDialog({
  part,
  location,
}: {
  part: PartRef;
  location: { id: string; name: string; minimum: number };
}) {
  const [state, action, pending] = useActionState(setMinimumAction, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button
        variant="ghost"
        onClick={() => setOpen(true)}
        aria-label={`Set the minimum of ${part.label} at ${location.name}`}
      >
        Minimum
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Minimum of ${part.label} at ${location.name}`}
      >
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="partId" value={part.id} />
          <input type="hidden" name="locationId" value={location.id} />
          <FormError state={state} />
          <TextField
            name="minimum"
            label="Minimum"
            min={0}
            defaultValue={location.minimum}
            hint="Below this, the location shows in the low-stock list. 0: never low."
            {...quantityProps}
            error={fieldError(state, 'minimum')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Save minimum
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
