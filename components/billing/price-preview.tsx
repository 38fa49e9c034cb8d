'use client';

import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { previewTariffAction } from '@/lib/actions/tariffs';
import type { ActionResult } from '@/lib/actions/define-action';
import type { CostBreakdown } from '@/lib/domain/pricing/engine';
import { formatMoney } from '@/lib/domain/pricing/money';
import { SelectField, TextField } from '@/components/ui/field';
import { fieldError, resilient } from '@/components/ui/form-state';
import { formatBilledMinutes, formatKwh, formatPercent } from '@/lib/domain/pricing/display';
import { wallClockOf } from '@/lib/domain/pricing/local-time';
import { describeCostLineText, formatLineAmount } from './format';

const safePreviewTariffAction = resilient(previewTariffAction);

/** Fields of the tariff form that do not change a price. */
const notPricing = ['name', 'description', 'validFromLocal', 'validFrom', 'tariffId'];

interface Example {
  startLocal: string;
  timeZone: string;
  chargingMinutes: string;
  energyKwh: string;
  idleMinutes: string;
}
const exampleFields = ['startLocal', 'timeZone', 'chargingMinutes', 'energyKwh', 'idleMinutes'];

const fieldLabels: Record<string, string> = {
  currency: 'Currency',
  taxRate: 'Tax rate',
  pricesIncludeTax: 'Tax',
  energyPrice: 'Energy',
  timePrice: 'Charging time',
  idlePrice: 'Idle',
  idleGrace: 'Idle grace',
  sessionFee: 'Session fee',
  minPrice: 'Minimum price',
  maxPrice: 'Maximum price',
  bands: 'Time-of-use bands',
};
const bandFieldLabels: Record<string, string> = {
  label: 'name',
  window: 'days and hours',
  energyPrice: 'energy price',
  timePrice: 'charging time price',
  idlePrice: 'idle price',
};

/** "Energy", "Band 2 name": where a form error is, for a message shown away from the field. */
function labelOf(key: string): string {
  const band = /^bands\.(\d+)\.(\w+)$/.exec(key);
  if (band) return `Band ${Number(band[1]) + 1} ${bandFieldLabels[band[2] ?? ''] ?? band[2]}`;
  return fieldLabels[key] ?? key;
}

/**
 * "Price this example session": prices an example with the tariff as the form describes it now
 * (debounced, through the server so it is the engine's own answer), in a chosen site time zone.
 */
export function PricePreview({
  formRef,
  changeKey,
  timeZones,
  defaultTimeZone,
}: {
  /** The tariff form; read when the preview updates. */
  formRef: RefObject<HTMLFormElement | null>;
  /** Changes whenever the form does. */
  changeKey: string;
  /** Time zones of the organisation's sites, offered first. */
  timeZones: string[];
  defaultTimeZone: string;
}) {
  const [example, setExample] = useState<Example>(() => ({
    startLocal: wallClockOf(new Date(), defaultTimeZone),
    timeZone: defaultTimeZone,
    chargingMinutes: '60',
    energyKwh: '20',
    idleMinutes: '30',
  }));
  const [result, setResult] = useState<ActionResult<CostBreakdown> | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);
  const otherZones = useMemo(
    () => Intl.supportedValuesOf('timeZone').filter((z) => !timeZones.includes(z)),
    [timeZones],
  );

  useEffect(() => {
    const request = ++latest.current;
    const timer = window.setTimeout(() => {
      const form = formRef.current;
      if (!form) return;
      const data = new FormData(form);
      for (const key of notPricing) data.delete(key);
      for (const [key, value] of Object.entries(example)) data.set(key, value);
      setBusy(true);
      void safePreviewTariffAction(null, data).then((answer) => {
        if (request !== latest.current) return;
        setResult(answer);
        setBusy(false);
      });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [formRef, changeKey, example]);

  const set = (key: keyof Example) => (e: { target: { value: string } }) =>
    setExample((x) => ({ ...x, [key]: e.target.value }));
  const breakdown = result?.ok ? result.data : null;
  const formErrors =
    result && !result.ok
      ? Object.entries(result.fieldErrors ?? {}).filter(([key]) => !exampleFields.includes(key))
      : [];

  return (
    <section
      aria-labelledby="price-preview-heading"
      className="space-y-4 rounded-xl border border-slate-200 bg-slate-50 p-4"
      data-testid="price-preview"
    >
      <div>
        <h3 id="price-preview-heading" className="font-semibold text-slate-900">
          Price this example session
        </h3>
        <p className="text-xs text-slate-500">Updates as you edit the tariff. Nothing is saved.</p>
      </div>
      <div className="grid grid-cols-2 gap-3">
        <div className="col-span-2">
          <TextField
            label="Start (site time)"
            type="datetime-local"
            value={example.startLocal}
            onChange={set('startLocal')}
            error={fieldError(result, 'startLocal')}
          />
        </div>
        <div className="col-span-2">
          <SelectField
            label="Site time zone"
            value={example.timeZone}
            onChange={set('timeZone')}
            error={fieldError(result, 'timeZone')}
          >
            {timeZones.length > 0 ? (
              <optgroup label="Your sites">
                {timeZones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <optgroup label="All time zones">
              {otherZones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </optgroup>
          </SelectField>
        </div>
        <TextField
          label="Charging (min)"
          type="number"
          inputMode="numeric"
          min={0}
          value={example.chargingMinutes}
          onChange={set('chargingMinutes')}
          error={fieldError(result, 'chargingMinutes')}
        />
        <TextField
          label="Energy (kWh)"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          value={example.energyKwh}
          onChange={set('energyKwh')}
          error={fieldError(result, 'energyKwh')}
        />
        <div className="col-span-2">
          <TextField
            label="Idle after charging (min)"
            type="number"
            inputMode="numeric"
            min={0}
            value={example.idleMinutes}
            onChange={set('idleMinutes')}
            error={fieldError(result, 'idleMinutes')}
            hint="Plugged in but not charging, e.g. after the battery is full"
          />
        </div>
      </div>

      <div aria-live="polite" aria-busy={busy} className="space-y-3 border-t border-slate-200 pt-3 text-sm">
        {result === null ? (
          <p className="text-slate-500">Working out the price…</p>
        ) : breakdown ? (
          <Breakdown breakdown={breakdown} />
        ) : result && !result.ok ? (
          <div className="space-y-1 text-slate-700" data-testid="preview-error">
            <p className="font-medium text-amber-800">No price yet: {result.error}</p>
            {formErrors.length > 0 ? (
              <ul className="list-disc space-y-0.5 pl-5 text-slate-600">
                {formErrors.map(([key, message]) => (
                  <li key={key}>
                    {labelOf(key)}: {message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {busy && result !== null ? <p className="text-xs text-slate-500">Updating…</p> : null}
      </div>
    </section>
  );
}

function Breakdown({ breakdown: b }: { breakdown: CostBreakdown }) {
  const c = b.currency;
  return (
    <>
      <p className="text-xs text-slate-500">
        {formatKwh(b.energyWh)} · {formatBilledMinutes(b.chargingSeconds)} charging ·{' '}
        {formatBilledMinutes(b.idleSeconds)} idle ({formatBilledMinutes(b.billableIdleSeconds)} after grace)
      </p>
      {b.lines.length === 0 ? (
        <p className="text-slate-600">Nothing to pay for this session.</p>
      ) : (
        <ul className="space-y-1.5" data-testid="preview-lines">
          {b.lines.map((line, i) => (
            <li key={`${line.kind}-${line.band ?? ''}-${i}`} className="flex justify-between gap-3">
              <span className="min-w-0 text-slate-700">{describeCostLineText(line, c)}</span>
              <span className="shrink-0 text-right whitespace-nowrap text-slate-900 tabular-nums">
                <span className="text-slate-400">= </span>
                {formatLineAmount(line, c)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {b.energyWh === 0 ? (
        <p className="text-xs text-slate-500">
          No energy delivered: only idle time is charged (no session fee, no minimum).
        </p>
      ) : null}
      <dl className="space-y-1 border-t border-slate-200 pt-2 tabular-nums">
        <div className="flex justify-between gap-3">
          <dt className="text-slate-600">
            {b.pricesIncludeTax ? 'Subtotal (incl. tax)' : 'Subtotal (before tax)'}
          </dt>
          <dd>{formatMoney(b.subtotal, c)}</dd>
        </div>
        <div className="flex justify-between gap-3">
          <dt className="text-slate-600">
            {b.taxRateBp === 0
              ? 'Tax'
              : b.pricesIncludeTax
                ? `Of which tax (${formatPercent(b.taxRateBp)})`
                : `Tax (${formatPercent(b.taxRateBp)})`}
          </dt>
          <dd>{formatMoney(b.tax, c)}</dd>
        </div>
        <div className="flex justify-between gap-3 text-base font-semibold text-slate-900">
          <dt>Total</dt>
          <dd data-testid="preview-total">{formatMoney(b.total, c)}</dd>
        </div>
      </dl>
    </>
  );
}
