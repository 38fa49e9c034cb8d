'use client';

import { useActionState, useId, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';
import { saveMaintenanceSettingsAction } from '@/lib/actions/maintenance';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldFrame, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';

/** The maintenance policy as the form shows it: lists and the remediation plan as text. */
export interface MaintenanceSettingsValues {
  offlineAfterMinutes: number;
  failedStartsInARow: number;
  minSessionWh: number;
  remediationEnabled: boolean;
  /** e.g. "soft-reset, wait 5, hard-reset, wait 10" */
  remediationPlan: string;
  autoWorkOrder: boolean;
  autoAssign: boolean;
  slaCritical: number;
  slaHigh: number;
  slaNormal: number;
  slaLow: number;
  /** One step per line. */
  checklist: string;
  /** Comma-separated. */
  defaultCertifications: string;
}

function TextAreaField({
  label,
  name,
  defaultValue,
  rows,
  error,
  hint,
}: {
  label: string;
  name: string;
  defaultValue: string;
  rows: number;
  error?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <FieldFrame label={label} id={id} error={error} hint={hint}>
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-xs disabled:bg-slate-100 ${
          error ? 'border-rose-400' : 'border-slate-300'
        }`}
      />
    </FieldFrame>
  );
}

function CheckboxField({
  label,
  name,
  defaultChecked,
  error,
  hint,
}: {
  label: string;
  name: string;
  defaultChecked: boolean;
  error?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="flex items-start gap-2 text-sm font-medium text-slate-700">
        <input
          id={id}
          type="checkbox"
          name={name}
          defaultChecked={defaultChecked}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="accent-brand-600 mt-0.5 size-4 shrink-0"
        />
        {label}
      </label>
      {error ? (
        <p id={`${id}-error`} className="pl-6 text-sm text-rose-600" role="alert">
          {error}
        </p>
      ) : hint ? (
        <p className="pl-6 text-xs text-slate-500">{hint}</p>
      ) : null}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <div
      role="group"
      aria-labelledby={id}
      className="space-y-4 border-t border-slate-100 pt-6 first:border-t-0 first:pt-0"
    >
      <h3 id={id} className="font-semibold text-slate-900">
        {title}
      </h3>
      {children}
    </div>
  );
}

/**
 * How the organisation detects incidents, tries remote resets, opens and assigns work orders, its
 * SLA hours and the safety checklist. Read-only without maintenance:configure.
 */
/** The SLA hours per priority, with the upper bound the server accepts for each. */
const slaFields = [
  { name: 'slaCritical', label: 'Critical (h)', max: 720 },
  { name: 'slaHigh', label: 'High (h)', max: 720 },
  { name: 'slaNormal', label: 'Normal (h)', max: 2160 },
  { name: 'slaLow', label: 'Low (h)', max: 8760 },
] as const;

export function SettingsForm({ values, canEdit }: { values: MaintenanceSettingsValues; canEdit: boolean }) {
  const [state, action, pending] = useActionState<ActionResult | null, FormData>(
    saveMaintenanceSettingsAction,
    null,
  );
  const error = (field: string) => fieldError(state, field);
  return (
    // Keyed by the saved values: after a save the fields show what was stored (e.g. the plan as
    // normalised); after a refused save they keep what was typed.
    <form key={JSON.stringify(values)} onSubmit={submitWithoutReset(action)} className="space-y-6" noValidate>
      {!canEdit ? (
        <Alert tone="info">Only administrators can change these settings.</Alert>
      ) : state ? (
        <Alert tone={state.ok ? 'success' : 'error'}>
          {state.ok ? (state.message ?? 'Saved') : state.error}
        </Alert>
      ) : null}
      <fieldset
        disabled={!canEdit}
        className="space-y-8 rounded-xl border border-slate-200 bg-white p-5 shadow-xs"
      >
        <Section title="Incident detection">
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField
              label="Offline after (minutes)"
              name="offlineAfterMinutes"
              type="number"
              inputMode="numeric"
              min={1}
              max={1440}
              defaultValue={values.offlineAfterMinutes}
              error={error('offlineAfterMinutes')}
              hint="A station unreachable this long opens an incident"
            />
            <TextField
              label="Failed starts in a row"
              name="failedStartsInARow"
              type="number"
              inputMode="numeric"
              min={2}
              max={20}
              defaultValue={values.failedStartsInARow}
              error={error('failedStartsInARow')}
              hint="Sessions on one EVSE that delivered (almost) nothing"
            />
            <TextField
              label="Minimum session energy (Wh)"
              name="minSessionWh"
              type="number"
              inputMode="numeric"
              min={0}
              max={10000}
              defaultValue={values.minSessionWh}
              error={error('minSessionWh')}
              hint="A session below this is a failed start"
            />
          </div>
        </Section>

        <Section title="Remote remediation">
          <CheckboxField
            label="Try remote resets before sending a technician"
            name="remediationEnabled"
            defaultChecked={values.remediationEnabled}
            error={error('remediationEnabled')}
            hint="For faulted connectors and repeated failed starts; an offline station cannot be reached"
          />
          <TextField
            label="Plan"
            name="remediationPlan"
            autoComplete="off"
            defaultValue={values.remediationPlan}
            placeholder="soft-reset, wait 5, hard-reset, wait 10"
            error={error('remediationPlan')}
            hint={
              <>
                Steps in order, separated by commas: <code>soft-reset</code>, <code>hard-reset</code> and{' '}
                <code>wait N</code> (minutes, up to 1440), e.g. “soft-reset, wait 5, hard-reset, wait 10”. At
                most 10 steps, with at least one reset. If the fault persists after the last step, a work
                order opens (when switched on below).
              </>
            }
          />
        </Section>

        <Section title="Work orders">
          <CheckboxField
            label="Open a work order for each incident"
            name="autoWorkOrder"
            defaultChecked={values.autoWorkOrder}
            error={error('autoWorkOrder')}
            hint="At once, or when remote remediation did not clear it"
          />
          <CheckboxField
            label="Assign it to the top-ranked technician"
            name="autoAssign"
            defaultChecked={values.autoAssign}
            error={error('autoAssign')}
            hint="The first eligible technician of the site's ranking; otherwise a manager assigns it"
          />
          <TextField
            label="Required certifications"
            name="defaultCertifications"
            autoComplete="off"
            placeholder="EVITP"
            defaultValue={values.defaultCertifications}
            error={error('defaultCertifications')}
            hint="Comma-separated; work orders opened for incidents require them, and new ones start with them"
          />
        </Section>

        <Section title="SLA: hours to fix, by priority">
          <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            {slaFields.map((field) => (
              <TextField
                key={field.name}
                label={field.label}
                name={field.name}
                type="number"
                inputMode="numeric"
                min={1}
                max={field.max}
                defaultValue={values[field.name]}
                error={error(field.name)}
              />
            ))}
          </div>
          <p className="text-xs text-slate-500">
            Counted from the work order’s creation in elapsed hours; the clock stops when the technician marks
            it resolved or cannot fix.
          </p>
        </Section>

        <Section title="Safety">
          <TextAreaField
            label="Safety checklist"
            name="checklist"
            rows={7}
            defaultValue={values.checklist}
            error={error('checklist')}
            hint="One step per line (at most 20). The technician confirms each on site before work starts."
          />
        </Section>
      </fieldset>
      {canEdit ? (
        <div className="flex justify-end">
          <Button type="submit" disabled={pending}>
            Save settings
          </Button>
        </div>
      ) : null}
    </form>
  );
}
