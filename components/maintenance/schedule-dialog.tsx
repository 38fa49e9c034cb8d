'use client';

import { startTransition, useActionState, useId } from 'react';
import { createScheduleAction, setScheduleActiveAction } from '@/lib/actions/maintenance';
import { priorityOptions } from '@/lib/validation/maintenance';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { FieldFrame, SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';
import type { WorkOrderStationOption } from './work-order-dialog';

/** Adds a preventive schedule: a work order for a station every N months from a first date. */
export function ScheduleDialog({
  stations,
  defaultCertifications = [],
}: {
  stations: WorkOrderStationOption[];
  /** The organisation's default required certifications, to start from. */
  defaultCertifications?: readonly string[];
}) {
  const [state, action, pending] = useActionState(createScheduleAction, null);
  const { open, setOpen } = useFormDialog(state);
  const descriptionId = useId();
  const descriptionError = fieldError(state, 'description');
  return (
    <>
      <Button onClick={() => setOpen(true)}>Add schedule</Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Add a preventive schedule">
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
          <SelectField
            label="Station"
            name="stationId"
            defaultValue=""
            error={fieldError(state, 'stationId')}
          >
            <option value="">Choose a station</option>
            {stations.map((s) => (
              <option key={s.id} value={s.id}>
                {s.identity}
                {s.siteName ? ` · ${s.siteName}` : ''}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Title"
            name="title"
            autoComplete="off"
            placeholder="Half-yearly inspection: cables, RCD test, filters"
            error={fieldError(state, 'title')}
          />
          <FieldFrame
            label="Description (optional)"
            id={descriptionId}
            error={descriptionError}
            hint="Copied into each work order"
          >
            <textarea
              id={descriptionId}
              name="description"
              rows={3}
              aria-invalid={descriptionError ? true : undefined}
              aria-describedby={descriptionError ? `${descriptionId}-error` : undefined}
              className={`block w-full rounded-md border px-3 py-2 text-sm shadow-xs ${
                descriptionError ? 'border-rose-400' : 'border-slate-300'
              }`}
            />
          </FieldFrame>
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField
              label="Every (months)"
              name="intervalMonths"
              type="number"
              inputMode="numeric"
              min={1}
              max={60}
              defaultValue="6"
              error={fieldError(state, 'intervalMonths')}
            />
            <SelectField
              label="Priority"
              name="priority"
              defaultValue="low"
              error={fieldError(state, 'priority')}
            >
              {priorityOptions.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </SelectField>
            <TextField
              label="First visit due"
              name="firstDueOn"
              type="date"
              error={fieldError(state, 'firstDueOn')}
              hint="The work order opens that day"
            />
          </div>
          <TextField
            label="Required certifications"
            name="requiredCertifications"
            autoComplete="off"
            placeholder="EVITP, High voltage"
            defaultValue={defaultCertifications.join(', ')}
            error={fieldError(state, 'requiredCertifications')}
            hint="Comma-separated; only holders are suggested"
          />
          <TextField
            label="Required skills"
            name="requiredSkills"
            autoComplete="off"
            placeholder="DC fast, ABB"
            error={fieldError(state, 'requiredSkills')}
            hint="Comma-separated; copied to each order the schedule opens"
          />
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Add schedule
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

/** Pauses a schedule (no more work orders until resumed) or resumes it. */
export function ScheduleActiveButton({ scheduleId, active }: { scheduleId: string; active: boolean }) {
  const [state, toggle, pending] = useActionState(setScheduleActiveAction, null);
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button
        variant="secondary"
        className="px-2.5 py-1 text-xs"
        disabled={pending}
        onClick={() => {
          const formData = new FormData();
          formData.set('id', scheduleId);
          formData.set('active', active ? 'false' : 'true');
          startTransition(() => toggle(formData));
        }}
      >
        {active ? 'Pause' : 'Resume'}
      </Button>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-rose-700">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}
