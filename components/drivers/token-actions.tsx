'use client';

import { useActionState } from 'react';
import { blockDriverTokensAction, blockTokenAction, unblockTokenAction } from '@/lib/actions/drivers';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

/** What one reason dialog asks and does: a token's block or unblock, or a driver's cards blocked at once. */
interface ReasonMode {
  action: typeof blockTokenAction;
  button: string;
  title: string;
  explanation: string;
  placeholder: string;
  submit: string;
  variant: 'danger' | 'primary';
}

const blockExplanation =
  'Chargers refuse it from now on: at once when they ask ChargeOps, and within seconds from their local lists (offline ones when they reconnect). The reason shows in the authorisation log.';

const tokenModes = {
  block: (idToken: string): ReasonMode => ({
    action: blockTokenAction,
    button: 'Block',
    title: `Block ${idToken}?`,
    explanation: blockExplanation,
    placeholder: 'Lost card',
    submit: 'Block token',
    variant: 'danger',
  }),
  unblock: (idToken: string): ReasonMode => ({
    action: unblockTokenAction,
    button: 'Unblock',
    title: `Unblock ${idToken}?`,
    explanation:
      'The token may charge again wherever the access rules allow it: at once online, and within seconds from the local lists. The reason is kept in the audit log beside the block’s.',
    placeholder: 'Card found',
    submit: 'Unblock token',
    variant: 'primary',
  }),
};

/** Block or unblock one token, each with a reason asked first. */
export function TokenActions({ id, idToken, status }: { id: string; idToken: string; status: string }) {
  const kind = status === 'blocked' ? 'unblock' : 'block';
  // Keyed by the direction: a block that succeeded leaves no state behind for the unblock.
  return (
    <ReasonAction
      key={kind}
      mode={tokenModes[kind](idToken)}
      id={id}
      label={`${kind === 'block' ? 'Block' : 'Unblock'} ${idToken}`}
    />
  );
}

/** Blocks every card of a driver at once (someone who left, an unpaid account), with one reason. */
export function BlockDriverTokens({ driverId, name }: { driverId: string; name: string }) {
  return (
    <ReasonAction
      id={driverId}
      label={`Block all cards of ${name}`}
      mode={{
        action: blockDriverTokensAction,
        button: 'Block all cards',
        title: `Block all cards of ${name}?`,
        explanation: `Every card of ${name} that is not blocked yet is blocked with this reason. ${blockExplanation}`,
        placeholder: 'Left the company',
        submit: 'Block all cards',
        variant: 'danger',
      }}
    />
  );
}

function ReasonAction({ mode, id, label }: { mode: ReasonMode; id: string; label: string }) {
  const [state, act, pending] = useActionState(mode.action, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)} aria-label={label}>
        {mode.button}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={mode.title}>
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
