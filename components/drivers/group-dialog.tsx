'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { createGroupAction, updateGroupAction } from '@/lib/actions/drivers';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

/** Creates a group (then opens it) or renames one. */
export function GroupDialog({ group }: { group?: { id: string; name: string; description: string | null } }) {
  const router = useRouter();
  const [state, action, pending] = useActionState(group ? updateGroupAction : createGroupAction, null);
  const { open, setOpen } = useFormDialog(state);
  useEffect(() => {
    if (!group && state?.ok && state.data && typeof state.data === 'object' && 'id' in state.data)
      router.push(`/drivers/groups/${String(state.data.id)}`);
  }, [state, group, router]);
  return (
    <>
      <Button variant={group ? 'secondary' : 'primary'} onClick={() => setOpen(true)}>
        {group ? 'Rename' : 'Add group'}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={group ? 'Edit group' : 'Add group'}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          {group ? <input type="hidden" name="id" value={group.id} /> : null}
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <TextField
            name="name"
            label="Name"
            placeholder="Employees"
            defaultValue={group?.name}
            error={fieldError(state, 'name')}
          />
          <TextField
            name="description"
            label="Description (optional)"
            defaultValue={group?.description ?? ''}
            error={fieldError(state, 'description')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            {group ? 'Save' : 'Add group'}
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
