'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useId } from 'react';
import { createWorkOrderAction } from '@/lib/actions/maintenance';
import {
  workOrderKindLabels,
  workOrderKinds,
  type WorkOrderKind,
  type WorkOrderPriority,
} from '@/lib/domain/maintenance/work-orders';
import { priorityOptions } from '@/lib/validation/maintenance';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { FieldFrame, SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

export interface WorkOrderStationOption {
  id: string;
  identity: string;
  siteName: string | null;
}

/** Values the form opens with, e.g. from an incident. */
export interface WorkOrderPreset {
  stationId?: string;
  evseId?: number | null;
  incidentId?: string;
  kind?: WorkOrderKind;
  priority?: WorkOrderPriority;
  title?: string;
  description?: string;
  requiredCertifications?: readonly string[];
  requiredSkills?: readonly string[];
}

/**
 * Creates a work order by hand: preventive, for a problem ChargeOps did not detect, or for an
 * incident (preset with its station, port and id). After saving, the page refreshes and a link to
 * the new order stays next to the button.
 */
export function WorkOrderDialog({
  stations,
  preset,
  triggerLabel = 'New work order',
}: {
  stations: WorkOrderStationOption[];
  preset?: WorkOrderPreset;
  triggerLabel?: string;
}) {
  const router = useRouter();
  const [state, action, pending] = useActionState(createWorkOrderAction, null);
  const { open, setOpen } = useFormDialog(state);
  const descriptionId = useId();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const created = state?.ok && state.data ? { id: state.data.id, message: state.message } : null;
  const incidentError = fieldError(state, 'incidentId');
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <Button variant={preset ? 'secondary' : 'primary'} onClick={() => setOpen(true)}>
        {triggerLabel}
      </Button>
      {created ? (
        <Link
          href={`/maintenance/work-orders/${created.id}`}
          role="status"
          className="text-sm font-medium text-emerald-700 underline-offset-2 hover:underline"
        >
          {created.message ?? 'Work order created'}: open it
        </Link>
      ) : null}
      <Dialog open={open} onClose={() => setOpen(false)} title="New work order">
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          {preset?.incidentId ? <input type="hidden" name="incidentId" value={preset.incidentId} /> : null}
          {state && !state.ok && (!state.fieldErrors || incidentError) ? (
            <Alert tone="error">{incidentError ?? state.error}</Alert>
          ) : null}
          {preset?.incidentId ? (
            <p className="text-sm text-slate-600">
              For the incident: the work order appears on its timeline, and its repair is verified by what the
              charger reports next.
            </p>
          ) : null}
          <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
            <SelectField
              label="Station"
              name="stationId"
              defaultValue={preset?.stationId ?? ''}
              error={fieldError(state, 'stationId')}
            >
              {preset?.stationId ? null : <option value="">Choose a station</option>}
              {stations.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.identity}
                  {s.siteName ? ` · ${s.siteName}` : ''}
                </option>
              ))}
            </SelectField>
            <TextField
              label="EVSE (optional)"
              name="evseId"
              type="number"
              inputMode="numeric"
              min={1}
              max={99}
              defaultValue={preset?.evseId ? String(preset.evseId) : ''}
              error={fieldError(state, 'evseId')}
              hint="Empty: the whole station"
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label="Kind"
              name="kind"
              defaultValue={preset?.kind ?? 'corrective'}
              error={fieldError(state, 'kind')}
            >
              {workOrderKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {workOrderKindLabels[kind]}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Priority"
              name="priority"
              defaultValue={preset?.priority ?? 'normal'}
              error={fieldError(state, 'priority')}
              hint="Sets the SLA due time (Settings tab)"
            >
              {priorityOptions.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </SelectField>
          </div>
          <TextField
            label="Title"
            name="title"
            autoComplete="off"
            placeholder="Replace the cable of connector 2"
            defaultValue={preset?.title ?? ''}
            error={fieldError(state, 'title')}
          />
          <FieldFrame
            label="Description (optional)"
            id={descriptionId}
            error={fieldError(state, 'description')}
            hint="What the technician should know: symptoms, access, parts to bring"
          >
            <textarea
              id={descriptionId}
              name="description"
              rows={4}
              defaultValue={preset?.description ?? ''}
              aria-invalid={fieldError(state, 'description') ? true : undefined}
              aria-describedby={fieldError(state, 'description') ? `${descriptionId}-error` : undefined}
              className={`block w-full rounded-md border px-3 py-2 text-sm shadow-xs ${
                fieldError(state, 'description') ? 'border-rose-400' : 'border-slate-300'
              }`}
            />
          </FieldFrame>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Required certifications"
              name="requiredCertifications"
              autoComplete="off"
              placeholder="EVITP, High voltage"
              defaultValue={preset?.requiredCertifications?.join(', ') ?? ''}
              error={fieldError(state, 'requiredCertifications')}
              hint="Comma-separated; only holders are suggested"
            />
            <TextField
              label="Required skills"
              name="requiredSkills"
              autoComplete="off"
              placeholder="DC fast, ABB"
              defaultValue={preset?.requiredSkills?.join(', ') ?? ''}
              error={fieldError(state, 'requiredSkills')}
              hint="Comma-separated"
            />
          </div>
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Create work order
          </DialogActions>
        </form>
      </Dialog>
    </div>
  );
}
