'use client';

import { useActionState } from 'react';
import { setOutageExclusionAction } from '@/lib/actions/maintenance';
import type { OutageExclusion } from '@/lib/db/schema/maintenance';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

/**
 * Excludes an outage from uptime for a cause outside the operator's control (NEVI 680.116(b)), with
 * the note that backs it up; choosing "Counts against uptime" undoes it.
 */
export function ExclusionDialog({
  outageId,
  label,
  reasons,
  current,
}: {
  outageId: string;
  /** Names the outage for the dialog title, e.g. "DEN-L2-03 EVSE 1". */
  label: string;
  reasons: { value: OutageExclusion; label: string }[];
  current: { reason: OutageExclusion | null; notes: string | null };
}) {
  const [state, action, pending] = useActionState(setOutageExclusionAction, null);
  const { open, setOpen } = useFormDialog(state);
  const title = `Uptime exclusion: ${label}`;
  return (
    <>
      <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setOpen(true)}>
        {current.reason ? 'Change exclusion' : 'Exclude…'}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={title}>
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="id" value={outageId} />
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <SelectField
            label="Cause"
            name="reason"
            defaultValue={current.reason ?? ''}
            error={fieldError(state, 'reason')}
            hint="Only causes outside your control may be excluded; the note and the work order are your evidence."
          >
            <option value="">Counts against uptime</option>
            {reasons.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Evidence"
            name="notes"
            defaultValue={current.notes ?? ''}
            maxLength={255}
            placeholder="e.g. ComEd outage notice #4411, 2 h 10 min"
            error={fieldError(state, 'notes')}
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Save
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
