'use client';

import { useActionState, useState } from 'react';
import { assignTariffAction } from '@/lib/actions/tariffs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { stationLabel, type NamedOption, type StationOption } from './pickers';

const safeAssignTariffAction = resilient(assignTariffAction);

/**
 * Makes a tariff apply at a place (the organisation, a site, a station or one of its EVSEs), for
 * everyone or one driver group. Organisation-wide assignments are for administrators.
 */
export function AssignForm({
  tariffId,
  tariffName,
  sites,
  stations,
  groups,
  canAssignOrganisation,
}: {
  tariffId: string;
  tariffName: string;
  sites: NamedOption[];
  stations: StationOption[];
  groups: NamedOption[];
  canAssignOrganisation: boolean;
}) {
  const [state, action, pending] = useActionState(safeAssignTariffAction, null);
  // 'site:<id>', 'station:<id>', or '' for the whole organisation.
  const [place, setPlace] = useState('');
  const [kind, placeId] = place.split(':') as [string, string | undefined];
  const station = kind === 'station' ? stations.find((s) => s.id === placeId) : undefined;
  const placeError = fieldError(state, 'siteId') ?? fieldError(state, 'stationId');
  return (
    <form
      onSubmit={submitWithoutReset(action)}
      className="space-y-4"
      noValidate
      aria-label={`Assign ${tariffName}`}
    >
      <input type="hidden" name="tariffId" value={tariffId} />
      {kind === 'site' && placeId ? <input type="hidden" name="siteId" value={placeId} /> : null}
      {kind === 'station' && placeId ? <input type="hidden" name="stationId" value={placeId} /> : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField
          label="Where"
          value={place}
          onChange={(e) => setPlace(e.target.value)}
          error={placeError}
        >
          <option value="">
            {canAssignOrganisation ? 'Everywhere (organisation)' : 'Choose a site or station'}
          </option>
          {sites.length > 0 ? (
            <optgroup label="Sites">
              {sites.map((s) => (
                <option key={s.id} value={`site:${s.id}`}>
                  Site {s.name}
                </option>
              ))}
            </optgroup>
          ) : null}
          {stations.length > 0 ? (
            <optgroup label="Stations">
              {stations.map((s) => (
                <option key={s.id} value={`station:${s.id}`}>
                  {stationLabel(s)}
                </option>
              ))}
            </optgroup>
          ) : null}
        </SelectField>
        <SelectField
          key={station?.id ?? 'none'}
          name="evseId"
          label="EVSE"
          defaultValue=""
          disabled={!station || station.evseIds.length === 0}
          error={fieldError(state, 'evseId')}
          hint={station ? undefined : 'Choose a station first'}
        >
          <option value="">Whole station</option>
          {station?.evseIds.map((id) => (
            <option key={id} value={id}>
              EVSE {id}
            </option>
          ))}
        </SelectField>
        <SelectField name="groupId" label="Who" defaultValue="" error={fieldError(state, 'groupId')}>
          <option value="">Every driver</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              Group {g.name}
            </option>
          ))}
        </SelectField>
      </div>
      <p className="text-xs text-slate-500">
        The most specific wins; a group beats a place. Assigning replaces the tariff already assigned to the
        same place and group, for sessions that start from now on.
      </p>
      {state && !state.ok && !placeError && !state.fieldErrors?.evseId && !state.fieldErrors?.groupId ? (
        <Alert tone="error">{state.error}</Alert>
      ) : null}
      {state?.ok ? <Alert tone="success">{state.message}</Alert> : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          Assign
        </Button>
      </div>
    </form>
  );
}
