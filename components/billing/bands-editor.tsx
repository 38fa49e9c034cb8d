'use client';

import { describeWindow, parseTimeWindow } from '@/lib/domain/access/authorization';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { bandKey, type BandDraft } from './form-values';

/** Monday first, as people read a week; values are the engine's (0 = Sunday). */
const week = [
  { day: 1, short: 'Mon', name: 'Monday' },
  { day: 2, short: 'Tue', name: 'Tuesday' },
  { day: 3, short: 'Wed', name: 'Wednesday' },
  { day: 4, short: 'Thu', name: 'Thursday' },
  { day: 5, short: 'Fri', name: 'Friday' },
  { day: 6, short: 'Sat', name: 'Saturday' },
  { day: 0, short: 'Sun', name: 'Sunday' },
] as const;

/** The service's limit (lib/validation/tariffs.ts). */
const maxBands = 12;

const priceProps = { inputMode: 'decimal', autoComplete: 'off', placeholder: 'base price' } as const;

/**
 * Time-of-use bands: each replaces the base prices it sets on its days and hours (site time); the
 * first band that matches wins. Controlled: the editor serialises the rows into its hidden field.
 */
export function BandsEditor({
  bands,
  onChange,
  currency,
  errorOf,
  error,
}: {
  bands: BandDraft[];
  onChange: (bands: BandDraft[]) => void;
  currency: string;
  /** The server's message for a band's field (`bands.0.label` ...), while it still matches the rows. */
  errorOf: (
    index: number,
    field: 'label' | 'window' | 'energyPrice' | 'timePrice' | 'idlePrice',
  ) => string | undefined;
  error?: string;
}) {
  const update = (index: number, change: Partial<BandDraft>) =>
    onChange(bands.map((b, i) => (i === index ? { ...b, ...change } : b)));
  const unit = currency || 'currency';
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-700">Time-of-use bands (optional)</legend>
      <p className="text-xs text-slate-500">
        In the site’s time zone. A band’s prices replace the base prices it sets (blank: the base price
        applies); where bands overlap, the first in the list wins. An end at or before the start runs past
        midnight; 00:00 as the end means midnight.
      </p>
      {error ? (
        <p className="text-sm text-rose-600" role="alert">
          {error}
        </p>
      ) : null}
      {bands.map((band, index) => {
        const window = parseTimeWindow({
          days: band.days,
          start: band.start,
          end: band.end === '00:00' ? '24:00' : band.end,
        });
        const windowError = errorOf(index, 'window');
        return (
          <fieldset
            key={band.key}
            className="space-y-3 rounded-lg border border-slate-200 p-3"
            data-testid="band-row"
          >
            <legend className="px-1 text-xs font-medium text-slate-500">Band {index + 1}</legend>
            <div className="grid gap-3 sm:grid-cols-[minmax(0,12rem)_1fr]">
              <TextField
                label="Band name"
                value={band.label}
                maxLength={40}
                placeholder="Peak"
                autoComplete="off"
                onChange={(e) => update(index, { label: e.target.value })}
                error={errorOf(index, 'label')}
              />
              <div className="space-y-1">
                <span className="block text-sm font-medium text-slate-700">When</span>
                <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                  <div role="group" aria-label={`Days of band ${index + 1}`} className="flex flex-wrap gap-1">
                    {week.map(({ day, short, name }) => (
                      <label
                        key={day}
                        title={name}
                        className="has-checked:bg-brand-600 has-checked:border-brand-600 has-focus-visible:outline-brand-600 cursor-pointer rounded-md border border-slate-300 bg-white px-2 py-1.5 text-xs font-medium text-slate-700 select-none has-checked:text-white has-focus-visible:outline-2"
                      >
                        <input
                          type="checkbox"
                          className="sr-only"
                          aria-label={name}
                          checked={band.days.includes(day)}
                          onChange={(e) =>
                            update(index, {
                              days: e.target.checked
                                ? [...band.days, day].sort((a, b) => a - b)
                                : band.days.filter((d) => d !== day),
                            })
                          }
                        />
                        {short}
                      </label>
                    ))}
                  </div>
                  <div className="flex items-center gap-2 text-sm">
                    <input
                      type="time"
                      value={band.start}
                      aria-label={`Start of band ${index + 1}`}
                      aria-invalid={windowError ? true : undefined}
                      onChange={(e) => update(index, { start: e.target.value })}
                      className="rounded-md border border-slate-300 px-2 py-1.5"
                    />
                    <span>to</span>
                    <input
                      type="time"
                      value={band.end}
                      aria-label={`End of band ${index + 1}`}
                      aria-invalid={windowError ? true : undefined}
                      onChange={(e) => update(index, { end: e.target.value })}
                      className="rounded-md border border-slate-300 px-2 py-1.5"
                    />
                  </div>
                </div>
                {windowError ? (
                  <p className="text-sm text-rose-600" role="alert">
                    {windowError}
                  </p>
                ) : (
                  <p className="text-xs text-slate-500">
                    {window
                      ? describeWindow(window)
                      : 'Choose at least one day and a start and end that differ'}
                  </p>
                )}
              </div>
            </div>
            <div className="grid gap-3 sm:grid-cols-3">
              <TextField
                label={`Energy (${unit}/kWh)`}
                value={band.energyPrice}
                onChange={(e) => update(index, { energyPrice: e.target.value })}
                error={errorOf(index, 'energyPrice')}
                {...priceProps}
              />
              <TextField
                label={`Charging time (${unit}/min)`}
                value={band.timePrice}
                onChange={(e) => update(index, { timePrice: e.target.value })}
                error={errorOf(index, 'timePrice')}
                {...priceProps}
              />
              <TextField
                label={`Idle (${unit}/min)`}
                value={band.idlePrice}
                onChange={(e) => update(index, { idlePrice: e.target.value })}
                error={errorOf(index, 'idlePrice')}
                {...priceProps}
              />
            </div>
            <div className="flex justify-end">
              <Button
                variant="ghost"
                onClick={() => onChange(bands.filter((_, i) => i !== index))}
                aria-label={`Remove band ${index + 1}${band.label ? ` (${band.label})` : ''}`}
              >
                Remove band
              </Button>
            </div>
          </fieldset>
        );
      })}
      <Button
        variant="secondary"
        disabled={bands.length >= maxBands}
        title={bands.length >= maxBands ? `At most ${maxBands} bands` : undefined}
        onClick={() =>
          onChange([
            ...bands,
            {
              key: bandKey(),
              label: '',
              days: [1, 2, 3, 4, 5],
              start: '16:00',
              end: '21:00',
              energyPrice: '',
              timePrice: '',
              idlePrice: '',
            },
          ])
        }
      >
        Add time-of-use band
      </Button>
    </fieldset>
  );
}
