'use client';

import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useActionState, useState } from 'react';
import { createSiteAction, updateSiteAction } from '@/lib/actions/sites';
import type { ActionResult } from '@/lib/actions/define-action';
import type { SiteSummary } from '@/lib/services/sites';
import { Alert } from '@/components/ui/alert';
import { CardLabel } from '@/components/ui/card-label';
import { CardTableHead } from '@/components/ui/card-table';
import { formatPowerW } from '@/components/stations/format';
import { fieldError, submitWithoutReset } from '@/components/ui/form-state';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField, TextField } from '@/components/ui/field';

/** A site as the sites page hands it to the browser. */
export type SiteRow = Pick<
  SiteSummary,
  'id' | 'name' | 'address' | 'latitude' | 'longitude' | 'timezone' | 'gridCapacityW' | 'stationCount'
>;

const mapHeight = 260;

function MapPlaceholder() {
  return (
    <div
      className="grid animate-pulse place-items-center rounded-lg border border-slate-300 bg-slate-100 text-sm text-slate-500"
      style={{ height: mapHeight }}
    >
      Loading map…
    </div>
  );
}

// Leaflet touches window on import: the map only ever renders in the browser.
const PinPicker = dynamic(() => import('@/components/map/pin-picker').then((m) => m.PinPicker), {
  ssr: false,
  loading: MapPlaceholder,
});

function formatCoordinates(latitude: number, longitude: number): string {
  return `${latitude.toFixed(4)}, ${longitude.toFixed(4)}`;
}

/** The time zone of this browser, the default for a new site. */
function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** IANA zones the browser knows, always including `current` and UTC. */
function timeZoneOptions(current: string): string[] {
  const known = 'supportedValuesOf' in Intl ? Intl.supportedValuesOf('timeZone') : [];
  const zones = new Set(known);
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}

/** A coordinate from an input, or null while it is empty, partial or out of range. */
function parseCoordinate(value: string, limit: number): number | null {
  if (value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && Math.abs(number) <= limit ? number : null;
}

function SiteForm({
  site,
  tileUrl,
  onSaved,
  onClose,
}: {
  site: SiteRow | null;
  tileUrl: string;
  onSaved: (message: string) => void;
  onClose: () => void;
}) {
  const [state, formAction, pending] = useActionState(
    async (previous: ActionResult<{ id: string }> | null, formData: FormData) => {
      const result = site
        ? await updateSiteAction(previous, formData)
        : await createSiteAction(previous, formData);
      if (result.ok) onSaved(result.message ?? 'Site saved');
      return result;
    },
    null,
  );
  const [timezone] = useState(() => site?.timezone ?? browserTimeZone());
  const [zones] = useState(() => timeZoneOptions(timezone));
  const [latitude, setLatitude] = useState(site ? String(site.latitude) : '');
  const [longitude, setLongitude] = useState(site ? String(site.longitude) : '');

  const lat = parseCoordinate(latitude, 90);
  const lng = parseCoordinate(longitude, 180);

  return (
    <form noValidate onSubmit={submitWithoutReset(formAction)} className="space-y-4">
      {site ? <input type="hidden" name="id" value={site.id} /> : null}
      {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        defaultValue={site?.name ?? ''}
        error={fieldError(state, 'name')}
      />
      <TextField
        label="Address"
        name="address"
        autoComplete="off"
        defaultValue={site?.address ?? ''}
        error={fieldError(state, 'address')}
        hint="Optional: street, city"
      />
      <div className="grid gap-4 sm:grid-cols-2">
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
        <TextField
          label="Grid connection capacity (kW)"
          name="gridCapacityKw"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          defaultValue={site?.gridCapacityW == null ? '' : String(site.gridCapacityW / 1000)}
          error={fieldError(state, 'gridCapacityKw')}
          hint="Optional; load management keeps the site below it"
        />
      </div>
      <div className="space-y-2">
        <div className="grid grid-cols-2 gap-4">
          <TextField
            label="Latitude"
            name="latitude"
            type="number"
            inputMode="decimal"
            step="any"
            min={-90}
            max={90}
            value={latitude}
            onChange={(e) => setLatitude(e.target.value)}
            error={fieldError(state, 'latitude')}
          />
          <TextField
            label="Longitude"
            name="longitude"
            type="number"
            inputMode="decimal"
            step="any"
            min={-180}
            max={180}
            value={longitude}
            onChange={(e) => setLongitude(e.target.value)}
            error={fieldError(state, 'longitude')}
          />
        </div>
        <PinPicker
          latitude={lat}
          longitude={lng}
          tileUrl={tileUrl}
          onChange={(nextLat, nextLng) => {
            setLatitude(String(nextLat));
            setLongitude(String(nextLng));
          }}
        />
        <p className="text-xs text-slate-500">Click the map to place the pin, or drag it to adjust.</p>
      </div>
      <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {site ? 'Save changes' : 'Create site'}
        </Button>
      </div>
    </form>
  );
}

type Open = { kind: 'create' } | { kind: 'edit'; siteId: string } | null;

/** The sites of the organisation: list, create and edit with a map pin picker. */
export function SitesPanel({ sites, tileUrl }: { sites: SiteRow[]; tileUrl: string }) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const close = () => setOpen(null);
  const editing = open?.kind === 'edit' ? sites.find((s) => s.id === open.siteId) : undefined;
  const stationTotal = sites.reduce((sum, s) => sum + s.stationCount, 0);

  const openDialog = (next: Open) => {
    setNotice(null);
    setOpen(next);
  };
  const saved = (message: string) => {
    setNotice(message);
    setOpen(null);
    router.refresh();
  };

  return (
    <section aria-labelledby="sites-heading" className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h2 id="sites-heading" className="text-base font-semibold text-slate-900">
            Sites
          </h2>
          <p className="text-sm text-slate-600">
            {sites.length} {sites.length === 1 ? 'site' : 'sites'} · {stationTotal}{' '}
            {stationTotal === 1 ? 'station' : 'stations'}
          </p>
        </div>
        <Button onClick={() => openDialog({ kind: 'create' })} className="self-start sm:self-auto">
          Add site
        </Button>
      </div>

      {notice ? (
        <Alert tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Alert>
      ) : null}

      {sites.length === 0 ? (
        <EmptyState title="No sites yet">
          Add a site for each place with chargers behind one grid connection; stations and users are then
          assigned to sites.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="block w-full text-sm md:table md:min-w-[48rem]">
            <CardTableHead
              columns={[
                { label: 'Site' },
                { label: 'Time zone' },
                { label: 'Coordinates' },
                { label: 'Grid capacity', align: 'right' },
                { label: 'Stations', align: 'right' },
                { label: 'Actions', align: 'right', hidden: true },
              ]}
            />
            <tbody className="block divide-y divide-slate-200 md:table-row-group">
              {sites.map((site) => {
                const capacity = site.gridCapacityW === null ? null : formatPowerW(site.gridCapacityW);
                return (
                  <tr
                    key={site.id}
                    data-testid="site-row"
                    className="block space-y-2 p-4 md:table-row md:space-y-0 md:p-0"
                  >
                    <td className="block md:table-cell md:px-4 md:py-3">
                      <div className="font-medium text-slate-900">{site.name}</div>
                      <div className="text-slate-500">{site.address || 'No address'}</div>
                    </td>
                    <td className="flex gap-2 md:table-cell md:px-4 md:py-3 md:whitespace-nowrap">
                      <CardLabel>Time zone</CardLabel>
                      <span className="text-slate-700">{site.timezone}</span>
                    </td>
                    <td className="flex gap-2 md:table-cell md:px-4 md:py-3 md:whitespace-nowrap">
                      <CardLabel>Coordinates</CardLabel>
                      <span className="text-slate-700 tabular-nums">
                        {formatCoordinates(site.latitude, site.longitude)}
                      </span>
                    </td>
                    <td className="flex gap-2 md:table-cell md:px-4 md:py-3 md:text-right md:whitespace-nowrap">
                      <CardLabel>Grid capacity</CardLabel>
                      {capacity ? (
                        <span className="text-slate-700 tabular-nums">{capacity}</span>
                      ) : (
                        <span className="text-slate-500">Not set</span>
                      )}
                    </td>
                    <td className="flex gap-2 md:table-cell md:px-4 md:py-3 md:text-right">
                      <CardLabel>Stations</CardLabel>
                      <span className="text-slate-700 tabular-nums">{site.stationCount}</span>
                    </td>
                    <td className="block pt-2 md:table-cell md:px-4 md:py-3 md:text-right">
                      <button
                        type="button"
                        onClick={() => openDialog({ kind: 'edit', siteId: site.id })}
                        className="focus-visible:outline-brand-600 rounded-md border border-slate-200 bg-white px-2.5 py-1.5 text-sm font-medium whitespace-nowrap text-slate-700 shadow-xs transition-colors hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2"
                      >
                        Edit
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <Dialog open={open?.kind === 'create'} onClose={close} title="Add site">
        <SiteForm site={null} tileUrl={tileUrl} onSaved={saved} onClose={close} />
      </Dialog>
      <Dialog open={editing !== undefined} onClose={close} title="Edit site">
        {editing ? <SiteForm site={editing} tileUrl={tileUrl} onSaved={saved} onClose={close} /> : null}
      </Dialog>
    </section>
  );
}
