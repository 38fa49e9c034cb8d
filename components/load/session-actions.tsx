'use client';

import { startTransition, useActionState, useState } from 'react';
import { overrideSessionAction } from '@/lib/actions/load';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

const safeOverrideSessionAction = resilient(overrideSessionAction);
const smallButton = 'px-2.5 py-1 text-xs';

/**
 * An operator's say over one running session: pause it (asks first), cap it at a current, or release
 * it back to the allocator. The outcome shows on the next allocation, within seconds.
 */
export function SessionActions({
  transactionId,
  label,
  pausedByOperator,
  capA,
  setpointA,
}: {
  transactionId: string;
  /** Names the session in dialogs and buttons: "Alex Rivera at SAC-DC-01 #1". */
  label: string;
  pausedByOperator: boolean;
  capA: number | null;
  setpointA: number;
}) {
  const [pauseState, pause, pausing] = useActionState(safeOverrideSessionAction, null);
  const pauseDialog = useFormDialog(pauseState);
  const [capState, cap, capping] = useActionState(safeOverrideSessionAction, null);
  const capDialog = useFormDialog(capState);
  const [releaseState, release, releasing] = useActionState(safeOverrideSessionAction, null);
  // Which of the quick results to show beside the buttons: the latest one pressed.
  const [last, setLast] = useState<'pause' | 'release' | null>(null);
  const quick = last === 'pause' ? pauseState : last === 'release' ? releaseState : null;
  const capError = fieldError(capState, 'capA');
  return (
    <div className="flex flex-col items-start gap-1.5 sm:items-end">
      <div className="flex flex-wrap gap-1.5">
        {!pausedByOperator ? (
          <Button
            variant="secondary"
            className={smallButton}
            aria-label={`Pause ${label}`}
            disabled={pausing}
            onClick={() => pauseDialog.setOpen(true)}
          >
            Pause
          </Button>
        ) : null}
        <Button
          variant="secondary"
          className={smallButton}
          aria-label={`Cap ${label}`}
          onClick={() => capDialog.setOpen(true)}
        >
          Cap…
        </Button>
        {pausedByOperator || capA !== null ? (
          <Button
            variant="secondary"
            className={smallButton}
            aria-label={`Release ${label}`}
            disabled={releasing}
            onClick={() => {
              setLast('release');
              const formData = new FormData();
              formData.set('transactionId', transactionId);
              formData.set('action', 'release');
              startTransition(() => release(formData));
            }}
          >
            Release
          </Button>
        ) : null}
      </div>
      {quick && !quick.ok ? (
        <span role="alert" className="text-xs text-rose-700">
          {quick.error}
        </span>
      ) : null}

      <Dialog open={pauseDialog.open} onClose={() => pauseDialog.setOpen(false)} title="Pause this session?">
        <form
          onSubmit={(event) => {
            setLast('pause');
            submitWithoutReset(pause)(event);
          }}
          className="space-y-4"
          noValidate
        >
          <input type="hidden" name="transactionId" value={transactionId} />
          <input type="hidden" name="action" value="pause" />
          {pauseState && !pauseState.ok ? <Alert tone="error">{pauseState.error}</Alert> : null}
          <p className="text-sm text-slate-700">
            {label} stops drawing power (its limit becomes 0 A) until you release it. The session stays open
            and the driver is not told by ChargeOps.
          </p>
          <DialogActions onCancel={() => pauseDialog.setOpen(false)} disabled={pausing} variant="danger">
            Pause session
          </DialogActions>
        </form>
      </Dialog>

      <Dialog open={capDialog.open} onClose={() => capDialog.setOpen(false)} title={`Cap ${label}`}>
        <form onSubmit={submitWithoutReset(cap)} className="space-y-4" noValidate>
          <input type="hidden" name="transactionId" value={transactionId} />
          <input type="hidden" name="action" value="cap" />
          {capState && !capState.ok && !capError ? <Alert tone="error">{capState.error}</Alert> : null}
          <TextField
            label="Cap (A per phase)"
            name="capA"
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            defaultValue={capA === null ? String(Math.round(setpointA)) : String(capA)}
            error={capError}
            hint="The session never gets more than this; it may get less when the site is busy."
          />
          <DialogActions onCancel={() => capDialog.setOpen(false)} disabled={capping}>
            Cap session
          </DialogActions>
        </form>
      </Dialog>
    </div>
  );
}
