'use client';

import { useActionState, useId, useState } from 'react';
import { transitionWorkOrderAction } from '@/lib/actions/maintenance';
import type { TransitionRequirements, WorkOrderStatus } from '@/lib/domain/maintenance/work-orders';
import { Alert } from '@/components/ui/alert';
import { Button, type ButtonVariant } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { fieldError, submitWithoutReset, resilient } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

// A lost connection comes back as an error next to the form, keeping what was typed.
const safeTransitionWorkOrderAction = resilient(transitionWorkOrderAction);

/** What each move's button says, from the viewer's side. */
const moveLabels: Partial<Record<WorkOrderStatus, string>> = {
  accepted: 'Accept',
  new: 'Decline',
  en_route: 'On my way',
  on_site: 'Arrived on site',
  in_progress: 'Start work',
  resolved: 'Mark resolved',
  cannot_fix: 'Cannot fix',
  closed: 'Close',
  cancelled: 'Cancel work order',
};

const reasonLabels: Partial<Record<WorkOrderStatus, string>> = {
  new: 'Why are you declining?',
  cannot_fix: 'Why can it not be fixed? (parts missing, no access …)',
  closed: 'Why close it without a fix?',
  cancelled: 'Why cancel it?',
};

const variantOf = (to: WorkOrderStatus): ButtonVariant =>
  to === 'cancelled' || to === 'cannot_fix' ? 'danger' : to === 'new' ? 'secondary' : 'primary';

export interface Move {
  to: WorkOrderStatus;
  needs: TransitionRequirements;
}

/**
 * The status buttons of a work order. A move that needs a reason opens a small form for it; the
 * checklist-gated "Start work" stays disabled (with the why) until every step is confirmed.
 * Assigning is done from the dispatch panel, not here.
 */
export function TransitionButtons({
  workOrderId,
  moves,
  checklistComplete,
  size = 'normal',
}: {
  workOrderId: string;
  moves: Move[];
  checklistComplete: boolean;
  size?: 'normal' | 'large';
}) {
  const shown = moves.filter((m) => !m.needs.assignee && moveLabels[m.to]);
  if (shown.length === 0) return null;
  return (
    <div className={size === 'large' ? 'grid gap-2' : 'flex flex-wrap gap-2'}>
      {shown.map((move) =>
        move.needs.reason ? (
          <ReasonMove key={move.to} workOrderId={workOrderId} to={move.to} size={size} />
        ) : (
          <DirectMove
            key={move.to}
            workOrderId={workOrderId}
            to={move.to}
            size={size}
            blocked={move.needs.checklist && !checklistComplete ? 'Confirm every safety step first' : null}
          />
        ),
      )}
    </div>
  );
}

const sizeClass = (size: 'normal' | 'large') => (size === 'large' ? 'min-h-12 w-full text-base' : '');

function DirectMove({
  workOrderId,
  to,
  size,
  blocked,
}: {
  workOrderId: string;
  to: WorkOrderStatus;
  size: 'normal' | 'large';
  blocked: string | null;
}) {
  const [state, action, pending] = useActionState(safeTransitionWorkOrderAction, null);
  const hintId = useId();
  return (
    <form onSubmit={submitWithoutReset(action)} className="space-y-1">
      <input type="hidden" name="id" value={workOrderId} />
      <input type="hidden" name="to" value={to} />
      <Button
        type="submit"
        variant={variantOf(to)}
        className={sizeClass(size)}
        disabled={pending || blocked !== null}
        aria-describedby={blocked ? hintId : undefined}
      >
        {pending ? 'Saving…' : moveLabels[to]}
      </Button>
      {blocked ? (
        <p id={hintId} className="text-xs text-slate-500">
          {blocked}
        </p>
      ) : null}
      {state && !state.ok ? (
        <p className="text-sm text-rose-600" role="alert">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

function ReasonMove({
  workOrderId,
  to,
  size,
}: {
  workOrderId: string;
  to: WorkOrderStatus;
  size: 'normal' | 'large';
}) {
  const [state, action, pending] = useActionState(safeTransitionWorkOrderAction, null);
  const { open, setOpen } = useFormDialog(state);
  const [note, setNote] = useState('');
  const label = moveLabels[to] ?? to;
  return (
    <>
      <Button variant={variantOf(to)} className={sizeClass(size)} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={label}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="id" value={workOrderId} />
          <input type="hidden" name="to" value={to} />
          {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
          <div className="space-y-1">
            <label htmlFor={`reason-${to}`} className="block text-sm font-medium text-slate-700">
              {reasonLabels[to] ?? 'Reason'}
            </label>
            <textarea
              id={`reason-${to}`}
              name="note"
              rows={4}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              className="block w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-xs sm:text-sm"
              aria-invalid={fieldError(state, 'note') ? true : undefined}
            />
          </div>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Back
            </Button>
            <Button type="submit" variant={variantOf(to)} disabled={pending || note.trim() === ''}>
              {pending ? 'Saving…' : label}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
