'use client';

import { useActionState } from 'react';
import { confirmChecklistAction } from '@/lib/actions/maintenance';
import type { ChecklistItem } from '@/lib/db/schema/maintenance';
import { submitWithoutReset, resilient } from '@/components/ui/form-state';

// A lost connection comes back as an error next to the form, keeping what was typed.
const safeConfirmChecklistAction = resilient(confirmChecklistAction);

/**
 * The safety checklist on site: each lock-out/tag-out or PPE step is confirmed on its own, with a
 * large target, before "Start work" unlocks.
 */
export function ChecklistForm({ workOrderId, items }: { workOrderId: string; items: ChecklistItem[] }) {
  const done = items.filter((i) => i.confirmedAt).length;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600" aria-live="polite">
        {done} of {items.length} steps confirmed
      </p>
      <ol className="space-y-2">
        {items.map((item, index) => (
          <li key={index}>
            <Step workOrderId={workOrderId} index={index} item={item} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function Step({ workOrderId, index, item }: { workOrderId: string; index: number; item: ChecklistItem }) {
  const [state, action, pending] = useActionState(safeConfirmChecklistAction, null);
  if (item.confirmedAt)
    return (
      <div className="flex min-h-12 items-start gap-3 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-3 text-sm">
        <span aria-hidden className="text-emerald-700">
          ✓
        </span>
        <span className="text-emerald-900">{item.label}</span>
      </div>
    );
  return (
    <form onSubmit={submitWithoutReset(action)}>
      <input type="hidden" name="id" value={workOrderId} />
      <input type="hidden" name="index" value={index} />
      <button
        type="submit"
        disabled={pending}
        className="flex min-h-12 w-full items-start gap-3 rounded-lg border border-slate-300 bg-white px-3 py-3 text-left text-sm shadow-xs active:bg-slate-50 disabled:opacity-60"
        aria-label={`Confirm: ${item.label}`}
      >
        <span aria-hidden className="mt-0.5 size-4 shrink-0 rounded border border-slate-400" />
        <span className="flex-1 text-slate-900">{item.label}</span>
        <span className="text-brand-700 shrink-0 font-medium">{pending ? '…' : 'Confirm'}</span>
      </button>
      {state && !state.ok ? (
        <p className="mt-1 text-sm text-rose-600" role="alert">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
