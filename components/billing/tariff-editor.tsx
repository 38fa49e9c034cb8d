'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent } from 'react';
import { addTariffVersionAction, createTariffAction } from '@/lib/actions/tariffs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { fieldError, localTimeToIso, resilient } from '@/components/ui/form-state';
import { BandsEditor } from './bands-editor';
import { serialiseBands, type BandDraft, type TariffFormValues } from './form-values';
import { PricePreview } from './price-preview';

const safeCreateTariffAction = resilient(createTariffAction);
const safeAddTariffVersionAction = resilient(addTariffVersionAction);

export type TariffEditorMode = { kind: 'create' } | { kind: 'version'; tariffId: string; tariffName: string };

const rateProps = { inputMode: 'decimal', autoComplete: 'off' } as const;

/**
 * The tariff form, for a new tariff and for a new version of one: tax, base prices, fees, bounds and
 * time-of-use bands, with a live price of an example session beside it (below on phones). Prices
 * are decimals in the currency's major unit; what was typed stays when the server refuses it.
 */
export function TariffEditor({
  mode,
  initial,
  timeZones,
  defaultTimeZone,
  onClose,
}: {
  mode: TariffEditorMode;
  initial: TariffFormValues;
  timeZones: string[];
  defaultTimeZone: string;
  /** Cancel, or a new version saved (a new tariff opens its page instead). */
  onClose: (message?: string) => void;
}) {
  const router = useRouter();
  const [state, action, pending] = useActionState(
    mode.kind === 'create' ? safeCreateTariffAction : safeAddTariffVersionAction,
    null,
  );
  const formRef = useRef<HTMLFormElement>(null);
  const [currency, setCurrency] = useState(initial.currency);
  const [bands, setBands] = useState<BandDraft[]>(initial.bands);
  const [formChanges, setFormChanges] = useState(0);
  // Band errors name rows by position; once a row is added or removed they would point at the
  // wrong one, so they show only while the rows are those that were sent.
  const [bandLayout, setBandLayout] = useState(0);
  const [sentLayout, setSentLayout] = useState(0);
  const bandsJson = serialiseBands(bands);

  useEffect(() => {
    if (!state?.ok) return;
    if (mode.kind === 'create') {
      const data = state.data as { id?: unknown } | null;
      if (data && typeof data.id === 'string') router.push(`/billing/tariffs/${data.id}`);
    } else {
      onClose(state.message);
    }
  }, [state, mode.kind, router, onClose]);

  const changeBands = (next: BandDraft[]) => {
    if (next.length !== bands.length) setBandLayout((n) => n + 1);
    setBands(next);
  };
  const bandError = (index: number, field: string) =>
    bandLayout === sentLayout ? fieldError(state, `bands.${index}.${field}`) : undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    localTimeToIso(formData, 'validFromLocal', 'validFrom');
    setSentLayout(bandLayout);
    startTransition(() => action(formData));
  };
  const error = (field: string) => fieldError(state, field);
  const unit = currency.trim().toUpperCase() || 'currency';
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem] lg:items-start">
      <form
        ref={formRef}
        onSubmit={submit}
        onChange={() => setFormChanges((n) => n + 1)}
        className="space-y-6"
        noValidate
        data-testid="tariff-editor"
      >
        {mode.kind === 'version' ? <input type="hidden" name="tariffId" value={mode.tariffId} /> : null}
        <input type="hidden" name="bands" value={bandsJson} />

        {mode.kind === 'create' ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              name="name"
              label="Name"
              placeholder="Standard"
              autoComplete="off"
              error={error('name')}
            />
            <TextField name="description" label="Description (optional)" error={error('description')} />
          </div>
        ) : (
          <TextField
            name="validFromLocal"
            type="datetime-local"
            label="Valid from (optional)"
            error={error('validFrom')}
            hint={`Blank: now. Your time zone (${browserZone}). Sessions already running keep the prices they started with.`}
          />
        )}

        <fieldset className="space-y-4">
          <legend className="text-sm font-semibold text-slate-900">Currency and tax</legend>
          <div className="grid gap-4 sm:grid-cols-[8rem_10rem_1fr]">
            <TextField
              name="currency"
              label="Currency"
              maxLength={3}
              autoCapitalize="characters"
              autoComplete="off"
              value={currency}
              readOnly={mode.kind === 'version'}
              onChange={(e) => setCurrency(e.target.value)}
              error={error('currency')}
              hint={mode.kind === 'version' ? 'A tariff keeps its currency' : 'ISO code, e.g. USD'}
            />
            <TextField
              name="taxRate"
              label="Tax rate (%)"
              placeholder="0"
              defaultValue={initial.taxRate}
              error={error('taxRate')}
              {...rateProps}
            />
            <fieldset className="space-y-1">
              <legend className="text-sm font-medium text-slate-700">The prices entered</legend>
              <div className="flex flex-col gap-1 pt-1 text-sm">
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="pricesIncludeTax"
                    value="off"
                    defaultChecked={!initial.pricesIncludeTax}
                  />
                  exclude tax (it is added)
                </label>
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="pricesIncludeTax"
                    value="on"
                    defaultChecked={initial.pricesIncludeTax}
                  />
                  include tax
                </label>
              </div>
            </fieldset>
          </div>
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="text-sm font-semibold text-slate-900">Base prices</legend>
          <p className="text-xs text-slate-500">Blank means not charged. Up to 4 decimals.</p>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              name="energyPrice"
              label={`Energy (${unit} per kWh)`}
              placeholder="0.45"
              defaultValue={initial.energyPrice}
              error={error('energyPrice')}
              {...rateProps}
            />
            <TextField
              name="timePrice"
              label={`Charging time (${unit} per min)`}
              placeholder="0.05"
              defaultValue={initial.timePrice}
              error={error('timePrice')}
              {...rateProps}
            />
            <TextField
              name="idlePrice"
              label={`Idle (${unit} per min)`}
              placeholder="0.10"
              defaultValue={initial.idlePrice}
              error={error('idlePrice')}
              hint="Plugged in but not charging"
              {...rateProps}
            />
            <TextField
              name="idleGrace"
              label="Idle grace (min)"
              type="number"
              inputMode="numeric"
              min={0}
              max={1440}
              placeholder="0"
              defaultValue={initial.idleGrace}
              error={error('idleGrace')}
              hint="Free minutes of each idle stretch"
            />
          </div>
        </fieldset>

        <fieldset className="space-y-4">
          <legend className="text-sm font-semibold text-slate-900">Fees and bounds</legend>
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField
              name="sessionFee"
              label={`Session fee (${unit})`}
              placeholder="0.00"
              defaultValue={initial.sessionFee}
              error={error('sessionFee')}
              {...rateProps}
            />
            <TextField
              name="minPrice"
              label={`Minimum (${unit}, optional)`}
              defaultValue={initial.minPrice}
              error={error('minPrice')}
              {...rateProps}
            />
            <TextField
              name="maxPrice"
              label={`Maximum (${unit}, optional)`}
              defaultValue={initial.maxPrice}
              error={error('maxPrice')}
              {...rateProps}
            />
          </div>
          <p className="text-xs text-slate-500">
            The minimum and maximum bound a session’s price before tax is split out. Sessions that deliver no
            energy pay only idle time.
          </p>
        </fieldset>

        <BandsEditor
          bands={bands}
          onChange={changeBands}
          currency={unit}
          errorOf={bandError}
          error={bandLayout === sentLayout ? error('bands') : undefined}
        />

        {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={() => onClose()}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {mode.kind === 'create' ? 'Create tariff' : 'Save new version'}
          </Button>
        </div>
      </form>

      <div className="lg:sticky lg:top-4">
        <PricePreview
          formRef={formRef}
          changeKey={`${formChanges}:${bandsJson}`}
          timeZones={timeZones}
          defaultTimeZone={defaultTimeZone}
        />
      </div>
    </div>
  );
}
