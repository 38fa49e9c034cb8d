'use client';

import { useActionState, useState } from 'react';
import { saveSiteLoadSettingsAction } from '@/lib/actions/load';
import type { LoadSiteView } from '@/lib/services/load-views';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, resilient, submitWithoutReset } from '@/components/ui/form-state';
import { useFormDialog } from '@/components/ui/use-form-dialog';
import { formError } from './form-errors';

const safeSaveSiteLoadSettingsAction = resilient(saveSiteLoadSettingsAction);

type Root = NonNullable<LoadSiteView['root']>;

/** The fallback limit as the form takes it: kW from watts, or A per phase. */
function fallbackOf(root: Root): { unit: 'A' | 'kW'; value: string } {
  if (root.fallbackValue === null) return { unit: root.fallbackUnit === 'A' ? 'A' : 'kW', value: '' };
  return root.fallbackUnit === 'A'
    ? { unit: 'A', value: String(root.fallbackValue) }
    : { unit: 'kW', value: String(root.fallbackValue / 1000) };
}

/** The site's settings as hidden fields, so a form changing one of them keeps the others. */
function KeptSettings({ siteId, root, enabled }: { siteId: string; root: Root; enabled: boolean }) {
  const fallback = fallbackOf(root);
  return (
    <>
      <input type="hidden" name="siteId" value={siteId} />
      {enabled ? <input type="hidden" name="enabled" value="on" /> : null}
      <input type="hidden" name="nonEvSource" value={root.nonEvSource} />
      <input type="hidden" name="nonEvStationId" value={root.nonEvStationId ?? ''} />
      <input type="hidden" name="nonEvStaleSeconds" value={String(root.nonEvStaleSeconds)} />
      <input type="hidden" name="fallbackUnit" value={fallback.unit} />
      <input type="hidden" name="fallbackValue" value={fallback.value} />
    </>
  );
}

/**
 * Load management on or off for the site. Switching off clears the limits ChargeOps set on the
 * chargers (they may then draw their full rating), so it asks first; switching on does not.
 */
export function LoadSwitch({ siteId, root, canManage }: { siteId: string; root: Root; canManage: boolean }) {
  const [state, action, pending] = useActionState(safeSaveSiteLoadSettingsAction, null);
  const confirm = useFormDialog(state);
  const on = root.enabled;
  const switchControl = (
    <button
      type={on ? 'button' : 'submit'}
      role="switch"
      aria-checked={on}
      aria-label="Load management"
      disabled={!canManage || pending}
      onClick={on ? () => confirm.setOpen(true) : undefined}
      className={`focus-visible:outline-brand-600 relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60 ${
        on ? 'bg-brand-600' : 'bg-slate-300'
      }`}
    >
      <span
        className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${
          on ? 'translate-x-5' : 'translate-x-0.5'
        }`}
      />
    </button>
  );
  return (
    <div className="flex flex-col gap-1">
      <form onSubmit={submitWithoutReset(action)} className="flex items-center gap-3">
        {!on ? <KeptSettings siteId={siteId} root={root} enabled /> : null}
        {switchControl}
        <span className="text-sm font-medium text-slate-800">Load management {on ? 'on' : 'off'}</span>
      </form>
      {state && !state.ok && !confirm.open ? (
        <span role="alert" className="text-xs text-rose-700">
          {state.error}
        </span>
      ) : null}
      <Dialog open={confirm.open} onClose={() => confirm.setOpen(false)} title="Switch load management off?">
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <KeptSettings siteId={siteId} root={root} enabled={false} />
          {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
          <p className="text-sm text-slate-700">
            ChargeOps clears the limits it set on this site&apos;s chargers: they may then draw their full
            rating, whatever the grid connection allows. The tree, limits and settings are kept for when you
            switch it back on.
          </p>
          <DialogActions onCancel={() => confirm.setOpen(false)} disabled={pending} variant="danger">
            Switch off
          </DialogActions>
        </form>
      </Dialog>
    </div>
  );
}

/** Where the building's own consumption comes from, and the limit chargers get while it is unknown. */
export function BuildingLoadDialog({
  siteId,
  root,
  stations,
}: {
  siteId: string;
  root: Root;
  stations: { id: string; identity: string }[];
}) {
  const [state, action, pending] = useActionState(safeSaveSiteLoadSettingsAction, null);
  const { open, setOpen } = useFormDialog(state);
  const [source, setSource] = useState(root.nonEvSource);
  const fallback = fallbackOf(root);
  const error = formError(state, [
    'nonEvSource',
    'nonEvStationId',
    'nonEvStaleSeconds',
    'fallbackUnit',
    'fallbackValue',
  ]);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Edit building load
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Building load">
        <form onSubmit={submitWithoutReset(action)} className="space-y-4" noValidate>
          <input type="hidden" name="siteId" value={siteId} />
          {root.enabled ? <input type="hidden" name="enabled" value="on" /> : null}
          {error ? <Alert tone="error">{error}</Alert> : null}
          <p className="text-sm text-slate-600">
            The building behind the grid connection draws power too. ChargeOps subtracts its consumption from
            the grid connection&apos;s limit before sharing the rest between chargers.
          </p>
          <SelectField
            label="Building consumption"
            name="nonEvSource"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            error={fieldError(state, 'nonEvSource')}
          >
            <option value="none">Not counted (the limit is for chargers only)</option>
            <option value="api">Sent by a building management system (API)</option>
            <option value="meter">Measured by a station’s meter</option>
          </SelectField>
          {source === 'meter' ? (
            <SelectField
              label="Meter station"
              name="nonEvStationId"
              defaultValue={root.nonEvStationId ?? ''}
              error={fieldError(state, 'nonEvStationId')}
              hint="A station of this site whose meter measures the whole building"
            >
              <option value="">Choose a station</option>
              {stations.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.identity}
                </option>
              ))}
            </SelectField>
          ) : null}
          {source !== 'none' ? (
            <>
              <TextField
                label="Stale after (seconds)"
                name="nonEvStaleSeconds"
                type="number"
                inputMode="numeric"
                min={30}
                defaultValue={String(root.nonEvStaleSeconds)}
                error={fieldError(state, 'nonEvStaleSeconds')}
                hint="An older reading no longer counts: the fallback limit applies"
              />
              <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem]">
                <TextField
                  label="Fallback limit for chargers"
                  name="fallbackValue"
                  type="number"
                  inputMode="decimal"
                  min={0}
                  step="any"
                  defaultValue={fallback.value}
                  error={fieldError(state, 'fallbackValue')}
                  hint="What chargers may draw together while the reading is missing or stale"
                />
                <SelectField
                  label="Unit"
                  name="fallbackUnit"
                  defaultValue={fallback.unit}
                  error={fieldError(state, 'fallbackUnit')}
                >
                  <option value="A">A per phase</option>
                  <option value="kW">kW (all phases)</option>
                </SelectField>
              </div>
            </>
          ) : (
            <>
              <input type="hidden" name="fallbackUnit" value={fallback.unit} />
              <input type="hidden" name="fallbackValue" value={fallback.value} />
            </>
          )}
          <DialogActions onCancel={() => setOpen(false)} disabled={pending}>
            Save
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
