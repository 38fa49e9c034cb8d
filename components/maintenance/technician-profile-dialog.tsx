'use client';

import { useActionState, useId, useState } from 'react';
import { saveTechnicianProfileAction } from '@/lib/actions/maintenance';
import { isoDayName } from '@/lib/domain/maintenance/technicians';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';

/** The editable part of a technician's profile, as the page passes it. */
export interface TechnicianProfileValues {
  phone: string | null;
  skills: string[];
  homeBase: string;
  homeLatitude: number | null;
  homeLongitude: number | null;
  workDays: number[];
  workStart: string;
  workEnd: string;
  timezone: string;
}

const isoDays = [1, 2, 3, 4, 5, 6, 7];

/** The time zone of this browser, the default for a technician without a profile. */
function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** IANA zones the browser knows, always including `current` and UTC. */
function timeZoneOptions(current: string): string[] {
  const zones = new Set('supportedValuesOf' in Intl ? Intl.supportedValuesOf('timeZone') : []);
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}

/** Edits what dispatch knows of a technician: phone, skills, home base and working week. */
export function TechnicianProfileDialog({
  technicianId,
  name,
  profile,
}: {
  technicianId: string;
  name: string;
  profile: TechnicianProfileValues | null;
}) {
  const [state, action, pending] = useActionState(saveTechnicianProfileAction, null);
  const { open, setOpen } = useFormDialog(state);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Edit profile
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Profile of ${name}`}>
        <ProfileForm
          technicianId={technicianId}
          profile={profile}
          state={state}
          action={action}
          pending={pending}
          onCancel={() => setOpen(false)}
        />
      </Dialog>
    </>
  );
}

/** The form, mounted only while the dialog is open (so the browser's zones are read there). */
function ProfileForm({
  technicianId,
  profile,
  state,
  action,
  pending,
  onCancel,
}: {
  technicianId: string;
  profile: TechnicianProfileValues | null;
  state: Awaited<ReturnType<typeof saveTechnicianProfileAction>> | null;
  action: (formData: FormData) => void;
  pending: boolean;
  onCancel: () => void;
}) {
  const [timezone] = useState(() => profile?.timezone ?? browserTimeZone());
  const [zones] = useState(() => timeZoneOptions(timezone));
  const daysErrorId = useId();
  const workDays = profile?.workDays ?? [1, 2, 3, 4, 5];
  const daysError = fieldError(state, 'workDays');
  return (
    <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
      <input type="hidden" name="id" value={technicianId} />
      {state && !state.ok && !state.fieldErrors ? <Alert tone="error">{state.error}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Phone (optional)"
          name="phone"
          type="tel"
          autoComplete="off"
          defaultValue={profile?.phone ?? ''}
          error={fieldError(state, 'phone')}
        />
        <TextField
          label="Skills"
          name="skills"
          autoComplete="off"
          placeholder="DC fast, ABB, Kempower"
          defaultValue={profile?.skills.join(', ') ?? ''}
          error={fieldError(state, 'skills')}
          hint="Comma-separated; work orders may require them"
        />
      </div>
      <TextField
        label="Home base"
        name="homeBase"
        autoComplete="off"
        placeholder="Depot, 12 Harbour Road, Springfield"
        defaultValue={profile?.homeBase ?? ''}
        error={fieldError(state, 'homeBase')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Latitude (optional)"
          name="homeLatitude"
          inputMode="decimal"
          autoComplete="off"
          placeholder="41.8781"
          defaultValue={profile?.homeLatitude ?? ''}
          error={fieldError(state, 'homeLatitude')}
        />
        <TextField
          label="Longitude (optional)"
          name="homeLongitude"
          inputMode="decimal"
          autoComplete="off"
          placeholder="-87.6298"
          defaultValue={profile?.homeLongitude ?? ''}
          error={fieldError(state, 'homeLongitude')}
          hint="Dispatch ranks by distance from here when no recent location is shared"
        />
      </div>
      <fieldset className="space-y-1" aria-describedby={daysError ? daysErrorId : undefined}>
        <legend className="text-sm font-medium text-slate-700">Working days</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          {isoDays.map((day) => (
            <label key={day} className="flex items-center gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                name="workDays[]"
                value={day}
                defaultChecked={workDays.includes(day)}
                className="accent-brand-600 size-4"
              />
              {isoDayName(day)}
            </label>
          ))}
        </div>
        {daysError ? (
          <p id={daysErrorId} className="text-sm text-rose-600" role="alert">
            {daysError}
          </p>
        ) : (
          <p className="text-xs text-slate-500">None ticked: available every day, at any hour.</p>
        )}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="Starts at"
          name="workStart"
          type="time"
          defaultValue={profile?.workStart ?? '08:00'}
          error={fieldError(state, 'workStart')}
        />
        <TextField
          label="Ends at"
          name="workEnd"
          type="time"
          defaultValue={profile?.workEnd ?? '17:00'}
          error={fieldError(state, 'workEnd')}
          hint="Earlier than the start: the shift runs past midnight; the same as the start: round the clock"
        />
        <SelectField
          label="Time zone"
          name="timezone"
          defaultValue={timezone}
          error={fieldError(state, 'timezone')}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          Save profile
        </Button>
      </div>
    </form>
  );
}
