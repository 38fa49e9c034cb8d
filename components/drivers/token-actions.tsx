'use client';

import { useActionState } from 'react';
import { blockTokenAction, unblockTokenAction } from '@/lib/actions/drivers';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

const modes = {
  block: {
    action: blockTokenAction,
    button: 'Block',
    title: (idToken: string) => `Block ${idToken}?`,
    explanation:
      'Chargers refuse this token from now on: at once when they ask ChargeOps, and within seconds from their local lists (offline ones when they reconnect). The reason shows in the authorisation log.',
    placeholder: 'Lost card',
    submit: 'Block token',
    variant: 'danger',
  },
  unblock: {
    action: unblockTokenAction,
    button: 'Unblock',
    title: (idToken: string) => `Unblock ${idToken}?`,
    explanation:
      'The token may charge again wherever the access rules allow it: at once online, and within seconds from the local lists. The reason is kept in the audit log beside the block’s.',
    placeholder: 'Card found',
    submit: 'Unblock token',
    variant: 'primary',
  },
} as const;

/** Block or unblock one token, each with a reason asked first. */
export function TokenActions({ id, idToken, status }: { id: string; idToken: string; status: string }) {
  const kind = status === 'blocked' ? 'unblock' : 'block';
  // Keyed by the direction: a block that succeeded leaves no state behind for the unblock.
  return <ReasonAction key={kind} kind={kind} id={id} idToken={idToken} />;
}

function ReasonAction({ kind, id, idToken }: { kind: keyof typeof modes; id: string; idToken: string }) {
  const mode = modes[kind];
  const [state, act, pending] = useActionState(mode.action, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)} aria-label={`${mode.button} ${idToken}`}>
        {mode.button}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={mode.title(idToken)}>
        <form onSubmit={submitWithoutReset(act)} className="space-y-4" noValidate>
          <input type="hidden" name="id" value={id} />
          <p className="text-sm text-slate-700">{mode.explanation}</p>
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <TextField
            name="reason"
            label="Reason"
            placeholder={mode.placeholder}
            error={fieldError(state, 'reason')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending} variant={mode.variant}>
            {mode.submit}
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
