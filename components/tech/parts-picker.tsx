'use client';

import { useActionState, useState } from 'react';
import { recordPartAction, removePartAction } from '@/lib/actions/maintenance';
import { Button } from '@/components/ui/button';
import { fieldError, submitWithoutReset, resilient } from '@/components/ui/form-state';

// A lost connection comes back as an error next to the form, keeping what was typed.
const safeRecordPartAction = resilient(recordPartAction);
const safeRemovePartAction = resilient(removePartAction);

interface VanItem {
  partId: string;
  sku: string;
  name: string;
  quantity: number;
  compatibleModels: string[];
}

/**
 * Parts used on the job, picked from the technician's own van: parts that fit the station's model
 * come first. Stock leaves the van when the work order is resolved.
 */
export function PartsPicker({
  workOrderId,
  van,
  model,
}: {
  workOrderId: string;
  van: VanItem[];
  model: string | null;
}) {
  const [state, action, pending] = useActionState(safeRecordPartAction, null);
  const [partId, setPartId] = useState('');
  const [quantity, setQuantity] = useState('1');
  const fits = (item: VanItem) =>
    item.compatibleModels.length === 0 ||
    (model !== null && item.compatibleModels.some((m) => m.toLowerCase().includes(model.toLowerCase())));
  const sorted = [...van].sort((a, b) => Number(fits(b)) - Number(fits(a)));
  if (van.length === 0)
    return <p className="text-sm text-slate-600">Your van holds no parts. Ask your manager to stock it.</p>;
  return (
    <form onSubmit={submitWithoutReset(action)} className="space-y-3" noValidate>
      <input type="hidden" name="id" value={workOrderId} />
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Part from your van</span>
        <select
          name="partId"
          value={partId}
          onChange={(e) => setPartId(e.target.value)}
          className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base"
          aria-invalid={fieldError(state, 'partId') ? true : undefined}
        >
          <option value="">Choose a part</option>
          {sorted.map((item) => (
            <option key={item.partId} value={item.partId}>
              {item.name} ({item.sku}) · {item.quantity} in van{fits(item) ? '' : ' · other model'}
            </option>
          ))}
        </select>
        {fieldError(state, 'partId') ? (
          <span className="mt-1 block text-sm text-rose-600">{fieldError(state, 'partId')}</span>
        ) : null}
      </label>
      <div className="flex items-end gap-2">
        <label className="block w-28 text-sm">
          <span className="font-medium text-slate-700">Quantity</span>
          <input
            name="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 px-3 text-base"
            aria-invalid={fieldError(state, 'quantity') ? true : undefined}
          />
        </label>
        <Button type="submit" className="min-h-11 flex-1" disabled={pending || partId === ''}>
          {pending ? 'Saving…' : 'Record part'}
        </Button>
      </div>
      {fieldError(state, 'quantity') ? (
        <p className="text-sm text-rose-600">{fieldError(state, 'quantity')}</p>
      ) : null}
      {state && !state.ok && !state.fieldErrors ? (
        <p className="text-sm text-rose-600" role="alert">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

/** Removes a part line recorded by mistake (before the order is resolved). */
export function RemovePartButton({ workOrderId, lineId }: { workOrderId: string; lineId: string }) {
  const [state, action, pending] = useActionState(safeRemovePartAction, null);
  return (
    <form onSubmit={submitWithoutReset(action)}>
      <input type="hidden" name="id" value={workOrderId} />
      <input type="hidden" name="lineId" value={lineId} />
      <Button type="submit" variant="ghost" className="min-h-11 text-rose-700" disabled={pending}>
        Remove
      </Button>
      {state && !state.ok ? <span className="text-xs text-rose-600">{state.error}</span> : null}
    </form>
  );
}
