'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { createDriverAction, updateDriverAction } from '@/lib/actions/drivers';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

export interface DriverFields {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
}

/** Adds a driver (then opens their page) or edits one, in a dialog. */
export function DriverDialog({ driver }: { driver?: DriverFields }) {
  const router = useRouter();
  const [state, action, pending] = useActionState(driver ? updateDriverAction : createDriverAction, null);
  const { open, setOpen } = useFormDialog(state);
  useEffect(() => {
    if (!driver && state?.ok && state.data && typeof state.data === 'object' && 'id' in state.data)
      router.push(`/drivers/${String(state.data.id)}`);
  }, [state, driver, router]);
  return (
    <>
      <Button variant={driver ? 'secondary' : 'primary'} onClick={() => setOpen(true)}>
        {driver ? 'Edit details' : 'Add driver'}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={driver ? 'Edit driver' : 'Add driver'}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          {driver ? <input type="hidden" name="id" value={driver.id} /> : null}
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <TextField name="name" label="Name" defaultValue={driver?.name} error={fieldError(state, 'name')} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              name="email"
              label="Email (optional)"
              type="email"
              defaultValue={driver?.email ?? ''}
              error={fieldError(state, 'email')}
            />
            <TextField
              name="phone"
              label="Phone (optional)"
              defaultValue={driver?.phone ?? ''}
              error={fieldError(state, 'phone')}
            />
          </div>
          <TextField
            name="company"
            label="Company (optional)"
            defaultValue={driver?.company ?? ''}
            error={fieldError(state, 'company')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            {driver ? 'Save' : 'Add driver'}
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
