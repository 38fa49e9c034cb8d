'use client';

import { startTransition, useActionState } from 'react';
import { blockTokenAction, unblockTokenAction } from '@/lib/actions/drivers';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

/** Block (with a reason, asked first) or unblock one token. */
export function TokenActions({ id, idToken, status }: { id: string; idToken: string; status: string }) {
  const [blocked, block, blocking] = useActionState(blockTokenAction, null);
  const [, unblock, unblocking] = useActionState(unblockTokenAction, null);
  const { open, setOpen } = useFormDialog(blocked);
  if (status === 'blocked')
    return (
      <Button
        variant="ghost"
        disabled={unblocking}
        onClick={() => {
          const formData = new FormData();
          formData.set('id', id);
          startTransition(() => unblock(formData));
        }}
      >
        Unblock
      </Button>
    );
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)} aria-label={`Block ${idToken}`}>
        Block
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Block ${idToken}?`}>
        <form onSubmit={submitWithoutReset(block)} className="space-y-4" noValidate>
          <input type="hidden" name="id" value={id} />
          <p className="text-sm text-slate-700">
            Chargers refuse this token from now on: at once when they ask ChargeOps, and within seconds from
            their local lists (offline ones when they reconnect). The reason shows in the authorisation log.
          </p>
          {blocked && !blocked.ok && !blocked.fieldErrors ? (
            <Alert tone="error">{blocked.error}</Alert>
          ) : null}
          <TextField
            name="reason"
            label="Reason"
            placeholder="Lost card"
            error={fieldError(blocked, 'reason')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={blocking} variant="danger">
            Block token
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
